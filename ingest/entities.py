"""Instruments, bodies and Member States named in a text, and Treaty Series references.

A blank spaCy English pipeline (nothing downloaded) with one registered
component, ``unkg_authority``, whose PhraseMatchers are built from the
authority data in ``ontology/``: multi-word names match regardless of case
("United Nations voluntary trust fund ..." and "... Voluntary Trust Fund
..."), single-word names and acronyms ("Assembly", "INTERPOL") only as
printed.  Matches may nest: an instrument named inside another's title (the
Convention on the Rights of the Child inside its Optional Protocol's) and a
body inside a mandate's name (the Human Rights Council inside "Special
Rapporteur of the Human Rights Council on ...") are both named.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from .authority import Authority, load_authority
from .models import Footnote, Mention, Paragraph, ParsedDocument, TreatySeriesRef

TREATY_SERIES = re.compile(
    r"(?P<lead>Treaty Series|Ibid\.?)[,\s]*(?:\*|_)?(?:vol\.|Vol\.|volume)\s*(?P<volume>\d{1,5}),?\s*"
    r"No\.\s*(?P<number>\d{1,6})"
)
_ITS_WORKING_GROUP = re.compile(r"\bits working group\b")


@Language.factory("unkg_authority")
def _make_authority_component(nlp: Language, name: str) -> AuthorityMatcher:
    return AuthorityMatcher(nlp, load_authority())


class AuthorityMatcher:
    """Sets ``doc.spans["authority"]`` to every authority name found, labelled ``kind:key``."""

    def __init__(self, nlp: Language, authority: Authority) -> None:
        self.by_case = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.by_lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        for entry in authority.entries():
            label = f"{entry.kind}:{entry.key}"
            exact: list[Doc] = []
            folded: list[Doc] = []
            for alias in entry.aliases:
                tokens = nlp.make_doc(alias)
                (folded if len(tokens) > 1 else exact).append(tokens)
            if exact:
                self.by_case.add(label, exact)
            if folded:
                self.by_lower.add(label, folded)

    def __call__(self, doc: Doc) -> Doc:
        spans = [Span(doc, start, end, label=match_id)
                 for matcher in (self.by_case, self.by_lower)
                 for match_id, start, end in matcher(doc)]
        doc.spans["authority"] = [s for s in spans if not _inside_other_name(s, spans)]
        return doc


# Head words of names that other, longer names reuse: "Assembly" in "World Health Assembly",
# "Commission on Human Rights" in "Inter-American Commission on Human Rights", "Conference of the
# Parties to the Convention" in "... to the Convention on Biological Diversity".
_GENERIC_HEADS = {"Assembly", "Commission", "Conference", "Council", "Committee", "Convention", "Protocol",
                  "Agreement", "Declaration", "Programme", "Fund", "Charter", "Secretariat", "Court", "Board"}
_CONNECTORS = {"on", "against", "for", "of", "to"}


def _inside_other_name(span: Span, spans: list[Span]) -> bool:
    """Whether a match is only part of a longer proper name it does not stand for.

    A Member State inside another State's name ("Ireland" in "United Kingdom of Great Britain and
    Northern Ireland") is dropped; so is a name whose generic head word is extended by capitalised
    words before it ("World Health Assembly") or by "on/of/against ..." and a capitalised word after it.
    Instruments and bodies nested in a longer *authority* name are kept on purpose (the Convention on
    the Rights of the Child inside its Optional Protocol's title).
    """
    kind = span.label_.split(":", 1)[0]
    if kind == "state":
        for other in spans:  # few State names per paragraph; only they are compared pairwise
            if other.label_.startswith("state:") and other.label_ != span.label_ and \
                    other.start <= span.start and span.end <= other.end and len(other) > len(span):
                return True
    doc = span.doc
    if span[0].text in _GENERIC_HEADS and span.start > 0:
        before = doc[span.start - 1]
        if before.text[:1].isupper() and before.text not in {"The", "Its"} and not before.is_sent_start:
            return True
    if span[-1].text in _GENERIC_HEADS and span.end + 1 < len(doc):
        after, following = doc[span.end], doc[span.end + 1]
        if after.text in _CONNECTORS and (following.text[:1].isupper() or
                                          (following.lower_ == "the" and span.end + 2 < len(doc)
                                           and doc[span.end + 2].text[:1].isupper())):
            return True
    return False


@lru_cache(maxsize=1)
def pipeline() -> Language:
    """The blank English pipeline with the authority matcher (built once per process)."""
    nlp = spacy.blank("en")
    nlp.add_pipe("unkg_authority")
    return nlp


def _units(parsed: ParsedDocument) -> list[tuple[str, str, int]]:
    """(paragraph id, text, offset) for every part that can name something."""
    units = [("header", parsed.header, parsed.header_start)]
    units += [(p.id, p.text, p.start) for p in parsed.paragraphs]
    carriers = _carriers(parsed)
    for number, note in sorted(parsed.footnotes.items()):
        units.append((carriers.get(number, f"footnote {number}"), note.text, note.start))
    return units


def _carriers(parsed: ParsedDocument) -> dict[int, str]:
    out: dict[int, str] = {}
    for para in parsed.paragraphs:
        for marker in para.markers:
            out.setdefault(marker.number, para.id)
    return out


def find_mentions(parsed: ParsedDocument, kinds: Iterable[str] = ("instrument", "body", "state")) -> list[Mention]:
    """Every authority name in the header, paragraphs and footnotes, in document order."""
    wanted = set(kinds)
    authority = load_authority()
    units = _units(parsed)
    mentions: list[Mention] = []
    nlp = pipeline()
    for (paragraph, text, offset), doc in zip(units, nlp.pipe(t.replace("\n", " ") for _, t, _ in units), strict=True):
        found = []
        for span in doc.spans["authority"]:
            kind, key = span.label_.split(":", 1)
            if kind in wanted:
                found.append(Mention(key, kind, paragraph, text[span.start_char : span.end_char],  # type: ignore[arg-type]
                                     offset + span.start_char, offset + span.end_char))
        mentions.extend(found)
        mentions.extend(_working_group_anaphora(text, offset, paragraph, found, authority))
    return sorted(mentions, key=lambda m: (m.start, -m.end))


def _working_group_anaphora(
    text: str, offset: int, paragraph: str, found: list[Mention], authority: Authority
) -> list[Mention]:
    """'its working group' after a body that has one names that working group."""
    out = []
    for m in _ITS_WORKING_GROUP.finditer(text):
        before = [f for f in found if f.end - offset <= m.start() and f.kind == "body"]
        if not before:
            continue
        parent = before[-1].key
        group = next((b for b in authority.bodies if b.parent == parent and "working-group" in b.key), None)
        if group:
            out.append(Mention(group.key, "body", paragraph, m.group(0), offset + m.start(), offset + m.end()))
    return out


def find_treaty_series(parsed: ParsedDocument, mentions: list[Mention]) -> list[TreatySeriesRef]:
    """United Nations Treaty Series references, 'Ibid.' resolved, each linked to its instrument.

    The instrument is the one registered under that volume and number in the
    authority data, or else the instrument named just before the footnote
    marker in the paragraph that carries it.
    """
    authority = load_authority()
    markers: dict[int, tuple[Paragraph, int]] = {}
    for para in parsed.paragraphs:
        for marker in para.markers:
            markers.setdefault(marker.number, (para, marker.offset))
    refs: list[TreatySeriesRef] = []
    in_series = False
    for number, note in sorted(parsed.footnotes.items()):
        found = False
        for m in TREATY_SERIES.finditer(note.text):
            if m.group("lead").startswith("Ibid") and not in_series:
                continue
            found = True
            volume, no = int(m.group("volume")), int(m.group("number"))
            registered = authority.instrument_by_unts(volume, no)
            key = registered.key if registered else _instrument_before_marker(number, markers, mentions)
            carrier = markers.get(number)
            refs.append(TreatySeriesRef(volume, no, key, carrier[0].id if carrier else None, number))
        in_series = found or (in_series and _is_ibid(note))
    return refs


def _is_ibid(note: Footnote) -> bool:
    return note.text.lower().startswith("ibid")


def _instrument_before_marker(number: int, markers: dict[int, tuple[Paragraph, int]],
                              mentions: list[Mention]) -> str | None:
    if number not in markers:
        return None
    para, offset = markers[number]
    position = para.start + offset
    candidates = [m for m in mentions if m.kind == "instrument" and para.start <= m.end <= position]
    return max(candidates, key=lambda m: m.end).key if candidates else None
