"""Files into the store: extract, build the graph, validate it, write it (or leave it alone).

The rules this module keeps:

* one file is one named graph, written in one transaction; a file that fails
  (unreadable, no structure, SHACL violations, a term the store refuses)
  leaves nothing behind and never stops the other files;
* re-ingesting an unchanged file writes nothing, so the store stays
  byte-identical, ingest time included; "unchanged" means the new graph equals
  the stored one except for ``prov:generatedAtTime`` (this covers the
  checksum and pipeline version recorded in the graph, and also a changed
  ``.meta.json`` sidecar, which alters the graph without altering the text);
* a file whose document identifier changed (a sidecar now gives its symbol)
  replaces its earlier graph, found by source file name.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from .authority import load_authority
from .errors import IngestError
from .pipeline import extract_file
from .rdf import DEFAULT_BASE, NamedGraph, build_authority_graph, build_document_graph, build_ontology_graph
from .store import PROV_GENERATED_AT, GraphStore, StoreError
from .validate import validate_graphs

SOURCE_SUFFIXES = (".txt", ".md", ".xml")
"""Suffixes taken when a folder is expanded; a file named on the command line is always taken."""

ProgressCallback = Callable[[int, int, Path], None]
"""Called after each file with (files done, files in total, the file just done)."""

_MAX_VIOLATIONS_SHOWN = 3


@dataclass
class IngestReport:
    """What one ``ingest_paths`` run did; ``failed`` and ``warnings`` name their file."""

    documents: int = 0
    skipped_unchanged: int = 0
    failed: list[tuple[Path, str]] = field(default_factory=list)
    triples_written: int = 0
    citations: int = 0
    warnings: list[tuple[Path, str]] = field(default_factory=list)
    graphs: list[str] = field(default_factory=list)

    @property
    def files(self) -> int:
        return self.documents + self.skipped_unchanged + len(self.failed)

    @property
    def ok(self) -> bool:
        return not self.failed


def _is_hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def is_source_file(path: Path) -> bool:
    """A text the pipeline reads: right suffix, and not a ``NAME.meta.json`` sidecar."""
    return path.suffix.lower() in SOURCE_SUFFIXES and not path.name.endswith(".meta.json")


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files named directly, plus the source files under each folder (recursive, sorted).

    Hidden files and folders are skipped, as are sidecars; a file reached twice
    is taken once.  Raises ``FileNotFoundError`` for a path that does not exist.
    """
    found: dict[Path, None] = {}
    for path in paths:
        path = Path(path)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and is_source_file(child) and not _is_hidden(child, path):
                    found.setdefault(child, None)
        elif path.is_file() or path.exists() or path.is_symlink():
            # Pipes, devices and dangling links named directly are kept: reading them gives one clear error.
            found.setdefault(path, None)
        else:
            raise FileNotFoundError(f"{path}: no such file or directory")
    return list(found)


def validate_document(graph: NamedGraph) -> list[str]:
    """SHACL violations of one document graph (no shape relates it to the authority data)."""
    report = validate_graphs([graph])
    return [] if report.conforms else list(report.violations) or ["the graph does not conform"]


def write_reference_graphs(store: GraphStore, base: str) -> None:
    """Write the ontology and authority graphs when they differ from what the store holds.

    They are built deterministically, so comparing before writing keeps a
    re-run from touching the store at all.
    """
    for graph in (build_ontology_graph(base), build_authority_graph(load_authority(), base)):
        if not store.same_content(graph):
            store.replace_graph(graph)


def _violation_reason(violations: list[str]) -> str:
    shown = "; ".join(v.strip().replace("\n", " ") for v in violations[:_MAX_VIOLATIONS_SHOWN])
    more = len(violations) - _MAX_VIOLATIONS_SHOWN
    return f"the graph fails SHACL validation: {shown}" + (f" (and {more} more)" if more > 0 else "")


def ingest_paths(
    store: GraphStore,
    paths: list[Path],
    *,
    base: str = DEFAULT_BASE,
    force: bool = False,
    on_progress: ProgressCallback | None = None,
    ingested_at: datetime | None = None,
    validate: bool = True,
    workers: int = 1,
) -> IngestReport:
    """Ingest every file under ``paths`` into ``store`` and report what happened.

    ``force`` rewrites graphs even when unchanged (a new ingest time).
    ``validate`` runs the SHACL shapes over each new graph before it is written
    (pyshacl is pure Python and costs about half a second per real resolution;
    a bulk load may skip it and run ``unkg validate`` once afterwards).
    ``ingested_at`` is one instant for the whole run (now, to the second, UTC).
    ``workers`` > 1 extracts, builds and validates graphs in that many worker
    processes while this one writes them, in file order (worth it from a few
    dozen files on; the store is written by this process only).
    """
    files = expand_paths(paths)
    report = IngestReport()
    if not files:
        return report
    now = ingested_at or datetime.now(UTC).replace(microsecond=0)
    write_reference_graphs(store, base)
    stored_sources = _stored_source_names(store)
    written_by: dict[str, Path] = {}
    jobs = [_Job(path, base, now, validate and path.name not in stored_sources) for path in files]
    for done, prepared in enumerate(_prepared(jobs, workers), start=1):
        try:
            _write_one(store, prepared, force=force, report=report, written_by=written_by, validate=validate)
        except IngestError as exc:
            report.failed.append((prepared.path, exc.reason))
        except StoreError as exc:
            report.failed.append((prepared.path, f"the store refused the graph: {exc}"))
        except Exception as exc:  # one broken file must not stop the run; say what broke
            report.failed.append((prepared.path, f"internal error ({type(exc).__name__}): {exc}"))
        if on_progress is not None:
            on_progress(done, len(files), prepared.path)
    store.flush()
    return report


def _stored_source_names(store: GraphStore) -> set[str]:
    """The source file names the store has graphs for (a file among them is probably unchanged)."""
    rows = store.select("SELECT DISTINCT ?name WHERE { GRAPH ?g { ?g unkg:sourceFile ?name } }")
    return {str(row["name"]) for row in rows}


@dataclass(frozen=True)
class _Job:
    """What a worker needs to prepare one file; ``validate`` is off for files the store already holds
    (most are unchanged, and an unchanged graph needs no validation: the writer validates the others)."""

    path: Path
    base: str
    now: datetime
    validate: bool


@dataclass
class PreparedDocument:
    """One file made ready for the store without touching it: its graph, or why it has none."""

    path: Path
    graph: NamedGraph | None = None
    warnings: list[str] = field(default_factory=list)
    citations: int = 0
    validated: bool = False
    error: str | None = None


def prepare_document(job: _Job) -> PreparedDocument:
    """Extract, build and (when asked) SHACL-validate one file; every failure becomes ``error``."""
    path = job.path
    try:
        extraction = extract_file(path)
        graph = build_document_graph(extraction, base=job.base, source_path=path, ingested_at=job.now)
        violations = validate_document(graph) if job.validate else []
    except IngestError as exc:
        return PreparedDocument(path, error=exc.reason)
    except Exception as exc:  # one broken file must not stop the run; say what broke
        return PreparedDocument(path, error=f"internal error ({type(exc).__name__}): {exc}")
    if violations:
        return PreparedDocument(path, error=_violation_reason(violations))
    return PreparedDocument(path, graph, list(extraction.warnings), len(extraction.citations), job.validate)


def die_with_parent(parent: int) -> None:
    """Have the kernel SIGKILL this worker when the ingest ``parent`` that started it ends, however it ends.

    A parent that died while the worker was still starting is caught by the
    check after ``prctl``: the worker then leaves at once.
    """
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:
        os._exit(1)


_PR_SET_PDEATHSIG = 1
_PARALLEL_FROM = 8
"""Fewer files than this are prepared in-process: starting workers costs more than it saves."""


def _prepared(jobs: list[_Job], workers: int) -> Iterator[PreparedDocument]:
    """Prepared documents in file order, from worker processes when there are enough files.

    Workers are spawned (clean processes: the caller may run threads, e.g. a
    progress bar) and die with this process, so a killed ``unkg ingest`` leaves
    none behind; if the pool breaks (a worker killed), the remaining files are
    prepared in-process.
    """
    if workers <= 1 or len(jobs) < _PARALLEL_FROM:
        yield from map(prepare_document, jobs)
        return
    context = multiprocessing.get_context("spawn")
    done = 0
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=die_with_parent,
                                 initargs=(os.getpid(),)) as pool:
            for prepared in pool.map(prepare_document, jobs, chunksize=4):
                done += 1
                yield prepared
    except BrokenProcessPool:
        yield from map(prepare_document, jobs[done:])


def _write_one(
    store: GraphStore,
    prepared: PreparedDocument,
    *,
    force: bool,
    report: IngestReport,
    written_by: dict[str, Path],
    validate: bool,
) -> None:
    """Write one prepared file's graph, unless it is unchanged; everything that can fail happens first."""
    path, graph = prepared.path, prepared.graph
    if prepared.error is not None or graph is None:
        raise IngestError(path, prepared.error or "nothing was extracted")
    warnings = [(path, w) for w in prepared.warnings]
    if not force and store.same_content(graph, ignore_predicates=[PROV_GENERATED_AT]):
        # Stored content was validated when it was written; nothing to do.
        report.warnings.extend(warnings)
        report.skipped_unchanged += 1
        return
    violations = validate_document(graph) if validate and not prepared.validated else []
    if violations:
        raise IngestError(path, _violation_reason(violations))
    if graph.iri in written_by:
        warnings.append((path, f"same document identifier as {written_by[graph.iri]}, "
                               f"whose graph {graph.iri} it replaces"))
    stale = [g for g in store.graphs_from_source(path.name) if g != graph.iri and g not in written_by]
    store.replace_graph(graph, also_drop=stale)
    written_by[graph.iri] = path
    report.warnings.extend(warnings)
    report.documents += 1
    report.triples_written += len(graph.triples)
    report.citations += prepared.citations
    report.graphs.append(graph.iri)
