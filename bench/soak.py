"""``make soak``: 64 concurrent clients for 60 s against a real ``unkg serve``, mixing lookups, SPARQL and dumps.

Reports the errors (any status outside 2xx/304, or a transport error: must
be 0), p50/p99 latency per kind of request and overall, the requests served,
and the resident memory of the service process (and of its query workers) at
the start (after a warm-up) and at the end; the growth must stay under 10%.
Exits 1 if either bound is broken.  Only loopback traffic, bounded in time.

The store is the five seeds (``--dev`` adds the 389 real resolutions of
``../shared/corpora/unxml-dev/texts``: on a 2-core machine the first dump of
that store takes about a minute of service CPU, so the warm-up fetches each
kind of request once before the clock starts).
Results land in ``bench/results/soak.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from proc_stats import descendants, percentile, resident_kib  # noqa: E402

DEV = ROOT.parent / "shared" / "corpora" / "unxml-dev" / "texts"
BASE = "https://w3id.org/unkg/"
SELECT = (f"SELECT ?d ?p WHERE {{ ?c cito:hasCitingEntity ?d ; cito:hasCitedEntity <{BASE}document/A/RES/64/293> ; "
          "unkg:inParagraph ?p } ORDER BY ?d ?p")
COUNT = (f"SELECT ?d (COUNT(?c) AS ?n) WHERE {{ ?c cito:hasCitingEntity ?d ; "
         f"cito:hasCitedEntity <{BASE}document/A/RES/72/1> }} GROUP BY ?d")
CONSTRUCT = "CONSTRUCT { ?c ?p ?o } WHERE { ?c a cito:Citation ; ?p ?o } LIMIT 2000"
MIX: list[tuple[str, str, str, dict[str, object]]] = [
    ("lookup", "GET", "/api/documents/A/RES/72/1", {}),
    ("lookup", "GET", "/api/documents/A/RES/64/293/cited-by", {}),
    ("lookup", "GET", "/api/documents/E/RES/2021/25/citations", {}),
    ("lookup", "GET", "/api/documents", {"params": {"limit": 20}}),
    ("lookup", "GET", "/api/stats", {}),
    ("lookup", "GET", "/api/instruments/untoc", {"params": {"limit": 10}}),
    ("lookup", "GET", "/api/states/Cuba", {"params": {"limit": 10}}),
    ("page", "GET", "/document/A/RES/72/1", {"headers": {"Accept": "text/turtle"}}),
    ("sparql", "GET", "/sparql", {"params": {"query": SELECT}}),
    ("sparql", "POST", "/sparql", {"data": {"query": COUNT}, "headers": {"Accept": "text/csv"}}),
    ("sparql", "POST", "/sparql", {"content": CONSTRUCT, "headers": {"Content-Type": "application/sparql-query",
                                                                     "Accept": "text/turtle"}}),
    ("dump", "GET", "/dump.nq", {}),
    ("dump", "GET", "/dump", {"params": {"format": "turtle"}}),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _build_store(target: Path, dev: bool) -> int:
    sources = [str(ROOT / "corpus")]
    if DEV.is_dir() and dev:
        sources.append(str(DEV))
    subprocess.run([sys.executable, "-m", "api", "ingest", "--no-validate", "--store", str(target), *sources],
                   cwd=ROOT, check=False, capture_output=True)
    return len(sources)


def _memory(pid: int) -> dict[str, int]:
    tree = descendants(pid)
    return {"service_kib": resident_kib(pid), "tree_kib": sum(resident_kib(p) for p in tree if os.path.exists(
        f"/proc/{p}/status"))}


async def _client(http: httpx.AsyncClient, stop: float, seed: int, samples: dict[str, list[float]],
                  errors: list[str]) -> int:
    rng = random.Random(seed)
    done = 0
    while time.monotonic() < stop:
        kind, method, path, options = rng.choice(MIX)
        started = time.perf_counter()
        try:
            response = await http.request(method, path, **options)  # type: ignore[arg-type]
            if not (200 <= response.status_code < 300 or response.status_code == 304):
                errors.append(f"{method} {path}: {response.status_code} {response.text[:200]}")
        except httpx.HTTPError as exc:
            errors.append(f"{method} {path}: {type(exc).__name__} {exc}")
        samples.setdefault(kind, []).append(time.perf_counter() - started)
        done += 1
    return done


async def _soak(url: str, clients: int, seconds: float) -> tuple[dict[str, list[float]], list[str], int]:
    samples: dict[str, list[float]] = {}
    errors: list[str] = []
    # Idle connections are dropped by the client before uvicorn's 5 s keep-alive timeout closes them under it.
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients, keepalive_expiry=2)
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as http:
        stop = time.monotonic() + seconds
        counts = await asyncio.gather(*(_client(http, stop, seed, samples, errors) for seed in range(clients)))
    return samples, errors, sum(counts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--dev", action="store_true", help="add the unxml-dev resolutions to the store")
    parser.add_argument("--store", type=Path, help="use this store instead of building one")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="unkg-soak-") as scratch:
        store = args.store or Path(scratch) / "store"
        if args.store is None:
            print("building the store ...", flush=True)
            _build_store(store, args.dev)
        port = _free_port()
        # 64 clients keep about 15 SPARQL queries waiting for 2 workers: let them queue up to 30 s, not 5.
        env = {**os.environ, "UNKG_QUERY_QUEUE_WAIT": os.environ.get("UNKG_QUERY_QUEUE_WAIT", "30")}
        service = subprocess.Popen([sys.executable, "-m", "api", "serve", "--store", str(store), "--port", str(port)],
                                   cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    if httpx.get(url + "/api/stats", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            print("warming up: each request once, then 10 s of load ...", flush=True)
            for _, method, path, options in MIX:  # builds the dump files and caches once
                httpx.request(method, url + path, timeout=600, **options)  # type: ignore[arg-type]
            asyncio.run(_soak(url, args.clients, 10))
            start_memory = _memory(service.pid)
            print(f"soaking: {args.clients} clients for {args.seconds:g} s ...", flush=True)
            samples, errors, requests = asyncio.run(_soak(url, args.clients, args.seconds))
            end_memory = _memory(service.pid)
            alive = service.poll() is None
        finally:
            service.terminate()
            try:
                service.wait(timeout=30)
            except subprocess.TimeoutExpired:
                service.kill()

    every = [t for times in samples.values() for t in times]
    growth = end_memory["service_kib"] / start_memory["service_kib"] - 1
    result = {
        "clients": args.clients, "seconds": args.seconds, "requests": requests, "errors": len(errors),
        "requests_per_second": round(requests / args.seconds, 1), "service_alive": alive,
        "p50_ms": round(percentile(every, 0.5) * 1000, 1), "p99_ms": round(percentile(every, 0.99) * 1000, 1),
        "by_kind": {kind: {"requests": len(times), "p50_ms": round(percentile(times, 0.5) * 1000, 1),
                           "p99_ms": round(percentile(times, 0.99) * 1000, 1)}
                    for kind, times in sorted(samples.items())},
        "memory_start_kib": start_memory, "memory_end_kib": end_memory, "service_rss_growth": round(growth, 4),
        "first_errors": errors[:10],
    }
    out = ROOT / "bench" / "results" / "soak.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"{requests} requests ({result['requests_per_second']}/s), errors {len(errors)}, "
          f"p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms")
    for kind, figures in result["by_kind"].items():  # type: ignore[union-attr]
        print(f"  {kind:7} {figures['requests']:7} requests  "
              f"p50 {figures['p50_ms']:8} ms  p99 {figures['p99_ms']:8} ms")
    print(f"service RSS {start_memory['service_kib'] // 1024} MiB -> {end_memory['service_kib'] // 1024} MiB "
          f"({growth:+.1%}); with workers {start_memory['tree_kib'] // 1024} -> {end_memory['tree_kib'] // 1024} MiB")
    for line in errors[:10]:
        print("  error:", line)
    return 0 if not errors and alive and growth < 0.10 else 1


if __name__ == "__main__":
    sys.exit(main())
