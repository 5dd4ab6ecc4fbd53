"""Raw bytes to ``NormalizedText``: decoding, export noise out, lines kept.

The UN's texts reach us through several exports, each with its own noise:

* Markdown converted from PDF: superscript footnote markers (``¹²³``),
  ``[64/293](#)`` links, ``*italics*``/``**bold**``, ``- 1.`` list bullets,
  running heads and page footers (``17-30057 5/6``).
* Word-processor exports: tab indentation, footnote numbers glued to words
  (``Persons1``), ``[Start1]`` markers and trailing ODS metadata lines
  (``<<ODS DOC SYMBOL1>>A/RES/72/1<<ODS DOC SYMBOL1>>``) followed by the
  page furniture of the print layout (running heads, job numbers, barcodes).
* The plain rendering of the UN's XML: cover lines, footnotes under a
  ``__________________`` rule.

Normalization removes the markup but keeps every line, so that paragraph
boundaries survive; superscript markers become canonical marker tokens
(``MARK_OPEN n MARK_CLOSE``) that the parser turns into footnote references.
Lines recognised as page furniture are not dropped but set aside in
``furniture``: the distribution date of a word-processor export is printed
only there.
"""

from __future__ import annotations

import codecs
import re
import stat
from pathlib import Path

from .errors import IngestError
from .models import NormalizedText

MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"

# Non-breaking spaces and hyphens ("Non‑Proliferation") are ordinary ones to the matchers;
# zero-width and soft hyphens are dropped.
_CHARACTERS = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u2011": "-", "\u2010": "-",
                             "\u200b": None, "\u00ad": None, "\ufeff": None})

MAX_FILE_BYTES = 8 * 1024 * 1024
"""The largest text taken: 40 times the longest resolution of the dev corpus (0.2 MB).

The extraction is linear on real documents (about 1 MB/s) but has quadratic
corners (see ``docs/reliability.md``), so input larger than any real
resolution is refused with this limit named instead of being ground through."""
MAX_LINE_CHARS = 100_000
"""The longest line taken: 11 times the longest line of the dev corpus (8,775 characters).

A paragraph is usually one line; extraction time grows with the square of a
paragraph's length (0.4 MB on one line takes 45 s)."""
MAX_WORD_CHARS = 1_000
"""The longest run without white space: real texts stay under 130 characters.

spaCy's tokenizer splits prefixes and suffixes off one such run in quadratic
time (20,000 nested brackets take a minute)."""

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_SUPERSCRIPT_RUN = re.compile(r"\s?([⁰¹²³⁴⁵⁶⁷⁸⁹]+)")
_MD_LINK = re.compile(r"\[([^\[\]\n]*(?:\n[^\[\]\n]*)?)\]\((?:#[^)]*|https?://[^)\s]*)\)")
# Asterisks mark emphasis anywhere; underscores only at word edges ("GLOTiP_2016_BOOK" stays).
_MD_EMPHASIS = re.compile(r"(\*{1,3})(?=\S)(.+?)(?<=\S)\1|(?<!\w)(_{1,2})(?=\S)(.+?)(?<=\S)\3(?!\w)", re.S)
_MD_BULLET = re.compile(r"^\s*[-*+]\s+(?=\(?[0-9a-z]{1,4}[.)]\s)")
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_ODS_FIELD = re.compile(r"<<ODS ([A-Z0-9 ]+?)>>(.*?)<<ODS \1>>")

# Page furniture: job numbers ("17-30057", "17-17057 (E)    121017"), with or
# without a glued page number ("17-300572/6", "5/617-30057"), barcodes
# ("*1717057*"), bare page numbers ("5/6") and rules.
_FURNITURE = [
    re.compile(r"^\d{1,3}/\d{1,3}\s*\d{2}-\d{5}(\s*\(E\))?$"),
    re.compile(r"^\d{2}-\d{5}(\s*\(E\))?(\s+\d{1,3}/\d{1,3}|\d{1,3}/\d{1,3})?(\s+\d{6})?\s*$"),
    re.compile(r"^\*\d{5,}\*$"),
    re.compile(r"^(Page\s+)?\d{1,3}(/\d{1,3})?$"),
    re.compile(r"^-{3,}$"),
    re.compile(r"^\[Start\d*\]$"),
    re.compile(r"^[A-Z]\d{7}[A-Z]?$"),
]


def read_text(path: Path) -> str:
    """Read a resolution text file, refusing what is not text with a reason a user can act on.

    Only regular files are read (a FIFO or device would block or never end),
    and never more than ``MAX_FILE_BYTES`` + 1 bytes, even if the file grows
    between the size check and the read.
    """
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            kind = "a directory" if stat.S_ISDIR(info.st_mode) else "not a regular file (a pipe, socket or device)"
            raise IngestError(path, f"is {kind}, not a text file")
        if info.st_size > MAX_FILE_BYTES:
            raise IngestError(path, f"file is {info.st_size} bytes, over the {MAX_FILE_BYTES}-byte limit "
                                    "for one text (the longest UN resolutions are under 1 MB)")
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise IngestError(path, f"file grew past the {MAX_FILE_BYTES}-byte limit for one text while it was read")
    except IngestError:
        raise
    except FileNotFoundError:
        raise IngestError(path, "file not found (it may have been moved or deleted)") from None
    except IsADirectoryError:
        raise IngestError(path, "is a directory, not a file") from None
    except PermissionError:
        raise IngestError(path, "permission denied") from None
    except OSError as exc:
        raise IngestError(path, f"cannot be read: {exc.strerror or exc}") from None
    return decode_text(path, data)


def decode_text(path: Path | str, data: bytes) -> str:
    """Decode bytes as UTF-8 (or UTF-16 with a byte-order mark); name what the file really is otherwise."""
    if data.startswith(b"%PDF"):
        raise IngestError(path, "is a PDF file, not text (PDF input is not supported yet; export it to text)")
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        raise IngestError(path, "is a ZIP archive (or an office document), not text")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise IngestError(path, f"invalid UTF-16 at byte {exc.start}") from None
    else:
        if b"\x00" in data[:4096]:
            raise IngestError(path, "is a binary file (it contains NUL bytes), not text")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise IngestError(
                path, f"is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})"
            ) from None
    if not text.strip():
        raise IngestError(path, "is empty (no text to extract)")
    controls = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > 0.01 * min(len(text), 20000):
        raise IngestError(path, "looks binary (too many control characters), not text")
    check_shape(path, text)
    return text


def check_shape(path: Path | str, text: str) -> None:
    """Refuse text whose size, line length or word length no resolution has (see the limits above)."""
    if len(data := text.encode("utf-8", errors="surrogatepass")) > MAX_FILE_BYTES:
        raise IngestError(path, f"text is {len(data)} bytes, over the {MAX_FILE_BYTES}-byte limit for one text")
    for number, line in enumerate(text.splitlines(), start=1):
        if len(line) > MAX_LINE_CHARS:
            raise IngestError(path, f"line {number} is {len(line)} characters long, over the {MAX_LINE_CHARS}-"
                                    "character limit for one line (resolution paragraphs are under 10,000)")
    longest = max((m for m in re.finditer(r"\S+", text)), key=lambda m: m.end() - m.start(), default=None)
    if longest is not None and longest.end() - longest.start() > MAX_WORD_CHARS:
        at_line = text.count("\n", 0, longest.start()) + 1
        raise IngestError(path, f"line {at_line} holds {longest.end() - longest.start()} characters without a space, "
                                f"over the {MAX_WORD_CHARS}-character limit (real texts stay under 130)")


def _is_furniture(line: str) -> bool:
    stripped = line.strip()
    return any(p.match(stripped) for p in _FURNITURE)


_ITALIC_OPENER = re.compile(r"(?m)^(?:\d+\.\s+)?\*[A-Z][^*\n]*\*(?!\*)")


def _detect_format(text: str) -> str:
    if "<<ODS " in text or "[Start1]" in text or re.search(r"(?m)^\d+\.\t", text):
        return "wordproc"
    if re.search(r"(?m)[⁰¹²³⁴⁵⁶⁷⁸⁹]|\]\(#\)|\*\*|^- \d+\. ", text):
        return "markdown"
    if _ITALIC_OPENER.search(text):
        # A PDF export without footnotes still sets clause verbs in italics: "*Recalling*", "1. *Urges*".
        return "markdown"
    return "plain"


def _clean_markdown(text: str) -> str:
    # Links first (a symbol broken across lines inside a link, "[63/\n156](#)",
    # stays one symbol), then emphasis, then superscript markers.
    text = _MD_LINK.sub(lambda m: m.group(1).replace("/\n", "/"), text)
    for _ in range(2):  # "***x***" nests
        text = _MD_EMPHASIS.sub(lambda m: m.group(2) if m.group(1) else m.group(4), text)
    return text


def _canonical_markers(line: str) -> str:
    return _SUPERSCRIPT_RUN.sub(lambda m: f"{MARK_OPEN}{m.group(1).translate(_SUPERSCRIPTS)}{MARK_CLOSE}", line)


def normalize(source: str, raw: str) -> NormalizedText:
    """Remove export markup and page furniture; keep lines (paragraph boundaries) and ODS metadata."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").translate(_CHARACTERS)
    text = text.replace("\f", "\n\n")
    fmt = _detect_format(text)
    ods: dict[str, str] = {}
    for m in _ODS_FIELD.finditer(text):
        if m.group(2).strip():
            ods.setdefault(m.group(1).strip(), m.group(2).strip())
    # Furniture is recognised on the raw lines, before markup is removed ("*1717057*" is a barcode).
    kept: list[str] = []
    furniture: list[str] = []
    trailer = False
    for raw_line in text.split("\n"):
        line = raw_line.rstrip()
        if "<<ODS " in line:
            # The ODS block closes the text: what follows is the print layout's furniture.
            trailer = True
        if trailer:
            furniture.append(_ODS_FIELD.sub("", line).strip())
        elif _is_furniture(line):
            furniture.append(line.strip())
        else:
            kept.append(line)
            continue
        kept.append("")  # blanked, not dropped: paragraph boundaries survive
    text = "\n".join(kept)
    if fmt == "markdown":
        text = _clean_markdown(text)
    lines: list[str] = []
    for line in text.split("\n"):
        if fmt == "markdown":
            line = _MD_HEADING.sub("", _MD_BULLET.sub("", line))
        lines.append(_canonical_markers(line))
    return NormalizedText(
        source=source, lines=tuple(lines), fmt=fmt, ods=ods, furniture=tuple(f for f in furniture if f)
    )
