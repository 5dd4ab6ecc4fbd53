"""Document symbols from the links the UN's editors put in their XML.

The official XML links a cited document to its page on undocs.org (or its
successors docs.un.org and documents.un.org).  The link's path is the
document's symbol, but written by hand: with a language prefix (``en/``),
percent-encoded (``A%2FRES%2F70%2F1``), as a query (``Home/Mobile?FinalSymbol=…``),
in lower case (``a/res/415 (V)``, ``A/hrc/RES/43/1``, ``A/RES/66/235b``) or
with spaces (``A/RES/57/270 B``).  ``symbol_from_href`` undoes that so a link
yields the symbol as the UN writes it, the form citations are compared in.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote, urlsplit

from .symbols import SERIES

# Hosts whose paths are document symbols; other links (un.org pages, PDFs elsewhere) cite no symbol.
UNDOCS_HOSTS = frozenset({
    "undocs.org", "www.undocs.org", "docs.un.org", "documents.un.org", "documents-dds-ny.un.org",
})
_LANGUAGES = frozenset({"en", "fr", "es", "ar", "ru", "zh"})
# Query parameters that carry the symbol: "Home/Mobile?FinalSymbol=A%2FRES%2F70%2F1", "?symbol=…".
_SYMBOL_PARAMETERS = ("finalsymbol", "symbol", "s")
# Parts the UN writes in mixed case; a lower-case link spells them in lower case.
_MIXED_CASE = {"ADD": "Add", "CORR": "Corr", "REV": "Rev", "AMEND": "Amend", "SECT": "Sect"}
_MIXED_CASE_PART = re.compile(r"\b(ADD|CORR|REV|AMEND|SECT)(?=\.)")
_SERIES_PART = re.compile(r"[A-Za-z]{1,8}(?:\.\d{1,3})?")
_LINKED_SYMBOL = re.compile(r"[A-Z][A-Za-z0-9.\-]*(?:/[A-Za-z0-9.\-()]+)+")


def symbol_from_href(href: str) -> str | None:
    """The document symbol a link points to, or None when it points to no UN document.

    ``https://undocs.org/en/A/RES/74/198`` -> ``A/RES/74/198``;
    ``https://undocs.org/Home/Mobile?FinalSymbol=A%2F75%2F1`` -> ``A/75/1``;
    ``https://docs.un.org/en/a/res/415 (V)`` -> ``A/RES/415(V)``.
    """
    try:
        url = urlsplit(href.strip())
    except ValueError:
        return None
    if (url.hostname or "").lower() not in UNDOCS_HOSTS:
        return None
    query = {k.lower(): v for k, v in parse_qs(url.query).items()}
    given = next((query[k][0] for k in _SYMBOL_PARAMETERS if query.get(k)), None)
    path = unquote(given if given is not None else url.path)
    parts = [p for p in path.split("/") if p.strip()]
    if len(parts) > 1 and parts[0].lower() in _LANGUAGES:
        parts = parts[1:]
    return linked_symbol("/".join(parts))


def linked_symbol(path: str) -> str | None:
    """A symbol written by hand in a link, in the UN's spelling; None if it is not a symbol.

    A part written all in lower case is upper-cased (``hrc`` -> ``HRC``,
    ``235b`` -> ``235B``, ``(s-iv)`` -> ``(S-IV)``), except the words the UN
    writes in mixed case (``corr.1`` -> ``Corr.1``); a part already in mixed
    case is kept (``UNEP/OzL.Pro.28/12``).  The first part must name a
    series (``A``, ``E/CN.15``, ``CBD``), which tells symbols from web pages
    (``doc/UNDOC/GEN/…pdf``, ``ecosoc/en/…``).
    """
    symbol = re.sub(r"\s+", "", path).strip("/").rstrip(".,;")
    parts = symbol.split("/")
    first = parts[0]
    if not _SERIES_PART.fullmatch(first) or not (first.upper() in SERIES or first.isupper()):
        return None
    if len(parts) < 2 or not re.search(r"\d", symbol) or re.search(r"\.(?:pdf|html?|aspx?)$|[?&=#]", symbol, re.I):
        return None
    fixed = []
    for part in parts:
        if part == part.lower():
            part = _MIXED_CASE_PART.sub(lambda m: _MIXED_CASE[m.group(1)], part.upper())
        # A Supplement of the Official Records: "(supp)", "(Supp)" -> "(SUPP)", as the document symbols print it.
        part = re.sub(r"\((?i:supp)\)$", "(SUPP)", part)
        fixed.append(part)
    symbol = "/".join(fixed)
    return symbol if _LINKED_SYMBOL.fullmatch(symbol) else None
