"""``make eval``: every accuracy measure the project has, in one table.

* seed gold (``tests/gold``): all categories, document fields, paragraph counts;
* real resolutions (``../shared/corpora/unxml-dev``), when present: cited
  targets against the silver standard of the UN's own links.

Extraction runs through the real ``unkg extract``; scoring through the
project's scoring script.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SCORER = SHARED / "tools" / "score_extraction.py"
if not SCORER.exists():
    SCORER = ROOT / "tests" / "tools" / "score_extraction.py"


def score(texts: list[Path], gold: Path, only: str = "") -> dict:
    with tempfile.TemporaryDirectory() as out:
        subprocess.run([sys.executable, "-m", "api", "extract", *map(str, texts), "--out", out],
                       cwd=ROOT, check=False, capture_output=True)
        args = [sys.executable, str(SCORER), "--gold", str(gold), "--pred", out, "--json"]
        if only:
            args += ["--only", only]
        return json.loads(subprocess.run(args, check=True, capture_output=True, text=True).stdout)


def main() -> None:
    rows = []
    seeds = score(sorted((ROOT / "corpus").glob("*.txt")), ROOT / "tests" / "gold")
    for key, value in seeds.items():
        if isinstance(value, dict):
            rows.append(("seed gold", key, f"{value['precision']:.3f}", f"{value['recall']:.3f}", f"{value['f1']:.3f}"))
        else:
            rows.append(("seed gold", key, "", "", f"{value:.3f}"))
    dev = SHARED / "corpora" / "unxml-dev"
    if dev.exists():
        for label, folder, pattern in (("texts", "texts", "*.txt"), ("AKN XML", "xml", "*.xml")):
            silver = score(sorted((dev / folder).glob(pattern)), dev / "silver", only="cited_targets")
            v = silver["cited_targets"]
            rows.append((f"unxml-dev silver ({label})", "cited_targets", f"{v['precision']:.3f}",
                         f"{v['recall']:.3f}", f"{v['f1']:.3f}"))
    print("| set | measure | P | R | F1 / accuracy |")
    print("|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
