"""What a SPARQL text asks for, read lexically before the store ever sees it.

The public endpoint must refuse updates, ``SERVICE`` and ``LOAD``: pyoxigraph
has no switch to disable the last two, and both make outbound HTTP requests
from the server.  A keyword can hide from a naive ``"SERVICE" in text``
check (and a naive check refuses harmless queries that mention the word in a
string), so the text is scanned the way the SPARQL grammar reads it:
comments (``#`` outside IRIs and strings), string literals and IRIs are blanked
out, and what remains is searched for keywords as whole words.

SPARQL 1.1 (section 19.2) lets ``\\uXXXX``/``\\UXXXXXXXX`` escapes stand for any
character anywhere in a query, so the scan runs on the text both as written
and with the escapes decoded (repeatedly, so an escaped backslash cannot hide
a second escape); a keyword found in any reading counts.  Oxigraph 0.5 does
not decode escapes outside strings, but a later version or another store
behind ``api.graph`` might, and refusing is the safe direction.

``SERVICE`` and ``LOAD`` are not searched as whole words: Oxigraph's parser
is a PEG without a separate lexer, and it reads a keyword glued to what
precedes or follows it — ``1SERVICE <x>``, ``trueSERVICE <x>``, and
``SERVICE:x`` (the keyword, then ``:x`` with the empty prefix) all make it
call ``<x>``; a whole-word search misses each of them (measured; see
``tests/test_sparql_guard.py``).  So, after strings, IRIs and comments, the
only text removed is what the parser provably consumes greedily as one name
— variables, blank node labels, language tags, and the local part of a
prefixed name, each matched in its ASCII form only (a narrower match leaves
more text to search) — and the letters ``SERVICE``/``LOAD`` anywhere in what
remains refuse the query, whatever touches them.  The price is refusing a
prefix named like ``service:`` or ``download:``; the error says so.

Behind this guard the query workers have no network at all where the kernel
allows it (``api.query_worker``): the guard is the first wall, not the only one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")
"""The words an update operation starts with (SPARQL 1.1 Update, section 3)."""

FORBIDDEN_KEYWORDS = ("SERVICE", "LOAD")
"""Keywords refused wherever they appear: both fetch data from other servers."""

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_IRIREF = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
_PROLOGUE = re.compile(r"(?:\s*(?:BASE\b|VERSION\b|PREFIX\s+[^\s:]*:))*\s*", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z]+")


def _keyword(word: str) -> re.Pattern[str]:
    # A keyword is not part of a variable (?x), a prefixed name (ex:service, service:x),
    # a language tag (@en-service) or a longer word.
    return re.compile(rf"(?<![\w:?$@\-]){word}(?![\w:\-])", re.IGNORECASE)


_KEYWORDS = {word: _keyword(word) for word in ("FROM",)}
_FORBIDDEN_ANYWHERE = {word: re.compile(word, re.IGNORECASE) for word in FORBIDDEN_KEYWORDS}
# Names the parser reads greedily as one token (ASCII forms; the grammar allows more, never less):
_GREEDY_NAMES = re.compile(
    r"[?$][A-Za-z0-9_]+"                                    # variables
    r"|_:[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?"    # blank node labels
    r"|@[A-Za-z]+(?:-[A-Za-z0-9]+)*"                        # language tags
    r"|(?<=:)[A-Za-z0-9_](?:[A-Za-z0-9_.\-:]*[A-Za-z0-9_\-:])?"  # local part of a prefixed name
)
_MAX_DECODING_ROUNDS = 4


@dataclass(frozen=True)
class QueryInspection:
    """The facts about a SPARQL text that the endpoint acts on before running it."""

    form: str | None
    """The first keyword after the prologue, upper case (SELECT, ASK, ..., or an update verb)."""
    is_update: bool
    forbidden: str | None
    """``SERVICE`` or ``LOAD`` if the text uses it anywhere as a keyword."""
    has_dataset_clause: bool
    """Whether the query has ``FROM``/``FROM NAMED`` (then the union default graph must not override it)."""


def decode_codepoint_escapes(text: str) -> str:
    """Replace every ``\\uXXXX`` and ``\\UXXXXXXXX`` by its character, as SPARQL 1.1 section 19.2 allows."""

    def replace(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return match.group(0)
        return chr(code)

    return _ESCAPE.sub(replace, text)


def code_only(text: str) -> str:
    """``text`` with comments, string literals and IRIs replaced by spaces: what keywords can live in."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == "#":
            end = min((p for p in (text.find("\n", i), text.find("\r", i)) if p != -1), default=n)
            out.append(" ")
            i = end
        elif char in "\"'":
            i = _skip_string(text, i)
            out.append(" ")
        elif char == "<" and (iri := _IRIREF.match(text, i)):
            out.append(" ")
            i = iri.end()
        else:
            out.append(char)
            i += 1
    return "".join(out)


def _skip_string(text: str, start: int) -> int:
    """The index after the string literal opening at ``start`` (short or long form, with escapes).

    A short string ends at a line break if it is not closed: the parser will
    reject such a query anyway, and ending early keeps more text visible to
    the keyword search.
    """
    quote = text[start]
    long_form = text.startswith(quote * 3, start)
    i = start + (3 if long_form else 1)
    n = len(text)
    while i < n:
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if long_form and text.startswith(quote * 3, i):
            return i + 3
        if not long_form and char == quote:
            return i + 1
        if not long_form and char in "\r\n":
            return i
        i += 1
    return n


def _inspect_one(text: str) -> QueryInspection:
    code = code_only(text)
    rest = code[_PROLOGUE.match(code).end():]  # type: ignore[union-attr]  # the pattern matches the empty string
    first = _WORD.match(rest)
    form = first.group(0).upper() if first else None
    bare = _GREEDY_NAMES.sub(" ", code)
    forbidden = next((word for word in FORBIDDEN_KEYWORDS if _FORBIDDEN_ANYWHERE[word].search(bare)), None)
    return QueryInspection(
        form=form,
        is_update=form in UPDATE_KEYWORDS,
        forbidden=forbidden,
        has_dataset_clause=bool(_KEYWORDS["FROM"].search(code)),
    )


def inspect_query(text: str) -> QueryInspection:
    """Inspect ``text`` as written and with its codepoint escapes decoded; any reading can refuse it."""
    readings = [_inspect_one(text)]
    decoded = text
    for _ in range(_MAX_DECODING_ROUNDS):
        again = decode_codepoint_escapes(decoded)
        if again == decoded:
            break
        decoded = again
        readings.append(_inspect_one(decoded))
    else:
        if _ESCAPE.search(decoded):  # escapes nested deeper than any honest query needs
            return QueryInspection(form=readings[0].form, is_update=readings[0].is_update, forbidden="SERVICE",
                                   has_dataset_clause=readings[0].has_dataset_clause)
    literal = readings[0]
    return QueryInspection(
        form=literal.form if literal.form in QUERY_FORMS else next((r.form for r in readings if r.form), None),
        is_update=any(r.is_update for r in readings),
        forbidden=next((r.forbidden for r in readings if r.forbidden), None),
        has_dataset_clause=any(r.has_dataset_clause for r in readings),
    )
