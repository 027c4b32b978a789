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
