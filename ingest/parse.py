"""``NormalizedText`` -> ``ParsedDocument``: header, paragraphs, footnotes.

UN resolutions follow fixed drafting conventions, and the parser reads them
rather than any particular layout:

* the body opens with the speaking organ on a line of its own ("The General
  Assembly,"); everything before it is the header;
* preambular paragraphs follow, each opening with a clause word
  ("Recalling", "Deeply concerned") and ending with a comma;
* operative paragraphs are numbered ("1. Urges ...") and end with a
  semicolon, the last with a full stop; sub-items (a), (b) belong to the
  paragraph that introduces them;
* the body closes with the meeting line ("40th plenary meeting");
* a paragraph broken by a page break or by a footnote block continues in the
  next block: a block that starts in lower case, or that follows a paragraph
  not yet ended by ``, ; : .``, is a continuation, not a new paragraph;
* when a resolution adopts a text it carries ("Adopts the following political
  declaration:"), the carried text's paragraphs are the ones counted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from .authority import ADVERBS, load_authority
from .models import Footnote, FootnoteMarker, NormalizedText, Paragraph, ParagraphKind, ParsedDocument
from .normalize import MARK_CLOSE, MARK_OPEN

_CAP_WORD = r"(?:[A-Z][\w’'\-]*|and|of|on|the|for|in|against|to|with)"
OPENER = re.compile(rf"^The\s+({_CAP_WORD}(?:\s+{_CAP_WORD})*?)\s*,?$")
MEETING = re.compile(r"^\d{1,5}(?:st|nd|rd|th)\s+(?:\(resumed\)\s+)?(?:plenary\s+)?meeting\b", re.I)
ANNEX = re.compile(r"^(Annex(es)?( [IVX]+)?|Appendix)\s*$")
OPERATIVE_START = re.compile(r"^(\d{1,3})\.\s+(?=\S)")
ITEM_START = re.compile(r"^(?:\d{1,3}\.|\([a-z]{1,2}\))\s")
SUB_ITEM = re.compile(r"^\(([a-z]{1,2}|[ivx]{1,5})\)\s+")
# The chapeau of a carried text: a declaration, a draft resolution or decision the body adopts or recommends
# ("Approves the following provisional agenda:" carries no paragraphs of its own and is not one).
CHAPEAU = re.compile(
    r"^(?:\d{1,3}\.\s+)?(?:Adopts|Approves|Endorses|Recommends|Decides to adopt)\b[^.;]*\bthe following\s+"
    r"(?:political\s+|ministerial\s+)?(?:declaration|draft resolutions?|draft decisions?|resolutions?)\b[^.;]*:$"
)
RULE = re.compile(r"^_{5,}$")
MD_FOOTNOTE = re.compile(rf"^{MARK_OPEN}(\d{{1,3}}){MARK_CLOSE}\s*(.*)$")
TAB_FOOTNOTE = re.compile(r"^\s*(\d{1,3}) ?\t\s*(\S.*)$")
PLAIN_FOOTNOTE = re.compile(r"^(\d{1,3})(?:\t| {2,}|\s(?=[A-Z]))\s*(\S.*)$")
MARKER = re.compile(rf"\s?{MARK_OPEN}(\d{{1,3}}){MARK_CLOSE}")
# A footnote number glued to the word it annotates ("Persons1", "Development,2").
GLUED = re.compile(r"(?<=[A-Za-z)\]”\"’.,;:])(\d{1,3})(?=[\s,.;:)”\"’]|$)")
# A marker glued to the year that ends a date ("22 March 20187" is 2018 and footnote 7).
# Also to a year after a month, "of" or "in", or ending a range ("of 19721", "September 20167",
# "2015–20303" are 1972, 2016 and 2030 with footnotes 1, 7 and 3).
YEAR_GLUED = re.compile(
    r"(\b(?:(?:January|February|March|April|May|June|July|August|September|October|November|December|of|in) "
    r"|(?:19|20)\d\d[–-])(?:19|20)\d\d)(\d{1,3})(?=[\s,.;:)”\"’]|$)"
)
# A marker glued to a resolution number ("54/2639 and 54/3340" are 54/26 and 54/33 with markers 39 and 40):
# only the footnote number that comes next in the document's sequence is taken off the number.
_LIST_GAP = re.compile(r"[\s,;]*(?:and\s+)?")
NUMBER_GLUED = re.compile(r"(?<![\w/.])(\d{1,4}/\d{1,4})(?=[\s,.;:)”\"’]|$)")
_NOT_MARKER_BEFORE = re.compile(r"(?:^|\s)(?:No|Add|Rev|Corr|para|paras|vol|art|chap|sect|Part|Suppl|p|pp)\.$")
TERMINATORS = (",", ";", ":", ".")

_ADVERBS_LONGEST_FIRST = sorted(ADVERBS, key=len, reverse=True)


@dataclass
class _Block:
    text: str
    line_no: int


@dataclass
class _Draft:
    kind: ParagraphKind
    parts: list[str] = field(default_factory=list)

    @property
    def raw(self) -> str:
        return " ".join(self.parts)


def _blocks(norm: NormalizedText) -> list[_Block]:
    """Split lines into blocks: one per line in word-processor exports, blank-line separated otherwise."""
    blocks: list[_Block] = []
    if norm.fmt == "wordproc":
        for i, line in enumerate(norm.lines):
            if line.strip():
                blocks.append(_Block(line.strip(), i))
        return blocks
    current: list[str] = []
    start = 0
    for i, line in enumerate([*norm.lines, ""]):
        if current and ITEM_START.match(line.strip()):
            # List items of a Markdown export follow each other without a blank line.
            blocks.append(_Block(_join_lines(current), start))
            current = []
        if line.strip():
            if not current:
                start = i
            current.append(line.strip())
            continue
        if current:
            blocks.append(_Block(_join_lines(current), start))
            current = []
    return blocks


def _join_lines(lines: list[str]) -> str:
    out = lines[0]
    for line in lines[1:]:
        # A symbol broken at its slash ("63/" + newline + "156") is one symbol.
        out += line if out.endswith("/") else "\n" + line
    return out


def _split_footnote_lines(block: _Block, fmt: str, after_rule: bool) -> list[tuple[int, str]] | None:
    """The footnote definitions a block holds, or None if it is not a footnote block."""
    lines = block.text.split("\n")
    if fmt == "markdown":
        pattern = MD_FOOTNOTE
    elif fmt == "wordproc":
        pattern = TAB_FOOTNOTE
    else:
        pattern = PLAIN_FOOTNOTE if after_rule else TAB_FOOTNOTE
    first = pattern.match(lines[0]) if fmt != "wordproc" else pattern.match(block.text)
    if not first:
        return None
    notes: list[tuple[int, str]] = []
    for line in lines:
        m = pattern.match(line)
        if m:
            notes.append((int(m.group(1)), m.group(2).strip()))
        elif notes:
            notes[-1] = (notes[-1][0], notes[-1][1] + " " + line.strip())
    return notes


def _clean(text: str) -> str:
    text = text.replace("\t", " ").replace("\n", " ")
    return re.sub(r" {2,}", " ", text).strip()


@dataclass
class _MarkerSequence:
    """The last footnote marker seen, in document order: the next one is usually its successor."""

    last: int = 0


def _unglue_numbers(text: str, known: set[int], sequence: _MarkerSequence) -> str:
    """Take the next footnote marker off a resolution number it is glued to ("54/2639" -> "54/26" + 39).

    ``known`` holds only the footnotes whose marker no other rule found: "51/242 of ..." keeps its 2
    when footnote 2 has its marker elsewhere.
    """
    out: list[str] = []
    pos = 0
    last = sequence.last
    markers = {m.end(): int(m.group(1)) for m in MARKER.finditer(text)}  # where each marker ends
    for m in NUMBER_GLUED.finditer(text):
        last = max([last, *(n for at, n in markers.items() if pos <= at <= m.start())])
        following = [n for at, n in markers.items() if at > m.start()]
        # The marker before it, one less, closes the previous item of the same list ("54/22,38 54/2639").
        near = any(n == last and at <= m.start() and _LIST_GAP.fullmatch(text[at : m.start()])
                   for at, n in markers.items())
        expected = str(last + 1)
        number = m.group(1)
        head, tail = number.split("/")
        if last + 1 in known and near and tail.endswith(expected) and len(tail) > len(expected) and \
                not tail[: -len(expected)].startswith("0") and all(n > last + 1 for n in following):
            out.append(text[pos : m.start()] + f"{head}/{tail[: -len(expected)]}{MARK_OPEN}{expected}{MARK_CLOSE}")
            pos = m.end()
            last += 1
            markers[m.end()] = last
    out.append(text[pos:])
    return "".join(out)


def _strip_markers(text: str, known: set[int], glued: bool, sequence: _MarkerSequence | None = None,
                   unplaced: set[int] | None = None) -> tuple[str, tuple[FootnoteMarker, ...]]:
    """Remove footnote markers from clean text, recording the offset each stood at."""
    if glued:
        def canonical(m: re.Match[str]) -> str:
            number = int(m.group(1))
            before = text[: m.start()]
            token = before.rsplit(" ", 1)[-1]
            # After a comma or a bracket the digits are not part of the number before ("54/18,37").
            in_symbol = "/" in token and not before.endswith((",", ";", ":", ")", "”", '"', "’"))
            if number not in known or in_symbol or _NOT_MARKER_BEFORE.search(before):
                return m.group(0)
            if before.endswith(".") and before[-2:-1].isdigit():
                return m.group(0)  # a decimal: "targets 5.2, 8.7"
            if re.fullmatch(r"\(?[A-Z]{1,3}", token):
                return m.group(0)  # an acronym with a number: "G7", "(G20)", "P5"
            return f"{MARK_OPEN}{number}{MARK_CLOSE}"

        text = GLUED.sub(canonical, text)
        text = YEAR_GLUED.sub(
            lambda m: m.group(1) + (f"{MARK_OPEN}{int(m.group(2))}{MARK_CLOSE}" if int(m.group(2)) in known
                                    else m.group(2)),
            text,
        )
        if sequence is not None and unplaced:
            text = _unglue_numbers(text, unplaced, sequence)
    markers: list[FootnoteMarker] = []
    out: list[str] = []
    pos = 0
    length = 0
    for m in MARKER.finditer(text):
        piece = text[pos : m.start()]
        out.append(piece)
        length += len(piece)
        markers.append(FootnoteMarker(int(m.group(1)), length))
        pos = m.end()
    out.append(text[pos:])
    if sequence is not None and markers:
        sequence.last = markers[-1].number
    # The marker pattern takes the space before a marker with it, so no double space is left.
    return "".join(out), tuple(markers)


def _ends_paragraph(text: str) -> bool:
    stripped = text.rstrip(" ”\"’)*")
    return stripped.endswith(TERMINATORS) or text.rstrip().endswith(TERMINATORS)


def _starts_lower(text: str) -> bool:
    first = text.lstrip(" “\"‘(")[:1]
    return first.islower()


@lru_cache(maxsize=1)
def _verb_forms() -> list[str]:
    return sorted({f for v in load_authority().verbs for f in v.forms}, key=len, reverse=True)


_FIRST_WORD = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=1)
def _verb_forms_by_first_word() -> dict[str, tuple[str, ...]]:
    """The forms, longest first, under their first word: a paragraph is compared with a handful, not hundreds."""
    table: dict[str, list[str]] = {}
    for form in _verb_forms():
        first = _FIRST_WORD.match(form)
        table.setdefault(first.group(0).lower() if first else "", []).append(form)
    return {word: tuple(forms) for word, forms in table.items()}


def leading_verb(text: str, kind: ParagraphKind, *, strict: bool = False) -> str | None:
    """The clause verb that opens a paragraph, as printed ("Also recalls", "Taking note", "reaffirm").

    ``strict`` accepts only verbs of the table in ``ontology/clause_verbs.json``;
    otherwise a capitalised participle or third-person verb is taken as it is.
    """
    forms = _verb_forms()
    body = SUB_ITEM.sub("", text)
    prefix = ""
    for _ in range(3):  # "Also strongly condemns", "Further also recalls"
        adverb = next((a for a in _ADVERBS_LONGEST_FIRST if body[: len(a)].lower() == a.lower()
                       and body[len(a) : len(a) + 1] == " "), None)
        if adverb is None:
            break
        prefix, body = prefix + body[: len(adverb) + 1], body[len(adverb) + 1 :]
    first = _FIRST_WORD.match(body)
    for form in _verb_forms_by_first_word().get(first.group(0).lower() if first else "", ()):
        head = body[: len(form)]
        if (head == form or (prefix and head == form[0].lower() + form[1:])) and \
                (len(body) == len(form) or not body[len(form)].isalpha()):
            return prefix + head
    if body.startswith("We"):
        # Declarations speak in the first person plural: "We, the States Members ..., reaffirm".
        head = body[:200]
        for m in re.finditer(r"\b[a-z]+\b", head):
            for form in forms:
                if head.startswith(form, m.start()) and form[0].islower():
                    end = m.start() + len(form)
                    if end == len(head) or not head[end].isalpha():
                        return form
    if strict:
        return None
    first = re.match(r"[A-Z][a-z]+(?:ing|s|ed)\b", body)
    return prefix + first.group(0) if first else None


def parse(norm: NormalizedText) -> ParsedDocument:
    """Find header, body paragraphs and footnotes of a normalized resolution text."""
    blocks = _blocks(norm)
    warnings: list[str] = []
    footnotes_raw: dict[int, str] = {}
    content: list[_Block] = []
    after_rule = False
    for block in blocks:
        if RULE.match(block.text.split("\n", 1)[0]):
            after_rule = True
            rest = block.text.split("\n", 1)[1] if "\n" in block.text else ""
            if not rest:
                continue
            block = _Block(rest, block.line_no + 1)
        notes = _split_footnote_lines(block, norm.fmt, after_rule)
        if notes is not None:
            for number, text in notes:
                footnotes_raw.setdefault(number, text)
            continue
        after_rule = False
        content.append(block)

    known = set(footnotes_raw)
    # The opener ends with a comma ("The General Assembly,"); a heading such as an agenda item's title
    # ("The United Nations Global Counter-Terrorism Strategy") is taken only when no line does.
    openers = [i for i, b in enumerate(content) if OPENER.match(_clean(b.text)) and len(b.text) < 160]
    opener_index = next((i for i in openers if _clean(content[i].text).endswith(",")), openers[0] if openers else None)
    if opener_index is None:
        warnings.append("no body opener such as 'The General Assembly,' found; body taken from the first clause")
        opener_index = next((i - 1 for i, b in enumerate(content) if _starts_body(b.text)), -1)
    opener = None
    if 0 <= opener_index < len(content):
        m = OPENER.match(_clean(content[opener_index].text))
        opener = m.group(1) if m else None
    header_blocks = content[: max(opener_index, 0)]
    glued = norm.fmt != "markdown"

    drafts: list[_Draft] = []
    chapeau: str | None = None
    closing: list[str] = []
    operative_seen = False
    in_body = True
    annexed = False
    for block in content[opener_index + 1 :]:
        text = block.text
        flat = _clean(text)
        if OPENER.match(flat) and len(flat) < 160:
            # The opener of a carried text ("The Economic and Social Council," after a chapeau)
            # or of the next part of a resolution in parts (A, B) after its meeting line.
            if not annexed:
                in_body = True
            continue
        if not in_body:
            # An annex after the meeting line ends the body: an opener in it is the annexed text's.
            annexed = annexed or bool(ANNEX.match(flat))
            closing.append(flat)
            continue
        if MEETING.match(flat) or ANNEX.match(flat):
            in_body = False
            annexed = annexed or bool(ANNEX.match(flat))
            closing.append(flat)
            continue
        if CHAPEAU.match(flat):
            chapeau = _visible(flat)
            drafts = []
            operative_seen = False
            continue
        previous = drafts[-1] if drafts else None
        op = OPERATIVE_START.match(flat)
        previous_ended = previous is None or _ends_paragraph(_visible(previous.raw, known))
        if op or (not operative_seen and _operative_verb(flat) and previous_ended):
            # Numbered, or the single unnumbered operative paragraph of a short resolution ("Urges ...").
            operative_seen = True
            drafts.append(_Draft("operative", [flat[op.end():] if op else flat]))
            continue
        if previous and (SUB_ITEM.match(flat) or _starts_lower(flat) or not previous_ended):
            previous.parts.append(flat)
            continue
        if not _ends_paragraph(_visible(flat)) and len(flat) < 250 and not leading_verb(flat, "preambular",
                                                                                         strict=True):
            continue  # a heading: the title of a carried text, a part heading ("I", "A")
        if operative_seen or (previous is not None and not _opens_clause(flat)):
            # Text after a page break that does not open a clause ("Especially Women and
            # Children, ...") continues the paragraph before it.
            if previous is not None:
                previous.parts.append(flat)
            continue
        drafts.append(_Draft("preambular", [flat]))

    parsed = _assemble(norm, header_blocks, opener, drafts, closing, footnotes_raw, known, glued, warnings)
    return replace(parsed, chapeau=chapeau) if chapeau else parsed


def _starts_body(text: str) -> bool:
    return bool(OPERATIVE_START.match(text) or leading_verb(_clean(text), "preambular", strict=True))


def _operative_verb(text: str) -> bool:
    """Whether a block opens with an operative verb of the table ("Urges", "Decides")."""
    verb = leading_verb(text, "operative", strict=True)
    if not verb:
        return False
    # Operative clauses speak in the present tense ("Endorses", "Calls upon"); preambular ones do not.
    head = verb.split()[len(verb.split()) - 1 if verb.split()[0] in ADVERBS else 0]
    return head.endswith("s") and not head.endswith(("ing", "ss"))


def _opens_clause(text: str) -> bool:
    """Whether a block opens a preambular clause: a clause verb, a participle or "Having ..."."""
    if leading_verb(text, "preambular", strict=True):
        return True
    # Adverbs before the clause word: "Particularly concerned", "Ever mindful", "Having also considered".
    body = re.sub(r"^(?:(?:[A-Z][a-z]+ly|Ever|Still|Also|Further|Again)\s+)+(?=[a-z])", lambda m: m.group(0).lower(),
                  text)
    body = re.sub(r"^(?:[a-z]+ly|ever|still|also|further|again)\s+(?:(?:[a-z]+ly|also|further)\s+)*", "", body)
    return bool(re.match(r"^(?:[A-Za-z][a-z]+(?:ing|ed)|[Hh]aving|[Mm]indful|[Aa]ware|[Cc]onscious|[Cc]ognizant|"
                         r"[Dd]esirous|[Dd]etermined|[Cc]onvinced|[Cc]oncerned|[Aa]larmed|[Gg]uided|[Ss]eized|"
                         r"[Gg]rateful|[Nn]oting|[Rr]ecalling)\b", body))


def _visible(text: str, known: set[int] | None = None) -> str:
    """Text without canonical markers (and, given the footnote numbers, without a glued final marker)."""
    text = MARKER.sub("", text)
    if known:
        m = re.search(r"(?<=[A-Za-z)\]”\"’.,;:])(\d{1,3})$", text)
        if m and int(m.group(1)) in known:
            text = text[: m.start()]
    return text


def _assemble(
    norm: NormalizedText,
    header_blocks: list[_Block],
    opener: str | None,
    drafts: list[_Draft],
    closing: list[str],
    footnotes_raw: dict[int, str],
    known: set[int],
    glued: bool,
    warnings: list[str],
) -> ParsedDocument:
    """Lay the parts out as one clean document text and record where each part starts."""
    # Header blocks stay apart (a blank line between), wrapped lines within one block on separate lines.
    header = "\n\n".join(_visible(b.text).replace("\t", " ").strip() for b in header_blocks)
    header = re.sub(r" {2,}", " ", header)
    pieces = [header]
    pos = len(header) + 2
    paragraphs: list[Paragraph] = []
    counters = {"preambular": 0, "operative": 0}
    # Footnotes whose marker no rule finds may have it glued to a resolution number ("54/2639").
    seen = {marker.number for draft in drafts for marker in _strip_markers(draft.raw, known, glued)[1]}
    unplaced = known - seen
    sequence = _MarkerSequence()
    for draft in drafts:
        text, markers = _strip_markers(draft.raw, known, glued, sequence if unplaced else None, unplaced)
        if not text:
            continue
        counters[draft.kind] += 1
        paragraphs.append(
            Paragraph(draft.kind, counters[draft.kind], text, pos, leading_verb(text, draft.kind), markers)
        )
        pieces.append(text)
        pos += len(text) + 2
    closing_text = "\n".join(closing)
    pieces.append(closing_text)
    pos += len(closing_text) + 2
    footnotes: dict[int, Footnote] = {}
    for number in sorted(footnotes_raw):
        text = _clean(_visible(footnotes_raw[number]))
        footnotes[number] = Footnote(number, text, pos, pos + len(text))
        pieces.append(text)
        pos += len(text) + 2
    if not paragraphs:
        warnings.append("no preambular or operative paragraphs recognised")
    return ParsedDocument(
        source=norm.source,
        fmt=norm.fmt,
        text="\n\n".join(pieces),
        header=header,
        header_start=0,
        opener=opener,
        paragraphs=tuple(paragraphs),
        footnotes=footnotes,
        closing=closing_text,
        ods=dict(norm.ods),
        furniture=norm.furniture,
        warnings=tuple(warnings),
    )
