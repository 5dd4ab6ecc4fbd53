"""Property-based tests: the extractor never crashes and every offset it returns quotes the text.

Inputs are arbitrary text and texts spliced from fragments of the seeds with
export noise inserted at random places (footnote markers, tabs, brackets,
links, symbols, ODS fields, rules).  Each test is bounded so the suite stays
fast; the ``@example`` rows pin the counterexamples found so far.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ingest.models import Extraction
from ingest.pipeline import extract_text
from ingest.symbols import SERIES, is_symbol, normalize_symbol

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
SEED_TEXTS = [path.read_text(encoding="utf-8") for path in sorted(CORPUS.glob("*.txt"))]

BOUNDED = settings(max_examples=150, deadline=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

NOISE = [
    "¹", "²³", "⁴", " ¹⁰", "\t", "\t1 \t", "1.\t", "[", "]", "(", ")", "[64/293](#)", "[63/\n156](#)", "](#)",
    "*", "**", "_", "- 1. ", "- (a) ", "\n", "\n\n", "\r\n", "\f", "\u00a0", "\u200b", "\ue000", "\ue001",
    "\ue0007\ue001", "__________________", "<<ODS DOC SYMBOL1>>A/RES/72/1<<ODS DOC SYMBOL1>>", "<<ODS ",
    "[Start1]", "17-30057 5/6", "*1717057*", "A/71/119", "S/RES/2331 (2016)", "A/73/12 (Part I)",
    "S/25704 and Add.1", "E/2002/68/Add.1", "resolution ", "resolutions ", "decision ", "its resolution ",
    "resolution 217 A (III)", "resolution 64/293 of 30 July 2010", "resolutions 61/180 of 20 December 2006, ",
    "Security Council resolution 1718", "Human Rights Council resolution 32/3", "S-26/2", "ES-10/19", "2331 ",
    "(2016)", "Ibid.", "Ibid., vol. 2237, No. 39574.", "United Nations, Treaty Series, vol. 2225, No. 39574.",
    "The General Assembly,", "The Economic and Social Council,", "Recalling ", "We reaffirm ", "Urges ",
    "40th plenary meeting", "Annex", "Adopts the following political declaration:", "Persons1", "20187",
    "Commission on Crime Prevention and\nCriminal Justice", "its working group", "\U0001f600", "\x00", "é",
]


@st.composite
def seed_fragments(draw: st.DrawFn) -> str:
    """Fragments of the seeds spliced together, with noise between and inside them."""
    parts: list[str] = []
    for _ in range(draw(st.integers(1, 5))):
        text = draw(st.sampled_from(SEED_TEXTS))
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start, min(len(text), start + 2500)))
        parts.append(text[start:end])
        if draw(st.booleans()):
            parts.append(draw(st.sampled_from(NOISE)))
    spliced = "".join(parts)
    for _ in range(draw(st.integers(0, 6))):
        at = draw(st.integers(0, len(spliced)))
        spliced = spliced[:at] + draw(st.sampled_from(NOISE)) + spliced[at:]
    return spliced


@st.composite
def noise_only(draw: st.DrawFn) -> str:
    """Short texts made only of noise tokens and structural words."""
    return "".join(draw(st.lists(st.sampled_from(NOISE), max_size=40)))


TEXTS = st.one_of(st.text(), seed_fragments(), noise_only())


def _extract(text: str) -> Extraction:
    return extract_text("x.txt", text)


@BOUNDED
@given(TEXTS)
@example("")
@example("The General Assembly,\n\nRecalling its resolution 64/293,¹\n\n¹ ¹ Ibid.")
def test_extract_text_never_raises_and_every_offset_quotes_the_text(text: str) -> None:
    result = _extract(text)
    parsed = result.parsed
    n = len(parsed.text)
    for p in parsed.paragraphs:
        assert 0 <= p.start <= p.end <= n
        assert parsed.text[p.start:p.end] == p.text
        for marker in p.markers:
            assert 0 <= marker.offset <= len(p.text)
    for note in parsed.footnotes.values():
        assert 0 <= note.start <= note.end <= n
        assert parsed.text[note.start:note.end] == note.text
    for c in result.citations:
        assert 0 <= c.start <= c.end <= n
        assert parsed.text[c.start:c.end] == c.surface
    for m in result.mentions:
        assert 0 <= m.start <= m.end <= n
    result.to_schema()


@BOUNDED
@given(TEXTS)
@example("[on the recommendation of the Commission on Crime Prevention and\nCriminal Justice (E/2021/30)]\n\n"
         "The Economic and Social Council,\n\nRecalling its resolution 2013/41,\n\n1. Urges States;\n")
def test_every_mention_surface_is_the_text_at_its_offsets(text: str) -> None:
    result = _extract(text)
    for m in result.mentions:
        assert result.parsed.text[m.start:m.end] == m.surface


@BOUNDED
@given(TEXTS)
@example("The General Assembly,\n\nRecalling its resolution 217 A (III),\n\n1. Urges States;\n")
def test_every_citation_target_is_a_well_formed_symbol(text: str) -> None:
    result = _extract(text)
    for c in result.citations:
        assert is_symbol(c.target), c


@pytest.mark.parametrize("index", range(len(SEED_TEXTS)))
def test_seed_citation_targets_are_well_formed_symbols(index: int) -> None:
    result = _extract(SEED_TEXTS[index])
    assert [c.target for c in result.citations if not is_symbol(c.target)] == []


@pytest.mark.parametrize("index", [
    i
    for i in range(len(SEED_TEXTS))
])
def test_seed_mention_surfaces_are_the_text_at_their_offsets(index: int) -> None:
    result = _extract(SEED_TEXTS[index])
    assert [m for m in result.mentions if result.parsed.text[m.start:m.end] != m.surface] == []


COMPONENTS = st.one_of(
    st.from_regex(r"\d{1,6}", fullmatch=True),
    st.from_regex(r"[A-Z]{1,5}(\.\d{1,3})?", fullmatch=True),
    st.sampled_from(["RES", "DEC", "PRST", "L.13", "Rev.1", "Add.1", "Corr.2", "C.3", "CN.15", "HRC", "S-26",
                     "ES-10", "INF", "Sub.2", "Res.14", "EA.5", "CONF.157", "PV.4", "2016", "72", "1"]),
)
SUFFIXES = st.sampled_from(["", " (2016)", "(2016)", " (Part I)", "(PartII)", " (III)", "(XV)", ".", ",", ";",
                            ":", " ", "\n", ")", "/", " and Add.1", "A", " B"])


@st.composite
def symbol_like(draw: st.DrawFn) -> str:
    """Strings shaped like printed symbols, with spaces and punctuation where printers put them."""
    series = draw(st.sampled_from([*SERIES, "X", "a", ""]))
    parts = draw(st.lists(COMPONENTS, max_size=6))
    sep = draw(st.sampled_from(["/", "/", "/", " / ", "//"]))
    return draw(st.sampled_from(["", " "])) + sep.join([series, *parts]) + draw(SUFFIXES)


@BOUNDED
@given(st.one_of(st.text(), symbol_like()))
@example("S/RES/2331 (2016)")
@example("A/73/12 (Part I)")
@example("")
def test_normalize_symbol_never_raises_and_returns_a_symbol_or_none(raw: str) -> None:
    symbol = normalize_symbol(raw)
    if symbol is None:
        return
    assert is_symbol(symbol)
    assert not any(ch.isspace() for ch in symbol)
    assert normalize_symbol(symbol) == symbol


@BOUNDED
@given(st.one_of(st.text(), symbol_like()))
def test_a_well_formed_symbol_is_its_own_normal_form(raw: str) -> None:
    if is_symbol(raw):
        assert normalize_symbol(raw) == raw
