"""Ingest with worker processes writes exactly what a one-process ingest writes, failures included."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ingest.loader import IngestReport, ingest_paths
from ingest.store import GraphStore

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Twelve files: the seeds twice over (the second copy replaces the first's graph) and two broken files."""
    folder = tmp_path_factory.mktemp("parallel")
    for source in sorted((ROOT / "corpus").glob("*.txt")):
        (folder / f"a_{source.name}").write_bytes(source.read_bytes())
        (folder / f"b_{source.name}").write_bytes(source.read_bytes())
    (folder / "c_empty.txt").write_bytes(b"")
    (folder / "d_binary.txt").write_bytes(bytes(range(256)) * 8)
    return folder


def ingest(folder: Path, store_dir: Path, workers: int, validate: bool = True) -> tuple[IngestReport, list[bytes]]:
    with GraphStore.open(store_dir) as store:
        report = ingest_paths(store, [folder], ingested_at=NOW, workers=workers, validate=validate)
        out = io.BytesIO()
        store.dump(out, "nq")
    return report, sorted(out.getvalue().splitlines())


def summary(report: IngestReport) -> tuple[object, ...]:
    return (report.documents, report.skipped_unchanged, sorted((p.name, r) for p, r in report.failed),
            report.triples_written, report.citations, sorted((p.name, w) for p, w in report.warnings),
            report.graphs)


def test_two_workers_write_the_same_store_and_report_as_one(folder: Path, tmp_path: Path) -> None:
    one, one_quads = ingest(folder, tmp_path / "one", workers=1)
    two, two_quads = ingest(folder, tmp_path / "two", workers=2)
    assert summary(one) == summary(two)
    assert one_quads == two_quads
    assert one.documents == 10 and {p.name for p, _ in two.failed} == {"c_empty.txt", "d_binary.txt"}


def test_progress_is_reported_once_per_file_in_file_order(folder: Path, tmp_path: Path) -> None:
    seen: list[tuple[int, int, str]] = []
    with GraphStore.open(tmp_path / "store") as store:
        ingest_paths(store, [folder], workers=2, validate=False,
                     on_progress=lambda done, total, path: seen.append((done, total, path.name)))
    names = sorted(p.name for p in folder.iterdir())
    assert seen == [(i, len(names), name) for i, name in enumerate(names, start=1)]


def test_a_parallel_reingest_skips_what_a_one_process_reingest_skips(folder: Path, tmp_path: Path) -> None:
    _, before = ingest(folder, tmp_path / "two", workers=2)
    ingest(folder, tmp_path / "one", workers=1)
    again_two, after = ingest(folder, tmp_path / "two", workers=2)
    again_one, _ = ingest(folder, tmp_path / "one", workers=1)
    assert summary(again_two) == summary(again_one)
    # Each b_ copy replaces the graph its a_ twin wrote (a symbol is one graph), so only files
    # whose graph is theirs alone can be unchanged; those must be skipped, not rewritten.
    assert again_two.skipped_unchanged >= 2
    assert before == after


def test_a_terminated_ingest_leaves_no_worker_behind(tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    from proc_stats import descendants

    folder = tmp_path / "many"
    folder.mkdir()
    seeds = sorted((ROOT / "corpus").glob("*.txt"))
    for i in range(40):
        (folder / f"{i:02d}_{seeds[i % len(seeds)].name}").write_bytes(seeds[i % len(seeds)].read_bytes())
    ingest = subprocess.Popen([sys.executable, "-m", "api", "ingest", "--workers", "2", "--no-validate", "--store",
                               str(tmp_path / "store"), str(folder)], cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while len(descendants(ingest.pid)) < 3 and time.monotonic() < deadline and ingest.poll() is None:
        time.sleep(0.1)
    workers = [pid for pid in descendants(ingest.pid) if pid != ingest.pid]
    assert workers, "the ingest started no worker processes"
    ingest.send_signal(signal.SIGTERM)
    ingest.wait(timeout=30)
    deadline = time.monotonic() + 10
    alive = workers
    while alive and time.monotonic() < deadline:
        time.sleep(0.1)
        alive = [pid for pid in workers if os.path.exists(f"/proc/{pid}") and
                 "Z" not in open(f"/proc/{pid}/stat").read().split(")")[-1].split()[0]]
    assert not alive, f"workers {alive} outlived the terminated ingest"
