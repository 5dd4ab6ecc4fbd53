"""The authority data in ``ontology/`` (instruments, bodies, Member States, clause verbs).

These are data checks, not extraction checks: every gold key must exist, keys
must not collide, the Member State list must be the 193 Members plus the two
observer States, no alias may be an ambiguous single-word anaphor, and every
clause verb must map to a CiTO property.
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from importlib import resources
from pathlib import Path

import pytest

from ingest.authority import Authority, load_authority

GOLD = Path(__file__).resolve().parent / "gold"

FORBIDDEN_ALIASES = {"Convention", "Protocol", "Council", "Office", "Group", "Commission", "Committee",
                     "Declaration", "Fund", "Programme", "trust fund"}
"""Single-word anaphora that are ambiguous across UN texts (gold NOTES.md)."""

CITO_PROPERTIES = {"obtainsBackgroundFrom", "confirms", "agreesWith", "supports",
                   "citesForInformation", "citesAsAuthority", "usesConclusionsFrom"}
"""The CiTO characterizations the clause-verb table may use (disagreesWith is deliberately absent)."""


@pytest.fixture(scope="module")
def authority() -> Authority:
    return load_authority()


def _gold_documents() -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(GOLD.glob("[0-9]*.json"))]


def _raw(name: str):
    return json.loads(resources.files("ontology").joinpath(name).read_text(encoding="utf-8"))


def test_gold_documents_are_present() -> None:
    assert len(_gold_documents()) >= 5


@pytest.mark.parametrize("field, kind", [("instruments", "instrument"), ("bodies", "body")])
def test_every_gold_key_exists(authority: Authority, field: str, kind: str) -> None:
    missing = set()
    for doc in _gold_documents():
        for key in doc[field]:
            entry = authority.by_key(key)
            if entry is None or entry.kind != kind:
                missing.add(key)
    assert not missing, f"gold {field} keys missing from the authority: {sorted(missing)}"


def test_gold_authority_entries_are_kept_unchanged() -> None:
    """Every entry of the gold authority list survives with its label, aliases, UNTS and adopting symbol."""
    gold = json.loads((GOLD / "authority.json").read_text(encoding="utf-8"))
    ours = _raw("authority.json")
    for kind in ("instruments", "bodies"):
        by_key = {e["key"]: e for e in ours[kind]}
        for entry in gold[kind]:
            mine = by_key.get(entry["key"])
            assert mine is not None, entry["key"]
            assert mine["label"] == entry["label"], entry["key"]
            assert mine["aliases"][: len(entry["aliases"])] == entry["aliases"], entry["key"]
            for field in ("unts", "adopted_by"):
                if field in entry:
                    assert mine.get(field) == entry[field], (entry["key"], field)


def test_working_group_parents(authority: Authority) -> None:
    assert authority.by_key("icat-working-group").parent == "icat"
    assert authority.by_key("cop-wg-tip").parent == "untoc-cop"
    for entry in authority.entries():
        if entry.parent is not None:
            assert authority.by_key(entry.parent) is not None, entry.key


def test_keys_are_unique_across_kinds(authority: Authority) -> None:
    counts = Counter(e.key for e in authority.entries())
    assert not [k for k, n in counts.items() if n > 1]


def test_keys_are_lowercase_hyphenated(authority: Authority) -> None:
    for entry in authority.entries():
        assert entry.key == entry.key.lower() and entry.key.strip("-") == entry.key, entry.key
        assert all(c.isascii() and (c.isalnum() or c == "-") for c in entry.key), entry.key


def test_no_alias_names_two_entries(authority: Authority) -> None:
    owners: dict[str, set[str]] = {}
    for entry in authority.entries():
        for alias in entry.aliases:
            owners.setdefault(alias, set()).add(entry.key)
    assert {a: k for a, k in owners.items() if len(k) > 1} == {}


def test_no_forbidden_single_word_alias(authority: Authority) -> None:
    bad = [(e.key, a) for e in authority.entries() for a in e.aliases if a.strip() in FORBIDDEN_ALIASES]
    assert not bad


def test_single_token_acronyms_are_all_caps(authority: Authority) -> None:
    """A one-word alias is matched case-sensitively; an acronym must be printed in capitals."""
    for entry in authority.entries():
        for alias in entry.aliases:
            if " " not in alias and sum(c.isupper() for c in alias) > 1 and "-" not in alias:
                assert alias == alias.upper(), (entry.key, alias)


def test_treaty_series_registrations_are_unique(authority: Authority) -> None:
    counts = Counter(e.unts for e in authority.instruments if e.unts is not None)
    assert not [u for u, n in counts.items() if n > 1]
    assert authority.instrument_by_unts(2225, 39574).key == "untoc"
    assert authority.instrument_by_unts(2241, 39574).key == "smuggling-protocol"
    assert authority.instrument_by_unts(2326, 39574).key == "firearms-protocol"
    assert authority.instrument_by_unts(2349, 42146).key == "uncac"


def test_instrument_fields_are_complete() -> None:
    for entry in _raw("authority.json")["instruments"]:
        assert {"key", "label", "aliases", "unts", "adopted_by"} <= set(entry), entry["key"]
        if entry["unts"] is not None:
            assert set(entry["unts"]) == {"volume", "number"}, entry["key"]


def test_member_states(authority: Authority) -> None:
    states = authority.states
    assert len(states) == 195
    labels = [s.label for s in states]
    assert len(set(labels)) == 195
    assert len({s.key for s in states}) == 195
    raw = _raw("member_states.json")
    observers = {s["label"] for s in raw if s.get("observer")}
    assert observers == {"Holy See", "State of Palestine"}
    for label in ("Venezuela (Bolivarian Republic of)", "Bolivia (Plurinational State of)", "Türkiye",
                  "United Kingdom of Great Britain and Northern Ireland", "Côte d’Ivoire",
                  "Democratic People’s Republic of Korea", "Netherlands (Kingdom of the)", "Czechia"):
        assert label in labels, label


def test_member_states_are_sorted_by_label() -> None:
    def fold(s: str) -> str:
        return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().casefold()

    labels = [s["label"] for s in _raw("member_states.json")]
    assert labels == sorted(labels, key=fold)


def test_former_state_names_resolve(authority: Authority) -> None:
    aliases = {a: s.key for s in authority.states for a in s.aliases}
    assert aliases["Turkey"] == "turkiye"
    assert aliases["Swaziland"] == "eswatini"
    assert aliases["Czech Republic"] == "czechia"
    assert aliases["Cape Verde"] == "cabo-verde"
    assert aliases["Côte d'Ivoire"] == "cote-d-ivoire"


def test_clause_verbs(authority: Authority) -> None:
    verbs = authority.verbs
    assert len(verbs) >= 60
    assert len({v.lemma for v in verbs}) == len(verbs)
    assert {v.characterization for v in verbs} <= CITO_PROPERTIES
    assert {v.kind for v in verbs} <= {"preambular", "operative", "any"}
    forms = Counter(f for v in verbs for f in v.forms)
    assert not [f for f, n in forms.items() if n > 1], "a form belongs to two lemmas"
    by_form = {f: v.characterization for v in verbs for f in v.forms}
    expected = {"Recalling": "obtainsBackgroundFrom", "Reaffirms": "confirms", "Welcoming": "agreesWith",
                "Endorses": "supports", "Taking note": "citesForInformation",
                "Bearing in mind": "usesConclusionsFrom", "Guided by": "citesAsAuthority",
                "Calls upon": "citesAsAuthority", "Requests": "citesAsAuthority",
                "Expressing deep concern": "citesForInformation", "Condemns": "citesForInformation",
                "Having considered": "citesForInformation"}
    for form, characterization in expected.items():
        assert by_form.get(form) == characterization, form


def test_clause_verb_forms_carry_no_leading_adverb(authority: Authority) -> None:
    adverbs = ("Also ", "Further ", "Again ", "Once again ", "Strongly ", "Deeply ", "Firmly ", "Fully ")
    for verb in authority.verbs:
        for form in verb.forms:
            assert not form.lower().startswith(tuple(a.lower() for a in adverbs)), form
