"""Query text for a SPARQL server: the embedded store's conveniences written into the query itself.

The embedded store takes the usual prefixes and bound values as options of a
query (pyoxigraph's ``prefixes=`` and ``substitutions=``); the SPARQL 1.1
Protocol has neither, so the remote store sends:

* the ``PREFIX`` declarations the query does not make itself, all on the
  query's first line, so a server's error positions keep their line numbers;
* the bound values as a one-row ``VALUES`` block at the start of every group
  pattern of the query (``{ ... }`` after ``WHERE``, in ``OPTIONAL``, ``GRAPH``,
  ``UNION``, ``EXISTS``, subqueries).  A group is evaluated on its own before
  it is joined with its surroundings, so a ``FILTER(?date >= ?from)`` inside
  ``GRAPH ?g { ... }`` would not see a row given only at the top; with a row
  in every group, the variable is bound wherever it is used, which is what a
  substitution does for the service's queries (the variable is projected, as
  Oxigraph requires of a substituted one), and each group's planner starts
  from the bound value.  ``MINUS`` groups get no row: it would add a shared
  variable, which changes what ``MINUS`` removes.  A variable the query
  assigns itself (``AS ?var``) is bound by the trailing ``VALUES`` clause
  instead, since SPARQL forbids assigning a variable already bound.

The scanner below finds the groups without parsing SPARQL: it skips comments,
strings and IRIs, tracks brace depth, and leaves out the braces that are not
group patterns (a ``CONSTRUCT`` template, a ``VALUES`` data block, the brace
around a subquery's ``SELECT``).  Where it finds no group pattern
(``CONSTRUCT WHERE { ... }``, ``DESCRIBE <x>``) the row becomes the query's
trailing ``VALUES`` clause, joined with the whole answer instead.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_TOKEN = re.compile(
    r"""(?P<comment>\#[^\n]*)
      | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\" | '''(?:[^'\\]|\\.|'(?!''))*'''
                  | "(?:[^"\\\n]|\\.)*" | '(?:[^'\\\n]|\\.)*')
      | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      | (?P<open>\{) | (?P<close>\})
      | (?<![\w?$:])(?P<keyword>WHERE|CONSTRUCT|SELECT|VALUES|MINUS)\b(?!:)""",
    re.VERBOSE | re.IGNORECASE,
)
_COMMENTS = re.compile(r"#[^\n]*")
_ASSIGNED = re.compile(r"\bAS\s+[?$]([A-Za-z_0-9]\w*)", re.IGNORECASE)
_DECLARED = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?\s*:", re.IGNORECASE)


def with_prefixes(sparql: str, prefixes: Mapping[str, str]) -> str:
    """``sparql`` with a ``PREFIX`` line for each of ``prefixes`` it does not declare (its own wins)."""
    declared = {(m.group(1) or "") for m in _DECLARED.finditer(sparql)}
    missing = " ".join(f"PREFIX {name}: <{iri}>" for name, iri in prefixes.items() if name not in declared)
    return f"{missing} {sparql}" if missing else sparql


def _group_starts(sparql: str) -> list[int]:
    """The indexes just after each ``{`` that opens a group pattern able to take a ``VALUES`` row."""
    starts: list[int] = []
    depth, construct, template_done, where_seen = 0, False, False, False
    previous = ""  # the last keyword, for the brace after VALUES or MINUS
    for match in _TOKEN.finditer(sparql):
        kind, text = match.lastgroup, match.group()
        if kind == "keyword":
            word = text.upper()
            if word == "SELECT" and starts and not _COMMENTS.sub("", sparql[starts[-1]:match.start()]).strip():
                starts.pop()  # "{ SELECT": a subquery, which must stand alone in its braces
            if depth == 0 and word == "CONSTRUCT":
                construct = True
            if depth == 0 and word == "WHERE":
                if construct and not template_done:
                    return []  # CONSTRUCT WHERE { ... }: the pattern is also the template
                where_seen = True
            previous = word
        elif kind == "open":
            in_template = construct and not template_done and not where_seen
            if previous not in ("VALUES", "MINUS") and not in_template:
                starts.append(match.end())
            previous = ""
            depth += 1
        elif kind == "close":
            depth = max(0, depth - 1)
            if construct and depth == 0 and not where_seen:
                template_done = True
    return starts


def _values_row(values: Mapping[str, str]) -> str:
    names = " ".join(f"?{name}" for name in values)
    return f"VALUES ({names}) {{ ({' '.join(values.values())}) }}"


def with_values(sparql: str, values: Mapping[str, str]) -> str:
    """``sparql`` with ``values`` (variable name to a term in SPARQL syntax) bound in every group pattern.

    A variable the query assigns itself (``BIND(... AS ?year)``, ``(... AS ?n)``)
    cannot be bound before the assignment; it goes to the trailing ``VALUES``
    clause, which keeps the answers whose assigned value equals it.
    """
    assigned = {m.group(1) for m in _ASSIGNED.finditer(_COMMENTS.sub("", sparql))}
    early = {name: term for name, term in values.items() if name not in assigned}
    late = {name: term for name, term in values.items() if name in assigned}
    starts = _group_starts(sparql) if early else []
    if early and not starts:
        late, early = {**early, **late}, {}
    pieces, last = [], 0
    for at in starts:
        pieces += [sparql[last:at], f" {_values_row(early)} "]
        last = at
    text = "".join(pieces) + sparql[last:]
    return f"{text}\n{_values_row(late)}" if late else text
