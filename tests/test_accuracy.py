"""Extraction accuracy on the seed texts against the gold annotations.

The figures are computed by the project's scoring script (``shared/tools/
score_extraction.py``; a copy lives in ``tests/tools`` so the suite runs
alone) over the output of the real ``unkg extract`` command, and must stay at
or above the bar of the ingest issue.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "gold"
SHARED_SCORER = ROOT.parent / "shared" / "tools" / "score_extraction.py"
SCORER = SHARED_SCORER if SHARED_SCORER.exists() else ROOT / "tests" / "tools" / "score_extraction.py"
UNKG = [sys.executable, "-m", "api"]

F1_BAR = {"cited_targets": 0.98, "citation_paragraphs": 0.98, "instruments": 0.98, "bodies": 0.98,
          "treaty_series": 0.98, "sponsors": 0.98}


@pytest.fixture(scope="module")
def scores(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("pred")
    seeds = sorted((ROOT / "corpus").glob("*.txt"))
    run = subprocess.run([*UNKG, "extract", *map(str, seeds), "--out", str(out)],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert len(list(out.glob("*.json"))) == len(seeds)
    scored = subprocess.run([sys.executable, str(SCORER), "--gold", str(GOLD), "--pred", str(out), "--json"],
                            capture_output=True, text=True, check=True)
    return json.loads(scored.stdout)


@pytest.mark.parametrize("category", sorted(F1_BAR))
def test_f1_meets_the_ingest_bar(scores: dict, category: str) -> None:
    assert scores[category]["f1"] >= F1_BAR[category], scores[category]


def test_document_fields_accuracy_meets_the_bar(scores: dict) -> None:
    assert scores["document_fields_accuracy"] >= 0.95


def test_paragraph_counts_are_all_right(scores: dict) -> None:
    assert scores["paragraph_counts_accuracy"] == 1.0


def test_citation_dates_are_found_where_printed(scores: dict) -> None:
    assert scores["citation_dates"]["f1"] >= 0.95
