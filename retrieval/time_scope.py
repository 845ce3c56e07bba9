"""Calendar expressions in questions ("this week", "in June 2022", "since Monday") resolved
to a range of days against the moment the question was asked."""

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

_MONTHS = {name.casefold(): n for n, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.casefold(): n for n, name in enumerate(calendar.month_abbr) if name}
_MONTHS["sept"] = 9
_WEEKDAYS = {name.casefold(): n for n, name in enumerate(calendar.day_name)}
_MONTH = r"(?P<{}>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?P<weekday>" + "|".join(_WEEKDAYS) + ")"
_DAY = r"(?P<{}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<{}>(?:19|20)\d\d)"


def _pattern(text: str) -> re.Pattern:
    return re.compile(r"\b" + text + r"\b", re.IGNORECASE)


@dataclass(frozen=True)
class TimeScope:
    """A range of days, both ends included, and the words of the question that set it."""

    start: date
    end: date
    expression: str

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    @property
    def label(self) -> str:
        """"13–19 June 2022", "12 June 2022", "June 2022", "2021"."""
        start, end = self.start, self.end
        if start == end:
            return f"{start.day} {_month(start)} {start.year}"
        if start == date(start.year, 1, 1) and end == date(start.year, 12, 31):
            return str(start.year)
        if start.day == 1 and (start.year, start.month) == (end.year, end.month) \
                and end.day == calendar.monthrange(end.year, end.month)[1]:
            return f"{_month(start)} {start.year}"
        if (start.year, start.month) == (end.year, end.month):
            return f"{start.day}–{end.day} {_month(end)} {end.year}"
        if start.year == end.year:
            return f"{start.day} {_month(start)} – {end.day} {_month(end)} {end.year}"
        return f"{start.day} {_month(start)} {start.year} – {end.day} {_month(end)} {end.year}"


def find_time_scope(question: str, as_of: date) -> tuple[TimeScope | None, str]:
    """The first calendar expression of the question as a range of days, and the question
    without it (its words are not searched); (None, question) when it has none."""
    if not _ANY_RULE.search(question):
        return None, question
    for pattern, resolve in _RULES:
        match = pattern.search(question)
        if match is None:
            continue
        found = resolve(match.groupdict(), as_of)
        if found is None:
            continue
        start, end = found
        rest = question[:match.start()] + " " + question[match.end():]
        rest = re.sub(r"\s+([?.!,])", r"\1", " ".join(rest.split()))
        return TimeScope(start, end, match.group(0)), rest
    return None, question


def _month(day: date) -> str:
    return calendar.month_name[day.month]


def _week_of(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def _month_range(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _latest_year(month: int, day: int, as_of: date) -> int:
    """The year in which month/day last came, on or before as_of."""
    return as_of.year if (month, day) <= (as_of.month, as_of.day) else as_of.year - 1


def _day(groups: dict, as_of: date, day_key: str = "day", month_key: str = "month") -> date | None:
    month = _MONTHS[groups[month_key].casefold()]
    number = int(groups[day_key])
    year = int(groups["year"]) if groups.get("year") else _latest_year(month, number, as_of)
    try:
        return date(year, month, number)
    except ValueError:
        return None


def _last_weekday(name: str, as_of: date) -> date:
    return as_of - timedelta(days=(as_of.weekday() - _WEEKDAYS[name.casefold()]) % 7)


def _previous_month(as_of: date) -> tuple[int, int]:
    return (as_of.year, as_of.month - 1) if as_of.month > 1 else (as_of.year - 1, 12)


def _in_month(groups: dict, as_of: date) -> tuple[date, date]:
    month = _MONTHS[groups["month"].casefold()]
    if groups.get("year"):
        year = int(groups["year"])
    else:
        year = as_of.year if month <= as_of.month else as_of.year - 1
    return _month_range(year, month)


def _between(groups: dict, as_of: date) -> tuple[date, date] | None:
    """"between 1 and 15 March", "between 28 May and 3 June", "between May 28 and June 3"."""
    if "month1" in groups:
        first_month, last_month = groups["month1"] or groups["month"], groups["month"]
    else:
        first_month, last_month = groups["month"], groups["month2"] or groups["month"]
    last = _day({"day": groups["day2"], "month": last_month, "year": groups.get("year")}, as_of)
    if last is None:
        return None
    first = _day({"day": groups["day"], "month": first_month, "year": str(last.year)}, as_of)
    if first is None:
        return None
    if first > last:  # "between 28 December and 3 January": the first day in the year before
        first = first.replace(year=first.year - 1)
    return first, last


_DAY_MONTH = _DAY.format("day") + r"\s+(?:of\s+)?" + _MONTH.format("month")
_MONTH_DAY = _MONTH.format("month") + r"\s+" + _DAY.format("day")
_OPTIONAL_YEAR = r"(?:,?\s+" + _YEAR.format("year") + ")?"

# Most specific first: "in June 2022" before "in 2022", "between …" before "on …".
_RULES = [
    (_pattern(r"between\s+" + _DAY.format("day") + r"(?:\s+" + _MONTH.format("month1") + r")?\s+and\s+"
              + _DAY.format("day2") + r"\s+" + _MONTH.format("month") + _OPTIONAL_YEAR), _between),
    (_pattern(r"between\s+" + _MONTH.format("month") + r"\s+" + _DAY.format("day") + r"\s+and\s+(?:"
              + _MONTH.format("month2") + r"\s+)?" + _DAY.format("day2") + _OPTIONAL_YEAR), _between),
    (_pattern(r"since\s+(?:" + _DAY_MONTH + "|" + _MONTH_DAY.replace("<month>", "<month_b>")
              .replace("<day>", "<day_b>") + ")" + _OPTIONAL_YEAR),
     lambda g, a: (d, a) if (d := _day(g, a) if g.get("day") else _day(g, a, "day_b", "month_b")) else None),
    (_pattern(r"since\s+(?:last\s+)?" + _WEEKDAY), lambda g, a: (_last_weekday(g["weekday"], a), a)),
    (_pattern(r"on\s+(?:" + _DAY_MONTH + "|" + _MONTH_DAY.replace("<month>", "<month_b>")
              .replace("<day>", "<day_b>") + ")" + _OPTIONAL_YEAR),
     lambda g, a: (d, d) if (d := _day(g, a) if g.get("day") else _day(g, a, "day_b", "month_b")) else None),
    (_pattern(r"(?:on|last)\s+" + _WEEKDAY), lambda g, a: (_last_weekday(g["weekday"], a),) * 2),
    (_pattern(r"(?:in|during)\s+" + _MONTH.format("month") + _OPTIONAL_YEAR), _in_month),
    (_pattern(r"(?:in|during)\s+" + _YEAR.format("year")), lambda g, a: (date(int(g["year"]), 1, 1),
                                                                      date(int(g["year"]), 12, 31))),
    (_pattern(r"today|tonight|this\s+morning|this\s+evening"), lambda g, a: (a, a)),
    (_pattern(r"yesterday"), lambda g, a: (a - timedelta(days=1),) * 2),
    (_pattern(r"this\s+week"), lambda g, a: _week_of(a)),
    (_pattern(r"last\s+week"), lambda g, a: _week_of(a - timedelta(days=7))),
    (_pattern(r"(?:in\s+)?the\s+(?:past|last)\s+(?:7|seven)\s+days|(?:in\s+)?the\s+past\s+week"),
     lambda g, a: (a - timedelta(days=6), a)),
    (_pattern(r"this\s+month"), lambda g, a: _month_range(a.year, a.month)),
    (_pattern(r"last\s+month"), lambda g, a: _month_range(*_previous_month(a))),
    (_pattern(r"this\s+year"), lambda g, a: (date(a.year, 1, 1), date(a.year, 12, 31))),
    (_pattern(r"last\s+year"), lambda g, a: (date(a.year - 1, 1, 1), date(a.year - 1, 12, 31))),
]
# Every rule needs a month, a weekday or a year, or one of these words (some rules do not
# start or end at a word boundary): one search tells that most questions have none.
_ANY_RULE = re.compile(
    r"\b(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + "|" + "|".join(_WEEKDAYS)
    + r"|(?:19|20)\d\d)\b|today|tonight|this|yesterday|last|past", re.IGNORECASE)
