"""The document's own metadata, read from its header, closing lines and ODS metadata.

UN documents print their metadata in a fixed cover: the organ, ``Distr.:``
with the distribution date, the session and agenda item, "Resolution
adopted by the X on DATE", the bracketed committee report or recommendation,
the numbered title ("2017/18. Title"), and, for drafts, the sponsors before
": draft resolution".  The meeting line closes the text.  A symbol is taken
only where it is printed (the cover, the ODS metadata) or follows from the
printed number and organ; it is never guessed for a draft.
"""

from __future__ import annotations

import re

from .authority import load_authority
from .citations import speaker_key
from .models import DocumentMetadata, ParsedDocument
from .symbols import DATE, PLAIN_SYMBOL, iso_date, normalize_symbol

_DISTR = re.compile(rf"Distr\.:\s*(?P<kind>General|Limited|Restricted)\b\s*(?P<date>{DATE})?", re.S)
_SESSION = re.compile(
    r"(?<![\w-])(?P<s>(?:[A-Z][a-z]+(?:-[a-z]+)?|\d{4})\s+(?:(?:special|resumed|emergency special|regular|"
    r"organizational)\s+)?session)\b"
)
_AGENDA = re.compile(r"Agenda items?\s+(?P<a>\d+(?:\s*\([a-z]{1,3}\))?(?:\s*(?:,|and)\s*\d+(?:\s*\([a-z]{1,3}\))?)*)")
_ADOPTED = re.compile(rf"(?P<kind>Resolution|Decision)s? adopted by the (?P<body>[A-Z][\w ,’'-]+?) on (?P<date>{DATE})")
_SC_ADOPTED = re.compile(
    r"Adopted by the (?P<body>Security Council)(?: at its (?P<meeting>\d+(?:st|nd|rd|th) meeting),?)?"
    rf" on\s*(?P<date>{DATE})"
)
_RECOMMENDED = re.compile(
    r"\[\s*on the (?:recommendation|report) of the (?P<body>[^\[\]]+?)\s*\((?P<sym>[^()\[\]]+)\)\s*\]"
)
_BRACKET_SYMBOLS = re.compile(r"\[[^\[\]]*\]")
_NUMBERED_TITLE = re.compile(
    r"^(?P<num>(?:\d{1,4}/\d{1,4}|(?:ES|S)-\d{1,2}/\d{1,3})(?:\s?[A-Z](?:-[A-Z])?)?)\.\s+(?P<title>\S.*)$", re.S
)
_SC_NUMBER = re.compile(r"^Resolution (?P<num>\d{1,4} \(\d{4}\))$")
_SPONSORS = re.compile(r"^(?P<list>[A-Z][^:]{2,}?):\s*(?P<type>(?:revised\s+)?draft\s+(?:resolution|decision))\s*$",
                       re.I | re.S)
_MEETING = re.compile(r"(?P<m>\d{1,5}(?:st|nd|rd|th)\s+(?:\(resumed\)\s+)?(?:plenary\s+)?meeting)")
# The cover's symbol line; a resolution in parts prints its letters after it ("A/RES/75/101 A-B").
_UN_SYMBOL_LINE = re.compile(
    r"^(?:United Nations\s*)?(?P<sym>(?:A|E|S)/\S+(?: [A-Z](?:-[A-Z])?(?=\s|$)| \(\d{4}\))?)(?:\s.*)?$"
)

ORGANS = {"General Assembly": "general-assembly", "Economic and Social Council": "ecosoc",
          "Security Council": "security-council", "Human Rights Council": "hrc"}


def _blocks(header: str) -> list[str]:
    return [b.strip() for b in header.split("\n\n") if b.strip()]


def body_key(name: str) -> str | None:
    """The authority key of a body named in the cover ("Third Committee" -> third-committee)."""
    name = re.sub(r"\s+", " ", name).strip(" ,.")
    for entry in load_authority().bodies:
        if name in entry.aliases or name.lower() in (a.lower() for a in entry.aliases):
            return entry.key
    inner = re.search(r"\(([^()]+)\)$", name)  # "Special Political and Decolonization Committee (Fourth Committee)"
    if inner:
        return body_key(inner.group(1)) or body_key(name[: inner.start()])
    return None


def split_sponsors(listing: str) -> list[str]:
    """Sponsor names as printed, using the Member States' names so that 'and' inside a name survives."""
    states = sorted({a for s in load_authority().states for a in s.aliases}, key=len, reverse=True)
    text = re.sub(r"\s+", " ", listing).strip()
    names: list[str] = []
    pos = 0
    while pos < len(text):
        rest = text[pos:]
        sep = re.match(r"^(?:,\s*|\s*\band\b\s*|\s+)", rest)
        if sep and sep.end():
            pos += sep.end()
            continue
        hit = next((s for s in states if rest.startswith(s) and (len(rest) == len(s) or not rest[len(s)].isalnum())),
                   None)
        if hit:
            names.append(hit)
            pos += len(hit)
            continue
        m = re.match(r"^(.+?)(?=,\s|\s+and\s+|$)", rest)
        assert m is not None
        names.append(m.group(1).strip())
        pos += m.end()
    return [n for n in names if n]


def _own_symbol(parsed: ParsedDocument, blocks: list[str]) -> str | None:
    ods = parsed.ods.get("DOC SYMBOL1")
    if ods and normalize_symbol(ods):
        return normalize_symbol(ods)
    for block in blocks[:3]:
        for line in block.split("\n")[:4]:
            m = _UN_SYMBOL_LINE.match(line.strip())
            if m and normalize_symbol(m.group("sym")):
                return normalize_symbol(m.group("sym"))
    for line in parsed.furniture:
        m = re.match(r"^United Nations\s*(?P<sym>(?:A|E|S)/\S+?)(?=\s|General|Economic|Security|$)", line)
        if m and normalize_symbol(m.group("sym")):
            return normalize_symbol(m.group("sym"))
    return None


def _derived_symbol(number: str, body: str | None) -> str | None:
    """An adopted resolution's symbol from its printed number and organ (2017/18. in ECOSOC -> E/RES/2017/18)."""
    number = number.replace(" ", "")
    if re.fullmatch(r"\d{1,4}\(\d{4}\)", number):
        return f"S/RES/{number}"
    if body == "ecosoc" and re.fullmatch(r"\d{4}/\d{1,3}", number):
        return f"E/RES/{number}"
    if body == "hrc":
        return f"A/HRC/RES/{number}"
    if body == "general-assembly":
        return f"A/RES/{number}"
    return None


def extract_metadata(parsed: ParsedDocument) -> DocumentMetadata:
    """Fill the schema's ``document`` fields from what the text prints."""
    meta = DocumentMetadata()
    blocks = _blocks(parsed.header)
    header = parsed.header
    cover = header + "\n" + "\n".join(parsed.furniture)

    distr = _DISTR.search(header) or _DISTR.search(cover)
    if distr:
        meta.distribution = distr.group("kind")
        date = distr.group("date") or _first_date(cover[distr.end():distr.end() + 60])
        meta.distribution_date = iso_date(date) if date else None

    session = _SESSION.search(header)
    meta.session = session.group("s") if session else None
    agenda = _AGENDA.search(header)
    meta.agenda_item = re.sub(r"\s+", " ", agenda.group("a")).strip() if agenda else None

    adopted = _ADOPTED.search(header)
    sc_adopted = _SC_ADOPTED.search(header)
    if adopted:
        meta.doc_type = "resolution" if adopted.group("kind") == "Resolution" else "decision"
        meta.body = body_key(adopted.group("body"))
        meta.adoption_date = iso_date(adopted.group("date"))
    elif sc_adopted:
        meta.doc_type = "resolution"
        meta.body = "security-council"
        meta.adoption_date = iso_date(sc_adopted.group("date"))
        meta.meeting = sc_adopted.group("meeting") or None

    recommended = _RECOMMENDED.search(header)
    if recommended:
        meta.recommended_by = body_key(recommended.group("body"))

    sponsor_index = None
    for i, block in enumerate(blocks):
        m = _SPONSORS.match(block.replace("\n", " "))
        if m:
            sponsor_index = i
            kind = m.group("type").lower()
            meta.doc_type = ("revised_draft_resolution" if kind.startswith("revised") else "draft_resolution") \
                if kind.endswith("resolution") else "decision"
            listing = m.group("list")
            if not re.match(r"^(?:Draft|Revised)\b", listing) and "submitted by" not in listing.lower():
                meta.sponsors = split_sponsors(listing)
            break
    if meta.doc_type == "other" and re.search(r"\bdraft resolution\b", header, re.I):
        meta.doc_type = "revised_draft_resolution" if re.search(r"revised draft resolution", header, re.I) \
            else "draft_resolution"

    for i, block in enumerate(blocks):
        numbered = _NUMBERED_TITLE.match(block)
        sc_number = _SC_NUMBER.match(block.split("\n")[0])
        if numbered and (adopted or sc_adopted or i > 0):
            meta.resolution_number = numbered.group("num")
            meta.title = re.sub(r"\s+", " ", numbered.group("title")).strip()
            break
        if sc_number:
            meta.resolution_number = sc_number.group("num")
            break
    if meta.title is None and sponsor_index is not None:
        for block in blocks[sponsor_index + 1:]:
            flat = re.sub(r"\s+", " ", block)
            if re.search(r"\bthe following draft (?:resolution|decision)\b", flat) or flat.endswith(":"):
                continue
            meta.title = flat
            break

    if meta.body is None:
        meta.body = _submitted_to(blocks, parsed)
    if parsed.chapeau and re.search(r"political declaration", parsed.chapeau, re.I):
        meta.doc_type = "political_declaration"

    closing_meeting = _MEETING.search(parsed.closing)
    if closing_meeting and not meta.meeting:
        meta.meeting = re.sub(r"\s+", " ", closing_meeting.group("m"))
    if not meta.adoption_date and closing_meeting:
        date = _first_date(parsed.closing[closing_meeting.end():])
        meta.adoption_date = iso_date(date) if date else None

    meta.symbol = _own_symbol(parsed, blocks)
    if meta.symbol is None and meta.resolution_number and meta.doc_type in ("resolution", "political_declaration"):
        meta.symbol = _derived_symbol(meta.resolution_number, meta.body)
    meta.related_symbols = _related_symbols(parsed, meta.symbol)
    return meta


def _first_date(text: str) -> str | None:
    m = re.search(DATE, text)
    return m.group(0) if m else None


def _submitted_to(blocks: list[str], parsed: ParsedDocument) -> str | None:
    """A draft's body: the committee or commission named in its cover, else the organ."""
    organ = None
    specific = None
    for block in blocks:
        for line in block.split("\n"):
            line = line.strip()
            if line in ORGANS and organ is None:
                organ = ORGANS[line]
            elif re.fullmatch(r"(?:[A-Z][a-z]+ Committee|Commission on [\w ]+|Human Rights Council|"
                              r"Special Political and Decolonization Committee.*)", line) and specific is None:
                specific = body_key(line)
    return specific or organ or speaker_key(parsed.opener)


def _related_symbols(parsed: ParsedDocument, own: str | None) -> list[str]:
    """Symbols printed in the cover or metadata that are not the document's own."""
    found: list[str] = []
    sources = [parsed.header, *parsed.furniture, *(v for k, v in parsed.ods.items() if k != "DOC SYMBOL1")]
    for text in sources:
        for m in PLAIN_SYMBOL.finditer(text):
            symbol = normalize_symbol(m.group(0))
            # The own symbol with or without its parts' letters ("A/RES/75/101" of "A/RES/75/101A-B") is not related.
            if symbol and symbol != own and symbol not in found and not (own and _same_document(symbol, own)):
                found.append(symbol)
    return found


def _same_document(symbol: str, own: str) -> bool:
    """Whether a printed symbol is the document's own, in a longer or shorter form."""
    return symbol.startswith(own) or own.startswith(symbol) and not own[len(symbol) : len(symbol) + 1].isdigit()
