"""Django's error reports (the DEBUG page, the mails to ADMINS) without the secrets a person just
typed: posted secret fields are masked wherever they appear, in the request and in every frame's
local variables, whether or not the view was marked sensitive."""
from __future__ import annotations

from urllib.parse import parse_qsl, quote_plus

from django.template.defaultfilters import pprint
from django.views.debug import SafeExceptionReporterFilter

# Names of posted fields that hold a secret (the shop card's, and Django's own password fields).
SECRET_POST_FIELDS = ("access_token", "api_secret_key", "password", "password1", "password2")
# Shorter values are not masked where they merely appear in other text: they would hide too much.
MIN_MASKED_LENGTH = 6


class SecretMaskingFilter(SafeExceptionReporterFilter):
    def get_post_parameters(self, request):
        parameters = super().get_post_parameters(request)
        if request is None or not any(parameters.get(name) for name in SECRET_POST_FIELDS):
            return parameters
        parameters = parameters.copy()
        for name in SECRET_POST_FIELDS:
            if parameters.get(name):
                parameters[name] = self.cleansed_substitute
        return parameters

    def get_traceback_frame_variables(self, request, tb_frame):
        variables = super().get_traceback_frame_variables(request, tb_frame)
        secrets = _posted_secrets(request)
        if not secrets:
            return variables
        return [(name, self._masked(value, secrets)) for name, value in variables]

    def _masked(self, value, secrets: list[str]):
        text = value if isinstance(value, str) else pprint(value)
        masked = text
        for secret in secrets:
            masked = masked.replace(secret, self.cleansed_substitute)
        return value if masked == text else masked


def _posted_secrets(request) -> list[str]:
    """The secrets posted, as typed and as they travel form-encoded. When Django could not read the
    form (too many fields, say), request.POST is empty but the raw body still sits in the frames:
    it is read here without Django's limits."""
    if request is None:
        return []
    post = getattr(request, "POST", None)
    values = {value.strip() for name in SECRET_POST_FIELDS for value in post.getlist(name)} if post else set()
    if not values:
        values = _secrets_in_raw_form(getattr(request, "_body", None))
    values |= {quote_plus(value) for value in values}
    return sorted((v for v in values if len(v) >= MIN_MASKED_LENGTH), key=len, reverse=True)


def _secrets_in_raw_form(body: bytes | None) -> set[str]:
    if not body:
        return set()
    text = body.decode("utf-8", errors="replace")
    return {value.strip() for name, value in parse_qsl(text, keep_blank_values=True) if name in SECRET_POST_FIELDS}
