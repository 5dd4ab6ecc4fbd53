"""Print a composed document in one of the two shapes unkg reads, and write its ground truth.

* ``markdown``: the Markdown that PDF converters make of UN documents (corpus/000, 002-004): cover blocks
  separated by blank lines, italic clause verbs, superscript footnote markers and the footnotes of each
  page printed where the page breaks - between paragraphs or in the middle of one.
* ``ods``: the word-processor export of the UN's Official Document System (corpus/001): tab-indented
  cover lines under ``[Start1]``, footnote markers glued to the word before them, the footnotes after the
  closing lines, then the ODS metadata block, running headers and footers and job numbers.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from synth_doc import ORGAN_NAMES, Doc, Paragraph
from synth_vocab import printed_date

# One encoder for all: json.dumps(..., ensure_ascii=False) builds a new one per call.
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_ITALIC = re.compile(r"\*([^*]+)\*")


@dataclass
class Cover:
    """What the cover and closing lines print, and the document fields of the ground truth."""

    kind: str                  # ga | ecosoc | hrc | sc | ga-draft | commission-draft | sc-draft
    symbol: str
    symbol_printed: bool
    organ: str                 # the organ line of the cover ("General Assembly" also for the HRC)
    body: str
    doc_type: str
    title: str | None
    number: str | None
    adoption_date: str | None
    distribution: str
    distribution_date: str
    session: str | None
    agenda_item: str | None
    agenda_title: str | None
    recommended_by: str | None
    bracket: str | None        # "[on the report of the Third Committee (A/72/440)]"
    related: list[str]
    meeting: str | None
    sponsors: list[str]
    opener: str                # "The General Assembly,"
    committee_line: str | None = None  # a draft's committee or commission
    chapeau: str | None = None         # "The Commission ... recommends ... the following draft resolution:"
    place_line: str | None = None      # "Vienna, 18-22 May 2015"
    states: list[str] = field(default_factory=list)
    symbol_text: str | None = None     # the symbol as printed, when it has a space: "S/RES/2752 (2024)"

    def fields(self) -> dict[str, object]:
        return {"symbol": self.symbol if self.symbol_printed or self.number else None,
                "doc_type": self.doc_type, "body": self.body, "recommended_by": self.recommended_by,
                "title": self.title, "resolution_number": self.number, "adoption_date": self.adoption_date,
                "distribution_date": self.distribution_date, "distribution": self.distribution,
                "session": self.session, "agenda_item": self.agenda_item, "meeting": self.meeting,
                "sponsors": self.sponsors, "related_symbols": self.related}


# Only the clause verb is italic, not the words that tie it to its object: "*Taking note* of the report".
_VERB_TAIL = re.compile(r"^(?P<verb>.+?)(?P<tail> (?:the significance of|the full implementation of"
                        r"|of|to))$")


def _paragraph_text(p: Paragraph, marker: Callable[[int], str], italic: bool, end: str) -> str:
    verb = p.verb
    if italic:
        m = _VERB_TAIL.match(verb)
        verb = f"*{m.group('verb')}*{m.group('tail')}" if m else f"*{verb}*"
    out = [verb, " "]
    for part in p.parts:
        out.append(marker(part) if isinstance(part, int) else part)
    text = "".join(out)
    if p.subitems:
        return text
    return text + end


def _subitems(p: Paragraph, end: str, ods: bool) -> list[str]:
    items = []
    for i, item in enumerate(p.subitems):
        letter = "abcdefghij"[i]
        close = end if i == len(p.subitems) - 1 else ("," if end == "," else ";")
        items.append(f"\t({letter})\t{item}{close}" if ods else f"({letter}) {item}{close}")
    return items


def _sponsor_line(sponsors: list[str], doc_type: str) -> str:
    listed = sponsors[0] if len(sponsors) == 1 else ", ".join(sponsors[:-1]) + " and " + sponsors[-1]
    return f"{listed}: {'revised draft resolution' if doc_type.startswith('revised') else 'draft resolution'}"


def _agenda(item: str, italic: bool) -> str:
    return re.sub(r"\((\w)\)", r"(*\1*)", item) if italic else item


def _closing(cover: Cover, adoption: str | None) -> list[str]:
    if not cover.meeting or cover.kind == "sc" or not adoption:
        return []
    lines = [cover.meeting, printed_date(adoption)]
    if cover.kind == "hrc":
        lines.append("\n[Adopted without a vote.]")
    return lines


def render_markdown(doc: Doc, cover: Cover, rng: random.Random, italic: tuple[bool, bool]) -> str:
    blocks: list[str] = []
    c = cover
    top = f"United Nations {c.symbol_text or c.symbol}" if c.symbol_printed else ""
    blocks.append(top + "\n\n\n")
    blocks.append(c.organ)
    compact = c.kind in ("ga", "ecosoc") and rng.random() < 0.4  # "2017 session Agenda item 19 (c)" (000)
    dd = printed_date(c.distribution_date)
    blocks.append(f"Distr.: {c.distribution} {dd}" if compact else f"Distr.: {c.distribution}\n{dd}")
    if c.kind in ("ga-draft", "commission-draft", "sc-draft", "hrc") or rng.random() < 0.3:
        blocks.append("Original: English")
    if c.committee_line and c.kind == "commission-draft":
        blocks.append(c.committee_line)
    if c.kind == "hrc":
        blocks.append("Human Rights Council")
    item = f"Agenda item {_agenda(c.agenda_item, rng.random() < 0.5)}" if c.agenda_item else None
    if c.session and item and compact:
        blocks.append(f"{c.session} {item}")
    else:
        blocks += [x for x in (c.session, c.place_line) if x]
        if c.committee_line and c.kind == "ga-draft":
            blocks.append(c.committee_line)
        if item:
            blocks.append(item)
    if c.agenda_title and (c.kind.endswith("draft") or rng.random() < 0.6):
        blocks.append(f"**{c.agenda_title}**" if rng.random() < 0.3 else c.agenda_title)
    if c.kind == "sc":
        blocks.append(f"Resolution {c.number}")
        blocks.append(f"Adopted by the Security Council at its {c.meeting}, on {printed_date(c.adoption_date or '')}")
    elif c.adoption_date:
        blocks.append(f"Resolution adopted by the {c.organ if c.kind != 'hrc' else 'Human Rights Council'} on "
                      f"{printed_date(c.adoption_date)}")
    if c.bracket:
        blocks.append(f"*{c.bracket}*" if rng.random() < 0.3 else c.bracket)
    if c.sponsors:
        blocks.append(_sponsor_line(c.sponsors, c.doc_type))
    if c.chapeau:
        blocks.append(c.chapeau)
    if c.title and c.number:
        blocks.append(f"{c.number}. {c.title}")
    elif c.title:
        blocks.append(c.title)
    blocks.append(c.opener)

    page = rng.randint(2200, 4200)
    used = 0
    printed: set[int] = set()

    def flush(upto: int) -> None:
        pending = [n for n in sorted(doc.footnotes) if n not in printed and n <= upto]
        if pending:
            blocks.append("\n\n".join(f"{str(n).translate(_SUPERSCRIPT)} {doc.footnotes[n].text}" for n in pending)
                          + "\n\n\n")
            printed.update(pending)

    seen_markers = 0

    def marker(n: int) -> str:
        nonlocal seen_markers
        seen_markers = max(seen_markers, n)
        return str(n).translate(_SUPERSCRIPT)

    last = len(doc.paragraphs) - 1
    for i, p in enumerate(doc.paragraphs):
        end = "," if p.pid[0] == "P" else ("." if i == last else ";")
        italic_verb = italic[0] if p.pid[0] == "P" else italic[1]
        text = _paragraph_text(p, marker, italic_verb, end)
        if p.pid[0] == "O":
            text = f"{p.pid[1:]}. {text}"
        if used + len(text) > page and seen_markers and not p.subitems and rng.random() < 0.35:
            # The page breaks inside the paragraph; its footnotes so far are printed at the break.
            cut = text.find(" ", max(40, page - used))
            while 0 < cut < len(text) - 30 and not text[cut + 1].islower():
                cut = text.find(" ", cut + 1)
            if 0 < cut < len(text) - 30 and not re.search(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]", text[cut:]):
                blocks.append(text[:cut])
                flush(seen_markers)
                blocks.append(text[cut + 1:])
                used = len(text) - cut
                continue
        blocks.append(text)
        blocks.extend(_subitems(p, end, ods=False))
        used += len(text) + 60 * len(p.subitems)
        if used > page:
            flush(seen_markers)
            used = 0
    flush(10 ** 6)
    closing = _closing(cover, cover.adoption_date)
    if closing:
        if rng.random() < 0.5:
            blocks.append(f"*{closing[0]}\n{closing[1]}*" + "".join(closing[2:]))
        else:
            blocks.append((" " if rng.random() < 0.3 else "\n").join(closing[:2]) + "".join(closing[2:]))
    return "\n\n".join(blocks).rstrip() + "\n"


def render_ods(doc: Doc, cover: Cover, rng: random.Random, job: str) -> str:
    c = cover
    lines = ["[Start1]"]
    if c.kind == "hrc":
        lines.append("Human Rights Council")
    if c.kind == "commission-draft" and c.committee_line:
        lines.append(c.committee_line)
    if c.session:
        lines.append(c.session)
    if c.place_line:
        lines.append(c.place_line)
    if c.kind == "ga-draft" and c.committee_line:
        lines.append(c.committee_line)
    if c.agenda_item:
        lines.append(f"Agenda item {c.agenda_item}")
    if c.agenda_title and c.kind.endswith("draft"):
        lines.append(c.agenda_title)
    if c.kind == "sc":
        lines.append(f"\t\tResolution {c.number}")
        lines.append(f"\t\tAdopted by the Security Council at its {c.meeting}, on "
                     f"{printed_date(c.adoption_date or '')}\n\n")
    elif c.adoption_date:
        organ = c.organ if c.kind != "hrc" else "Human Rights Council"
        lines.append(f"\t\tResolution adopted by the {organ} on {printed_date(c.adoption_date)}\n\n")
    if c.bracket:
        lines.append(f"\t\t{c.bracket}\n\n")
    if c.sponsors:
        lines.append(f"\t\t{_sponsor_line(c.sponsors, c.doc_type)}\n\n")
    if c.chapeau:
        lines.append(f"\t{c.chapeau}\n\n")
    if c.title:
        lines.append(f"\t{c.number}.\t{c.title}\n\n" if c.number else f"\t\t{c.title}\n\n")
    lines.append("\t" + c.opener)
    last = len(doc.paragraphs) - 1
    for i, p in enumerate(doc.paragraphs):
        end = "," if p.pid[0] == "P" else ("." if i == last else ";")
        text = _ITALIC.sub(r"\1", _paragraph_text(p, str, False, end))
        lines.append(f"{p.pid[1:]}.\t{text}" if p.pid[0] == "O" else f"\t{text}")
        lines.extend(_subitems(p, end, ods=True))
    closing = _closing(c, c.adoption_date)
    if closing:
        lines.append("\n" + "\n".join(closing) + "\n")
    else:
        lines.append("")
    for n in sorted(doc.footnotes):
        lines.append(f"\t{n} \t" + _ITALIC.sub(r"\1", doc.footnotes[n].text))
    yy = c.distribution_date[2:4]
    code = c.distribution_date[8:10] + c.distribution_date[5:7] + yy
    lines.append(f"[Start1]<<ODS JOB NO>>N{yy}{job}E<<ODS JOB NO>>")
    lines.append(f"<<ODS DOC SYMBOL1>>{c.symbol_text or c.symbol}<<ODS DOC SYMBOL1>>")
    lines.append("<<ODS DOC SYMBOL2>><<ODS DOC SYMBOL2>>")
    lines.append("__________________\n\n__________________\n\n---------------\n")
    if c.title:
        lines.append(f"{c.symbol}{c.title}\n\n{c.title}{c.symbol}\n")
    pages = rng.randint(2, 9)
    lines.append(f"{yy}-{job}2/{pages}\n\n{pages - 1}/{pages}{yy}-{job}\n")
    lines.append(f"United Nations{c.symbol} {c.organ}Distr.: {c.distribution}\n"
                 f"{printed_date(c.distribution_date)}\n\n")
    lines.append(f"{yy}-{job[::-1]} (E)    {code}    \n*{yy}{job[::-1]}*\n")
    return "\n".join(lines)


def gold(name: str, doc: Doc, cover: Cover) -> dict[str, object]:
    """The ground truth of one document in the schema of shared/gold/SCHEMA.md (plus 'states')."""
    treaties: dict[tuple[int, int], dict[str, object]] = {}
    for n in sorted(doc.footnotes):
        t = doc.footnotes[n].treaty
        if t is not None:
            treaties.setdefault((t[0], t[1]), {"volume": t[0], "number": t[1], "instrument": t[2]})
    kinds: dict[str, list[str]] = {"instrument": [], "body": [], "state": []}
    for kind, key in doc.entities:
        kinds[kind].append(key)
    for key in cover.states:
        if key not in kinds["state"]:
            kinds["state"].append(key)
    return {
        "source": f"{name}.txt",
        "document": cover.fields(),
        "paragraphs": {"preambular": doc.preambular, "operative": doc.operative},
        "citations": doc.cites,
        "instruments": kinds["instrument"],
        "bodies": kinds["body"],
        "states": kinds["state"],
        "treaty_series": list(treaties.values()),
        "events": doc.events,
    }


def dump_gold(data: dict[str, object]) -> str:
    """JSON with one line per field and per citation: readable, and written by the C encoder (fast)."""
    enc = _ENCODE
    out = ["{"]
    items = list(data.items())
    for i, (key, value) in enumerate(items):
        comma = "," if i < len(items) - 1 else ""
        if isinstance(value, dict) and key == "document":
            inner = ",\n".join(f"    {enc(k)}: {enc(v)}" for k, v in value.items())
            out.append(f"  {enc(key)}: {{\n{inner}\n  }}{comma}")
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            inner = ",\n".join(f"    {enc(v)}" for v in value)
            out.append(f"  {enc(key)}: [\n{inner}\n  ]{comma}")
        else:
            out.append(f"  {enc(key)}: {enc(value)}{comma}")
    out.append("}")
    return "\n".join(out) + "\n"


__all__ = ["Cover", "ORGAN_NAMES", "dump_gold", "gold", "render_markdown", "render_ods"]
