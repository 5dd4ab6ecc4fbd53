"""``make bench``: ingest and extraction throughput, as ratios against baselines measured in the same run.

Figures are medians over repeated runs.  Absolute times depend on a shared,
noisy machine; the ratios compare unkg with what the same machine does in the
same minute:

* ``ingest_vs_bulk_load_ratio``: end-to-end ingest time (read, extract,
  validate, write) over pyoxigraph's own bulk load of the very same quads
  (the floor: the store cannot be fed faster);
* ``ingest_vs_rdflib_parse_ratio``: the same, over rdflib parsing those
  quads into a Dataset (what a pure-Python pipeline pays just to hold them);
* extraction alone (text -> JSON), documents per second;
* the share of ingest time that per-graph SHACL validation takes when it is
  on (``unkg ingest`` validates by default; ``--no-validate`` for bulk loads).

Throughput and the ratios are measured without per-graph SHACL, the bulk-load
configuration; the validated rate is reported next to them.

The corpus is the five seeds plus the real resolutions of
``../shared/corpora/unxml-dev/texts`` when present.
"""

from __future__ import annotations

import io
import json
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
DEV = ROOT.parent / "shared" / "corpora" / "unxml-dev" / "texts"


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
            report = ingest_paths(store, files, base=DEFAULT_BASE_IRI, validate=validate)
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
        "ingest_vs_bulk_load_ratio": round(ingest_s / bulk_s, 2),
        "ingest_vs_rdflib_parse_ratio": round(ingest_s / rdflib_s, 2),
    }


def main() -> None:
    corpora = [("seeds", sorted((ROOT / "corpus").glob("*.txt")))]
    if DEV.exists():
        corpora.append(("unxml-dev texts", sorted(DEV.glob("*.txt"))))
    results = [bench_corpus(name, files) for name, files in corpora]
    summary = {
        "machine": {"python": platform.python_version(), "platform": platform.platform(),
                    "cpus": __import__("os").cpu_count()},
        "repeat": REPEAT,
        "corpora": results,
        "ingest_docs_per_s": results[-1]["ingest_docs_per_s"],
        "ingest_vs_bulk_load_ratio": results[-1]["ingest_vs_bulk_load_ratio"],
    }
    out = ROOT / "bench" / "results" / "latest.json"
    out.write_text(json.dumps(summary, indent=2) + "\n")
    keys = ["documents", "quads", "extract_docs_per_s", "ingest_docs_per_s", "ingest_with_shacl_docs_per_s",
            "ingest_mb_per_s",
            "ingest_vs_bulk_load_ratio", "ingest_vs_rdflib_parse_ratio"]
    print("| corpus | " + " | ".join(keys) + " |")
    print("|---" * (len(keys) + 1) + "|")
    for r in results:
        print(f"| {r['corpus']} | " + " | ".join(str(r[k]) for k in keys) + " |")
    print(f"\nwritten to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
