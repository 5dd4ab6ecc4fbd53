"""The AKN4UN XML importer: the same extraction as the text pipeline, plus what the markup knows.

``tests/data/akn`` holds four official XML files from the dev corpus (a General
Assembly, an ECOSOC, a Human Rights Council and a Security Council
resolution) with the plain-text rendering of each; where the text pipeline is
right, both must give the same document.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.akn import parse_akn, read_akn
from ingest.errors import IngestError
from ingest.models import Citation
from ingest.pipeline import extract_bytes, extract_file
from ingest.undocs import symbol_from_href

DATA = Path(__file__).resolve().parent / "data" / "akn"
SAMPLES = sorted(p.stem for p in DATA.glob("*.xml"))
ROOT = Path(__file__).resolve().parents[1]
SCRIPT = Path(sys.executable).with_name("unkg")
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "api"]
FIELDS = ("symbol", "adoption_date", "session", "agenda_item", "meeting", "distribution_date", "doc_type", "body",
          "title", "resolution_number", "recommended_by", "sponsors")
# Where the text pipeline is wrong, the XML is not compared with it.
TEXT_PARSER_MISREADS = {
    "A_HRC_RES_59_22": "footnote markers glued to symbols ('resolutions 71/2052 and 72/190,3') stay in the text",
}
NS = 'xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0"'


def akn(body: str, *, cover: str = "", frbr: str = "/akn/un/statement/deliberation/unga/2020-12-10/75-999/!main/",
        name: str = "resolution") -> str:
    """A minimal AKN4UN resolution around a preamble and main body given as markup."""
    return (
        f'<akomaNtoso {NS}><statement name="{name}"><meta><identification source="#x"><FRBRWork>'
        f'<FRBRthis value="{frbr}"/><FRBRdate date="2020-12-10" name="adoption"/></FRBRWork>'
        '<FRBRExpression><FRBRdate date="2020-12-18" name="publication"/></FRBRExpression>'
        f"</identification></meta><coverPage>{cover}</coverPage>{body}</statement></akomaNtoso>"
    )


def link(symbol: str, text: str | None = None) -> str:
    return f'<a href="https://undocs.org/en/{symbol}">{text or symbol}</a>'


# ----------------------------------------------------------------------------- the real documents


@pytest.mark.parametrize("stem", SAMPLES)
def test_xml_and_text_renderings_give_the_same_document(stem: str) -> None:
    xml, text = extract_file(DATA / f"{stem}.xml"), extract_file(DATA / f"{stem}.txt")
    assert xml.to_schema()["paragraphs"] == text.to_schema()["paragraphs"]
    for name in FIELDS:
        assert getattr(xml.document, name) == getattr(text.document, name), name
    assert xml.identifier == text.identifier
    assert {c.target for c in text.citations} <= {c.target for c in xml.citations}


def test_samples_cover_the_four_organs() -> None:
    bodies = {extract_file(DATA / f"{stem}.xml").document.body for stem in SAMPLES}
    assert bodies == {"general-assembly", "ecosoc", "hrc", "security-council"}


@pytest.mark.parametrize("stem", SAMPLES)
def test_every_undocs_link_target_is_cited(stem: str) -> None:
    raw = (DATA / f"{stem}.xml").read_text(encoding="utf-8")
    hrefs = re.findall(r'<a [^>]*href="([^"]+)"', raw)
    targets = {c.target for c in extract_file(DATA / f"{stem}.xml").citations}
    linked = {symbol_from_href(h) for h in hrefs} - {None}
    # "resolution <a>72/260</a> A" cites part A: the link's symbol gains the printed letter.
    assert all(t in targets or any(c.startswith(t) for c in targets) for t in linked if t), linked - targets


@pytest.mark.parametrize("stem", SAMPLES)
def test_offsets_index_the_document_text(stem: str) -> None:
    x = extract_file(DATA / f"{stem}.xml")
    text = x.parsed.text
    assert x.citations
    for c in x.citations:
        assert text[c.start : c.end] == c.surface, c
    for m in x.mentions:
        assert text[m.start : m.end] == m.surface, m
    for p in x.parsed.paragraphs:
        assert text[p.start : p.end] == p.text
        assert all(0 <= marker.offset <= len(p.text) for marker in p.markers)
    for note in x.parsed.footnotes.values():
        assert text[note.start : note.end] == note.text


def test_links_and_text_rules_read_the_special_session_list_alike() -> None:
    """"Resolutions 1874 (S-IV) …, 3101 (XXVIII) … and 55/235" once defeated the text rules (the links named
    them); the text rules now read the list, and a link on the same reference adds nothing."""
    xml, text = extract_file(DATA / "A_RES_76_286.xml"), extract_file(DATA / "A_RES_76_286.txt")
    listed = {"A/RES/1874(S-IV)", "A/RES/3101(XXVIII)", "A/RES/55/235"}
    assert listed <= {c.target for c in text.citations}
    assert {c.target for c in xml.citations} - {c.target for c in text.citations} == set()
    for source in (xml, text):
        special = [c for c in source.citations if c.target == "A/RES/1874(S-IV)"]
        assert [(c.paragraph, c.target_date) for c in special] == [("P4", "1963-06-27")]


def test_a_linked_reference_the_text_rules_also_read_is_cited_once() -> None:
    x = extract_file(DATA / "S_RES_2675_2023.xml")
    o1 = [c for c in x.citations if c.paragraph == "O1" and c.target == "S/RES/2140(2014)"]
    assert len(o1) == len(re.findall(r"resolution 2140 \(2014\)", x.parsed.paragraphs[4].text))
    assert all(c.surface.startswith("resolution") for c in o1)  # the text rule's reading, not the bare link text


def test_footnotes_keep_their_printed_numbers_and_markers() -> None:
    parsed = read_akn(DATA / "E_RES_2024_1.xml").parsed
    assert sorted(parsed.footnotes) == [1, 2, 3]
    carried = {m.number: p.id for p in parsed.paragraphs for m in p.markers}
    assert set(carried) == {1, 2, 3}
    for p in parsed.paragraphs:
        for m in p.markers:
            assert p.text[m.offset - 1] not in " "  # the marker sits right after the word it annotates


@pytest.mark.parametrize("stem", SAMPLES)
def test_cover_body_and_closing_read_as_the_text_prints_them(stem: str) -> None:
    """Same lines (the text parser keeps a line per block or a block per cover, by export), same paragraphs."""
    xml, text = read_akn(DATA / f"{stem}.xml").parsed, extract_file(DATA / f"{stem}.txt").parsed
    assert xml.header.split() == text.header.split()
    assert [line for line in xml.header.splitlines() if line] == [line for line in text.header.splitlines() if line]
    assert xml.opener == text.opener
    assert xml.closing.split() == text.closing.split()
    if stem not in TEXT_PARSER_MISREADS:
        assert [p.text for p in xml.paragraphs] == [p.text for p in text.paragraphs]


# ----------------------------------------------------------------------------- refusals


def test_a_doctype_is_refused_before_parsing(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xml"
    bomb.write_text('<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
                    ' <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n]>\n'
                    f"<akomaNtoso {NS}>&lol2;</akomaNtoso>\n", encoding="utf-8")
    with pytest.raises(IngestError) as info:
        extract_file(bomb)
    assert info.value.path.endswith("bomb.xml")
    assert "<!DOCTYPE> declaration (line 2)" in info.value.reason and "entity" in info.value.reason


def test_an_entity_declaration_without_doctype_is_refused() -> None:
    with pytest.raises(IngestError, match=r"<!ENTITY> declaration"):
        parse_akn("x.xml", f'<akomaNtoso {NS}><!ENTITY x "y"></akomaNtoso>')


def test_malformed_xml_is_refused_with_the_file_and_the_position(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_text(f"<akomaNtoso {NS}>\n  <statement>\n    <p>text</statement>\n</akomaNtoso>\n", encoding="utf-8")
    with pytest.raises(IngestError) as info:
        extract_file(broken)
    assert str(info.value).startswith(str(broken))
    assert info.value.reason == "malformed XML at line 3, column 14: mismatched tag"  # at "statement"


def test_xml_that_is_not_akoma_ntoso_is_refused() -> None:
    with pytest.raises(IngestError, match="not an Akoma Ntoso document"):
        parse_akn("page.xml", "<html><body/></html>")
    with pytest.raises(IngestError, match="without a statement"):
        parse_akn("empty.xml", f"<akomaNtoso {NS}/>")


# ----------------------------------------------------------------------------- links


@pytest.mark.parametrize(("href", "symbol"), [
    ("https://undocs.org/en/A/RES/74/198", "A/RES/74/198"),
    ("http://undocs.org/A/RES/69/314", "A/RES/69/314"),
    ("https://docs.un.org/en/S/RES/2624(2022)", "S/RES/2624(2022)"),
    ("https://undocs.org/fr/E/CN.15/2015/L.3/Rev.1", "E/CN.15/2015/L.3/Rev.1"),
    ("https://undocs.org/Home/Mobile?FinalSymbol=A%2FRES%2F70%2F1&Language=E", "A/RES/70/1"),
    ("https://undocs.org/en/A%2FRES%2F64%2F293", "A/RES/64/293"),
    ("https://undocs.org/en/a/res/415 (V)", "A/RES/415(V)"),
    ("https://undocs.org/en/A/hrc/RES/43/1", "A/HRC/RES/43/1"),
    ("https://undocs.org/en/A/RES/66/235b", "A/RES/66/235B"),
    ("https://undocs.org/en/A/RES/74/255a-b", "A/RES/74/255A-B"),
    ("https://undocs.org/en/A/RES/57/270 B", "A/RES/57/270B"),
    ("https://undocs.org/en/A/RES/1874(s-iv)", "A/RES/1874(S-IV)"),
    ("https://undocs.org/en/A/77/349/corr.1", "A/77/349/Corr.1"),
    ("https://undocs.org/en/A/54/42(supp)", "A/54/42(SUPP)"),
    ("https://undocs.org/en/A/78/6(sect.26)", "A/78/6(Sect.26)"),
    ("https://undocs.org/en/UNEP/OzL.Pro.28/12", "UNEP/OzL.Pro.28/12"),
    ("https://undocs.org/en/CLCS/11/Add.1", "CLCS/11/Add.1"),
    ("https://documents.un.org/doc/UNDOC/GEN/N20/381/87/PDF/N2038187.pdf?OpenElement", None),
    ("https://documents.un.org/api/symbol/access?j=N9576819&t=pdf", None),
    ("https://undocs.org/ldcportal", None),
    ("https://www.un.org/en/A/RES/70/1", None),
    ("mailto:ldcportal@un.org", None),
])
def test_symbol_from_href(href: str, symbol: str | None) -> None:
    assert symbol_from_href(href) == symbol


# ----------------------------------------------------------------------------- structure


def test_sub_items_marked_up_as_paragraphs_belong_to_their_parent() -> None:
    body = (
        '<preamble><formula><p><span>The General Assembly</span>,</p></formula>'
        "<container><p><span>Recalling</span> its resolution 70/1,</p></container></preamble><mainBody>"
        "<paragraph><num>1.</num><content><p><span>Urges</span> all States:</p></content></paragraph>"
        "<paragraph><num>(a)</num><content><p>To cooperate;</p></content></paragraph>"
        "<paragraph><content><p>(b)\tTo report;</p></content></paragraph>"
        "<paragraph><subheading>Follow-up</subheading></paragraph>"
        "<paragraph><content><p> 2\t<span>Decides</span> to remain seized of the matter.</p></content></paragraph>"
        "</mainBody>"
    )
    parsed = parse_akn("t.xml", akn(body)).parsed
    assert [p.id for p in parsed.paragraphs] == ["P1", "O1", "O2"]
    assert parsed.paragraphs[1].text == "Urges all States: (a) To cooperate; (b) To report;"
    assert parsed.paragraphs[2].text == "Decides to remain seized of the matter."
    assert parsed.opener == "General Assembly"


def test_a_part_letter_printed_after_a_link_is_kept() -> None:
    body = (
        '<preamble><formula><p>The General Assembly,</p></formula>'
        f"<container><p><span>Recalling</span> its resolution {link('A/RES/74/255a-b', '74/255')} B,"
        f"</p></container></preamble><mainBody><paragraph><num>1.</num><content><p>Decides to act;</p>"
        "</content></paragraph></mainBody>"
    )
    doc = parse_akn("t.xml", akn(body))
    assert [(c.target, c.surface) for c in doc.links] == [("A/RES/74/255B", "74/255")]


def test_a_link_in_a_footnote_cites_from_the_paragraph_carrying_the_marker() -> None:
    note = f'<authorialNote marker="4" eId="authorialNote_4"><p>See {link("E/CN.6/2020/3")}.</p></authorialNote>'
    body = (
        '<preamble><formula><p>The General Assembly,</p></formula>'
        f"<container><p><span>Taking note</span> of the report{note} of the Commission,</p></container>"
        "</preamble><mainBody><paragraph><num>1.</num><content><p>Decides to act;</p></content></paragraph>"
        "</mainBody>"
    )
    x = extract_bytes("t.xml", akn(body).encode())
    p1 = x.parsed.paragraphs[0]
    assert p1.text == "Taking note of the report of the Commission,"
    assert [(m.number, p1.text[: m.offset]) for m in p1.markers] == [(4, "Taking note of the report")]
    assert x.parsed.footnotes[4].text == "See E/CN.6/2020/3."
    cited = [c for c in x.citations if c.target == "E/CN.6/2020/3"]
    assert [(c.paragraph, c.footnote, c.surface) for c in cited] == [("P1", 4, "E/CN.6/2020/3")]


def test_parts_are_concatenated_and_numbered_on() -> None:
    def part(letter: str, verb: str) -> str:
        return (f'<component><statement name="resolution"><preface><p><docNumber>{letter}</docNumber>'
                f"<docTitle>Part {letter}</docTitle></p></preface><preamble><formula><p>The General Assembly,</p>"
                f"</formula><container><p>Recalling its work,</p></container></preamble><mainBody><paragraph>"
                f"<num>1.</num><content><p>{verb} the report;</p></content></paragraph></mainBody><conclusions>"
                "<p>52nd plenary meeting<eol/>12 December 2022</p></conclusions></statement></component>")

    raw = (f'<akomaNtoso {NS}><documentCollection name="publication"><coverPage><p>Distr.: General</p>'
           "</coverPage><preface><p><docNumber>77/999.</docNumber><docTitle>Questions</docTitle></p></preface>"
           f"</documentCollection><components>{part('A', 'Welcomes')}{part('B', 'Notes')}</components></akomaNtoso>")
    parsed = parse_akn("ab.xml", raw).parsed
    assert [p.id for p in parsed.paragraphs] == ["P1", "O1", "P2", "O2"]
    assert parsed.header == "Distr.: General\n\n77/999. Questions\n\nA Part A"
    assert parsed.closing == "52nd plenary meeting 12 December 2022\nB Part B\n52nd plenary meeting 12 December 2022"
    assert parsed.warnings == ()


def test_a_carried_draft_is_counted_instead_of_its_chapeau() -> None:
    body = (
        '<preamble><formula><p>The Economic and Social Council,</p></formula>'
        "<container><p>Recalling its resolution 2020/1,</p></container></preamble><mainBody><paragraph><content>"
        "<p><span>Recommends</span> to the General Assembly the adoption of the following draft resolution:"
        "<embeddedStructure><container name=\"formula\"><p>The General Assembly,</p></container>"
        "<container><p>Recalling its resolution 70/1,</p></container><paragraph><num>1.</num><content>"
        "<p>Decides to act;</p></content></paragraph></embeddedStructure></p></content></paragraph></mainBody>"
    )
    parsed = parse_akn("e.xml", akn(body)).parsed
    assert parsed.chapeau and parsed.chapeau.startswith("Recommends to the General Assembly")
    assert [(p.id, p.text) for p in parsed.paragraphs] == [("P1", "Recalling its resolution 70/1,"),
                                                          ("O1", "Decides to act;")]
    assert parsed.opener == "Economic and Social Council"


def test_the_frbr_block_fills_what_the_cover_does_not_print() -> None:
    cover = ("<p><docNumber>S/RES/2688 (2023)</docNumber></p><p>Security Council</p><p>Distr.: General</p>"
             "<p>Adopted by the Security Council at its <inline name=\"adoptionMeeting\">9360th meeting</inline>, "
             "on<docDate>27 June 2023</docDate></p>")
    body = ('<preamble><formula><p>The Security Council,</p></formula></preamble><mainBody><paragraph><num>1.</num>'
            "<content><p>Decides to remain seized of the matter.</p></content></paragraph></mainBody>")
    raw = akn(body, cover=cover, frbr="/akn/un/statement/deliberation/unsc/2023-06-27/2688-2023/!main/")
    x = extract_bytes("s.xml", raw.replace('date="2020-12-10"', 'date="2023-06-27"').encode())
    # "on27 June 2023" defeats the cover's date rule; the FRBR block knows the date and the meeting.
    assert (x.document.adoption_date, x.document.meeting, x.document.body) == ("2023-06-27", "9360th meeting",
                                                                             "security-council")
    assert x.document.distribution_date == "2020-12-18"


def test_the_frbr_symbol_of_a_draft_is_its_document_symbol() -> None:
    body = ('<preamble><formula><p>The Security Council,</p></formula></preamble><mainBody><paragraph><num>1.</num>'
            "<content><p>Decides to remain seized of the matter.</p></content></paragraph></mainBody>")
    raw = akn(body, frbr="/akn/un/statement/deliberation/unsc/2023-03-27/2023-212/!main/", name="draftResolution")
    metadata = parse_akn("d.xml", raw).metadata
    assert metadata["symbol"] == "S/2023/212" and metadata["doc_type"] == "draft_resolution"
    assert "adoption_date" not in metadata and "resolution_number" not in metadata


def test_the_document_s_own_symbol_is_not_a_citation() -> None:
    body = ('<preamble><formula><p>The General Assembly,</p></formula></preamble><mainBody><paragraph><num>1.</num>'
            f"<content><p>Requests a report on the present resolution ({link('A/RES/75/999')});</p></content>"
            "</paragraph></mainBody>")
    x = extract_bytes("self.xml", akn(body, cover="<p><docNumber>A/RES/75/999</docNumber></p>").encode())
    assert x.document.symbol == "A/RES/75/999"
    assert all(c.target != "A/RES/75/999" for c in x.citations)


def test_merge_keeps_the_text_rule_reading_where_a_link_sits_on_it() -> None:
    from ingest.extract import merge_citations

    found = [Citation("A/HRC/RES/5/1", "resolutions 5/1", "P3", None, None, 100, 115)]
    links = [Citation("A/RES/5/1", "5/1", "P3", None, None, 112, 115),  # the editors' link, to the wrong series
             Citation("A/RES/5/1", "5/1", "P4", None, None, 300, 303)]  # elsewhere: a citation of its own
    assert [(c.target, c.paragraph) for c in merge_citations(found, links, set())] == [
        ("A/HRC/RES/5/1", "P3"), ("A/RES/5/1", "P4")]


# ----------------------------------------------------------------------------- the command line


def test_unkg_extract_and_ingest_take_xml(tmp_path: Path) -> None:
    folder = tmp_path / "xml"
    folder.mkdir()
    for stem in SAMPLES:
        shutil.copy(DATA / f"{stem}.xml", folder)
    out = tmp_path / "out"
    run = subprocess.run([*COMMAND, "extract", str(folder), "--out", str(out)], cwd=ROOT, capture_output=True,
                         timeout=600)
    assert run.returncode == 0, run.stderr.decode()
    data = json.loads((out / "S_RES_2675_2023.json").read_text(encoding="utf-8"))
    assert data["source"] == "S_RES_2675_2023.xml" and data["paragraphs"] == {"preambular": 4, "operative": 4}
    store = tmp_path / "store"
    run = subprocess.run([*COMMAND, "ingest", "--store", str(store), str(folder)], cwd=ROOT, capture_output=True,
                         timeout=600)
    assert run.returncode == 0, run.stderr.decode()
    stats = subprocess.run([*COMMAND, "stats", "--store", str(store), "--json"], cwd=ROOT, capture_output=True,
                           timeout=600)
    assert json.loads(stats.stdout)["documents"] == len(SAMPLES)
