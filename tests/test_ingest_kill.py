"""Crash safety: SIGKILL a real ``unkg ingest`` at random moments, twenty times; the store must stay whole.

The store starts with five documents in their first version; each round
starts ``unkg ingest`` of the other version of all five and kills it with
SIGKILL after a random delay within the length of a whole run.  After every
kill the store must open, and every document graph must be exactly one of
its two versions: its checksum is the old or the new text's, and its triple
count is that version's (a half-written graph would differ).  At the end
``unkg validate`` checks the SHACL shapes over the whole store.
"""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from conftest import ROOT, UNKG

from ingest.store import GraphStore

KILLS = 20


def _versions(tmp_path: Path) -> tuple[Path, Path]:
    first, second = tmp_path / "v1", tmp_path / "v2"
    first.mkdir()
    second.mkdir()
    for source in sorted((ROOT / "corpus").glob("*.txt")):
        text = source.read_text(encoding="utf-8")
        (first / source.name).write_text(text, encoding="utf-8")
        # The second version differs in its text (checksum) and in its graph (one more named entity).
        (second / source.name).write_text(text.rstrip("\n") + "\n\nSee also the Charter of the United Nations.\n",
                                          encoding="utf-8")
    return first, second


def _ingest(store: Path, folder: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([*UNKG, "ingest", "--store", str(store), str(folder)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _state(store: Path) -> dict[str, tuple[str, int]]:
    """Every document graph's checksum and triple count (opening the store is part of the check)."""
    with GraphStore.open(store, read_only=True) as opened:
        return {g: (opened.graph_provenance(g)["sha256"], len(opened.graph_triples(g)))  # type: ignore[index]
                for g in opened.document_graphs()}


@pytest.mark.slow
def test_sigkill_at_random_moments_leaves_every_document_old_or_new(tmp_path: Path) -> None:
    first, second = _versions(tmp_path)
    references = {}
    for name, folder in (("v1", first), ("v2", second)):
        store = tmp_path / f"reference-{name}"
        started = time.monotonic()
        assert _ingest(store, folder).wait(timeout=300) == 0
        duration = time.monotonic() - started
        references[name] = _state(store)
    assert references["v1"].keys() == references["v2"].keys() and len(references["v1"]) == 5
    allowed = {g: {references["v1"][g], references["v2"][g]} for g in references["v1"]}
    assert all(len(versions) == 2 for versions in allowed.values())

    store = tmp_path / "store"
    shutil.copytree(tmp_path / "reference-v1", store)
    rng = random.Random(20240604)
    mixed, finished = 0, 0
    for round_ in range(KILLS):
        target = second if round_ % 2 == 0 else first
        process = _ingest(store, target)
        time.sleep(rng.uniform(0.2, duration * 1.1))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
        else:
            finished += 1
        process.wait(timeout=60)
        state = _state(store)
        assert state.keys() == allowed.keys(), f"round {round_}: documents lost or added"
        for graph, version in state.items():
            assert version in allowed[graph], f"round {round_}: {graph} is neither version: {version}"
        versions = {("v1" if state[g] == references["v1"][g] else "v2") for g in state}
        mixed += len(versions) == 2
    print(f"{KILLS} rounds ({KILLS - finished} killed mid-run, {mixed} left old and new documents side by side); "
          f"a whole run takes {duration:.1f} s")
    # The kills must really land while ingest runs; whether one lands exactly between two documents
    # depends on the machine's load (it did in 7 of 20 rounds on a quiet machine), so it is reported above.
    assert KILLS - finished >= KILLS // 2
    validate = subprocess.run([*UNKG, "validate", "--store", str(store)], capture_output=True, text=True, cwd=ROOT)
    assert validate.returncode == 0, validate.stdout + validate.stderr
    assert _ingest(store, second).wait(timeout=300) == 0  # and the next ingest completes normally
    assert _state(store) == references["v2"] or all(
        _state(store)[g][0] == references["v2"][g][0] for g in allowed)
