class MerchantError(Exception):
    """Base of the merchants app's errors; the message is for the person at the screen."""


class InvalidShopDomain(MerchantError):
    pass


class InvalidApiBaseUrl(MerchantError):
    pass


class InvalidTimeZone(MerchantError):
    pass


class InvalidCurrency(MerchantError):
    pass


class InvalidAutoCreateRange(MerchantError):
    pass


class ShopCardActionUnavailable(MerchantError):
    """The button's feature is not there (yet): a warning, not a failure."""


class ShopCardActionFailed(MerchantError):
    """The button's sync or test ran and failed; the message says why, `run_id` where it was logged."""

    def __init__(self, message: str, *, run_id: int | None = None) -> None:
        super().__init__(message)
        self.run_id = run_id
