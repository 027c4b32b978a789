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


class NotAStockCalculation(LedgerError):
    """Stock asked for by a calculation that gives none (disabled) or that does not exist."""

    def __init__(self, calculation: str) -> None:
        if calculation == "disabled":
            super().__init__("a location whose stock calculation is disabled sends no stock: choose on hand or "
                             "available")
        else:
            super().__init__(f"{calculation!r} is not a stock calculation: choose on hand or available")
        self.calculation = calculation


class NotAnInternetAddress(LedgerError):
    def __init__(self, address: str) -> None:
        super().__init__(f"{address} is not an internet address: type it as https://www.ups.com/track?tracknum=%1, "
                         "%1 standing for the package tracking no.")
        self.address = address


class JournalLinesNotPostable(LedgerError):
    """Item journal lines that cannot be posted, each with why (`problems`): none of the batch was."""

    def __init__(self, problems, *, outcome: str = "nothing was posted") -> None:
        super().__init__(f"{outcome}: " + "; ".join(str(problem) for problem in problems))
        self.problems = list(problems)


class UnknownPriceList(LedgerError):
    def __init__(self, merchant_code: str, code: str) -> None:
        super().__init__(f"{merchant_code} has no price list {code}; add it under Price lists first")
        self.code = code


class PriceFileRefused(LedgerError):
    """A price file with mistakes: nothing of it was imported; `problems` says each, by line."""

    def __init__(self, problems) -> None:
        self.problems = list(problems)
        super().__init__(f"nothing was imported: the file has {len(self.problems)} "
                         f"{'mistake' if len(self.problems) == 1 else 'mistakes'}")
