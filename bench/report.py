"""The last step of ``make bench``: headline figures into ``bench/results/latest.json``, a table, printed.

``bench/scale.py`` (synthetic corpora, peers) and ``bench/run.py`` (the real
resolutions) each write their detail; this merges them, picks the headline
keys the scale issue names, and writes ``bench/results/latest.md``:

* ``ingest_docs_per_s``, ``ingest_vs_bulk_load_ratio``: 10k synthetic documents;
* ``sparql_vs_oxigraph_server_ratio``: research queries over SPARQL, 8 clients;
* ``json_vs_rdflib_endpoint_ratio``: JSON lookups against rdflib-endpoint
  answering the same questions over SPARQL, 8 clients;
* ``lookup_p50_ms``, ``lookup_p99_ms``: JSON lookups at 8 clients (and the
  p99/p50 spread at 32 clients);
* ``dump_vs_pyoxigraph_ratio``: N-Quads dump of the whole store.

Every ratio is unkg's throughput over the baseline's, measured in the same run.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"
REFERENCE_SIZE = 10000


def _reference(sizes: dict[str, Any]) -> str:
    """The 10k run when there is one, else the largest."""
    return str(REFERENCE_SIZE) if str(REFERENCE_SIZE) in sizes else max(sizes, key=int)


def headline(scale: dict[str, Any]) -> dict[str, float]:
    sizes = scale["sizes"]
    ref = sizes[_reference(sizes)]
    peers = next((s for s in sizes.values() if "rdflib_endpoint" in s["lookups"]), None)
    lookups = ref["lookups"]
    figures = {
        "ingest_docs_per_s": ref["ingest"]["docs_per_s"],
        "ingest_vs_bulk_load_ratio": ref["ingest"]["vs_bulk_load_ratio"],
        "sparql_vs_oxigraph_server_ratio": lookups["sparql_vs_oxigraph_server_ratio"]["8"],
        "json_vs_rdflib_endpoint_ratio": (peers["lookups"]["rdflib_endpoint"]["json_vs_rdflib_endpoint_ratio"]
                                          if peers else float("nan")),
        "lookup_p50_ms": lookups["json_8"]["p50_ms"],
        "lookup_p99_ms": lookups["json_8"]["p99_ms"],
        "lookup_p99_over_p50_at_32_clients": lookups["json_p99_over_p50_at_32"],
        "dump_vs_pyoxigraph_ratio": ref["dumps"]["nq"]["vs_pyoxigraph_ratio"],
    }
    return {key: float(value) for key, value in figures.items()}


def table(scale: dict[str, Any], real: dict[str, Any] | None) -> str:
    lines = ["| documents | ingest docs/s | MB/s | vs bulk load | store MB | JSON rps (1/8/32) | JSON p50/p99 ms (8) "
             "| SPARQL vs Oxigraph server (1/8/32) | dump nq MB/s | dump vs pyoxigraph | dump peak MiB |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for size, run in sorted(scale["sizes"].items(), key=lambda item: int(item[0])):
        ingest, lookups, dump = run["ingest"], run["lookups"], run["dumps"]["nq"]
        rps = "/".join(f"{lookups[f'json_{c}']['throughput_rps']:.0f}" for c in (1, 8, 32))
        ratios = "/".join(f"{lookups['sparql_vs_oxigraph_server_ratio'][str(c)]:.2f}" for c in (1, 8, 32))
        lines.append(f"| {int(size):,} | {ingest['docs_per_s']:.1f} | {ingest['mb_per_s']:.2f} | "
                     f"{ingest['vs_bulk_load_ratio']:.2f} | {ingest['store_bytes'] / 1e6:.0f} | {rps} | "
                     f"{lookups['json_8']['p50_ms']:.0f}/{lookups['json_8']['p99_ms']:.0f} | {ratios} | "
                     f"{dump['mb_per_s']:.1f} | {dump['vs_pyoxigraph_ratio']:.2f} | {dump['peak_rss_mib']:.0f} |")
    lines += ["", "| documents | JSON rps embedded / remote store (8) | JSON p99 ms embedded / remote | "
              "SPARQL rps embedded / remote |", "|---|---|---|---|"]
    for size, run in sorted(scale["sizes"].items(), key=lambda item: int(item[0])):
        lookups = run["lookups"]
        remote = lookups.get("remote_store")
        if remote:
            lines.append(f"| {int(size):,} | {lookups['json_8']['throughput_rps']:.0f} / "
                         f"{remote['json_8']['throughput_rps']:.0f} | {lookups['json_8']['p99_ms']:.0f} / "
                         f"{remote['json_8']['p99_ms']:.0f} | {lookups['sparql_8']['throughput_rps']:.1f} / "
                         f"{remote['sparql_8']['throughput_rps']:.1f} |")
    if real:
        lines += ["", "| real corpus | documents | ingest docs/s | + SHACL docs/s | extract docs/s | vs bulk load |",
                  "|---|---|---|---|---|---|"]
        for corpus in real["corpora"]:
            lines.append(f"| {corpus['corpus']} | {corpus['documents']} | {corpus['ingest_docs_per_s']} | "
                         f"{corpus['ingest_with_shacl_docs_per_s']} | {corpus['extract_docs_per_s']} | "
                         f"{corpus['ingest_vs_bulk_load_ratio']} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    scale = json.loads((RESULTS / "scale.json").read_text(encoding="utf-8"))
    real_path = RESULTS / "real_corpus.json"
    real = json.loads(real_path.read_text(encoding="utf-8")) if real_path.exists() else None
    latest = {**headline(scale), "ratio_convention": scale["ratio_convention"], "machine": scale["machine"],
              "scale": scale, "real_corpus": real}
    (RESULTS / "latest.json").write_text(json.dumps(latest, indent=2) + "\n", encoding="utf-8")
    text = "\n".join(f"- `{key}`: {value}" for key, value in headline(scale).items()) + "\n\n" + table(scale, real)
    (RESULTS / "latest.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
