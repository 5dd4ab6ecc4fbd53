"""Dated events named in a resolution: observances, meetings, conferences, years.

Only events whose date the text prints are kept (an undated "next
high-level meeting" is not an event here).  Dates are ISO, with reduced
precision where the text gives less: a yearly day is ``--07-30``, a month
``2017-03``, a year ``2021``; a meeting over several days has ``start`` and
``end``.
"""

from __future__ import annotations

import re

from .models import Event, ParsedDocument
from .symbols import MONTHS

_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_DAY_NAME = re.compile(
    r"\b(?P<label>(?:World|International) Day (?:of|for|against|on|to)(?: [A-Za-z’'\-]+){1,10}?)"
    r"(?=[,;.]| to be | on | in | and |$)"
)
_DESIGNATE = re.compile(rf"\b(?:designate|proclaim|declare)s?\s+(?P<day>\d{{1,2}})\s+(?P<month>{_MONTH})\s+as\s+the\s+")
_YEAR_NAME = re.compile(
    r"\b(?:declare|proclaim)s?\s+(?P<year>\d{4})\s+(?:as\s+)?the\s+(?P<label>International Year (?:of|for) [^,;.]+)"
)
_EVENT_NOUN = (r"(?:high-level (?:plenary )?meetings?|meeting|session|conference|Conference|summit|Summit|Congress|"
               r"congress|forum|Forum|dialogue|briefings?|observation)")
_RANGE_FROM = re.compile(rf"from (?P<d1>\d{{1,2}}) to (?P<d2>\d{{1,2}}) (?P<month>{_MONTH}) (?P<year>\d{{4}})")
_RANGE_AND = re.compile(rf"\bon (?P<d1>\d{{1,2}}) and (?P<d2>\d{{1,2}}) (?P<month>{_MONTH}) (?P<year>\d{{4}})")
_RANGE_DASH = re.compile(rf"\b(?P<d1>\d{{1,2}})[–-](?P<d2>\d{{1,2}}) (?P<month>{_MONTH}) (?P<year>\d{{4}})")
_SINGLE = re.compile(rf"\bon (?P<d1>\d{{1,2}}) (?P<month>{_MONTH}) (?P<year>\d{{4}})")
_MONTHS_YEAR = re.compile(rf"\bin (?P<m1>{_MONTH})(?: and (?P<m2>{_MONTH}))? (?P<year>\d{{4}})")
_EVENT_PHRASE = re.compile(
    rf"\b(?:the |its |a )(?P<label>(?:[\w’'\-]+ ){{0,6}}?{_EVENT_NOUN}(?: of [^,;]{{0,120}}?)?)"
    r"(?=,| held| to | during | at | in | on | from |$)"
)


def _iso(year: str, month: str, day: str) -> str:
    return f"{int(year):04d}-{MONTHS[month]:02d}-{int(day):02d}"


def find_events(parsed: ParsedDocument) -> list[Event]:
    """Dated events in the paragraphs, one per (label, date) in order of first mention."""
    events: list[Event] = []
    seen: set[tuple[str, str | None, str | None]] = set()

    def add(event: Event) -> None:
        key = (event.label.lower(), event.date, event.start)
        if key not in seen:
            seen.add(key)
            events.append(event)

    for para in parsed.paragraphs:
        text = para.text
        for m in _DESIGNATE.finditer(text):
            day = _DAY_NAME.match(text, m.end())
            if day:
                day_of_year = f"--{MONTHS[m.group('month')]:02d}-{int(m.group('day')):02d}"
                add(Event(day.group("label"), para.id, date=day_of_year))
        for m in _YEAR_NAME.finditer(text):
            add(Event(m.group("label").strip(), para.id, date=m.group("year")))
        for pattern in (_RANGE_FROM, _RANGE_AND, _RANGE_DASH):
            for m in pattern.finditer(text):
                label = _label_before(text, m.start())
                if label:
                    add(Event(label, para.id, start=_iso(m["year"], m["month"], m["d1"]),
                              end=_iso(m["year"], m["month"], m["d2"])))
        for m in _SINGLE.finditer(text):
            label = _label_before(text, m.start())
            if label and not re.search(r"resolution\s*$", text[: m.start()].rstrip(" of")):
                add(Event(label, para.id, date=_iso(m["year"], m["month"], m["d1"])))
        for m in _MONTHS_YEAR.finditer(text):
            label = _label_before(text, m.start())
            if label:
                for month in filter(None, (m.group("m1"), m.group("m2"))):
                    add(Event(label, para.id, date=f"{m['year']}-{MONTHS[month]:02d}"))
    return events


def _label_before(text: str, position: int) -> str | None:
    """The event noun phrase in the clause before a date ("the high-level meeting of the General Assembly")."""
    window = text[max(0, position - 220) : position]
    window = re.split(r"[;]", window)[-1]
    candidates = list(_EVENT_PHRASE.finditer(window))
    if not candidates:
        return None
    label = candidates[-1].group("label").strip(" ,")
    return re.sub(r"\s+", " ", label)
