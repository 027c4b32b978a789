# How the admin shows dates and times (core.local_time): ISO dates, and every time with its zone's
# abbreviation ("2025-03-11 14:05 CET"), in the zone the page is about. Input formats stay Django's.
DATE_FORMAT = "Y-m-d"
SHORT_DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i T"
SHORT_DATETIME_FORMAT = "Y-m-d H:i T"
TIME_FORMAT = "H:i"
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
