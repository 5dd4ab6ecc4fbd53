"""The printed text of AKN4UN markup: what a reader of the document sees, with positions.

Akoma Ntoso is mixed content: the words of a paragraph are spread over
``p``, ``span``, ``a``, ``authorialNote`` and the whitespace of the
editors' indentation.  ``render`` collapses that into the text as printed
(one space between words, the footnote text out of the line) and records
where each link and footnote marker sits in it, so that a link becomes a
citation with exact offsets and a marker a ``FootnoteMarker``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field

from .models import FootnoteMarker

AKN_NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
AKN = f"{{{AKN_NS}}}"
"""The namespace prefix of element names: ``root.iter(AKN + "paragraph")``."""

# As in normalize: non-breaking spaces and hyphens are ordinary ones, zero-width characters go.
_CHARACTERS = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u2011": "-", "\u2010": "-",
                             "\u200b": None, "\u00ad": None, "\ufeff": None, "\u200e": None, "\u200f": None})
# Elements that stand apart from their neighbours: a space between them and what is around.
_BLOCK = frozenset({"p", "content", "intro", "point", "item", "list", "sublist", "blockList", "wrapUp",
                    "listIntroduction", "quotedStructure", "mod", "tr", "td", "th", "paragraph", "eol", "br"})
# Elements whose content is not part of the running text (a carried text is laid out on its own).
_NOT_TEXT = frozenset({"img", "embeddedStructure", "table", "heading", "subheading", "meta"})


def local_name(el: ET.Element) -> str:
    """The element name without its namespace (comments and processing instructions have none)."""
    return el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""


@dataclass
class Run:
    """The printed text of an element, with where its links and footnote markers sit."""

    text: str = ""
    links: list[tuple[int, int, str]] = field(default_factory=list)
    markers: list[FootnoteMarker] = field(default_factory=list)


class Notes:
    """The footnotes of a document, numbered as printed (the ``marker``, else the ``eId``)."""

    def __init__(self, root: ET.Element) -> None:
        self.elements: dict[int, ET.Element] = {}
        self.printed = {n for el in root.iter(f"{AKN}authorialNote") if (n := self._printed(el)) is not None}

    @staticmethod
    def _printed(el: ET.Element) -> int | None:
        marker = (el.get("marker") or "").strip()
        if marker.isdigit():
            return int(marker)
        m = re.search(r"(\d+)$", el.get("eId") or "")
        return int(m.group(1)) if m else None

    def register(self, el: ET.Element) -> int:
        number = self._printed(el)
        if number is None or (number in self.elements and self.elements[number] is not el):
            number = max([*self.elements, *self.printed, 0]) + 1
        self.elements[number] = el
        return number


class _Writer:
    """Renders mixed content as the printed text: whitespace collapsed, notes out, links located."""

    def __init__(self, notes: Notes) -> None:
        self.notes = notes
        self.parts: list[str] = []
        self.length = 0
        self.links: list[tuple[int, int, str]] = []
        self.markers: list[FootnoteMarker] = []

    def _ends_blank(self) -> bool:
        return not self.parts or self.parts[-1].endswith(" ")

    def put(self, text: str) -> None:
        text = re.sub(r"\s+", " ", text.translate(_CHARACTERS))
        if text.startswith(" ") and self._ends_blank():
            text = text[1:]
        if text:
            self.parts.append(text)
            self.length += len(text)

    def gap(self) -> None:
        if not self._ends_blank():
            self.put(" ")

    def walk(self, el: ET.Element, *, skip_num: bool = False) -> None:
        if el.text:
            self.put(el.text)
        for child in el:
            if not (skip_num and local_name(child) == "num"):
                self.element(child)
            if child.tail:
                self.put(child.tail)

    def element(self, el: ET.Element) -> None:
        tag = local_name(el)
        if tag == "authorialNote":
            self.marker(self.notes.register(el))
        elif tag in _NOT_TEXT:
            return
        elif tag == "a":
            start = self.length
            self.walk(el)
            self.links.append((start, self.length, el.get("href") or ""))
        elif tag == "sup" and "".join(el.itertext()).strip().isdigit():
            number = int("".join(el.itertext()).strip())
            if number in self.notes.printed:
                self.marker(number)  # a second reference to a footnote printed earlier
            else:
                self.walk(el)
        elif tag in ("docNumber", "num"):
            self.walk(el)
            self.gap()  # a printed label is followed by a space: "77/128. Questions", "(i) The development"
        elif tag in _BLOCK:
            self.gap()
            self.walk(el)
            self.gap()
        else:
            self.walk(el)

    def marker(self, number: int) -> None:
        offset = self.length - (1 if self.parts and self.parts[-1].endswith(" ") else 0)
        self.markers.append(FootnoteMarker(number, max(offset, 0)))

    def run(self) -> Run:
        text = "".join(self.parts).rstrip(" ")
        size = len(text)
        links = []
        for start, end, href in self.links:
            start, end = min(start, size), min(end, size)
            while start < end and text[start] == " ":
                start += 1
            while end > start and text[end - 1] == " ":
                end -= 1
            links.append((start, end, href))
        markers = [FootnoteMarker(m.number, min(m.offset, size)) for m in self.markers]
        return Run(text, links, markers)


def render(el: ET.Element | None, notes: Notes, *, skip_num: bool = False) -> Run:
    """The printed text of an element (``skip_num``: without its own ``num``, printed apart)."""
    if el is None:
        return Run()
    writer = _Writer(notes)
    writer.walk(el, skip_num=skip_num)
    return writer.run()


def blocks(el: ET.Element, tags: tuple[str, ...] = ("p",)) -> Iterator[ET.Element]:
    """The ``p`` (or other block) elements under ``el`` in reading order, not those inside a footnote."""
    for child in el:
        if local_name(child) == "authorialNote":
            continue
        if local_name(child) in tags:
            yield child
        else:
            yield from blocks(child, tags)


def lines(el: ET.Element | None, notes: Notes) -> list[str]:
    """Each ``p`` of a cover, preface or conclusions as one printed line."""
    if el is None:
        return []
    lines = [render(p, notes).text for p in blocks(el)]
    return [line for line in lines if line]
