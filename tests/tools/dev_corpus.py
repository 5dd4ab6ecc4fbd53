"""Scoring on the 389 real resolutions of ``shared/corpora/unxml-dev``: silver citations and metadata records.

Used by ``tests/test_dev_accuracy.py`` and ``bench/eval.py`` (``make eval``), so both print the same figures.

* ``correct_silver`` applies ``tests/data/silver_disagreements.tsv`` to the silver standard (the UN
  editors' undocs.org links) and writes the corrected silver and the prediction, both restricted to
  what the silver can judge, for the project's scoring script.  Class rules (document ``*``) are
  implemented here, one function per rule; single entries add (``silver-missing``) or remove
  (``silver-wrong``, ``convention``) one target of one document; a document with target ``*`` is left
  out.  Nothing here looks at the prediction to decide what the silver should say.
* ``metadata_accuracy`` compares the document fields of ``unkg extract`` output with the UN's own
  records: ``manifest.json`` (symbol and adoption date of all 389), ``meta.jsonl`` (session, agenda
  item, adoption meeting, adoption date and originating document of 242 General Assembly resolutions)
  and, for the Security Council's drafts, the sponsors the XML's workflow names.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
DEV = ROOT.parent / "shared" / "corpora" / "unxml-dev"
DISAGREEMENTS = ROOT / "tests" / "data" / "silver_disagreements.tsv"
SCORER = ROOT / "tests" / "tools" / "score_extraction.py"
KINDS = ("silver-missing", "silver-wrong", "convention", "silver-scope")


def symbol_key(symbol: str) -> str:
    """A symbol as the scoring script compares it: no spaces, upper case."""
    return re.sub(r"\s+", "", symbol or "").upper()


@dataclass(frozen=True)
class Disagreement:
    """One line of the disagreement list: a document (``*`` for a class rule), a target, a kind, a reason."""

    document: str
    target: str
    kind: str
    reason: str


def load_disagreements(path: Path = DISAGREEMENTS) -> list[Disagreement]:
    """The disagreement list; lines starting with ``#`` are comments."""
    rows = []
    with path.open(encoding="utf-8") as handle:
        for number, row in enumerate(csv.reader(handle, delimiter="\t"), start=1):
            if not row or row[0].startswith("#"):
                continue
            if len(row) != 4 or row[2] not in KINDS or not row[3].strip():
                raise ValueError(f"{path}:{number}: expected document, target, kind ({', '.join(KINDS)}), reason")
            rows.append(Disagreement(*(cell.strip() for cell in row)))
    return rows


# --- class rules: silver targets as the schema writes them ------------------------------------------------

def _printed_parts(text: str, number: str) -> set[str]:
    """The forms a resolution number is printed in, as the schema normalizes them: "51/45 O" -> "51/45O"."""
    forms = set()
    pattern = (rf"(?:(?<=RES/)|(?<![\d/.]))({re.escape(number)})"
               r"(?:\s?([A-Z])(?:\s?(?:and|to|-|–)\s?([A-Z]))?(?![\w(]))?(?![\d/])")
    for m in re.finditer(pattern, text):
        letters = (m.group(2) or "") + (f"-{m.group(3)}" if m.group(3) else "")
        forms.add(m.group(1) + letters)
    return forms


def part_letters(target: str, text: str) -> set[str]:
    """Resolutions in parts keep the printed letter ("51/45 O" -> A/RES/51/45O); the editors' links do not."""
    m = re.fullmatch(r"(A/RES|E/RES)/(\d{1,4}/\d{1,3})(?:[A-Z](?:-[A-Z])?)?", target)
    if not m:
        return {target}
    forms = _printed_parts(text, m.group(2))
    return {f"{m.group(1)}/{form}" for form in forms} or {target}


def old_letters(target: str, text: str) -> set[str]:
    """Resolutions of the first thirty sessions drop their letter ("217 A (III)" -> A/RES/217(III))."""
    return {re.sub(r"^((?:A|E)/RES/\d{1,4})[A-Z](?:-[A-Z])?(\([^()]+\))$", r"\1\2", target)}


def supplements(target: str, text: str) -> set[str]:
    """An Official Records supplement is cited by its symbol as printed ("(A/61/33)" -> A/61/33)."""
    return {target.replace("(SUPP)", "")}


def joint_symbols(target: str, text: str) -> set[str]:
    """A joint symbol ("A/76/64-E/2021/11") names one document, cited by its first symbol."""
    second_half = rf"[AES]/[\w./()]*\d[-‑–]{re.escape(target)}(?![\w/])"
    return set() if re.search(second_half, text, re.I) else {target}


RULES: dict[str, Callable[[str, str], set[str]]] = {
    "part-letters": part_letters,
    "old-letters": old_letters,
    "supplements": supplements,
    "joint-symbols": joint_symbols,
}
# Families the editors never link (none of the 7258 links), judged on the seed gold instead.
UNLINKED_FAMILIES = re.compile(r"^(?:A/DEC|E/DEC|A/HRC/DEC|E/CN\.\d+/(?:RES|DEC)|CTOC/COP/(?:RES|DEC)|"
                               r"CAC/COSP/(?:RES|DEC))/")
SCOPE_RULES = {"unlinked-families": UNLINKED_FAMILIES}


def correct_silver(pred: Path, out: Path, rows: list[Disagreement], silver: Path = DEV / "silver",
                   texts: Path = DEV / "texts") -> tuple[Path, Path]:
    """Write the corrected silver and the prediction restricted alike; return (gold dir, pred dir)."""
    names = {r.target for r in rows if r.document == "*"}
    unknown = names - set(RULES) - set(SCOPE_RULES)
    if unknown:
        raise ValueError(f"{DISAGREEMENTS.name}: no rule implements {sorted(unknown)}")
    rules = [RULES[name] for name in RULES if name in names]
    scopes = [SCOPE_RULES[name] for name in SCOPE_RULES if name in names]
    left_out = {r.document for r in rows if r.target == "*" and r.document != "*"}
    gold_dir, pred_dir = out / "silver", out / "pred"
    for folder in (gold_dir, pred_dir):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)

    def in_scope(target: str) -> bool:
        return not any(scope.match(target) for scope in scopes)

    for path in sorted(silver.glob("*.json")):
        doc = path.stem
        if doc in left_out:
            continue
        text = (texts / f"{doc}.txt").read_text(encoding="utf-8")
        targets: set[str] = set()
        for citation in json.loads(path.read_text(encoding="utf-8"))["citations"]:
            found = {symbol_key(citation["target"])}
            for rule in rules:
                found = {new for old in found for new in rule(old, text)}
            targets |= {symbol_key(t) for t in found}
        for row in rows:
            if row.document != doc:
                continue
            if row.kind == "silver-missing":
                targets.add(symbol_key(row.target))
            else:
                targets.discard(symbol_key(row.target))
        gold = {"source": f"{doc}.txt", "citations": [{"target": t} for t in sorted(targets) if in_scope(t)]}
        (gold_dir / path.name).write_text(json.dumps(gold, indent=1), encoding="utf-8")
        predicted = pred / path.name
        found_pred = json.loads(predicted.read_text(encoding="utf-8")) if predicted.exists() else {"citations": []}
        kept = [c for c in found_pred["citations"] if in_scope(symbol_key(c["target"]))]
        (pred_dir / path.name).write_text(json.dumps({"citations": kept}), encoding="utf-8")
    return gold_dir, pred_dir


def score(gold: Path, pred: Path, only: str = "cited_targets") -> dict:
    """The project's scoring script (the copy in ``tests/tools``) on two folders, as JSON."""
    run = subprocess.run([sys.executable, str(SCORER), "--gold", str(gold), "--pred", str(pred), "--json",
                          "--only", only], capture_output=True, text=True, check=True)
    return json.loads(run.stdout)


# --- metadata records --------------------------------------------------------------------------------------

MONTHS = {m: i for i, m in enumerate("January February March April May June July August September October "
                                     "November December".split(), 1)}
FIELDS = ("symbol", "adoption date", "session", "agenda item", "adoption meeting", "originating document",
          "Security Council number", "sponsors")


def iso(date: str) -> str:
    """The records' dates ("10 December 2020", "28\xa0June 2024", "2020-12-10 00:00:00") as ISO dates."""
    date = date.replace("\xa0", " ").strip()
    m = re.match(r"\d{4}-\d\d-\d\d", date)
    if m:
        return m.group(0)
    m = re.fullmatch(r"(\d{1,2}) ([A-Z][a-z]+) (\d{4})", date)
    return f"{m.group(3)}-{MONTHS[m.group(2)]:02d}-{int(m.group(1)):02d}" if m else date


def originating_symbols(record: str) -> set[str]:
    """"A/75/399, para. 96" -> {A/75/399}; "A/75/L.136 and A/75/L.136/Add.1" -> both."""
    return {symbol_key(re.sub(r",\s*paras?\..*$", "", part)) for part in re.split(r"\s+and\s+", record)}


def draft_sponsors(xml: Path) -> list[str] | None:
    """The sponsors a draft's XML names in its workflow (``<step outcome="draftResolution" by="...">``)."""
    for step in ET.parse(xml).getroot().iter("{http://docs.oasis-open.org/legaldocml/ns/akn/3.0}step"):
        if step.get("outcome") == "draftResolution" and step.get("by"):
            return [s for s in re.split(r",\s*|\s+and\s+", step.get("by", "")) if s.strip()]
    return None


def _words(names: list[str]) -> list[str]:
    words = re.findall(r"[\w'()-]+", " ".join(names).replace("’", "'").casefold())
    return sorted(w for w in words if w != "and")  # "and" both joins the list and sits inside names


def metadata_accuracy(pred: Path, dev: Path = DEV) -> dict[str, tuple[int, int]]:
    """(right, checked) per field, over the documents whose record states the field."""
    manifest = json.loads((dev / "manifest.json").read_text(encoding="utf-8"))
    records = {symbol_key(r["symbol"]): r for r in map(json.loads, (dev / "meta.jsonl").open(encoding="utf-8"))}
    counts = {field: [0, 0] for field in FIELDS}

    def check(field: str, right: bool) -> None:
        counts[field][0] += right
        counts[field][1] += 1

    for entry in manifest:
        path = pred / f"{entry['file']}.json"
        doc = json.loads(path.read_text(encoding="utf-8"))["document"] if path.exists() else {}
        draft = entry["file"].startswith("S_20")  # a Security Council draft: S/2023/212, adopted or not
        check("symbol", symbol_key(doc.get("symbol")) == symbol_key(entry["symbol"]))
        if not draft:
            check("adoption date", doc.get("adoption_date") == entry["adoption"])
        sc = re.fullmatch(r"S/RES/(\d+) \((\d{4})\)", entry["symbol"])
        if sc:
            check("Security Council number", re.sub(r"\s+", "", doc.get("resolution_number") or "")
                  == f"{sc.group(1)}({sc.group(2)})")
        if draft:
            named = draft_sponsors(dev / "xml" / f"{entry['file']}.xml")
            if named is not None:
                # Compared word by word: the record's own list misses a comma ("New Zealand Nicaragua").
                check("sponsors", _words(doc.get("sponsors") or []) == _words(named))
        record = records.get(symbol_key(entry["symbol"]))
        if not record:
            continue
        check("session", doc.get("session") == record["session"])
        check("agenda item", doc.get("agenda_item") == re.sub(r"^Agenda items?\s+", "", record["agenda_item"]))
        check("adoption meeting", doc.get("meeting") == record["adoption_meeting"])
        if iso(record["adoption_date"]) != entry["adoption"]:  # the manifest's date is checked above
            check("adoption date", doc.get("adoption_date") == iso(record["adoption_date"]))
        # The originating document (committee report or plenary draft) is among the cover's related symbols.
        check("originating document", originating_symbols(record["originating_document"])
              <= {symbol_key(s) for s in doc.get("related_symbols") or []})
    return {field: (right, total) for field, (right, total) in counts.items() if total}
