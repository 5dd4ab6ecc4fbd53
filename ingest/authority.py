"""The one loader of the authority data shipped in ``ontology/``.

Instruments, bodies, Member States and clause verbs are data, not code: the
matchers in ``entities`` and the RDF in ``rdf`` are built from what is read
here, so adding an alias is a change to a JSON file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

EntryKind = Literal["instrument", "body", "state"]


@dataclass(frozen=True)
class AuthorityEntry:
    """One instrument, body or Member State with every alias it is named by."""

    key: str
    kind: EntryKind
    label: str
    aliases: tuple[str, ...]
    unts: tuple[int, int] | None = None
    adopted_by: str | None = None
    parent: str | None = None


@dataclass(frozen=True)
class ClauseVerb:
    """A clause verb (Recalling, Urges ...) with the CiTO characterization it maps to."""

    lemma: str
    forms: tuple[str, ...]
    characterization: str
    kind: str


@dataclass(frozen=True)
class Authority:
    instruments: tuple[AuthorityEntry, ...]
    bodies: tuple[AuthorityEntry, ...]
    states: tuple[AuthorityEntry, ...]
    verbs: tuple[ClauseVerb, ...]

    def entries(self) -> tuple[AuthorityEntry, ...]:
        return self.instruments + self.bodies + self.states

    def by_key(self, key: str) -> AuthorityEntry | None:
        return _index(self).get(key)

    def instrument_by_unts(self, volume: int, number: int) -> AuthorityEntry | None:
        for entry in self.instruments:
            if entry.unts == (volume, number):
                return entry
        return None


@lru_cache(maxsize=8)
def _index(authority: Authority) -> dict[str, AuthorityEntry]:
    return {e.key: e for e in authority.entries()}


def _read_json(name: str) -> Any:
    return json.loads(resources.files("ontology").joinpath(name).read_text(encoding="utf-8"))


def _entry(raw: dict[str, Any], kind: EntryKind) -> AuthorityEntry:
    unts = raw.get("unts")
    aliases = [raw["label"], *raw.get("aliases", [])]
    return AuthorityEntry(
        key=raw["key"],
        kind=kind,
        label=raw["label"],
        aliases=tuple(dict.fromkeys(a for a in aliases if a)),
        unts=(int(unts["volume"]), int(unts["number"])) if unts else None,
        adopted_by=raw.get("adopted_by"),
        parent=raw.get("parent"),
    )


@lru_cache(maxsize=1)
def load_authority() -> Authority:
    """Read ``ontology/authority.json``, ``member_states.json`` and ``clause_verbs.json``."""
    main = _read_json("authority.json")
    states = _read_json("member_states.json")
    verbs = _read_json("clause_verbs.json")
    return Authority(
        instruments=tuple(_entry(e, "instrument") for e in main["instruments"]),
        bodies=tuple(_entry(e, "body") for e in main["bodies"]),
        states=tuple(_entry(e, "state") for e in states),
        verbs=tuple(
            ClauseVerb(v["lemma"], tuple(v["forms"]), v["characterization"], v.get("kind", "any"))
            for v in verbs
        ),
    )
