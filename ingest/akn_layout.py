"""The structure of an AKN4UN resolution, laid out as ``parse.parse`` lays out a text.

The markup says what the text parser has to guess: the enacting formula, the
recitals of the preamble, the operative paragraphs and their printed
numbers, the parts of a resolution in parts, a carried text.  But editors
do not mark up uniformly: a sub-item ``(a)`` is sometimes a ``paragraph`` of
its own, a printed number sometimes sits in the text, a heading is
sometimes a ``paragraph``, a stray ``mainBody`` splits a preamble.  So the
markup gives the blocks and their zone, and the text parser's rules (the
printed number, the clause verb, the lower-case continuation, the
unterminated heading) decide where the markup is ambiguous; see
``_Layout.add``.  Paragraphs are numbered in sequence through the parts,
as the text parser numbers them.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from .akn_text import AKN, Notes, Run, blocks, lines, local_name, render
from .authority import load_authority
from .models import Footnote, FootnoteMarker, Paragraph, ParagraphKind, ParsedDocument
from .parse import CHAPEAU, OPENER, leading_verb

# Levels that only group paragraphs (a numbered section "I", a lettered title "A."): their children count.
_GROUPS = frozenset({"section", "title", "part", "chapter", "subsection", "division", "subdivision",
                     "hcontainer", "article", "clause", "book", "tome", "subtitle", "subpart", "level"})
_PARAGRAPH_CONTENT = frozenset({"content", "list", "p", "intro", "blockList"})
_PRINTED_NUMBER = re.compile(r"^(\d{1,3})\.?$")
_PRINTED_SUB_ITEM = re.compile(r"^\(([a-z]{1,2}|[ivx]{1,5}|[A-Z])\)$")
# A number printed in the text instead of a <num> ("5\tEncourages", "232 .Recognizes").
_NUMBER_IN_TEXT = re.compile(r"^(\d{1,3})(?:\s*\.\s*|\s+)(?=[A-Z])")
_TERMINATORS = (",", ";", ":", ".")
_PARTICIPLE = re.compile(r"^(?:[A-Z][a-z]+(?:ing|ed)|Having|Mindful|Aware|Conscious|Cognizant|Desirous|Determined|"
                         r"Convinced|Concerned|Alarmed|Guided|Seized|Grateful)\b")


@dataclass(frozen=True)
class LaidOut:
    """The parsed document, and the rendered runs its links are read from.

    ``runs`` has one run per paragraph (in order), ``note_runs`` one per
    footnote; ``unplaced`` the hrefs of links outside any paragraph or
    footnote (headings, annexes, a chapeau replaced by its carried text).
    """

    parsed: ParsedDocument
    runs: tuple[Run, ...]
    note_runs: dict[int, Run]
    unplaced: tuple[str, ...]


def lay_out(source: str, root: ET.Element, statements: list[ET.Element]) -> LaidOut:
    """Header, paragraphs, closing and footnotes of one AKN4UN document (``statements``: it, or its parts)."""
    return _Layout(source, root, statements).build()


Zone = Literal["preamble", "body"]


@dataclass
class _Item:
    """One printed block of the body: a recital, a paragraph, a sub-item, or a heading."""

    zone: Zone
    printed: str | None
    run: Run


@dataclass
class _Opener:
    """An enacting formula ("The General Assembly,"): of the document, of a part, of a carried text."""

    text: str


def _items(el: ET.Element | None, zone: Zone, notes: Notes) -> Iterator[_Item | _Opener]:
    """The blocks of a preamble or main body in reading order, whatever the editors' nesting."""
    if el is None:
        return
    for child in el:
        tag = local_name(child)
        if tag == "formula" or (tag == "container" and child.get("name") == "formula"):
            yield _Opener(render(child, notes).text)
        elif tag == "paragraph":
            if any(local_name(c) in _PARAGRAPH_CONTENT for c in child):
                num = child.find(f"{AKN}num")
                printed = render(num, notes).text if num is not None else None
                yield _Item("body", printed, render(child, notes, skip_num=True))
            for embedded in child.iter(f"{AKN}embeddedStructure"):
                yield from _items(embedded, "preamble", notes)  # a carried text opens with its preamble
        elif tag == "crossHeading":
            if child.get("refersTo") == "#preamble":  # a recital heading a section of operative paragraphs
                yield _Item("preamble", None, render(child, notes))
        elif tag == "blockList":
            for item in child:
                num = item.find(f"{AKN}num")
                printed = render(num, notes).text if num is not None else None
                yield _Item(zone, printed, render(item, notes, skip_num=True))
        elif tag in _GROUPS or tag == "embeddedStructure":
            yield from _items(child, zone, notes)
        elif tag == "container" and child.find(f".//{AKN}table") is not None:
            continue
        elif tag in ("container", "p", "list", "tblock"):
            yield _Item(zone, None, render(child, notes))


def _statement_items(statement: ET.Element, notes: Notes) -> Iterator[_Item | _Opener]:
    """The blocks of one statement: its preambles and main bodies in order (an editor may split the
    preamble around a stray main body), then the texts it carries (an ECOSOC draft for the Assembly)."""
    for child in statement:
        tag = local_name(child)
        if tag == "preamble":
            yield from _items(child, "preamble", notes)
        elif tag == "mainBody":
            yield from _items(child, "body", notes)
        elif tag == "components":
            for carried in child.iter(f"{AKN}statement"):
                yield from _statement_items(carried, notes)


@dataclass
class _Draft:
    kind: ParagraphKind
    run: Run

    def extend(self, run: Run, prefix: str = "") -> None:
        """Append a continuation or sub-item, shifting its links and markers into this paragraph."""
        shift = len(self.run.text) + 1 + len(prefix)
        self.run.text = f"{self.run.text} {prefix}{run.text}"
        self.run.links += [(s + shift, e + shift, h) for s, e, h in run.links]
        self.run.markers += [FootnoteMarker(m.number, m.offset + shift) for m in run.markers]


def _ends_paragraph(text: str) -> bool:
    return text.rstrip(" ”\"’)*").endswith(_TERMINATORS) or text.rstrip().endswith(_TERMINATORS)


def _starts_lower(text: str) -> bool:
    return text.lstrip(" “\"‘(")[:1].islower()


@lru_cache(maxsize=1)
def _preambular_forms() -> frozenset[str]:
    return frozenset(f for v in load_authority().verbs if v.kind == "preambular" for f in v.forms)


def _opens_operative(text: str) -> bool:
    """Whether a block opens with a finite clause verb ("Endorses", "Also decides"), not a participle.

    The main body's markup already says the block is operative; the verb only
    tells a paragraph from a heading or a recital misplaced in the main body.
    """
    verb = leading_verb(text, "operative", strict=True)
    if not verb:
        return False
    word = verb.split()[-1]
    return not word.endswith(("ing", "ed")) and word not in _preambular_forms()


def _opens_clause(text: str) -> bool:
    return bool(leading_verb(text, "preambular", strict=True) or _PARTICIPLE.match(text))


class _Layout:
    """Turns the items of one document into the parser's layout; ``add`` holds the rules."""

    def __init__(self, source: str, root: ET.Element, statements: list[ET.Element]) -> None:
        self.source, self.root, self.statements = source, root, statements
        self.notes = Notes(root)
        self.drafts: list[_Draft] = []
        self.opener: str | None = None
        self.chapeau: str | None = None
        self.pending_chapeau: tuple[str, Run] | None = None
        self.operative_seen = False
        self.last_printed = 0
        self.warnings: list[str] = []
        self.unplaced: list[str] = []

    def add(self, item: _Item) -> None:
        """Place one block as the text parser would, trusting the markup where it is explicit.

        A printed number opens an operative paragraph; a printed ``(a)``/``(i)``
        is a sub-item of the paragraph before; a recital of the preamble opens a
        preambular paragraph.  An unnumbered block continues the paragraph
        before when it starts in lower case or that paragraph is unfinished,
        is a heading when short, unterminated and opening no clause, and
        otherwise opens a paragraph of its zone (operative in the main body
        when it opens with an operative verb).
        """
        run, printed = item.run, (item.printed or "").strip()
        if not run.text:
            self._unplace(run)
            return
        in_text = _NUMBER_IN_TEXT.match(run.text) if not printed else None
        if in_text and leading_verb(run.text[in_text.end():], "operative", strict=True):
            printed = in_text.group(1)
            run = _shift(run, in_text.end())
        if self.pending_chapeau is not None:
            self._settle_chapeau(carried=not _PRINTED_SUB_ITEM.match(printed))
        if CHAPEAU.match(run.text):
            self.pending_chapeau = (printed, run)
            return
        previous = self.drafts[-1] if self.drafts else None
        previous_ended = previous is None or _ends_paragraph(previous.run.text)
        number = _PRINTED_NUMBER.match(printed)
        if number:
            self._check_number(int(number.group(1)))
            self._open("operative", run)
        elif _PRINTED_SUB_ITEM.match(printed) and previous is not None:
            previous.extend(run, printed + " ")
        elif printed and not _ends_paragraph(run.text):
            self._unplace(run)  # a lettered or roman heading: "B. Office of Investment Management"
        elif previous is not None and (_starts_lower(run.text) or not previous_ended):
            previous.extend(run)
        elif not _ends_paragraph(run.text) and len(run.text) < 250 and \
                not leading_verb(run.text, "preambular", strict=True):
            self._unplace(run)  # a heading: "Reporting", "II", the title of a carried text
        elif item.zone == "preamble" and not (self.operative_seen and _opens_operative(run.text)):
            self._open("preambular", _prefixed(run, printed))
        elif _opens_operative(run.text) and previous_ended:
            self._open("operative", _prefixed(run, printed))
        elif not self.operative_seen and (_opens_clause(run.text) or previous is None):
            # A recital marked up as a paragraph of the main body, or a declaration's opening
            # ("We, the Ministers … ,"), which the text parser also counts in the preamble.
            self._open("preambular", _prefixed(run, printed))
        elif previous is not None:
            previous.extend(run)  # "Abbreviations: …" under a table, text after a list
        else:
            self._open("operative", _prefixed(run, printed))

    def _settle_chapeau(self, *, carried: bool) -> None:
        """A chapeau ("Adopts the following political declaration:") followed by a carried text
        resets the count: the carried text's paragraphs are counted, as the text parser does.
        Followed by its own sub-items ("Recommends the following …: (a) …") it is an ordinary
        operative paragraph, and the recitals before it stay."""
        assert self.pending_chapeau is not None
        printed, run = self.pending_chapeau
        self.pending_chapeau = None
        if carried:
            self.chapeau, self.drafts, self.operative_seen, self.last_printed = run.text, [], False, 0
            self._unplace(run)
            return
        number = _PRINTED_NUMBER.match(printed)
        if number:
            self._check_number(int(number.group(1)))
        self._open("operative", run)

    def _open(self, kind: ParagraphKind, run: Run) -> None:
        self.operative_seen = self.operative_seen or kind == "operative"
        self.drafts.append(_Draft(kind, run))

    def _check_number(self, printed: int) -> None:
        """Paragraphs are numbered in sequence, like the text parser; a printed number out of sequence is said."""
        expected = self.last_printed + 1
        if printed not in (expected, 1):
            count = sum(1 for d in self.drafts if d.kind == "operative") + 1
            self.warnings.append(f"operative paragraph O{count} is printed as {printed}, after {self.last_printed}")
        self.last_printed = printed

    def _unplace(self, run: Run) -> None:
        self.unplaced += [h for _, _, h in run.links]

    def build(self) -> LaidOut:
        header = self._header()
        closing: list[str] = []
        for index, statement in enumerate(self.statements):
            if index > 0:  # the next part's heading ("B Title") stands between the parts, as printed
                closing += lines(statement.find(f"{AKN}preface"), self.notes)
                self.operative_seen, self.last_printed = False, 0
            for item in _statement_items(statement, self.notes):
                if isinstance(item, _Opener):
                    self.opener = self.opener or _opener_name(item.text)
                else:
                    self.add(item)
            closing += lines(statement.find(f"{AKN}conclusions"), self.notes)
            for attachment in statement.iter(f"{AKN}attachment"):
                # An annex is not the body: its text is closing matter, its footnotes are footnotes.
                for block in blocks(attachment, ("p", "heading", "subheading")):
                    run = render(block, self.notes)
                    self._unplace(run)
                    if run.text:
                        closing.append(run.text)
        if self.pending_chapeau is not None:
            self._settle_chapeau(carried=False)  # nothing followed: "Approves the following …:" closed the body
        if self.opener is None:
            self.warnings.append("no enacting formula such as 'The General Assembly,' in the preamble")
        if not self.drafts:
            self.warnings.append("no preambular or operative paragraphs recognised")
        return self._assemble(header, "\n".join(closing))

    def _header(self) -> str:
        """The cover page as one block of lines, then each line of the preface as a block, as the text prints them."""
        first = self.statements[0]
        top = next(c for c in self.root if local_name(c) in ("statement", "documentCollection"))
        cover = lines(top.find(f"{AKN}coverPage"), self.notes)
        blocks = ["\n".join(cover)] if cover else []
        blocks += lines(top.find(f"{AKN}preface"), self.notes)
        if first is not top:
            blocks += lines(first.find(f"{AKN}preface"), self.notes)  # the first part's heading: "A Title"
        return "\n\n".join(blocks)

    def _assemble(self, header: str, closing: str) -> LaidOut:
        """Lay the parts out as ``parse._assemble`` does: header, paragraphs, closing, footnotes."""
        pos = len(header) + 2
        pieces = [header]
        paragraphs: list[Paragraph] = []
        counters = {"preambular": 0, "operative": 0}
        for draft in self.drafts:
            counters[draft.kind] += 1
            text = draft.run.text
            paragraphs.append(Paragraph(draft.kind, counters[draft.kind], text, pos, leading_verb(text, draft.kind),
                                        tuple(draft.run.markers)))
            pieces.append(text)
            pos += len(text) + 2
        pieces.append(closing)
        pos += len(closing) + 2
        footnotes: dict[int, Footnote] = {}
        note_runs: dict[int, Run] = {}
        for number in sorted(self.notes.elements):
            run = render(self.notes.elements[number], self.notes)
            note_runs[number] = run
            footnotes[number] = Footnote(number, run.text, pos, pos + len(run.text))
            pieces.append(run.text)
            pos += len(run.text) + 2
        parsed = ParsedDocument(
            source=self.source, fmt="akn", text="\n\n".join(pieces), header=header, header_start=0,
            opener=self.opener, paragraphs=tuple(paragraphs), footnotes=footnotes, closing=closing,
            chapeau=self.chapeau, warnings=tuple(self.warnings),
        )
        return LaidOut(parsed, tuple(d.run for d in self.drafts), note_runs, tuple(self.unplaced))


def _prefixed(run: Run, printed: str) -> Run:
    """The run with its printed label in front ("(a) Governments …"), as the text prints an unattached item."""
    if not printed:
        return run
    shift = len(printed) + 1
    return Run(f"{printed} {run.text}", [(s + shift, e + shift, h) for s, e, h in run.links],
                [FootnoteMarker(m.number, m.offset + shift) for m in run.markers])


def _shift(run: Run, cut: int) -> Run:
    """The run without its first ``cut`` characters (a number printed in the text)."""
    return Run(run.text[cut:], [(max(s - cut, 0), max(e - cut, 0), h) for s, e, h in run.links],
                [FootnoteMarker(m.number, max(m.offset - cut, 0)) for m in run.markers])


def _opener_name(formula: str) -> str | None:
    """"The General Assembly," -> "General Assembly", the value the text parser gives."""
    m = OPENER.match(formula.strip())
    return m.group(1) if m else (re.sub(r"^The\s+|[\s,]+$", "", formula.strip()) or None)
