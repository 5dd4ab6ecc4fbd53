"""The one loader of the authority data shipped in ``ontology/``.

Instruments, bodies, Member States and clause verbs are data, not code: the
matchers in ``entities`` and the RDF in ``rdf`` are built from what is read
here, so adding an alias is a change to a JSON file.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from typing import Any, Literal

EntryKind = Literal["instrument", "body", "state"]

# Adverbs that may precede a clause verb ("Also recalls", "Further strongly urges").
ADVERBS = ("Also", "Further", "Furthermore", "Again", "Once again", "Strongly", "Deeply", "Firmly", "Fully",
           "Moreover", "Finally", "Lastly", "Equally", "Similarly", "Likewise", "Urgently", "Resolutely",
           "Unequivocally", "Categorically", "Emphatically", "Hereby")
_LEADING_ADVERBS = re.compile(r"^(?:(?:" + "|".join(a.lower() for a in sorted(ADVERBS, key=len, reverse=True))
                              + r")\s+)+(?=\S)")


def slugify(name: str) -> str:
    """The key style of the authority lists: ``Côte d'Ivoire`` -> ``cote-d-ivoire``."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def alias_key(name: str) -> str:
    """Compare printed names ignoring case, accents, curly apostrophes and spacing."""
    return " ".join(slugify(name.replace("\u2019", "'")).split("-"))


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

    def state_key(self, name: str) -> str:
        """The key of a Member State printed as ``name``; a slug of the name when unknown.

        Sponsors are printed names ("Bolivia (Plurinational State of)"), while
        a sponsor and a mention of the same State must meet in one node.
        """
        return _state_aliases(self).get(alias_key(name)) or slugify(name)

    def characterization(self, verb: str | None, kind: str | None = None) -> str | None:
        """The CiTO characterization (local name) of the clause verb ``verb``, or None if unknown.

        Leading adverbs are ignored, the longest matching form wins and, between
        equal forms, the one declared for the paragraph's ``kind``.
        """
        if not verb:
            return None
        memo = self._characterizations
        if (verb, kind) not in memo:  # a corpus repeats a few hundred spellings thousands of times
            memo[(verb, kind)] = _characterization(self._verb_table, verb, kind)
        return memo[(verb, kind)]

    @cached_property
    def _verb_table(self) -> VerbTable:
        return tuple((" ".join(form.casefold().split()), clause.kind, clause.characterization)
                     for clause in self.verbs for form in clause.forms)

    @cached_property
    def _characterizations(self) -> dict[tuple[str, str | None], str | None]:
        return {}

    def instrument_by_unts(self, volume: int, number: int) -> AuthorityEntry | None:
        for entry in self.instruments:
            if entry.unts == (volume, number):
                return entry
        return None


VerbTable = tuple[tuple[str, str, str], ...]
"""(form, clause kind, characterization) for every form of every clause verb, forms normalized."""


def _characterization(table: VerbTable, verb: str, kind: str | None) -> str | None:
    raw = " ".join(verb.casefold().replace("\u2019", "'").split())
    for text in dict.fromkeys((raw, _LEADING_ADVERBS.sub("", raw))):
        best: tuple[int, int] = (0, -1)
        found: str | None = None
        for form, clause_kind, characterization in table:
            if form and (text == form or text.startswith(form + " ")):
                rank = (len(form), int(kind is not None and clause_kind == kind))
                if rank > best:
                    best, found = rank, characterization
        if found is not None:
            return found
    return None


@lru_cache(maxsize=8)
def _index(authority: Authority) -> dict[str, AuthorityEntry]:
    return {e.key: e for e in authority.entries()}


@lru_cache(maxsize=8)
def _state_aliases(authority: Authority) -> dict[str, str]:
    table: dict[str, str] = {}
    for entry in authority.states:
        for alias in (entry.key, *entry.aliases):
            table.setdefault(alias_key(alias), entry.key)
    return table


def state_key(name: str, authority: Authority) -> str:
    """``Authority.state_key`` as a function (the RDF builder and the API call it so)."""
    return authority.state_key(name)


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
