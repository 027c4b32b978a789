"""What the shop card (merchants.admin) shows and does beyond the shop's own fields, registered at
start-up by the layers that know: its buttons, its panels, and the rules that guard its settings.

merchants sits below syncjobs and the connectors, so it cannot ask them; they tell it here, the way
apps register their models with Django's admin.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable


class ShopCardActionUnavailable(Exception):
    """The button's feature is not there (yet), or the shop cannot use it now: a warning, not a failure."""


class ShopCardActionFailed(Exception):
    """The button's sync or test ran and failed; the message says why, `run_id` where it was logged."""

    def __init__(self, message: str, *, run_id: int | None = None) -> None:
        super().__init__(message)
        self.run_id = run_id


@dataclass(frozen=True)
class ShopCardOutcome:
    message: str
    warnings: list[str] = field(default_factory=list)
    entry_id: int | None = None   # the job queue entry a background sync created
    run_id: int | None = None     # the run a foreground sync wrote


@dataclass(frozen=True)
class ShopCardAction:
    """A button of the card's action bar, at `position` (lower first)."""

    slug: str
    label: str
    position: int
    # (merchant, user) -> the request-page form (a class, or any callable making one) shown before it
    # starts, or None; raises ShopCardActionUnavailable when the button cannot start at all, so that
    # is said before any page is shown.
    request_page: Callable[[Any, Any], Any]
    # (merchant=, user=, raw_parameters=) -> ShopCardOutcome; raises ShopCardActionUnavailable/Failed
    start: Callable[..., ShopCardOutcome]
    # The page that shows the form; it may show more of what the form carries.
    page_template: str = "admin/merchants/merchant/request_page.html"


@dataclass(frozen=True)
class ShopCardPanel:
    """A value the card's template shows under `key`, computed for the merchant on display."""

    key: str
    context: Callable[[Any], Any]


@dataclass(frozen=True)
class ShopCardRule:
    """What a layer above merchants checks and does when the card's settings change.

    `check(merchant, cleaned, changed)` returns {field: problem} for the form (the merchant still
    holds the stored values); `after_save(merchant, initial, changed)` runs in the save's transaction;
    `after_commit(merchant)` runs once it committed (calls to Shopify) and returns (ok, message) for the
    page, or None when it had nothing to say.
    """

    name: str
    fields: frozenset[str]
    check: Callable[[Any, dict, set[str]], dict[str, str]] | None = None
    after_save: Callable[[Any, dict, set[str]], None] | None = None
    after_commit: Callable[[Any], tuple[bool, str] | None] | None = None


class ShopCardSlugTaken(Exception):
    pass


ACTIONS: dict[str, ShopCardAction] = {}
PANELS: dict[str, ShopCardPanel] = {}
RULES: dict[str, ShopCardRule] = {}
# Admin actions of the shops list, e.g. "Create recurring syncs": (name, function) as Django takes them.
LIST_ACTIONS: dict[str, Callable] = {}
# Tables of the card, as Django admin inlines of the merchant (e.g. the default customer per country).
INLINES: list[type] = []


def register_action(action: ShopCardAction) -> None:
    known = ACTIONS.get(action.slug)
    if known is not None and known != action:
        raise ShopCardSlugTaken(f"the shop card already has an action {action.slug!r}: {known.label}")
    ACTIONS[action.slug] = action


def register_panel(panel: ShopCardPanel) -> None:
    PANELS[panel.key] = panel


def register_rule(rule: ShopCardRule) -> None:
    RULES[rule.name] = rule


def register_list_action(name: str, function: Callable) -> None:
    LIST_ACTIONS[name] = function


def register_inline(inline: type) -> None:
    if inline not in INLINES:
        INLINES.append(inline)


def shop_card_actions() -> list[ShopCardAction]:
    return sorted(ACTIONS.values(), key=lambda action: (action.position, action.slug))


def action_for(slug: str) -> ShopCardAction:
    action = ACTIONS.get(slug)
    if action is None:
        raise ShopCardActionUnavailable(f"the shop card has no action {slug!r}")
    return action


def rules_for(changed: set[str]) -> list[ShopCardRule]:
    return [rule for rule in RULES.values() if rule.fields & changed]
