"""Parsing the seeds: paragraph counts, footnote markers and their footnotes, verbs, joined paragraphs.

Paragraph counts come from the gold files in ``tests/gold``; the rest pins the
drafting conventions the parser reads (see ``shared/gold/NOTES.md``).
"""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from ingest.models import Extraction, Paragraph, ParsedDocument
from ingest.normalize import MARK_CLOSE, MARK_OPEN, normalize
from ingest.parse import parse
from ingest.pipeline import extract_file, extract_text

ROOT = Path(__file__).resolve().parents[1]
SEEDS = {path.name[:3]: path for path in sorted((ROOT / "corpus").glob("*.txt"))}
GOLD = ROOT / "tests" / "gold"


@cache
def extraction(key: str) -> Extraction:
    return extract_file(SEEDS[key])


def parsed(key: str) -> ParsedDocument:
    return extraction(key).parsed


def paragraph(key: str, pid: str) -> Paragraph:
    return next(p for p in parsed(key).paragraphs if p.id == pid)


def markers(key: str, pid: str) -> list[int]:
    return [m.number for m in paragraph(key, pid).markers]


@pytest.mark.parametrize("key", sorted(SEEDS))
def test_paragraph_counts_equal_gold(key: str) -> None:
    gold = json.loads((GOLD / SEEDS[key].with_suffix(".json").name).read_text(encoding="utf-8"))
    doc = parsed(key)
    assert {"preambular": len(doc.preambular), "operative": len(doc.operative)} == gold["paragraphs"]


@pytest.mark.parametrize("key", sorted(SEEDS))
def test_paragraphs_are_numbered_in_order_and_located_in_the_text(key: str) -> None:
    doc = parsed(key)
    for kind in ("preambular", "operative"):
        numbers = [p.number for p in doc.paragraphs if p.kind == kind]
        assert numbers == list(range(1, len(numbers) + 1))
    for p in doc.paragraphs:
        assert doc.text[p.start:p.end] == p.text
        assert MARK_OPEN not in p.text and MARK_CLOSE not in p.text
        assert "\n" not in p.text and "\t" not in p.text
    for note in doc.footnotes.values():
        assert doc.text[note.start:note.end] == note.text


@pytest.mark.parametrize("key", sorted(SEEDS))
def test_every_marker_names_a_footnote_and_sits_inside_its_paragraph(key: str) -> None:
    doc = parsed(key)
    for p in doc.paragraphs:
        for m in p.markers:
            assert m.number in doc.footnotes, (p.id, m.number)
            assert 0 <= m.offset <= len(p.text)


def test_marker_of_footnote_3_is_carried_by_p10_of_000() -> None:
    carriers = [p.id for p in parsed("000").paragraphs if 3 in [m.number for m in p.markers]]
    assert carriers == ["P10"]
    p10 = paragraph("000", "P10")
    assert p10.text[: p10.markers[0].offset].endswith("working group of the Inter-Agency Coordination Group.")
    assert parsed("000").footnotes[3].text == "See A/71/119."


def test_markers_of_000() -> None:
    assert markers("000", "P6") == [1, 2]
    assert markers("000", "P16") == [4]
    assert markers("000", "O1") == [1, 2]
    assert markers("000", "O2") == [5]
    assert markers("000", "O7") == [4]


def test_glued_markers_of_the_wordproc_seed_are_markers() -> None:
    o1, o2 = paragraph("001", "O1"), paragraph("001", "O2")
    assert markers("001", "O1") == [1]
    assert o1.text[: o1.markers[0].offset].endswith("Combat Trafficking in Persons")
    assert "Trafficking in Persons and our commitments" in o1.text
    assert markers("001", "O2") == [2]
    assert o2.text[: o2.markers[0].offset].endswith("2030 Agenda for Sustainable Development,")
    assert "Sustainable Development, recognizing" in o2.text
    # "Crime4" and "Children,5" in O5.
    assert markers("001", "O5") == [4, 5]
    assert "Organized Crime and the Protocol" in paragraph("001", "O5").text


def test_numbers_that_are_not_markers_stay_in_the_text() -> None:
    o2 = paragraph("001", "O2")
    assert "the 2030 Agenda includes commitments" in o2.text
    assert o2.text.count("2030 Agenda") == 3
    p6 = paragraph("002", "P6")
    assert "Forced Labour Convention, 1930 (No. 29)" in p6.text
    assert markers("002", "P6") == []


WORDPROC_GLUED = (
    "\tThe General Assembly,\n"
    "\tRecalling the Forced Labour Convention, 1930 (No. 29),1 the 2030 Agenda for Sustainable Development2 "
    "and the meeting held on 22 March 20183 in Vienna,\n"
    "1.\tUrges Member States to implement paragraph 3 of resolution 70/1;\n"
    "2.\tInvites States parties to article 3 of the Protocol;\n"
    "\t1 \tInternational Labour Organization, No. 29.\n"
    "\t2 \tResolution 70/1.\n"
    "\t3 \tSee A/73/12.\n"
)


def test_glued_markers_in_a_small_wordproc_text() -> None:
    doc = parse(normalize("w.txt", WORDPROC_GLUED))
    assert doc.fmt == "wordproc"
    p1, o1, o2 = doc.paragraphs
    assert [m.number for m in p1.markers] == [1, 2, 3]
    assert p1.text == ("Recalling the Forced Labour Convention, 1930 (No. 29), the 2030 Agenda for "
                       "Sustainable Development and the meeting held on 22 March 2018 in Vienna,")
    assert p1.text[: p1.markers[2].offset].endswith("22 March 2018")
    assert o1.markers == () and o1.text == "Urges Member States to implement paragraph 3 of resolution 70/1;"
    assert o2.markers == () and o2.text == "Invites States parties to article 3 of the Protocol;"


def test_decimal_targets_are_not_glued_markers() -> None:
    text = (
        "\tThe Economic and Social Council,\n"
        "\tWelcoming the adoption of the 2030 Agenda for Sustainable Development,1 and recalling "
        "targets 5.2, 8.7 and 16.2 of the Sustainable Development Goals,\n"
        "1.\tUrges Member States to act;\n"
        "\t1 \tGeneral Assembly resolution 70/1.\n"
        "\t2 \tIbid.\n"
    )
    doc = parse(normalize("w.txt", text))
    (p1,) = doc.preambular
    assert [m.number for m in p1.markers] == [1]
    assert "targets 5.2, 8.7 and 16.2 of the Sustainable Development Goals" in p1.text


def test_acronym_digits_are_not_glued_markers() -> None:
    notes = "".join(f"\t{i} \tSee A/71/{100 + i}.\n" for i in range(1, 9))
    text = ("\tThe General Assembly,\n"
            "\tWelcoming the commitments of the Group of Seven (G7) and of the G7 leaders,1\n"
            "1.\tUrges all States to act;\n" + notes)
    doc = parse(normalize("w.txt", text))
    (p1,) = doc.preambular
    assert [m.number for m in p1.markers] == [1]
    assert p1.text == "Welcoming the commitments of the Group of Seven (G7) and of the G7 leaders,"


TREATY_SERIES = {
    "000": [(2225, 39574, "untoc", "P6", 1), (2237, 39574, "tip-protocol", "P6", 2)],
    "001": [(2225, 39574, "untoc", "O5", 4), (2237, 39574, "tip-protocol", "O5", 5)],
    "002": [(2225, 39574, "untoc", "P5", 2), (2237, 39574, "tip-protocol", "P5", 3),
            (2171, 27531, "crc-opsc", "P5", 4), (266, 3822, "slavery-supplementary-convention", "P5", 5)],
    "003": [(2225, 39574, "untoc", "P6", 2), (2237, 39574, "tip-protocol", "P6", 3)],
    # Chained Ibid.: fn3 and fn4 refer back through fn2 to "United Nations, Treaty Series".
    "004": [(2225, 39574, "untoc", "P2", 1), (2237, 39574, "tip-protocol", "P2", 2),
            (2237, 39574, "tip-protocol", "O1", 3), (2225, 39574, "untoc", "O1", 4)],
}


@pytest.mark.parametrize("key", sorted(TREATY_SERIES))
def test_ibid_treaty_series_footnotes_resolve_to_volume_number_and_instrument(key: str) -> None:
    refs = [(t.volume, t.number, t.instrument, t.paragraph, t.footnote)
            for t in extraction(key).treaty_series]
    assert refs == TREATY_SERIES[key]


def test_treaty_series_is_deduplicated_in_the_schema_output() -> None:
    schema = extraction("004").to_schema()
    assert schema["treaty_series"] == [
        {"volume": 2225, "number": 39574, "instrument": "untoc"},
        {"volume": 2237, "number": 39574, "instrument": "tip-protocol"},
    ]


# (seed, paragraph, fragments that span the break)
BROKEN = [
    ("000", "P6", ["(a) To promote universal ratification",
                   "supplementing the United Nations Convention against Transnational Organized Crime, "
                   "as well as other relevant international instruments", "(f) To foster cooperation"]),
    ("000", "P12", ["to appraise the progress achieved in the implementation of the Global Plan of Action"]),
    ("000", "O2", ["Trafficking in Persons, and invites the Conference of the Parties"]),
    ("000", "O11", ["organization of the high-level meeting of the Assembly on the appraisal"]),
    ("002", "P5", ["which provided the definition of the crime of trafficking in persons, the Optional"]),
    ("002", "P11", ["especially women and children in conflict and post-conflict situations”, and other"]),
    ("002", "P17", ["combating human trafficking in countries around the world using, to the extent"]),
    ("002", "P25", ["as well as the Guidelines on the Protection of Child Victims of Trafficking"]),
    ("002", "P34", ["implementation of the Convention, including the Protocol to Prevent"]),
    ("003", "P6", ["Trafficking in Persons, Especially Women and Children, supplementing the United"]),
    ("003", "P20", ["Global Plan of Action, to be held during the seventy-sixth session of the Assembly"]),
]


@pytest.mark.parametrize(("key", "pid", "fragments"), BROKEN, ids=[f"{k} {p}" for k, p, _ in BROKEN])
def test_paragraph_broken_by_a_footnote_block_or_page_break_is_one_paragraph(key: str, pid: str,
                                                                             fragments: list[str]) -> None:
    text = paragraph(key, pid).text
    for fragment in fragments:
        assert fragment in text


def test_sub_items_belong_to_their_parent_paragraph() -> None:
    for key, pid in [("000", "P6"), ("002", "P8"), ("003", "P8"), ("004", "P2")]:
        text = paragraph(key, pid).text
        assert text.startswith("Reaffirming that the Global Plan of Action was developed: (a) To promote")
        assert "(f) To foster" in text
    o11 = paragraph("001", "O11").text
    assert "(a) We reaffirm our strong support" in o11 and "(b) We stress the need" in o11


VERBS = [
    ("000", "P1", "Reiterating"), ("000", "P3", "Bearing in mind"), ("000", "P13", "Taking note"),
    ("000", "O1", "Urges"), ("000", "O3", "Invites"), ("000", "O5", "Takes note"),
    ("000", "O8", "Calls upon"), ("000", "O13", "Recalls"),
    ("002", "O4", "Also recalls"), ("002", "O5", "Further recalls"), ("002", "O17", "Encourages"),
    ("003", "P26", "Expressing serious concern"), ("003", "P20", "Looking forward"),
    ("003", "O7", "Also requests"), ("004", "O5", "Also welcomes"), ("004", "O1", "Reiterates"),
    # The declaration of 001 speaks in the first person plural: "We, the States Members ..., reaffirm".
    ("001", "O1", "reaffirm"), ("001", "O2", "recall"), ("001", "O4", "reiterate"),
    ("001", "O13", "recognize"),
]


@pytest.mark.parametrize(("key", "pid", "verb"), VERBS, ids=[f"{k} {p}" for k, p, _ in VERBS])
def test_leading_verb(key: str, pid: str, verb: str) -> None:
    assert paragraph(key, pid).verb == verb


@pytest.mark.parametrize("pid", [
    pytest.param("O6", id="001 O6 'We also reaffirm'"),
    pytest.param("O12", id="001 O12 'We also stress'"),
])
def test_first_person_verb_after_also(pid: str) -> None:
    verb = paragraph("001", pid).verb
    assert verb is not None and verb.split()[-1] in ("reaffirm", "stress")


def citations(key: str, target: str) -> list[tuple[str, int | None, str]]:
    return [(c.paragraph, c.footnote, c.surface) for c in extraction(key).citations if c.target == target]


def test_citation_only_in_a_footnote_goes_to_the_paragraph_carrying_the_marker() -> None:
    assert citations("000", "A/71/119") == [("P10", 3, "A/71/119")]
    (c,) = [c for c in extraction("000").citations if c.target == "A/71/119"]
    assert c.verb == "Noting"
    assert parsed("000").text[c.start:c.end] == "A/71/119"


def test_repeated_marker_gives_one_citation_per_paragraph() -> None:
    assert Counter(p for p, fn, _ in citations("000", "A/RES/70/1")) == {"P16": 1, "O7": 1}
    assert Counter(p for p, fn, _ in citations("002", "A/RES/70/1")) == {"P4": 1, "O10": 1}
    schema = extraction("000").to_schema()
    pairs = [(c["target"], c["paragraph"]) for c in schema["citations"]]
    assert len(pairs) == len(set(pairs))


def test_footnote_surfaces_drop_see_and_the_final_full_stop() -> None:
    assert citations("001", "A/RES/68/192") == [("O3", 3, "resolution 68/192")]
    assert citations("001", "A/RES/48/134") == [("O24", 7, "Resolution 48/134, annex")]


@pytest.mark.parametrize("key", sorted(SEEDS))
def test_no_citation_is_left_on_a_bare_footnote(key: str) -> None:
    assert [c for c in extraction(key).citations if c.paragraph.startswith("footnote")] == []


def test_ibid_footnote_repeats_the_previous_citation() -> None:
    text = ("The General Assembly,\n\nRecalling its resolution 64/293,¹ and welcoming the report,²\n\n"
            "- 1. *Urges* States to act;³\n\n¹ Resolution 64/293.\n\n² *Ibid.*\n\n³ Ibid.\n")
    result = extract_text("m.md", text)
    from_notes = [(c.target, c.paragraph, c.footnote) for c in result.citations if c.footnote]
    assert from_notes == [("A/RES/64/293", "P1", 1), ("A/RES/64/293", "P1", 2), ("A/RES/64/293", "O1", 3)]
    for c in result.citations:
        assert result.parsed.text[c.start:c.end] == c.surface


def test_opener_and_closing_of_each_seed() -> None:
    assert parsed("000").opener == "Economic and Social Council"
    assert parsed("001").opener == "General Assembly"
    assert parsed("002").opener == "General Assembly"
    assert parsed("004").opener == "Economic and Social Council"
    assert parsed("000").closing.startswith("40th plenary meeting")
    assert parsed("001").closing.startswith("24th plenary meeting")
    assert parsed("001").chapeau is not None and parsed("001").chapeau.startswith("Adopts the following")


def test_text_without_an_opener_warns_instead_of_failing() -> None:
    doc = parse(normalize("x.txt", "Recalling resolution 70/1,\n\n1. Urges States;\n"))
    assert any("opener" in w for w in doc.warnings)
    assert [p.id for p in doc.paragraphs] == ["P1", "O1"]


def _plain(body: str, notes: str) -> ParsedDocument:
    """A plain rendering of the UN's XML: cover, opener, paragraphs, footnotes under a rule."""
    text = ("United Nations\nA/RES/78/999\nGeneral Assembly\nDistr.: General\n20 December 2023\n"
            "Seventy-eighth session\n\nThe General Assembly,\n\n" + body + "\n\n__________________\n" + notes + "\n")
    return parse(normalize("plain.txt", text))


def test_markers_glued_to_the_numbers_of_a_list_are_taken_off_in_sequence() -> None:
    # The plain rendering glues footnote markers to the resolution numbers of a list: 54/26 + 39, 54/33 + 40.
    doc = _plain("Recalling Human Rights Council resolutions 54/18,37 54/22,38 54/2639 and 54/3340 of 12 October "
                 "2023,\n\n1.\tDecides to act;",
                 "37\tIbid., chap. II.\n38\tIbid.\n39\tIbid.\n40\tIbid.")
    (p1,) = doc.preambular
    assert [m.number for m in p1.markers] == [37, 38, 39, 40]
    assert "resolutions 54/18, 54/22, 54/26 and 54/33 of 12 October 2023," in p1.text


def test_a_resolution_number_ending_in_the_next_footnote_number_keeps_its_digits() -> None:
    # Footnote 2 has its marker elsewhere, and 51/242 follows no marked list item: nothing is taken off.
    doc = _plain("Recalling the Convention,1 its resolution 51/242 of 15 September 1997 and the Protocol,2\n\n"
                 "1.\tDecides to act;", "1\tUnited Nations, Treaty Series, vol. 1, No. 1.\n2\tIbid., vol. 2, No. 2.")
    (p1,) = doc.preambular
    assert "resolution 51/242 of 15 September 1997" in p1.text
    assert [m.number for m in p1.markers] == [1, 2]


@pytest.mark.parametrize(("glued", "clean"), [
    ("the Convention on Their Destruction of 19721 and", "the Convention on Their Destruction of 1972 and"),
    ("the Sendai Framework for Disaster Risk Reduction 2015–20301 can", "Reduction 2015–2030 can"),
    ("the Framework of September 20161 and", "the Framework of September 2016 and"),
])
def test_marker_glued_to_a_year_is_a_marker(glued: str, clean: str) -> None:
    doc = _plain(f"Noting {glued} more,\n\n1.\tDecides to act;", "1\tIbid.")
    (p1,) = doc.preambular
    assert [m.number for m in p1.markers] == [1]
    assert clean in p1.text


def test_the_opener_is_the_line_ending_with_a_comma_not_an_agenda_title() -> None:
    text = ("United Nations\nA/RES/75/291\nGeneral Assembly\nDistr.: General\n2 July 2021\nSeventy-fifth session\n"
            "Agenda item 123\nThe United Nations Global Counter-Terrorism Strategy\nResolution adopted by the "
            "General Assembly on 30 June 2021\n[without reference to a Main Committee (A/75/L.105)]\n\n"
            "75/291. The United Nations Global Counter-Terrorism Strategy: seventh review\n\n"
            "The General Assembly,\n\nReaffirming the Strategy,\n\n1.\tDecides to act;\n\n88th plenary meeting\n"
            "30 June 2021\n")
    result = extract_text("a.txt", text)
    assert result.parsed.opener == "General Assembly"
    assert "A/75/L.105" in result.document.related_symbols
    assert result.document.resolution_number == "75/291"


def test_an_annex_after_the_meeting_line_ends_the_body() -> None:
    text = ("United Nations\nE/RES/2023/22\nEconomic and Social Council\nDistr.: General\n3 August 2023\n\n"
            "The Economic and Social Council,\n\nTaking note of the request,\n\nApproves the admission.\n\n"
            "43rd plenary meeting\n25 July 2023\n\nAnnex\n\nResolution 337 (S-VII)\n\n"
            "The Economic and Social Commission for Western Asia,\n\nNoting the communication,\n\n"
            "1.\tWelcomes the request;\n\n2.\tRecommends acceptance.\n")
    doc = parse(normalize("e.txt", text))
    assert [p.id for p in doc.paragraphs] == ["P1", "O1"]
    assert "Welcomes the request;" in doc.closing
