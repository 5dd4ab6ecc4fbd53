"""``make bench`` (scale): unkg side by side with the store's own limits and with the peers, at growing sizes.

For each corpus size (synthetic resolutions from ``bench/synth.py``, 1k and
10k by default; ``make bench-large`` adds 100k) one run measures, on the same
data and the same queries, in the same minutes:

* ingest: ``unkg ingest --no-validate`` end to end (read, extract, write, both
  cores) against pyoxigraph's ``bulk_load`` of the very same quads (the floor);
* lookups: the JSON API (citations, cited-by, path, network) and a set of
  research queries from ``queries/`` over SPARQL, at 1, 8 and 32 clients, from
  a separate load-generator process (``bench/loadgen.py``), against the same
  SPARQL run in-process on pyoxigraph (the floor) and answered by
  ``oxigraph serve-read-only`` over HTTP (what the store's own server does);
* rdflib-endpoint (FastAPI + rdflib, what a Python user would otherwise pick)
  serving the same quads, at the smallest size only (it holds everything in
  Python objects: at 10k documents it needs minutes to load and many GB);
* dumps: N-Quads and Turtle of the whole store, MB/s and peak memory, against
  pyoxigraph's own dump.

Every figure is a median over ``--repeat`` runs.  Every ratio is *unkg's
throughput over the baseline's* (1.0: as fast; 0.5: half as fast), so the
ratios, not the absolute figures, are what compares across machines.
Results: ``bench/results/scale.json`` (all detail); ``bench/report.py`` puts
the headline keys into ``bench/results/latest.json`` and prints the table.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from queries import load_query  # noqa: E402
from queries.binding import bind_parameters  # noqa: E402

BIN = Path(sys.executable).parent
UNKG = [str(BIN / "unkg")]
OXIGRAPH = str(BIN / "oxigraph")
RDFLIB_ENDPOINT = str(BIN / "rdflib-endpoint")
BASE_IRI = "https://w3id.org/unkg/"
RESULTS = ROOT / "bench" / "results"
SPARQL_JSON = "application/sparql-results+json"
CLIENTS = (1, 8, 32)
PER_DOCUMENT_QUERIES = ("cites", "cited-by", "ratify")
CORPUS_QUERIES = (("instrument-mentions", {"instrument": "tip-protocol"}), ("most-cited-documents", {}))


def log(message: str) -> None:
    print(f"[scale {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def median_of(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Key-wise median of numeric figures over repeated runs (other values from the first run)."""
    merged: dict[str, Any] = dict(runs[0])
    for key, value in runs[0].items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            merged[key] = round(statistics.median(float(r[key]) for r in runs), 3)
    merged["runs"] = len(runs)
    return merged


def timed(fn: Callable[[], Any]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def directory_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def _high_water_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def run_measured(args: list[str], **kwargs: Any) -> tuple[float, int]:
    """Run a command to completion: (wall seconds, its peak resident memory in KiB).

    The peak is the program's own high-water mark (``VmHWM``), read until it
    exits: ``wait4``'s ``ru_maxrss`` would include the memory of this process,
    which the child inherits until it execs.
    """
    started = time.perf_counter()
    process = subprocess.Popen(args, **kwargs)
    peak = 0
    while process.poll() is None:
        peak = max(peak, _high_water_kib(process.pid))
        time.sleep(0.02)
    elapsed = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:4])}... exited with {process.returncode}")
    return elapsed, peak


# -- servers ---------------------------------------------------------------------------------------

class Server:
    """A server process on a loopback port, its log in a file (an unread pipe would block it)."""

    def __init__(self, name: str, args: list[str], port: int, ready_path: str, log_dir: Path,
                 ready_timeout: float = 120.0) -> None:
        self.name, self.port = name, port
        self.base = f"http://127.0.0.1:{port}"
        self.log = open(log_dir / f"{name}-{port}.log", "wb")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + ready_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{name} exited with {self.process.returncode}; see {self.log.name}")
            try:
                if httpx.get(self.base + ready_path, timeout=5, trust_env=False).status_code < 500:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"{name} did not answer within {ready_timeout:.0f} s; see {self.log.name}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def load(base: str, requests: list[dict[str, Any]], clients: int, seconds: float, work: Path,
         timeout: float = 60.0) -> dict[str, Any]:
    """One load-generator run in its own process."""
    job = work / f"job-{clients}.json"
    job.write_text(json.dumps({"base": base, "clients": clients, "seconds": seconds, "timeout": timeout,
                               "requests": requests}), encoding="utf-8")
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "loadgen.py"), str(job)], check=True,
                         capture_output=True, text=True)
    result: dict[str, Any] = json.loads(out.stdout)
    if result["errors"]:
        log(f"  {result['errors']} errors against {base}: {result['error_samples'][:2]}")
    return result


def load_median(base: str, requests: list[dict[str, Any]], clients: int, seconds: float, work: Path,
                repeat: int) -> dict[str, Any]:
    return median_of([load(base, requests, clients, seconds, work) for _ in range(repeat)])


# -- what is asked -------------------------------------------------------------------------------------

def sample_documents(store_dir: Path, count: int, seed: int) -> tuple[list[str], list[tuple[str, str]]]:
    """(symbols of ingested documents, pairs of ingested documents two citation steps apart), read-only."""
    import pyoxigraph as ox

    store = ox.Store.read_only(str(store_dir))
    prefix = "PREFIX unkg: <https://w3id.org/unkg/ontology#> PREFIX cito: <http://purl.org/spar/cito/> "
    rows = store.query(prefix + "SELECT ?doc WHERE { GRAPH ?g { ?g unkg:describes ?doc } } ORDER BY ?doc",
                       use_default_graph_as_union=True)
    docs = [row["doc"].value for row in rows]
    chains = store.query(prefix + "SELECT DISTINCT ?a ?c WHERE { ?x cito:hasCitingEntity ?a ; cito:hasCitedEntity ?b . "
                         "?y cito:hasCitingEntity ?b ; cito:hasCitedEntity ?c . GRAPH ?ga { ?ga unkg:describes ?a } "
                         "GRAPH ?gc { ?gc unkg:describes ?c } FILTER(?a != ?c) } LIMIT 2000",
                         use_default_graph_as_union=True)
    pairs = [(row["a"].value, row["c"].value) for row in chains]
    del store
    symbol = lambda iri: iri.split("/document/", 1)[1]  # noqa: E731
    rng = random.Random(seed)
    sampled = rng.sample(pairs, min(10, len(pairs)))
    return ([symbol(d) for d in rng.sample(docs, min(count, len(docs)))],
            [(symbol(a), symbol(c)) for a, c in sampled])


def json_requests(symbols: list[str], chains: list[tuple[str, str]], seed: int) -> list[dict[str, Any]]:
    """The JSON API lookups: citations and cited-by of each sampled document, networks, paths that exist."""
    rng = random.Random(seed)
    requests: list[dict[str, Any]] = []
    for sym in symbols:
        requests.append({"path": f"/api/documents/{sym}/citations"})
        requests.append({"path": f"/api/documents/{sym}/cited-by"})
    for sym in symbols[:10]:
        requests.append({"path": f"/api/documents/{sym}/network"})
    for source, target in chains:
        requests.append({"path": "/api/citations/path", "params": {"from": source, "to": target}})
    rng.shuffle(requests)
    return requests


def concrete_query(name: str, values: dict[str, str], store: Any) -> str:
    """A saved query with its parameters written into the text, as a user of a plain endpoint would.

    (The peers have no binding API.  A leading ``VALUES`` block would do too,
    but it changes Oxigraph's plan: one query went from 1 s to 130 s.)
    """
    saved = load_query(name)
    bindings = bind_parameters(saved, values, store, BASE_IRI)
    head, where, body = saved.sparql.partition("WHERE {")
    for var, term in bindings.items():
        pattern = re.compile(rf"\?{re.escape(var)}\b")
        written, projected = term.n3(), f"({term.n3()} AS ?{var})"
        head = pattern.sub(lambda _, text=projected: text, head)
        body = pattern.sub(lambda _, text=written: text, body)
    return head + where + body


def sparql_texts(store_dir: Path, symbols: list[str]) -> list[str]:
    from ingest.store import GraphStore

    with GraphStore.open(store_dir, read_only=True) as store:
        texts = [concrete_query(name, {"symbol": sym}, store) for sym in symbols[:10]
                 for name in PER_DOCUMENT_QUERIES]
        # Corpus-wide questions are asked for their top 100 rows, as a researcher reads them (the whole
        # answer grows with the corpus and would hit the endpoint's row cap, which the peers do not have).
        texts += [concrete_query(name, values, store) + "\nLIMIT 100" for name, values in CORPUS_QUERIES]
    return texts


def sparql_requests(texts: list[str], path: str) -> list[dict[str, Any]]:
    return [{"method": "POST", "path": path, "content": text,
             "headers": {"Content-Type": "application/sparql-query", "Accept": SPARQL_JSON}} for text in texts]


def rdflib_json_equivalents(store_dir: Path, symbols: list[str]) -> list[str]:
    """What the JSON lookups ask, as the SPARQL a user of a plain endpoint would send (cites, cited-by)."""
    from ingest.store import GraphStore

    with GraphStore.open(store_dir, read_only=True) as store:
        return [concrete_query(name, {"symbol": sym}, store) for sym in symbols for name in ("cites", "cited-by")]


def floor_sparql(store_dir: Path, texts: list[str], repeat: int) -> dict[str, Any]:
    """The same queries in-process on pyoxigraph, answers serialized as SPARQL JSON: one client's ceiling."""
    import pyoxigraph as ox

    store = ox.Store.read_only(str(store_dir))

    def once() -> None:
        for text in texts:
            store.query(text, use_default_graph_as_union=True).serialize(format=ox.QueryResultsFormat.JSON)

    once()
    seconds = statistics.median(timed(once) for _ in range(repeat))
    return {"queries": len(texts), "seconds": round(seconds, 3), "throughput_qps": round(len(texts) / seconds, 3)}


# -- one size -----------------------------------------------------------------------------------------

def generate(docs: int, seed: int, out: Path) -> dict[str, Any]:
    if not (out / "texts").is_dir() or len(list((out / "texts").iterdir())) < docs:
        shutil.rmtree(out, ignore_errors=True)
        subprocess.run([sys.executable, str(ROOT / "bench" / "synth.py"), "--docs", str(docs), "--seed", str(seed),
                        "--out", str(out)], check=True, stdout=subprocess.DEVNULL)
    texts = sorted((out / "texts").iterdir())
    return {"documents": len(texts), "text_bytes": sum(f.stat().st_size for f in texts)}


def bench_ingest(texts: Path, work: Path, corpus: dict[str, Any], repeat: int) -> tuple[dict[str, Any], Path]:
    """End-to-end ingest against pyoxigraph's bulk load of the same quads; returns the last store."""
    import pyoxigraph as ox

    times, store = [], work / "store"
    for _ in range(repeat):
        shutil.rmtree(store, ignore_errors=True)
        seconds, _ = run_measured([*UNKG, "ingest", "--no-validate", "--store", str(store), str(texts)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(seconds)
    nquads = work / "store.nq"
    subprocess.run([*UNKG, "dump", "--store", str(store), "--format", "nq", "--out", str(nquads)], check=True,
                   stdout=subprocess.DEVNULL)

    def bulk() -> None:
        target = work / "bulk"
        shutil.rmtree(target, ignore_errors=True)
        ox_store = ox.Store(str(target))
        ox_store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
        ox_store.flush()
        del ox_store
        shutil.rmtree(target, ignore_errors=True)

    bulk_s = statistics.median(timed(bulk) for _ in range(repeat))
    ingest_s = statistics.median(times)
    quads = sum(1 for _ in nquads.open("rb"))
    return {
        "seconds": round(ingest_s, 3), "docs_per_s": round(corpus["documents"] / ingest_s, 3),
        "mb_per_s": round(corpus["text_bytes"] / 1e6 / ingest_s, 3), "quads": quads,
        "bulk_load_seconds": round(bulk_s, 3), "vs_bulk_load_ratio": round(bulk_s / ingest_s, 4),
        "store_bytes": directory_bytes(store), "nquads_bytes": nquads.stat().st_size, "runs": repeat,
    }, store


def bench_dumps(store: Path, work: Path, repeat: int) -> dict[str, Any]:
    """``unkg dump`` (N-Quads, Turtle) against pyoxigraph dumping the same store, in separate processes."""
    raw = ("import sys, pyoxigraph as ox\n"
           "s = ox.Store.read_only(sys.argv[1])\n"
           "if sys.argv[3] == 'nq':\n"
           "    s.dump(output=sys.argv[2], format=ox.RdfFormat.N_QUADS)\n"
           "else:\n"
           "    ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in s), sys.argv[2],"
           " ox.RdfFormat.TURTLE)\n")
    figures: dict[str, Any] = {}
    for fmt in ("nq", "turtle"):
        ours_file, theirs_file = work / f"unkg.{fmt}", work / f"raw.{fmt}"
        ours = [run_measured([*UNKG, "dump", "--store", str(store), "--format", fmt, "--out", str(ours_file)],
                             stdout=subprocess.DEVNULL) for _ in range(repeat)]
        theirs = [run_measured([sys.executable, "-c", raw, str(store), str(theirs_file), fmt])
                  for _ in range(repeat)]
        ours_s, theirs_s = statistics.median(t for t, _ in ours), statistics.median(t for t, _ in theirs)
        size = ours_file.stat().st_size
        figures[fmt] = {
            "seconds": round(ours_s, 3), "mb_per_s": round(size / 1e6 / ours_s, 3), "bytes": size,
            "peak_rss_mib": round(max(m for _, m in ours) / 1024, 1),
            "pyoxigraph_seconds": round(theirs_s, 3), "pyoxigraph_mb_per_s": round(theirs_file.stat().st_size
                                                                                 / 1e6 / theirs_s, 3),
            "pyoxigraph_peak_rss_mib": round(max(m for _, m in theirs) / 1024, 1),
            "vs_pyoxigraph_ratio": round(theirs_s / ours_s, 4), "runs": repeat,
        }
        ours_file.unlink()
        theirs_file.unlink()
    return figures


def bench_lookups(store: Path, work: Path, args: argparse.Namespace, with_rdflib: bool) -> dict[str, Any]:
    symbols, chains = sample_documents(store, 40, args.seed)
    texts = sparql_texts(store, symbols)
    lookups = json_requests(symbols, chains, args.seed)
    figures: dict[str, Any] = {"sampled_documents": len(symbols), "json_requests": len(lookups),
                               "sparql_queries": len(texts), "floor_pyoxigraph": floor_sparql(store, texts,
                                                                                               args.repeat)}
    unkg = Server("unkg", [*UNKG, "serve", "--store", str(store), "--host", "127.0.0.1", "--port",
                           str(port := free_port())], port, "/api/stats", work)
    oxigraph = Server("oxigraph", [OXIGRAPH, "serve-read-only", "--location", str(store), "--union-default-graph",
                                   "--bind", f"127.0.0.1:{(oport := free_port())}"], oport, "/query?query=ASK%7B%7D",
                      work)
    try:
        for server, path in ((unkg, "/sparql"), (oxigraph, "/query")):
            load(server.base, sparql_requests(texts, path), 2, 1, work)  # warm-up: caches, workers, pages
        load(unkg.base, lookups, 2, 1, work)
        for clients in CLIENTS:
            log(f"  {clients} client(s): JSON lookups, SPARQL on unkg and on the Oxigraph server")
            figures[f"json_{clients}"] = load_median(unkg.base, lookups, clients, args.seconds, work, args.repeat)
            figures[f"sparql_{clients}"] = load_median(unkg.base, sparql_requests(texts, "/sparql"), clients,
                                                       args.seconds, work, args.repeat)
            figures[f"oxigraph_server_{clients}"] = load_median(oxigraph.base, sparql_requests(texts, "/query"),
                                                                clients, args.seconds, work, args.repeat)
    finally:
        unkg.stop()
        oxigraph.stop()
    figures["remote_store"] = bench_remote_store(store, work, args, lookups, texts)
    figures["sparql_vs_oxigraph_server_ratio"] = {
        str(c): round(figures[f"sparql_{c}"]["throughput_rps"] / figures[f"oxigraph_server_{c}"]["throughput_rps"], 4)
        for c in CLIENTS}
    figures["sparql_1_vs_floor_ratio"] = round(
        figures["sparql_1"]["throughput_rps"] / figures["floor_pyoxigraph"]["throughput_qps"], 4)
    figures["json_p99_over_p50_at_32"] = round(figures["json_32"]["p99_ms"] / max(figures["json_32"]["p50_ms"], 1e-9),
                                               3)
    if with_rdflib:
        figures["rdflib_endpoint"] = bench_rdflib_endpoint(store, work, args, symbols, figures["json_8"])
    return figures


def bench_remote_store(store: Path, work: Path, args: argparse.Namespace, lookups: list[dict[str, Any]],
                       texts: list[str]) -> dict[str, Any]:
    """The same service over a remote store (`unkg serve --store http://...`, an Oxigraph server), 8 clients.

    What ``docs/scaling.md`` weighs: one replica pays a network round trip per
    store access; the gain is that several replicas can share the store.
    """
    oport, port = free_port(), free_port()
    oxigraph = Server("oxigraph-store", [OXIGRAPH, "serve-read-only", "--location", str(store), "--bind",
                                         f"127.0.0.1:{oport}"], oport, "/query?query=ASK%7B%7D", work)
    try:
        unkg = Server("unkg-remote", [*UNKG, "serve", "--store", f"http://127.0.0.1:{oport}", "--host", "127.0.0.1",
                                      "--port", str(port)], port, "/api/stats", work)
        try:
            load(unkg.base, lookups, 2, 1, work)
            return {"json_8": load_median(unkg.base, lookups, 8, args.seconds, work, args.repeat),
                    "sparql_8": load_median(unkg.base, sparql_requests(texts, "/sparql"), 8, args.seconds, work,
                                            args.repeat)}
        finally:
            unkg.stop()
    finally:
        oxigraph.stop()


def bench_rdflib_endpoint(store: Path, work: Path, args: argparse.Namespace, symbols: list[str],
                          ours: dict[str, Any]) -> dict[str, Any]:
    nquads = work / "store.nq"
    texts = rdflib_json_equivalents(store, symbols)
    started = time.perf_counter()
    port = free_port()
    server = Server("rdflib-endpoint", [RDFLIB_ENDPOINT, "serve", str(nquads), "--host", "127.0.0.1", "--port",
                                        str(port)], port, "/?query=ASK%7B%7D", work, ready_timeout=1800)
    load_s = time.perf_counter() - started
    try:
        requests = [{"path": "/", "params": {"query": t}, "headers": {"Accept": SPARQL_JSON}} for t in texts]
        theirs = load_median(server.base, requests, 8, args.seconds, work, args.repeat)
    finally:
        server.stop()
    return {"load_seconds": round(load_s, 1), "cites_cited_by_8": theirs,
            "json_vs_rdflib_endpoint_ratio": round(ours["throughput_rps"] / max(theirs["throughput_rps"], 1e-9), 3)}


def growth(sizes: dict[int, dict[str, Any]]) -> dict[str, Any]:
    """Log-log slopes between consecutive sizes: 1.0 is linear, above 1 super-linear."""
    keys = {"ingest_seconds": ("ingest", "seconds"), "store_bytes": ("ingest", "store_bytes"),
            "lookup_p99_ms": ("lookups", "json_8", "p99_ms"), "dump_nq_seconds": ("dumps", "nq", "seconds")}
    ordered = sorted(sizes)
    slopes: dict[str, Any] = {}
    for small, large in zip(ordered, ordered[1:], strict=False):
        pair: dict[str, float] = {}
        for name, path in keys.items():
            a, b = sizes[small], sizes[large]
            for step in path:
                a, b = a[step], b[step]
            pair[name] = round(math.log(float(b) / float(a)) / math.log(large / small), 3) if a and b else float("nan")
        slopes[f"{small}->{large}"] = pair
    return slopes


def main() -> None:
    parser = argparse.ArgumentParser(description="unkg at scale, against pyoxigraph, the Oxigraph server and "
                                                 "rdflib-endpoint")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--peers-size", type=int, default=1000, help="the size rdflib-endpoint is measured at")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=10.0, help="length of one load run")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", type=Path, default=ROOT / "data" / "bench", help="where corpora are cached")
    parser.add_argument("--out", type=Path, default=RESULTS / "scale.json")
    args = parser.parse_args()
    results: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "settings": {"repeat": args.repeat, "seconds_per_load_run": args.seconds, "seed": args.seed,
                     "clients": list(CLIENTS)},
        "ratio_convention": "unkg throughput / baseline throughput (1.0 = as fast)",
        "sizes": {},
    }
    for size in args.sizes:
        with tempfile.TemporaryDirectory(prefix=f"unkg-scale-{size}-") as tmp:
            work = Path(tmp)
            log(f"{size} documents: generating")
            corpus = generate(size, args.seed, args.data / f"synth-{size}")
            log(f"{size} documents: ingest x{args.repeat}")
            ingest, store = bench_ingest(args.data / f"synth-{size}" / "texts", work, corpus, args.repeat)
            log(f"{size} documents: {ingest['docs_per_s']} docs/s; dumps")
            dumps = bench_dumps(store, work, args.repeat)
            log(f"{size} documents: lookups")
            lookups = bench_lookups(store, work, args, with_rdflib=size == args.peers_size)
            results["sizes"][size] = {"corpus": corpus, "ingest": ingest, "dumps": dumps, "lookups": lookups}
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    results["growth"] = growth(results["sizes"])
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    log(f"written {args.out}")


if __name__ == "__main__":
    main()
