"""Django's error reports (the DEBUG page, the mails to ADMINS) without the secrets a person just
typed: posted secret fields are masked wherever they appear, in the request and in every frame's
local variables, whether or not the view was marked sensitive."""
from __future__ import annotations

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
    post = getattr(request, "POST", None) if request is not None else None
    if not post:
        return []
    values = {value.strip() for name in SECRET_POST_FIELDS for value in post.getlist(name)}
    return sorted((v for v in values if len(v) >= MIN_MASKED_LENGTH), key=len, reverse=True)
