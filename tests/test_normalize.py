"""Normalization of each export format among the seeds, and the refusal of what is not text.

``normalize`` removes export markup but keeps every line (paragraph
boundaries survive), turns superscript footnote markers into canonical marker
tokens, sets page furniture aside and reads the ODS metadata;
``decode_text`` names the file and the reason when bytes are not text.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from ingest.errors import IngestError
from ingest.normalize import MARK_CLOSE, MARK_OPEN, decode_text, normalize, read_text
from ingest.pipeline import extract_bytes, extract_file

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
SEEDS = {path.name[:3]: path for path in sorted(CORPUS.glob("*.txt"))}
MARKDOWN = ["000", "002", "003", "004"]
SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"


def mark(number: int) -> str:
    return f"{MARK_OPEN}{number}{MARK_CLOSE}"


def seed(key: str):
    path = SEEDS[key]
    return normalize(path.name, path.read_text(encoding="utf-8"))


def line_starting(lines: tuple[str, ...], prefix: str) -> str:
    matches = [line for line in lines if line.startswith(prefix)]
    assert matches, f"no line starts with {prefix!r}"
    return matches[0]


@pytest.mark.parametrize(("key", "fmt"), [("000", "markdown"), ("001", "wordproc"), ("002", "markdown"),
                                          ("003", "markdown"), ("004", "markdown")])
def test_export_format_of_each_seed_is_detected(key: str, fmt: str) -> None:
    assert seed(key).fmt == fmt


@pytest.mark.parametrize("key", MARKDOWN)
def test_markdown_export_keeps_every_line(key: str) -> None:
    raw = SEEDS[key].read_text(encoding="utf-8")
    assert len(seed(key).lines) == len(raw.split("\n"))


@pytest.mark.parametrize("key", MARKDOWN)
def test_markdown_markup_is_gone_from_every_line(key: str) -> None:
    for line in seed(key).lines:
        assert "](#)" not in line
        assert "*" not in line
        assert not line.startswith("- ")
        assert not any(ch in line for ch in SUPERSCRIPTS), line


def test_superscript_marker_in_text_becomes_canonical_marker() -> None:
    lines = seed("000").lines
    first = line_starting(lines, "(a) To promote")
    assert f"Transnational Organized Crime{mark(1)} and the Protocol" in first
    # The space before a detached marker ("Crime, ²") goes with it.
    assert line_starting(lines, "United Nations Convention against").startswith(
        f"United Nations Convention against Transnational Organized Crime,{mark(2)} as well as"
    )
    assert line_starting(lines, "Noting the activities").endswith(f"Coordination Group.{mark(3)}")


def test_superscript_footnote_line_becomes_marker_and_text_without_italics() -> None:
    lines = seed("000").lines
    assert f"{mark(1)} United Nations, Treaty Series, vol. 2225, No. 39574." in lines
    assert f"{mark(2)} Ibid., vol. 2237, No. 39574." in lines
    assert f"{mark(3)} See A/71/119." in lines


def test_multi_digit_superscript_is_one_marker() -> None:
    norm = normalize("x.md", "Recalling the report,¹² and\n\n¹² See A/71/119.\n")
    assert norm.fmt == "markdown"
    assert norm.lines[0] == f"Recalling the report,{mark(12)} and"
    assert norm.lines[2] == f"{mark(12)} See A/71/119."


def test_links_lose_their_markup() -> None:
    lines = seed("003").lines
    assert "Recalling also General Assembly resolution 70/1 of 25 September 2015, containing" in \
        line_starting(lines, "Recalling also General Assembly")
    assert f"{mark(1)} General Assembly resolution 64/293." in lines
    assert f"{mark(6)} Resolutions 55/67, 58/137, 59/166, 61/144, 63/156 and 63/194." in seed("002").lines


def test_symbol_broken_across_lines_inside_a_link_stays_one_symbol() -> None:
    raw = ("The General Assembly,\n\nRecalling its resolutions [63/\n156](#) of 18 December 2008,¹\n\n"
           "¹ See [A/71/\n119](#).\n")
    norm = normalize("x.md", raw)
    text = "\n".join(norm.lines)
    assert "resolutions 63/156 of 18 December 2008," in text
    assert f"{mark(1)} See A/71/119." in text
    assert "[" not in text and "](#)" not in text


def test_italics_and_bold_are_removed_even_across_lines() -> None:
    lines = seed("003").lines
    assert "Social and human rights questions: crime prevention" in lines
    assert "and criminal justice" in lines
    assert "[on the recommendation of the Commission on Crime Prevention and" in lines
    assert "Agenda item 19 (c)" in "\n".join(seed("000").lines)
    assert line_starting(seed("000").lines, "3. Invites").startswith("3. Invites the Working Group")


def test_list_bullets_are_removed() -> None:
    lines = seed("000").lines
    assert line_starting(lines, "1. Urges").startswith("1. Urges Member States that have not yet done so")
    assert line_starting(lines, "12. Invites").startswith("12. Invites Member States and other donors")
    assert line_starting(lines, "(b) To help").startswith("(b) To help Member States")


def test_underscores_inside_words_are_not_emphasis() -> None:
    raw = "Recalling the report,¹\n\n¹ Available at www.unodc.org/documents/GLOTiP_2016_BOOK_web.pdf.\n"
    norm = normalize("x.md", raw)
    assert norm.lines[2] == f"{mark(1)} Available at www.unodc.org/documents/GLOTiP_2016_BOOK_web.pdf."


def test_wordproc_keeps_tabs_and_glued_numbers_for_the_parser() -> None:
    lines = seed("001").lines
    first = line_starting(lines, "1.\t")
    assert "Trafficking in Persons1 and our commitments" in first
    assert "\t1 \tResolution 64/293." in lines


FURNITURE = ["17-30057 5/6", "17-300572/6", "5/617-30057", "*1717057*", "17-17057 (E)    121017", "N1730150E",
             "2/6", "-----------"]
BODY = {
    "markdown": "The General Assembly,\n\nRecalling its resolution 64/293,¹\n\n{furniture}\n\n"
                "1. *Urges* States;\n\n¹ A/71/119.\n",
    "plain": "The General Assembly,\n\nRecalling its resolution 64/293,\n\n{furniture}\n\n1. Urges States;\n",
}


@pytest.mark.parametrize(("fmt", "furniture"), [
    pytest.param(fmt, furniture, id=f"{fmt}: {furniture}",
                 )
    for fmt in BODY for furniture in FURNITURE
])
def test_page_furniture_is_set_aside_not_kept_in_lines(fmt: str, furniture: str) -> None:
    raw = BODY[fmt].format(furniture=furniture)
    norm = normalize("x.txt", raw)
    assert norm.fmt == fmt
    assert furniture.strip() in norm.furniture
    assert all(furniture.strip("*") not in line for line in norm.lines)
    # The line is blanked, not dropped: paragraph boundaries survive.
    assert len(norm.lines) == len(raw.split("\n"))
    assert "1. Urges States;" in norm.lines


def test_furniture_of_the_wordproc_seed_is_set_aside() -> None:
    norm = seed("001")
    for furniture in ["17-300572/6", "5/617-30057", "*1717057*", "17-17057 (E)    121017"]:
        assert furniture in norm.furniture
    assert "United NationsA/RES/72/1 General AssemblyDistr.: General" in norm.furniture
    assert "9 October 2017" in norm.furniture
    text = "\n".join(norm.lines)
    for noise in ["17-30057", "1717057", "N1730150E", "<<ODS"]:
        assert noise not in text


def test_ods_fields_are_read() -> None:
    norm = seed("001")
    assert norm.ods == {"JOB NO": "N1730150E", "DOC SYMBOL1": "A/RES/72/1"}


def test_ods_field_in_a_small_text() -> None:
    raw = "\tThe General Assembly,\n1.\tUrges States;\n<<ODS DOC SYMBOL1>>A/RES/72/1<<ODS DOC SYMBOL1>>\n"
    norm = normalize("x.txt", raw)
    assert norm.fmt == "wordproc"
    assert norm.ods["DOC SYMBOL1"] == "A/RES/72/1"
    assert all("<<ODS" not in line for line in norm.lines)


def test_text_noise_is_normalized() -> None:
    raw = "The General\u00a0Assembly,\r\n\r\nRecalling\u200b resolution 70/1,\f1. Urges States;\r"
    norm = normalize("x.txt", raw)
    assert norm.lines[0] == "The General Assembly,"
    assert norm.lines[2] == "Recalling resolution 70/1,"
    assert "1. Urges States;" in norm.lines
    assert all("\r" not in line and "\f" not in line for line in norm.lines)


REFUSED = [
    pytest.param(b"", "is empty", id="empty"),
    pytest.param(b"  \n\t\n", "is empty", id="whitespace only"),
    pytest.param(b"The General\x00Assembly", "NUL", id="binary (NUL)"),
    pytest.param(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF", id="PDF"),
    pytest.param(b"PK\x03\x04\x14\x00\x06\x00", "ZIP", id="ZIP"),
    pytest.param("Résolution".encode("latin-1"), "not valid UTF-8", id="invalid UTF-8"),
    pytest.param(b"\xff\xfeA", "invalid UTF-16", id="truncated UTF-16"),
    pytest.param(b"ab\x01\x02\x03\x04cd\x05\x06" * 10, "control characters", id="control characters"),
]


@pytest.mark.parametrize(("data", "reason"), REFUSED)
def test_decode_text_refuses_what_is_not_text_naming_file_and_reason(data: bytes, reason: str) -> None:
    with pytest.raises(IngestError) as info:
        decode_text("corpus/doc.txt", data)
    assert info.value.path == "corpus/doc.txt"
    assert reason in info.value.reason
    assert str(info.value).startswith("corpus/doc.txt: ")
    assert reason in str(info.value)


def test_invalid_utf8_message_says_where() -> None:
    with pytest.raises(IngestError, match=r"byte 0xe9 at offset 1"):
        decode_text("doc.txt", "Résolution".encode("latin-1"))


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_bom_decodes(encoding: str) -> None:
    text = "The General Assembly,\n\nRecalling résolution 70/1,\n"
    data = text.encode(encoding)
    if encoding != "utf-16":  # utf-16 writes its own BOM; the explicit-endian codecs do not
        data = (codecs.BOM_UTF16_LE if encoding.endswith("le") else codecs.BOM_UTF16_BE) + data
    assert decode_text("doc.txt", data) == text


def test_utf8_bom_is_dropped() -> None:
    assert decode_text("doc.txt", codecs.BOM_UTF8 + b"The General Assembly,") == "The General Assembly,"


def test_read_text_names_the_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "gone.txt"
    with pytest.raises(IngestError, match="gone.txt: file not found"):
        read_text(missing)


def test_read_text_refuses_a_directory(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="is a directory"):
        read_text(tmp_path)


def test_extract_file_refuses_a_pdf_naming_it(tmp_path: Path) -> None:
    pdf = tmp_path / "report.txt"
    pdf.write_bytes(b"%PDF-1.7\n")
    with pytest.raises(IngestError) as info:
        extract_file(pdf)
    assert info.value.path == str(pdf)
    assert "PDF" in info.value.reason


def test_extract_bytes_decodes_utf16_upload() -> None:
    raw = SEEDS["000"].read_text(encoding="utf-8")
    result = extract_bytes("000.txt", raw.encode("utf-16"))
    assert result.document.symbol == "E/RES/2017/18"


def test_a_pdf_export_without_footnotes_is_known_by_its_italic_clause_verbs() -> None:
    raw = ("The General Assembly,\n\n*Recalling* its resolution 64/293,\n\n*Deeply concerned* by trafficking,\n\n"
           "1. *Urges* Member States to act;\n\n*53rd plenary meeting\n22 December 2001*\n")
    norm = normalize("x.md", raw)
    assert norm.fmt == "markdown"
    assert "Recalling its resolution 64/293," in norm.lines
    assert "1. Urges Member States to act;" in norm.lines
    assert not any("*" in line for line in norm.lines)


def test_a_text_without_markup_stays_plain() -> None:
    assert normalize("x.txt", "The General Assembly,\n\nRecalling its resolution 64/293,\n").fmt == "plain"
