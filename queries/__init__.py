"""The saved research queries: ``queries/*.rq`` files with a machine-readable header.

Researchers come with questions, not with SPARQL; each file answers one
question and says so in a header of comment lines before the query::

    # title: What cites a document
    # question: Which documents cite this document, in which paragraph and with which verb?
    # param: symbol (document): symbol of the cited document
    # param: body (body, optional): key, label or alias of the citing body; all bodies without it
    # param: symbol (document) = A/RES/64/293: the same, with a default
    # example: unkg query cited-by --param symbol=A/RES/64/293

A line that starts with ``#`` and two or more spaces continues the previous
field.  Parameters are SPARQL variables of the query, bound with typed values
(``queries.binding``) and never spliced into the text; Oxigraph wants each of
them in the SELECT projection, which ``load_query`` checks.  An optional
parameter without a value leaves its variable free, so a query grouped by
``?body`` answers "per body" without it and "for this body" with it.

The same parser reads any ``.rq`` file, so a researcher's own file with such a
header takes ``--param`` like a saved one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

PARAMETER_KINDS = ("document", "instrument", "body", "state", "year", "string")
"""What a parameter's value names, which decides the RDF term it is bound as (see ``queries.binding``)."""

HEADER_FIELDS = ("title", "question", "param", "example")
NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_FIELD = re.compile(r"^#\s?(?P<key>[a-z]+):\s*(?P<value>.*)$")
_CONTINUATION = re.compile(r"^#\s{2,}(?P<value>\S.*)$")
_PARAMETER = re.compile(
    r"^(?P<name>[A-Za-z_]\w*)\s*\((?P<kind>[a-z]+)(?P<optional>\s*,\s*optional)?\)"
    r"\s*(?:=\s*(?P<default>[^\s:]+))?\s*:\s*(?P<description>.+)$"
)
_SELECT_CLAUSE = re.compile(r"\bSELECT\s+(?:DISTINCT\s+|REDUCED\s+)?(?P<projection>.*?)\s*(?:\bWHERE\b|\{)",
                            re.IGNORECASE | re.DOTALL)


class QueryHeaderError(ValueError):
    """A query file whose header does not follow the fixed form; the message names the file and line."""


class UnknownQueryError(LookupError):
    """No saved query has this name."""

    def __init__(self, name: str) -> None:
        super().__init__(f"no saved query {name!r}; `unkg query --list` lists them")
        self.name = name


@dataclass(frozen=True)
class QueryParameter:
    """One pre-bound variable of a query."""

    name: str
    kind: str
    """One of ``PARAMETER_KINDS``."""
    description: str
    default: str | None = None
    optional: bool = False

    @property
    def required(self) -> bool:
        """A value must be given: neither a default nor optional (an unbound, free variable)."""
        return self.default is None and not self.optional


@dataclass(frozen=True)
class SavedQuery:
    """A query file: its name (the file stem), header fields and SPARQL text."""

    name: str
    title: str
    question: str
    parameters: tuple[QueryParameter, ...]
    examples: tuple[str, ...]
    sparql: str
    path: Path | None = None

    @property
    def example(self) -> str | None:
        return self.examples[0] if self.examples else None

    def parameter(self, name: str) -> QueryParameter | None:
        return next((p for p in self.parameters if p.name == name), None)


def parse_query(text: str, name: str, path: Path | None = None) -> SavedQuery:
    """A ``SavedQuery`` from a file's text; raises ``QueryHeaderError`` for a malformed header.

    A file without any header is still a query (a title-less ad-hoc one): only
    a header that is there must be well formed.
    """
    where = str(path or name)
    fields: list[tuple[str, str, int]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.rstrip()
        if not stripped.startswith("#"):
            if stripped:
                break  # the header ends at the first line of SPARQL
            continue
        if (more := _CONTINUATION.match(stripped)) and fields:
            key, value, start = fields[-1]
            fields[-1] = (key, f"{value} {more.group('value').strip()}", start)
            continue
        found = _FIELD.match(stripped)
        if found is None or found.group("key") not in HEADER_FIELDS:
            continue  # a free comment line ("# Note: ..." in a user's own file)
        fields.append((found.group("key"), found.group("value").strip(), number))
    title = next((v for k, v, _ in fields if k == "title"), "")
    question = next((v for k, v, _ in fields if k == "question"), "")
    parameters = tuple(_parameter(value, where, line) for key, value, line in fields if key == "param")
    names = [p.name for p in parameters]
    if len(set(names)) != len(names):
        raise QueryHeaderError(f"{where}: a parameter is declared twice: {', '.join(names)}")
    query = SavedQuery(name=name, title=title, question=question, parameters=parameters,
                       examples=tuple(v for k, v, _ in fields if k == "example"), sparql=text, path=path)
    _check_projection(query, where)
    return query


def _parameter(value: str, where: str, line: int) -> QueryParameter:
    found = _PARAMETER.match(value)
    if found is None:
        raise QueryHeaderError(f"{where}:{line}: a parameter reads `# param: NAME (KIND[, optional]) "
                               f"[= DEFAULT]: description`, not {value!r}")
    kind = found.group("kind")
    if kind not in PARAMETER_KINDS:
        raise QueryHeaderError(f"{where}:{line}: unknown parameter kind {kind!r}; use {', '.join(PARAMETER_KINDS)}")
    return QueryParameter(name=found.group("name"), kind=kind, description=found.group("description").strip(),
                          default=found.group("default"), optional=bool(found.group("optional")))


def _check_projection(query: SavedQuery, where: str) -> None:
    """Oxigraph refuses a substitution for a variable the outer SELECT does not project; say so early."""
    if not query.parameters:
        return
    body = "\n".join(line for line in query.sparql.splitlines() if not line.lstrip().startswith("#"))
    found = _SELECT_CLAUSE.search(body)
    if found is None:
        raise QueryHeaderError(f"{where}: parameters are only supported on SELECT queries")
    projected = set(re.findall(r"[?$](\w+)", found.group("projection")))
    missing = [p.name for p in query.parameters if p.name not in projected and "*" not in found.group("projection")]
    if missing:
        raise QueryHeaderError(f"{where}: the SELECT clause must project the parameter(s) "
                               f"{', '.join('?' + m for m in missing)}")


def _query_files() -> dict[str, Path]:
    folder = Path(str(resources.files(__name__)))
    return {path.stem: path for path in sorted(folder.glob("*.rq"), key=lambda p: p.stem) if NAME.match(path.stem)}


def list_queries() -> list[SavedQuery]:
    """Every saved query, sorted by name."""
    return [read_query_file(path) for path in _query_files().values()]


def load_query(name: str) -> SavedQuery:
    """The saved query ``name`` (the file stem); ``UnknownQueryError`` when there is none."""
    path = _query_files().get(name)
    if path is None:
        raise UnknownQueryError(name)
    return read_query_file(path)


def is_saved_query(name: str) -> bool:
    return bool(NAME.match(name)) and name in _query_files()


def read_query_file(path: Path) -> SavedQuery:
    """Any ``.rq`` file, saved or the user's own; its header (if any) declares its parameters."""
    return parse_query(path.read_text(encoding="utf-8"), path.stem, path)


def adhoc_query(text: str) -> SavedQuery:
    """A SPARQL text given on the command line, as a query without a header."""
    return parse_query(text, "query")


__all__ = [
    "PARAMETER_KINDS", "QueryHeaderError", "QueryParameter", "SavedQuery", "UnknownQueryError", "adhoc_query",
    "is_saved_query", "list_queries", "load_query", "parse_query", "read_query_file",
]
