"""A load generator that is not the service: N async clients replay a request list against one server.

``bench/scale.py`` runs it as a separate process (so the client's own CPU
is not the measured server's) for every server, request set and client
count.  The job is a JSON file::

    {"base": "http://127.0.0.1:8000", "clients": 8, "seconds": 10, "timeout": 60,
     "requests": [{"method": "GET", "path": "/api/...", "params": {...}, "headers": {...},
                   "data": {...} | null, "content": "..." | null, "ok_statuses": [404]}, ...]}

Each client walks the request list from its own offset, round after round,
until ``seconds`` have passed (requests still in flight then are awaited, so
the run is bounded by ``seconds + timeout``).  The answer, as JSON on stdout,
holds the completed requests, errors (status >= 400 unless the request lists
it in ``ok_statuses``, e.g. a 404 "no chain" from the path lookup, or transport failures,
with the first few reasons), requests per second, and p50/p90/p99 latency
in milliseconds.  Only loopback addresses are accepted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile of ``values`` (0 for none)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(q * len(ordered) + 0.5)) - 1))]


async def _client(http: httpx.AsyncClient, requests: list[dict[str, Any]], offset: int, stop: float,
                  latencies: list[float], errors: list[str]) -> None:
    index = offset
    while time.perf_counter() < stop:
        spec = requests[index % len(requests)]
        index += 1
        started = time.perf_counter()
        try:
            response = await http.request(spec.get("method", "GET"), spec["path"], params=spec.get("params"),
                                          headers=spec.get("headers"), data=spec.get("data"),
                                          content=spec.get("content"))
            await response.aread()
            if response.status_code >= 400 and response.status_code not in spec.get("ok_statuses", ()):
                errors.append(f"{response.status_code} {spec['path']}: {response.text[:120]}")
                continue
        except httpx.HTTPError as exc:
            errors.append(f"{type(exc).__name__} {spec['path']}: {exc}")
            continue
        latencies.append(time.perf_counter() - started)


async def run(job: dict[str, Any]) -> dict[str, Any]:
    """Replay ``job['requests']`` with ``job['clients']`` clients for ``job['seconds']``; the figures."""
    host = urlsplit(job["base"]).hostname
    if host not in LOOPBACK:
        raise SystemExit(f"loadgen: refusing to load {job['base']}: only loopback servers are measured")
    clients, seconds = int(job["clients"]), float(job["seconds"])
    latencies: list[float] = []
    errors: list[str] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=job["base"], timeout=float(job.get("timeout", 60)), limits=limits,
                                 trust_env=False) as http:
        started = time.perf_counter()
        stop = started + seconds
        step = max(1, len(job["requests"]) // clients)
        await asyncio.gather(*(_client(http, job["requests"], i * step, stop, latencies, errors)
                               for i in range(clients)))
        elapsed = time.perf_counter() - started
    ms = [1000 * v for v in latencies]
    return {
        "clients": clients, "seconds": round(elapsed, 3), "completed": len(latencies), "errors": len(errors),
        "error_samples": errors[:5], "throughput_rps": round(len(latencies) / elapsed, 3) if elapsed else 0.0,
        "p50_ms": round(percentile(ms, 0.50), 2), "p90_ms": round(percentile(ms, 0.90), 2),
        "p99_ms": round(percentile(ms, 0.99), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("job", type=Path, help="the job file (JSON)")
    args = parser.parse_args()
    job = json.loads(args.job.read_text(encoding="utf-8"))
    json.dump(asyncio.run(run(job)), sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
