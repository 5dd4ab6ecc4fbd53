"""``make eval``: every accuracy measure the project has, in one table.

* seed gold (``tests/gold``): all categories, document fields, paragraph counts;
* real resolutions (``../shared/corpora/unxml-dev``), when present, for the texts and the AKN XML:
  cited targets against the silver standard of the UN's own links, raw and corrected by
  ``tests/data/silver_disagreements.tsv``; the document fields against the UN's metadata records.

Extraction runs through the real ``unkg extract``; scoring through the project's scoring script and
``tests/tools/dev_corpus.py`` (the same code ``tests/test_dev_accuracy.py`` holds to its bars).
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SCORER = SHARED / "tools" / "score_extraction.py"
if not SCORER.exists():
    SCORER = ROOT / "tests" / "tools" / "score_extraction.py"


def load_dev_corpus() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dev_corpus", ROOT / "tests" / "tools" / "dev_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["dev_corpus"] = module
    spec.loader.exec_module(module)
    return module


def extract(files: list[Path], out: Path) -> None:
    subprocess.run([sys.executable, "-m", "api", "extract", *map(str, files), "--out", str(out)],
                   cwd=ROOT, check=False, capture_output=True)


def score(gold: Path, pred: Path, only: str = "") -> dict:
    args = [sys.executable, str(SCORER), "--gold", str(gold), "--pred", str(pred), "--json"]
    if only:
        args += ["--only", only]
    return json.loads(subprocess.run(args, check=True, capture_output=True, text=True).stdout)


def prf(label: str, measure: str, v: dict) -> tuple[str, ...]:
    return (label, measure, f"{v['precision']:.3f}", f"{v['recall']:.3f}", f"{v['f1']:.3f}")


def main() -> None:
    rows: list[tuple[str, ...]] = []
    with tempfile.TemporaryDirectory() as tmp:
        seeds = Path(tmp) / "seeds"
        extract(sorted((ROOT / "corpus").glob("*.txt")), seeds)
        for key, value in score(ROOT / "tests" / "gold", seeds).items():
            if isinstance(value, dict):
                rows.append(prf("seed gold", key, value))
            else:
                rows.append(("seed gold", key, "", "", f"{value:.3f}"))
        dev = SHARED / "corpora" / "unxml-dev"
        if dev.exists():
            dev_corpus = load_dev_corpus()
            disagreements = dev_corpus.load_disagreements()
            for label, folder, pattern in (("texts", "texts", "*.txt"), ("AKN XML", "xml", "*.xml")):
                pred = Path(tmp) / folder
                extract(sorted((dev / folder).glob(pattern)), pred)
                raw = score(dev / "silver", pred, only="cited_targets")["cited_targets"]
                rows.append(prf(f"unxml-dev raw silver ({label})", "cited_targets", raw))
                # The class rules and removals alone, then with the silver-missing entries (which were found by
                # reading this extractor's extras, so that row measures agreement with a checked list).
                removals = [r for r in disagreements if r.kind != "silver-missing" or r.target == "*"]
                for name, chosen in (("silver, class rules and removals", removals),
                                     ("corrected silver", disagreements)):
                    gold, kept = dev_corpus.correct_silver(pred, Path(tmp) / f"{name}-{folder}", chosen)
                    corrected = score(gold, kept, only="cited_targets")["cited_targets"]
                    rows.append(prf(f"unxml-dev {name} ({label})", "cited_targets", corrected))
                for field, (right, total) in dev_corpus.metadata_accuracy(pred).items():
                    rows.append((f"unxml-dev UN records ({label})", f"{field} ({right}/{total})", "", "",
                                 f"{right / total:.3f}"))
    print("| set | measure | P | R | F1 / accuracy |")
    print("|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
