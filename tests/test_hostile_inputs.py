"""Hostile and broken inputs: each gets one clear error naming the file (or is ingested), memory stays bounded.

One real ``unkg ingest`` reads a folder holding every kind of bad input next
to two good texts; its peak resident memory is read with
``getrusage(RUSAGE_CHILDREN)`` in a small wrapper process (so no other child
of the test run counts) and compared with a run over the good texts alone.
Files that vanish or become unreadable while a run is under way are tested
in-process, where the moment can be chosen exactly.
"""

from __future__ import annotations

import codecs
import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, UNKG

from ingest.loader import ingest_paths
from ingest.normalize import MAX_FILE_BYTES, MAX_LINE_CHARS, MAX_WORD_CHARS
from ingest.store import GraphStore

GOOD = sorted((ROOT / "corpus").glob("*.txt"))[:2]
HEAD = "Resolution adopted by the General Assembly on 8 December 2020\n\n75/{n}. A test\n\nThe General Assembly,\n\n"
MB = 2**20

_MEASURE = """
import json, resource, subprocess, sys, time
started = time.monotonic()
run = subprocess.run(sys.argv[1:], capture_output=True, text=True)
print(json.dumps({"code": run.returncode, "stderr": run.stderr, "seconds": time.monotonic() - started,
                  "peak_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


def _measured_ingest(store: Path, *paths: Path) -> dict[str, object]:
    """Run ``unkg ingest`` in a wrapper that reports its exit code, stderr, time and peak RSS."""
    run = subprocess.run([sys.executable, "-c", _MEASURE, *UNKG, "ingest", "--no-validate", "--store", str(store),
                          *map(str, paths)], capture_output=True, text=True, cwd=ROOT, timeout=600)
    result: dict[str, object] = json.loads(run.stdout)
    return result


def _hostile_folder(folder: Path) -> dict[str, str]:
    """Write every hostile input; return file name -> a word its error must contain (``""``: must be ingested)."""
    folder.mkdir()
    expected: dict[str, str] = {}

    def write(name: str, data: bytes, reason: str) -> None:
        (folder / name).write_bytes(data)
        expected[name] = reason

    resolution = sorted((ROOT / "corpus").glob("*.txt"))[2].read_text(encoding="utf-8")
    write("empty.txt", b"", "empty")
    write("blank.txt", b" \n\t\n", "empty")
    write("binary.txt", os.urandom(4096) + b"\x00" * 64, "binary")
    write("slides.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF")
    archive = folder / "archive.zip.tmp"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("a.txt", resolution)
    write("bundle.txt", archive.read_bytes(), "ZIP")
    archive.unlink()
    write("latin1.txt", "Résolution adoptée".encode("latin-1") + b"\n", "UTF-8")
    write("utf16.txt", codecs.BOM_UTF16_LE + resolution.encode("utf-16-le"), "")
    write("fifty-mb.txt", (resolution.encode() * (50 * MB // len(resolution.encode()) + 1))[:50 * MB], "limit")
    write("ten-mb-line.txt", b"word " * (2 * MB), "limit")
    def paragraph(n: int, body: str) -> bytes:
        return (HEAD.format(n=n) + "1. Decides " + body + ";\n").encode()

    write("long-line.txt", paragraph(991, "and recalls " * (MAX_LINE_CHARS // 12 + 10)), "line 7")
    write("nested.txt", paragraph(992, "(" * 20000 + "x" + ")" * 20000), "without a space")
    write("nested-spaced.txt", paragraph(993, "( " * 20000 + "x" + " )" * 20000), "")
    markers = "".join(f"{n}. Recalls the report{''.join('⁰¹²³⁴⁵⁶⁷⁸⁹'[int(c)] for c in str(n % 99 + 1))} "
                      + "and the study¹ " * 49 + ";\n\n" for n in range(1, 201))
    notes = "\n".join(f"{n} Report of the working group." for n in range(1, 100))
    markers_text = HEAD.format(n=994) + markers + "__________________\n" + notes + "\n"
    write("ten-thousand-markers.txt", markers_text.encode(), "")
    os.mkfifo(folder / "pipe.txt")
    expected["pipe.txt"] = "not a regular file"
    return expected


@pytest.mark.slow
def test_every_hostile_input_gets_one_clear_error_and_nothing_else_is_lost(tmp_path: Path) -> None:
    store = tmp_path / "store"
    baseline = _measured_ingest(store, *GOOD)
    assert baseline["code"] == 0, baseline["stderr"]
    before = GraphStore.open(store, read_only=True)
    kept = before.document_graphs()
    before.close()

    expected = _hostile_folder(tmp_path / "hostile")
    files = sorted(tmp_path.joinpath("hostile").iterdir())
    hostile = _measured_ingest(store, *files, *GOOD)
    stderr = str(hostile["stderr"])
    errors = [line for line in stderr.splitlines() if line.startswith("error: ")]
    assert hostile["code"] == 1, stderr
    for name, reason in expected.items():
        mine = [line for line in errors if f"/{name}: " in line]
        if reason:
            assert len(mine) == 1, (name, stderr[-3000:])
            assert reason.lower() in mine[0].lower(), mine[0]
        else:
            assert mine == [], mine
    assert len(errors) == sum(1 for reason in expected.values() if reason)

    after = GraphStore.open(store, read_only=True)
    try:
        documents = after.document_graphs()
        assert set(kept) <= set(documents)  # nothing that was there is lost
        sources = {after.graph_provenance(g)["sourceFile"] for g in documents}  # type: ignore[index]
        assert {"utf16.txt", "nested-spaced.txt", "ten-thousand-markers.txt"} <= sources
    finally:
        after.close()

    input_kib = sum(f.stat().st_size for f in files if f.is_file()) // 1024
    growth = int(hostile["peak_kib"]) - int(baseline["peak_kib"])  # type: ignore[call-overload]
    print(f"hostile run: {len(files)} files, {input_kib / 1024:.0f} MiB of input, {hostile['seconds']:.1f} s, "
          f"peak RSS {int(hostile['peak_kib']) // 1024} MiB vs {int(baseline['peak_kib']) // 1024} MiB "  # type: ignore[call-overload]
          f"for the two good texts alone (+{growth // 1024} MiB)")
    assert growth < 128 * 1024  # the 60 MiB of oversized input is never held in memory
    assert growth < input_kib  # bounded: less than the input's size
    assert float(hostile["seconds"]) < 240  # type: ignore[arg-type]


def test_the_limits_are_far_above_any_real_resolution() -> None:
    """The dev corpus's largest text is 0.2 MB, its longest line 8,775 and longest word 129 characters."""
    assert MAX_FILE_BYTES >= 40 * 200_000 and MAX_LINE_CHARS >= 10 * 8775 and MAX_WORD_CHARS >= 5 * 129


@pytest.mark.parametrize("mutation", ["delete", "symlink loop", "directory", "truncate to empty"])
def test_a_file_that_vanishes_or_turns_unreadable_mid_run_fails_alone(tmp_path: Path, mutation: str) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    names = ["a.txt", "b.txt", "c.txt"]
    sources = sorted((ROOT / "corpus").glob("*.txt"))
    for name, source in zip(names, sources, strict=False):
        (folder / name).write_bytes(source.read_bytes())
    victim = folder / "b.txt"

    def mutate(done: int, total: int, path: Path) -> None:
        if done != 1:
            return
        if mutation == "delete":
            victim.unlink()
        elif mutation == "symlink loop":
            victim.unlink()
            victim.symlink_to(victim)
        elif mutation == "directory":
            victim.unlink()
            victim.mkdir()
        else:
            victim.write_bytes(b"")

    with GraphStore.open(tmp_path / "store") as store:
        report = ingest_paths(store, [folder], on_progress=mutate, validate=False)
        documents = store.document_graphs()
    reasons = {Path(p).name: r for p, r in report.failed}
    assert list(reasons) == ["b.txt"]
    expected = {"delete": "not found", "symlink loop": "cannot be read", "directory": "directory",
                "truncate to empty": "empty"}[mutation]
    assert expected in reasons["b.txt"]
    assert report.documents == 2 and len(documents) == 2


def test_a_file_growing_past_the_limit_while_read_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import ingest.normalize as normalize

    monkeypatch.setattr(normalize, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "grows.txt"
    path.write_bytes(b"x" * 10)
    real_stat = Path.stat

    def stale_stat(self: Path, **kwargs: object) -> os.stat_result:  # the size seen before the file grew
        info = real_stat(self)
        if self == path:
            path.write_bytes(b"x " * 5000)
        return info

    monkeypatch.setattr(Path, "stat", stale_stat)
    with pytest.raises(normalize.IngestError, match="grew past"):
        normalize.read_text(path)
    time.sleep(0)
