class LedgerError(Exception):
    """Base of the ledger's errors; the message is for a bookkeeper."""


class AccountCodeTaken(LedgerError):
    def __init__(self, code: str) -> None:
        super().__init__(f"account {code} already exists in this chart of accounts")
        self.code = code


class NoFreeAccountCode(LedgerError):
    def __init__(self, first: str, last: str) -> None:
        super().__init__(f"no free account code is left between {first} and {last}; widen the auto-create range")


class JournalNotBalanced(LedgerError):
    pass


class JournalAlreadyPosted(LedgerError):
    """Another run posted the day's journal first; `number` is that journal's."""

    def __init__(self, merchant_code: str, day, *, number: str) -> None:
        super().__init__(f"the daily journal of {merchant_code} for {day} is already posted")
        self.day, self.number = day, number


class AccountNotPostable(LedgerError):
    pass


class MappingInvalid(LedgerError):
    """An account mapping that names no usable account; `field` says which form field is at fault."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class UnknownRecords(LedgerError):
    """Records a call names that the books do not hold, e.g. stock for an item that does not exist."""

    def __init__(self, what: str, numbers) -> None:
        listed = ", ".join(sorted(numbers)[:10])
        super().__init__(f"no {what} {listed} in the books")
        self.numbers = sorted(numbers)


class NumberTaken(LedgerError):
    def __init__(self, what: str, number: str) -> None:
        super().__init__(f"{what} {number} already exists")
        self.number = number
