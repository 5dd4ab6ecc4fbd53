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
from dataclasses import dataclass, field

from .models import Citation, ParsedDocument
from .symbols import (
    DATE,
    NUMBER,
    OWNER_NAMES,
    PLAIN_SYMBOL,
    iso_date,
    normalize_symbol,
    number_shape,
    resolution_symbol,
)

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
# A council not named: its number's shape tells which, since each numbers its own way (the Human Rights
# Council "51/30" by session, the Economic and Social Council "2018/12" by year, the Security Council
# "2467 (2019)" by year in brackets).
ANY_COUNCIL = "council"
_COUNCIL_BY_SHAPE = {"session": "hrc", "special": "hrc", "year": "ecosoc", "old": "ecosoc", "sc": "security-council"}
_UNKNOWN_OWNER = re.compile(r"(?P<word>[A-Z][\w’'-]*|\))\s+$")
_NOT_OWNERS = {"See", "Also", "In", "By", "Under", "Its", "The", "And", "Recalling", "Reaffirming", "Welcoming",
               "Noting", "Recalls", "Reaffirms", "Welcomes", "Notes", "Cf", "Further", "Resolutions", "Resolution"}
_RESOLUTIONS_OF = re.compile(
    rf"(?:resolutions|decisions)\s+(?:[\w-]+\s+){{0,3}}?of\s+the\s+(?P<owner>{_OWNER_ALTERNATION})\b"
)
# "the Special Committee contained in its resolution": a participle before "in its" makes "its" the speaker's.
_OTHER_SUBJECT_OF_ITS = re.compile(
    r"\b(?:the|The)\s+(?P<subject>(?:[A-Z][\w’'-]+\s+|of\s+|on\s+|and\s+|for\s+|the\s+)*?"
    r"(?:Assembly|Conference|Commission|Council|Board|Committee|Organization|Forum|Congress|Meeting|Parties|"
    r"Programme|Fund|Agency|Union|Court|Tribunal))\W{0,3}(?:\s+[\w-]+){0,5}?(?<![a-z]ed)\s*,?\s+"
    r"(?:in|by|through|under|at)\s+its\s+$"
)
# "the adoption, by the General Assembly of the World Tourism Organization at its twenty-third session, ...,
# by its resolution 722 (XXIII)": "its" is another organization's organ.
_FOREIGN_ORGAN = re.compile(
    r"\b(?:General Assembly|Assembly|Conference|Council)\s+of\s+the\s+(?!United Nations\b)[A-Z]"
)
# A council or commission named in full earlier in the paragraph, which a bare "Council"/"Commission" repeats.
_NAMED_COUNCIL = re.compile(r"\b(Human Rights Council|Security Council|Economic and Social Council)\b")
_NAMED_COMMISSION = re.compile(r"\b(Commission on (?:Crime Prevention and Criminal Justice|the Status of Women|"
                               r"Narcotic Drugs|Human Rights))\b")
# A body's annual report in the Official Records carries its resolutions: "Supplement No. 53 (A/73/53),
# chap. IV, sect. A, resolution 37/17" is the Human Rights Council's 37/17.  The report's symbol names the
# body (the supplement numbers are fixed): A/NN/53 the Human Rights Council, E/YYYY/23 the Commission on
# Human Rights, E/YYYY/27 the Commission on the Status of Women, E/YYYY/28 the Commission on Narcotic Drugs,
# E/YYYY/30 the Commission on Crime Prevention and Criminal Justice.
_REPORT_BEFORE = re.compile(
    r"\((?P<sym>[AE]/[\w.]+/\d+)(?:/(?:Add|Corr)\.\d+)*(?:(?:,|\s+and)\s+[^()]*)?\)"
    r"(?:,\s*(?:chap|sect|annex|para|part|vol)[^,;()]*)*,\s*$"
)
REPORT_BODIES = (
    (re.compile(r"A/\d{2}/53A?"), "hrc"),
    (re.compile(r"E/(?:19|20)\d\d/23"), "chr"),
    (re.compile(r"E/(?:19|20)\d\d/27"), "csw"),
    (re.compile(r"E/(?:19|20)\d\d/28"), "cnd"),
    (re.compile(r"E/(?:19|20)\d\d/30"), "ccpcj"),
)
# A date printed with a number, usually after "of"; printers sometimes drop the "of" or add more
# ("72/266 B 5 July 2018", "77/203 of 15 of December of 2022").
LOOSE_DATE = (r"\d{1,2}\s+(?:of\s+)?(?:January|February|March|April|May|June|July|August|September|October|"
              r"November|December)\s+(?:of\s+)?\d{4}")
_DATE_AFTER = re.compile(rf",?\s+(?:of\s+)?(?P<date>{LOOSE_DATE})")
# A part of the cited resolution between its number and its date or the next item: "45/248 B, section VI,
# of 21 December 1990", "52/214, sect. C, para. 3; 55/222, ...", "69/117, para. 8, 70/116, ...",
# "2253 (2015), in particular paragraph 15, 2322 (2016)".
_ITEM_PART = re.compile(
    r",?\s+(?:in particular\s+)?(?:(?:sect(?:ion)?s?\.?|part|chap(?:ter)?\.?)\s+(?:[IVX\d]+[A-Z]?|[A-Z])(?:\.[A-Z\d]+)?"
    r"|(?:paras?\.|paragraphs?)\s+\d+(?:\s?\([a-z]\))?(?:\s?(?:[–-]|and|to)\s?\d+(?:\s?\([a-z]\))?)?)"
    r"(?=,|;|\.|\s+of\s|\s+and\s|$)"
)
_ANNEX_AFTER = re.compile(r",?\s+annex(?:es)?(?:\s+[IVX]+)?\b")
_LIST_SEPARATOR = re.compile(r"\s*[,;]\s*(?:and\s+)?|\s+and\s+")
_ADDENDA_AFTER = re.compile(r"\s+and\s+(?P<kind>Add|Corr|Rev)\.(?P<n>\d{1,3})\b")
# Security Council numbers follow each other even without a comma ("2360 (2017) 2424 (2018)").
_SC_SEPARATOR = re.compile(r"\s*[,;]?\s*(?:and\s+|as well as\s+|supplemented by\s+)?")
# A dated item may carry its subject before the next one: "62/214 of 21 December 2007 on ..., 70/286 of ...",
# "66/288 of 27 July 2012, entitled “The future we want”, and 68/223 of ...", "64/292 ..., in which ..., and".
_NEXT_DATED_ITEM = re.compile(
    r"(?:\s+(?:on|concerning|regarding|relating to)\s|,?\s+(?:entitled|in which|by which|whereby)\s)"
    # The subject names no other resolution, except inside a quoted title.
    r"(?:“[^”;]{0,300}”|(?![Rr]esolution|[Dd]ecision|\d/)[^;“]){0,300}?(?:,\s*(?:and\s+)?|\s+and\s+)"
    r"(?=\d{1,4}/\d|E?S-\d)"
    rf"(?=(?:[^;]{{0,20}}?)\s+of\s+{DATE})"
)
# "resolution 668 (XXI) adopted by the General Assembly of the World Tourism Organization": another
# organization's organ, whose numbers are not the UN's.
_ADOPTED_BY_OTHER = re.compile(
    r",?\s+adopted\s+(?:on\s+[^,;]{0,30}\s+)?by\s+the\s+(?:[A-Z][\w-]*\s+){1,4}of\s+the\s+(?!United Nations\b)[A-Z]"
)
# "its previous resolutions concerning Sudan, in particular 1591 (2005), 1651 (2005)": Security Council
# numbers introduced after a subject.
SC_LIST_ANCHOR = re.compile(
    r"\b(?P<kw>[Rr]esolutions)\s+(?:[^,;.()]{0,80},\s+)?(?:in particular|including|notably|namely|especially)\s+"
    r"(?=\d{1,4}\s?\((?:19[4-9]\d|20\d\d)\))"
)
_OFFICIAL_RECORDS = re.compile(r"Official Records of [^()]{5,200}?\($")
# The body named after the cited numbers: "resolution 8/12 of 20 December 2019 of the Conference of the
# States Parties to the United Nations Convention against Corruption".
_OWNER_AFTER = re.compile(rf"\s+(?:adopted\s+by|of)\s+the\s+(?P<owner>{_OWNER_ALTERNATION.replace('|Assembly', '')})\b")
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


def _bare_body(name: str, before: str, speaker: str) -> str:
    """The body a bare "Council", "Commission" or "Assembly" stands for.

    In a council's (or commission's) own text it is that body; elsewhere it repeats the council or
    commission last named in full before it ("the Human Rights Council ..., as set out in Council
    resolution 44/5" in a General Assembly text); otherwise it is not known.
    """
    if name == "Assembly":
        return "general-assembly"
    if name == "Council":
        if speaker in ("ecosoc", "hrc", "security-council"):
            return speaker
        named = list(_NAMED_COUNCIL.finditer(before))
    else:
        if speaker in ("ccpcj", "cnd", "csw", "chr"):
            return speaker
        named = list(_NAMED_COMMISSION.finditer(before))
    if named:
        return dict(OWNER_NAMES)[named[-1].group(1)]
    return ANY_COUNCIL if name == "Council" else UNKNOWN


def _report_body(before: str) -> str | None:
    """The body whose annual report (cited just before) carries the resolution: see ``REPORT_BODIES``."""
    report = _REPORT_BEFORE.search(before)
    if not report:
        return None
    return next((key for pattern, key in REPORT_BODIES if pattern.fullmatch(report.group("sym"))), None)


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
        if m.group("bare"):
            key = _bare_body(name, text[max(0, surface_start - 3000) : surface_start], speaker)
        else:
            key = dict(OWNER_NAMES)[name]
        return key, surface_start, True
    clause = re.split(r"[;]|\.\s", before)[-1]
    if _ITS_BEFORE.search(before):
        subject = _SUBJECT_OF_ITS.search(clause)
        if subject:
            return dict(OWNER_NAMES)[subject.group("owner")], start, True
        other = _OTHER_SUBJECT_OF_ITS.search(clause)
        if other:
            if other.group("subject") in ("Council", "Commission", "Assembly"):
                # "endorsed by the Council in its resolution 2018/12": the council the text speaks of.
                at = start - len(clause) + other.start()
                return _bare_body(other.group("subject"), text[max(0, at - 3000) : at], speaker), start, True
            return UNKNOWN, start, True
        if _FOREIGN_ORGAN.search(clause):
            return UNKNOWN, start, True
        return speaker, start, False
    reported = _report_body(before)
    if reported:
        return reported, start, True
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
    m = re.fullmatch(r"E/CN\.(15|7|6)/(?:RES|DEC)/(\d{1,3})/\d+", symbol)
    if m:  # one regular session a year: the CCPCJ's first in 1992, the CND's 61st in 2018, the CSW's 60th in 2016
        year = {"15": 1991, "7": 1957, "6": 1956}[m.group(1)] + int(m.group(2))
        return range(year - 1, year + 2)
    return None


def _possible(symbol: str) -> bool:
    """The General Assembly numbered its resolutions "N/M" only from its thirty-first session (1976) on."""
    m = re.fullmatch(r"A/(?:RES|DEC)/(\d{1,3})/\d+[A-Z]?(?:-[A-Z])?", symbol)
    return not m or int(m.group(1)) >= 31


def _plausible(symbol: str, m: re.Match[str], date: str, decision: bool, latest_year: int | None) -> str | None:
    """Check a number against the printed adoption year; try the other body if it fits.

    A session-numbered symbol must fit its session's years.  The first thirty sessions of the General
    Assembly (to 1975) and the Economic and Social Council (to 1978) numbered "N (roman session)", so
    such a number dated later is another organization's ("ESCAP resolution 302 (XXVII) of 10 May 2012").
    A year after the citing document's own is a misprint ("72/256 of 24 December 2107") and proves nothing.
    """
    year = int(date[:4])
    if latest_year is not None and year > latest_year:
        return symbol
    if number_shape(m) == "old":
        return symbol if year <= 1978 else None
    years = _session_years(symbol)
    if years is None or year in years:
        return symbol
    for owner in ("general-assembly", "hrc"):
        other = resolution_symbol(m, owner, decision=decision)
        other_years = _session_years(other) if other else None
        if other and other_years is not None and year in other_years:
            return other
    return None


@dataclass(frozen=True)
class CitingDocument:
    """What the number rules need to know of the whole citing document.

    ``speaker`` is the body speaking; ``sc_years`` the year printed with each Security Council number
    ("1718" -> "2006"), for a number cited again without it; ``dates`` the date printed with each
    session number ("73/1" -> "2017-05-19"), which an undated mention of the same number must also
    fit; ``latest_year`` the year of the document itself.
    """

    speaker: str
    sc_years: dict[str, str] = field(default_factory=dict)
    dates: dict[str, str] = field(default_factory=dict)
    latest_year: int | None = None


def _anchors(text: str) -> list[tuple[re.Match[str], bool]]:
    """Where numbers are introduced: "resolution(s)/decision(s) N", or a Security Council list after a subject."""
    found = [(m, False) for m in ANCHOR.finditer(text)] + [(m, True) for m in SC_LIST_ANCHOR.finditer(text)]
    return sorted(found, key=lambda item: item[0].start())


def _item_end(text: str, end: int) -> int:
    """The end of an item's parts: "52/214, sect. C, para. 3", "58/101 B, sect. V, paras. 61–76"."""
    while (part := _ITEM_PART.match(text, end)) is not None:
        end = part.end()
    return end


def _numbered(text: str, doc: CitingDocument) -> Iterator[_Found]:
    speaker, sc_years = doc.speaker, doc.sc_years
    last_named: tuple[str, int] | None = None
    foreign_until = -1  # the end of a clause that cites another organization's resolutions
    for anchor, sc_list in _anchors(text):
        decision = anchor.group("kw").lower().startswith("decision")
        if sc_list:
            owner, surface_start, named = "security-council", anchor.end(), True
        else:
            owner, surface_start, named = _owner(text, anchor.start(), speaker)
        if named:
            last_named = (owner, anchor.start())
        elif anchor.start() < foreign_until:
            # "resolution 668 (XXI) adopted by the General Assembly of the World Tourism Organization ...,
            # resolution 707 (XXII) adopted at its twenty-second session": the same organization's.
            continue
        elif last_named and not _ITS_BEFORE.search(text[: anchor.start()]) and \
                not re.search(r"[;]|\.\s", text[last_named[1] : anchor.start()]):
            # "Human Rights Council resolutions 28/16 ... and resolutions 32/13": the same body, same clause.
            owner = last_named[0]
        pos = anchor.end()
        first = True
        items: list[_Found] = []
        numbers: list[tuple[re.Match[str] | None, str | None, int, int]] = []
        end = pos
        while True:
            m = NUMBER.match(text, pos)
            symbol = None
            if owner == UNKNOWN and not (m and number_shape(m) == "sc"):
                # A body with no symbol family; but "N (YYYY)" is the Security Council's whoever names it
                # ("Youth, Peace and Security resolutions 2250 (2015)").
                break
            if m:
                body = _COUNCIL_BY_SHAPE[number_shape(m)] if owner == ANY_COUNCIL else owner
                symbol = resolution_symbol(m, body, decision=decision)
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
            end = _item_end(text, end)
            after_date = _DATE_AFTER.match(text, end)
            if after_date:
                date = iso_date(re.sub(r"\s+of\s+", " ", after_date.group("date")))
                end = _item_end(text, after_date.end())
            if symbol and m is not None:
                known = date or (None if named or number_shape(m) != "session" else doc.dates.get(_number_key(m)))
                if known:
                    symbol = _plausible(symbol, m, known, decision, doc.latest_year)
            if symbol and not _possible(symbol):
                symbol = None
            annex = _ANNEX_AFTER.match(text, end)
            if annex:
                end = annex.end()
            begin = surface_start if first else pos
            if symbol or m is not None:
                numbers.append((m, date, begin, end))
            if symbol:
                items.append(_Found(symbol, text[begin:end], begin, end, date))
            first = False
            sep = _LIST_SEPARATOR.match(text, end)
            if date and not (sep and NUMBER.match(text, sep.end())):
                # Items may carry a subject: "62/214 of 21 December 2007 on ..., 70/286 of 17 June 2016 on ..."
                sep = _NEXT_DATED_ITEM.match(text, end) or sep
            if m is not None and number_shape(m) == "sc":
                sc_sep = _SC_SEPARATOR.match(text, end)
                following = NUMBER.match(text, sc_sep.end()) if sc_sep else None
                if sc_sep and following and number_shape(following) == "sc":
                    sep = sc_sep
            if not sep or not (NUMBER.match(text, sep.end()) or _BARE_SC.match(text, sep.end())):
                break
            if not NUMBER.match(text, sep.end()) and owner != "security-council":
                break
            pos = sep.end()
        after = _OWNER_AFTER.match(text, end)
        if after and not named and numbers:
            items = _reread(text, numbers, dict(OWNER_NAMES)[after.group("owner")], decision, doc)
        if items and _ADOPTED_BY_OTHER.match(text, end):
            clause_end = re.search(r";|\.\s", text[end:])
            foreign_until = end + clause_end.start() if clause_end else len(text)
            continue  # the numbers belong to another organization's organ
        yield from items


def _reread(text: str, numbers: list[tuple[re.Match[str] | None, str | None, int, int]], owner: str,
            decision: bool, doc: CitingDocument) -> list[_Found]:
    """The items of a list read again as numbers of the body named after them."""
    items = []
    for m, date, begin, end in numbers:
        symbol = resolution_symbol(m, owner, decision=decision) if m is not None else None
        if symbol and date and m is not None:
            symbol = _plausible(symbol, m, date, decision, doc.latest_year)
        if symbol and _possible(symbol):
            items.append(_Found(symbol, text[begin:end], begin, end, date))
    return items


def _number_key(m: re.Match[str]) -> str:
    """A session number without spaces or letters, as a key for the date printed with it: "73/1"."""
    return f"{int(m.group('session'))}/{int(m.group('sn'))}"


def dated_numbers(text: str) -> dict[str, str]:
    """The date printed with each session number in a text ("73/1 of 19 May 2017" -> {"73/1": "2017-05-19"})."""
    dates: dict[str, str] = {}
    for m in re.finditer(rf"(?<![\d/])(\d{{1,3}})/(\d{{1,3}})(?:\s?[A-Z])?\s+of\s+({DATE})", text):
        date = iso_date(m.group(3))
        if date:
            dates.setdefault(f"{int(m.group(1))}/{int(m.group(2))}", date)
    return dates


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


def find_in_text(text: str, speaker: str, excluded: set[str], sc_years: dict[str, str], *,
                 document: CitingDocument | None = None) -> list[_Found]:
    """Every citation in one piece of text, in order of position.

    ``document`` tells what the rest of the citing document prints (see ``CitingDocument``); without it
    the text is read on its own.
    """
    doc = document or CitingDocument(speaker, sc_years)
    found = list(_numbered(text, doc)) + list(_printed(text, excluded))
    return sorted(found, key=lambda f: (f.start, f.end))


def citing_document(parsed: ParsedDocument) -> CitingDocument:
    """What the number rules need to know of a parsed document as a whole."""
    whole = parsed.text
    header_years = [int(d[-4:]) for d in re.findall(DATE, parsed.header)]
    return CitingDocument(
        speaker=speaker_key(parsed.opener),
        sc_years={m.group(1): m.group(2) for m in _SC_YEAR.finditer(whole)},
        dates=dated_numbers(whole),
        latest_year=max(header_years) if header_years else None,
    )


def _clip(surface: str) -> str:
    surface = re.sub(r"^(?:See also|See|Cf\.)\s+", "", surface)
    return surface.rstrip(" .")


def find_citations(parsed: ParsedDocument, excluded: set[str]) -> list[Citation]:
    """All citations of a parsed document: paragraphs first, then footnote references."""
    doc = citing_document(parsed)
    speaker, sc_years = doc.speaker, doc.sc_years
    citations: list[Citation] = []
    for para in parsed.paragraphs:
        for f in find_in_text(para.text, speaker, excluded, sc_years, document=doc):
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
        found = find_in_text(note.text, speaker, excluded, sc_years, document=doc)
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
