"""Citations of other UN documents, each normalized to its symbol.

Two kinds of reference are found, in paragraphs and in footnotes:

* resolutions and decisions cited by number ("resolution 64/293 of 30 July
  2010", "its resolutions 61/180 of 20 December 2006, 64/178 ... and 70/179",
  "Security Council resolution 2331 (2016)", "resolution 217 A (III)"): the
  body they belong to is read from the words before the number (a named body,
  or "its" referring to the body that is the subject of the clause, or else
  the organ speaking in the document), then checked against the number's shape;
* symbols printed as such ("A/71/119", "E/2002/68/Add.1", "S/25704 and Add.1").

A citation found in a footnote is attributed to every paragraph that carries
the footnote's marker; "Ibid." repeats the previous footnote's references.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .models import Citation, ParsedDocument
from .symbols import DATE, NUMBER, OWNER_NAMES, PLAIN_SYMBOL, iso_date, normalize_symbol, resolution_symbol

_OWNER_ALTERNATION = "|".join(re.escape(name) for name, _ in OWNER_NAMES)
ANCHOR = re.compile(r"\b(?P<kw>[Rr]esolutions?|[Dd]ecisions?)\s+(?=\(?\d|E?S-\d)")
# The body named just before "resolution": a known one, or a bare "Council"/"Commission"/"Assembly".
_OWNER_BEFORE = re.compile(
    rf"(?:(?P<owner>{_OWNER_ALTERNATION.replace('|Assembly', '')})|(?P<bare>Council|Commission|Assembly))"
    r"(?:['’]s)?\s+$"
)
_CAPITALIZED_BEFORE = re.compile(r"(?:^|\s)(?P<word>[A-Z][\w-]*)\s+$")
_ITS_BEFORE = re.compile(r"\bits\s+$")
_SUBJECT_OF_ITS = re.compile(
    rf"(?P<owner>{_OWNER_ALTERNATION})\W{{0,3}}(?:\s+[\w-]+){{0,5}}?\s*,?\s+(?:in|by|through|under|at|with)\s+its\s+$"
)
# A body we hold no symbol family for ("Commission on Population and Development resolution 2008/1"):
# its number is not guessed into another body's symbol.
UNKNOWN = "unknown"
_UNKNOWN_OWNER = re.compile(r"(?P<word>[A-Z][\w’'-]*|\))\s+$")
_NOT_OWNERS = {"See", "Also", "In", "By", "Under", "Its", "The", "And", "Recalling", "Reaffirming", "Welcoming",
               "Noting", "Recalls", "Reaffirms", "Welcomes", "Notes", "Cf", "Further", "Resolutions", "Resolution"}
_RESOLUTIONS_OF = re.compile(
    rf"(?:resolutions|decisions)\s+(?:[\w-]+\s+){{0,3}}?of\s+the\s+(?P<owner>{_OWNER_ALTERNATION})\b"
)
_OTHER_SUBJECT_OF_ITS = re.compile(
    r"\b(?:the|The)\s+(?:[A-Z][\w’'-]+\s+|of\s+|on\s+|and\s+|for\s+|the\s+)*?"
    r"(?:Assembly|Conference|Commission|Council|Board|Committee|Organization|Forum|Congress|Meeting|Parties|"
    r"Programme|Fund|Agency|Union|Court|Tribunal)\W{0,3}(?:\s+[\w-]+){0,5}?\s*,?\s+(?:in|by|through|under|at)\s+its\s+$"
)
_DATE_AFTER = re.compile(rf",?\s+of\s+(?P<date>{DATE})")
# A part of the cited resolution between its number and its date: "45/248 B, section VI, of 21 December 1990".
_ITEM_PART = re.compile(r",?\s+(?:sect(?:ion)?\.?|part|chap(?:ter)?\.?)\s+[IVX\d]+[A-Z]?(?=,?\s+of\s|,|\s+and\s)")
_ANNEX_AFTER = re.compile(r",?\s+annex(?:es)?(?:\s+[IVX]+)?\b")
_LIST_SEPARATOR = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")
_ADDENDA_AFTER = re.compile(r"\s+and\s+(?P<kind>Add|Corr|Rev)\.(?P<n>\d{1,3})\b")
_NEXT_DATED_ITEM = re.compile(
    rf"(?:\s+on\s|,?\s+entitled\s)[^;]{{0,300}}?(?:,\s*(?:and\s+)?|\s+and\s+)(?={NUMBER.pattern[:0]}(?:\d|E?S-))"
    rf"(?=(?:[^;]{{0,20}}?)\s+of\s+{DATE})"
)
_OFFICIAL_RECORDS = re.compile(r"Official Records of [^()]{5,200}?\($")
_SC_YEAR = re.compile(r"\b(\d{1,4})\s?\((19[4-9]\d|20\d\d)\)")
_BARE_SC = re.compile(r"(?P<sc>\d{3,4})(?![\d/(]|\s?\()")

SPEAKERS = {
    "General Assembly": "general-assembly",
    "Economic and Social Council": "ecosoc",
    "Human Rights Council": "hrc",
    "Security Council": "security-council",
    "Commission on Crime Prevention and Criminal Justice": "ccpcj",
    "Commission on Narcotic Drugs": "cnd",
    "Commission on the Status of Women": "csw",
    "Commission on Human Rights": "chr",
}


@dataclass(frozen=True)
class _Found:
    target: str
    surface: str
    start: int
    end: int
    date: str | None


def speaker_key(opener: str | None) -> str:
    """The body speaking in the document ("The General Assembly," -> general-assembly)."""
    if opener:
        for name, key in SPEAKERS.items():
            if opener.endswith(name) or opener == name:
                return key
        if opener.startswith("Conference of the Parties to the United Nations Convention against Trans"):
            return "untoc-cop"
    return "general-assembly"


def _owner(text: str, start: int, speaker: str) -> tuple[str, int, bool]:
    """The body a cited number belongs to, where the surface starts, and whether it was named."""
    before = text[max(0, start - 200) : start]
    m = _OWNER_BEFORE.search(before)
    if m:
        name = m.group("owner") or m.group("bare")
        surface_start = start - len(before) + m.start()
        tail_of = _CAPITALIZED_BEFORE.search(before[: m.start()]) if m.group("bare") else None
        if tail_of and tail_of.group("word") not in _NOT_OWNERS:
            # "United Nations Environment Assembly resolution 2/21": another body's name ends here.
            return UNKNOWN, surface_start, True
        if name == "Council":
            key = speaker if speaker in ("ecosoc", "hrc", "security-council") else UNKNOWN
        elif name == "Assembly":
            key = "general-assembly"
        elif name == "Commission":
            key = speaker if speaker in ("ccpcj", "cnd", "csw", "chr") else UNKNOWN
        else:
            key = dict(OWNER_NAMES)[name]
        return key, surface_start, True
    clause = re.split(r"[;]|\.\s", before)[-1]
    if _ITS_BEFORE.search(before):
        subject = _SUBJECT_OF_ITS.search(clause)
        if subject:
            return dict(OWNER_NAMES)[subject.group("owner")], start, True
        if _OTHER_SUBJECT_OF_ITS.search(clause):
            return UNKNOWN, start, True
        return speaker, start, False
    unknown = _UNKNOWN_OWNER.search(before)
    if unknown and unknown.group("word") not in _NOT_OWNERS:
        return UNKNOWN, start, True
    of_owner = list(_RESOLUTIONS_OF.finditer(clause))
    if of_owner:
        return dict(OWNER_NAMES)[of_owner[-1].group("owner")], start, True
    return speaker, start, False


def _session_years(symbol: str) -> range | None:
    """The years in which a General Assembly or Human Rights Council session can adopt a text."""
    m = re.fullmatch(r"A/(?:RES|DEC)/(\d{1,3})/\d+[A-Z]?", symbol)
    if m:  # the Nth regular session opens in September 1945+N and closes the next September
        return range(1945 + int(m.group(1)), 1947 + int(m.group(1)))
    m = re.fullmatch(r"A/HRC/(?:RES|DEC)/(\d{1,3})/\d+", symbol)
    if m:  # three regular sessions a year since 2006
        first = 2006 + (int(m.group(1)) - 1) // 3
        return range(first - 1, first + 2)
    return None


def _possible(symbol: str) -> bool:
    """The General Assembly numbered its resolutions "N/M" only from its thirty-first session (1976) on."""
    m = re.fullmatch(r"A/(?:RES|DEC)/(\d{1,3})/\d+[A-Z]?(?:-[A-Z])?", symbol)
    return not m or int(m.group(1)) >= 31


def _plausible(symbol: str, m: re.Match[str], date: str, decision: bool) -> str | None:
    """Check a session-numbered symbol against the printed adoption year; try the other body if it fits."""
    years = _session_years(symbol)
    year = int(date[:4])
    if years is None or year in years:
        return symbol
    for owner in ("general-assembly", "hrc"):
        other = resolution_symbol(m, owner, decision=decision)
        other_years = _session_years(other) if other else None
        if other and other_years is not None and year in other_years:
            return other
    return None


def _numbered(text: str, speaker: str, sc_years: dict[str, str]) -> Iterator[_Found]:
    last_named: tuple[str, int] | None = None
    for anchor in ANCHOR.finditer(text):
        decision = anchor.group("kw").lower().startswith("decision")
        owner, surface_start, named = _owner(text, anchor.start(), speaker)
        if named:
            last_named = (owner, anchor.start())
        elif last_named and not _ITS_BEFORE.search(text[: anchor.start()]) and \
                not re.search(r"[;]|\.\s", text[last_named[1] : anchor.start()]):
            # "Human Rights Council resolutions 28/16 ... and resolutions 32/13": the same body, same clause.
            owner = last_named[0]
        pos = anchor.end()
        first = True
        while True:
            m = NUMBER.match(text, pos)
            symbol = None
            if owner == UNKNOWN:
                break
            if m:
                symbol = resolution_symbol(m, owner, decision=decision)
                end = m.end()
            elif owner == "security-council" or (speaker == "security-council" and not named):
                bare = _BARE_SC.match(text, pos)
                if not bare or bare.group("sc") not in sc_years:
                    break
                symbol = f"S/RES/{int(bare.group('sc'))}({sc_years[bare.group('sc')]})"
                end = bare.end()
            else:
                break
            date = None
            part = _ITEM_PART.match(text, end)
            if part:
                end = part.end()
            after_date = _DATE_AFTER.match(text, end)
            if after_date:
                date = iso_date(after_date.group("date"))
                end = after_date.end()
            if symbol and date and m is not None:
                symbol = _plausible(symbol, m, date, decision)
            if symbol and not _possible(symbol):
                symbol = None
            annex = _ANNEX_AFTER.match(text, end)
            if annex:
                end = annex.end()
            begin = surface_start if first else pos
            if symbol:
                yield _Found(symbol, text[begin:end], begin, end, date)
            first = False
            sep = _LIST_SEPARATOR.match(text, end)
            if date and not (sep and NUMBER.match(text, sep.end())):
                # Items may carry a subject: "62/214 of 21 December 2007 on ..., 70/286 of 17 June 2016 on ..."
                sep = _NEXT_DATED_ITEM.match(text, end) or sep
            if not sep or not (NUMBER.match(text, sep.end()) or _BARE_SC.match(text, sep.end())):
                break
            if not NUMBER.match(text, sep.end()) and owner != "security-council":
                break
            pos = sep.end()


def _printed(text: str, excluded: set[str]) -> Iterator[_Found]:
    for m in PLAIN_SYMBOL.finditer(text):
        symbol = normalize_symbol(m.group(0))
        if not symbol or symbol in excluded:
            continue
        begin = m.start()
        official = _OFFICIAL_RECORDS.search(text[max(0, begin - 220) : begin])
        if official:
            begin = begin - (min(begin, 220) - official.start())
        end = m.end()
        closing = text[end : end + 1]
        if official and closing == ")":
            end += 1
        yield _Found(symbol, text[begin:end], begin, end, None)
        pos = m.end()
        while (extra := _ADDENDA_AFTER.match(text, pos)) is not None:  # match, not search: linear in the text
            pos = extra.end()
            yield _Found(f"{symbol}/{extra.group('kind')}.{extra.group('n')}", extra.group(0).strip(),
                         extra.start() + len(extra.group(0)) - len(extra.group(0).lstrip()), extra.end(), None)


def find_in_text(text: str, speaker: str, excluded: set[str], sc_years: dict[str, str]) -> list[_Found]:
    """Every citation in one piece of text, in order of position."""
    found = list(_numbered(text, speaker, sc_years)) + list(_printed(text, excluded))
    return sorted(found, key=lambda f: (f.start, f.end))


def _clip(surface: str) -> str:
    surface = re.sub(r"^(?:See also|See|Cf\.)\s+", "", surface)
    return surface.rstrip(" .")


def find_citations(parsed: ParsedDocument, excluded: set[str]) -> list[Citation]:
    """All citations of a parsed document: paragraphs first, then footnote references."""
    speaker = speaker_key(parsed.opener)
    whole = parsed.text
    sc_years = {m.group(1): m.group(2) for m in _SC_YEAR.finditer(whole)}
    citations: list[Citation] = []
    for para in parsed.paragraphs:
        for f in find_in_text(para.text, speaker, excluded, sc_years):
            citations.append(Citation(f.target, f.surface, para.id, f.date, para.verb,
                                      para.start + f.start, para.start + f.end))
    carriers: dict[int, list[str]] = {}
    verbs = {p.id: p.verb for p in parsed.paragraphs}
    for para in parsed.paragraphs:
        for marker in para.markers:
            carriers.setdefault(marker.number, [])
            if para.id not in carriers[marker.number]:
                carriers[marker.number].append(para.id)
    previous: list[_Found] = []
    for number in sorted(parsed.footnotes):
        note = parsed.footnotes[number]
        found = find_in_text(note.text, speaker, excluded, sc_years)
        if not found and re.match(r"^Ibid\b", note.text, re.I) and "vol." not in note.text:
            found = [_Found(f.target, note.text[: note.text.find(".") + 1 or len(note.text)], 0,
                            min(len(note.text), note.text.find(".") + 1 or len(note.text)), None)
                     for f in previous]
        if found:
            previous = found
        elif "vol." in note.text or "Treaty Series" in note.text:
            previous = []
        for paragraph in carriers.get(number) or [f"footnote {number}"]:
            for f in found:
                surface = _clip(f.surface)
                offset = f.surface.find(surface) if surface else 0
                start = note.start + f.start + max(offset, 0)
                citations.append(Citation(f.target, surface, paragraph, None, verbs.get(paragraph),
                                          start, start + len(surface), footnote=number))
    return citations
