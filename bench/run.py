"""``make bench`` (real corpus): ingest and extraction throughput on real resolutions, against baselines.

Figures are medians over repeated runs.  Absolute times depend on a shared,
noisy machine; the ratios compare unkg with what the same machine does in the
same minute, each as *unkg's throughput over the baseline's* (1.0: as fast):

* ``ingest_vs_bulk_load_ratio``: pyoxigraph's own bulk load of the very same
  quads over end-to-end ingest (read, extract, build, write), the floor: the
  store cannot be fed faster;
* ``ingest_vs_rdflib_parse_ratio``: rdflib parsing those quads into a Dataset
  (what a pure-Python pipeline pays just to hold them) over ingest;
* extraction alone (text -> JSON), documents per second;
* the share of ingest time that per-graph SHACL validation takes when it is
  on (``unkg ingest`` validates by default; ``--no-validate`` for bulk loads).

Throughput and the ratios are measured without per-graph SHACL, the bulk-load
configuration, with one worker process per core; the validated rate is
reported next to them.

The corpora are the five seeds, and the 389 real resolutions of
``../shared/corpora/unxml-dev`` both as plain text and as the UN's AKN XML.
Results: ``bench/results/real_corpus.json``; ``bench/report.py`` merges them
with the scale figures.
"""

from __future__ import annotations

import io
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
import rdflib

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.loader import ingest_paths  # noqa: E402
from ingest.pipeline import extract_file  # noqa: E402
from ingest.settings import DEFAULT_BASE_IRI  # noqa: E402
from ingest.store import GraphStore  # noqa: E402

REPEAT = 3
WORKERS = os.cpu_count() or 1
DEV = ROOT.parent / "shared" / "corpora" / "unxml-dev"


def _median(fn, repeat: int = REPEAT) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_corpus(name: str, files: list[Path], repeat: int = REPEAT) -> dict[str, float]:
    size = sum(f.stat().st_size for f in files)
    extract_s = _median(lambda: [extract_file(f) for f in files], repeat)

    def ingest_once(validate: bool = False) -> bytes:
        with tempfile.TemporaryDirectory() as tmp:
            store = GraphStore.open(Path(tmp) / "store")
            report = ingest_paths(store, files, base=DEFAULT_BASE_IRI, validate=validate, workers=WORKERS)
            assert not report.failed, report.failed
            out = io.BytesIO()
            store.dump(out, "nq")
            store.close()
            return out.getvalue()

    nquads = ingest_once()
    ingest_s = _median(ingest_once, repeat)
    validated_s = _median(lambda: ingest_once(validate=True), 1)

    def bulk_load() -> None:
        with tempfile.TemporaryDirectory() as tmp:
            store = ox.Store(str(Path(tmp) / "store"))
            store.bulk_load(nquads, ox.RdfFormat.N_QUADS)
            store.flush()

    def rdflib_parse() -> None:
        rdflib.Dataset().parse(data=nquads.decode("utf-8"), format="nquads")

    bulk_s = _median(bulk_load, repeat)
    rdflib_s = _median(rdflib_parse, repeat)
    quads = nquads.count(b"\n")
    return {
        "corpus": name,
        "documents": len(files),
        "megabytes": round(size / 1e6, 3),
        "quads": quads,
        "extract_docs_per_s": round(len(files) / extract_s, 2),
        "ingest_docs_per_s": round(len(files) / ingest_s, 2),
        "ingest_mb_per_s": round(size / 1e6 / ingest_s, 3),
        "ingest_s": round(ingest_s, 3),
        "ingest_with_shacl_docs_per_s": round(len(files) / validated_s, 2),
        "shacl_share_of_ingest": round(1 - ingest_s / validated_s, 2),
        "bulk_load_s": round(bulk_s, 3),
        "rdflib_parse_s": round(rdflib_s, 3),
        "ingest_vs_bulk_load_ratio": round(bulk_s / ingest_s, 3),
        "ingest_vs_rdflib_parse_ratio": round(rdflib_s / ingest_s, 3),
    }


def main() -> None:
    corpora = [("seeds", sorted((ROOT / "corpus").glob("*.txt")))]
    if DEV.exists():
        corpora.append(("unxml-dev texts", sorted((DEV / "texts").glob("*.txt"))))
        corpora.append(("unxml-dev AKN XML", sorted((DEV / "xml").glob("*.xml"))))
    results = [bench_corpus(name, files) for name, files in corpora]
    summary = {
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()},
        "repeat": REPEAT,
        "workers": WORKERS,
        "ratio_convention": "unkg throughput / baseline throughput (1.0 = as fast)",
        "corpora": results,
    }
    out = ROOT / "bench" / "results" / "real_corpus.json"
    out.write_text(json.dumps(summary, indent=2) + "\n")
    keys = ["documents", "quads", "extract_docs_per_s", "ingest_docs_per_s", "ingest_with_shacl_docs_per_s",
            "ingest_mb_per_s", "ingest_vs_bulk_load_ratio", "ingest_vs_rdflib_parse_ratio"]
    print("| corpus | " + " | ".join(keys) + " |")
    print("|---" * (len(keys) + 1) + "|")
    for r in results:
        print(f"| {r['corpus']} | " + " | ".join(str(r[k]) for k in keys) + " |")
    print(f"\nwritten to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
