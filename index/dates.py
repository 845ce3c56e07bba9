"""Publication dates in one form: an ISO calendar day ("2022-06-12"), whatever the source
wrote (ISO with a time and zone, RFC 822 from feeds, "June 12, 2022", "2022/06/12")."""

from datetime import date, datetime

from dateutil import parser as date_parser


def iso_day(value: str | date | None) -> str | None:
    """The day as YYYY-MM-DD; None for no value; ValueError when it is not a date."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date_parser.parse(value.strip(), default=datetime(1900, 1, 1)).date().isoformat()
    except (ValueError, OverflowError):
        raise ValueError(f"{value!r} is not a date") from None
