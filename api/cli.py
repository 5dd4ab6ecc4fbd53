"""The ``unkg`` command: ingest, extract, stats, dump, validate, query, export, serve.

Heavy modules (spaCy through the pipeline, pyshacl) are imported inside the
commands that need them, so ``unkg --help`` and ``unkg stats`` start fast.
Error lines are plain text on stderr (``error: <path>: <reason>``) and never
go through rich markup, because paths and reasons may contain brackets.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from ingest.settings import Settings, normalize_base_iri
from ingest.store import GraphStore, StoreError, open_store

from .query_cli import QueryFormat, default_format, print_listing, print_result, resolve_query

app = typer.Typer(
    name="unkg",
    help="A knowledge graph of UN resolutions: extract, ingest, query, export.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

PROGRESS_THRESHOLD = 20
"""More files than this get a progress bar even when stderr is not a terminal."""

StoreOption = Annotated[
    str | None,
    typer.Option("--store", help="Store directory, or the URL of a SPARQL server holding the store "
                 "(http://HOST:PORT, see docs/scaling.md) [default: ./data/store, env UNKG_STORE].",
                 show_default=False),
]
BaseOption = Annotated[
    str | None,
    typer.Option("--base", help="Base IRI [default: https://w3id.org/unkg/, env UNKG_BASE_IRI].",
                 show_default=False),
]


class DumpFormat(StrEnum):
    turtle = "turtle"
    nt = "nt"
    nq = "nq"
    trig = "trig"
    jsonld = "jsonld"


class EdgeFormat(StrEnum):
    csv = "csv"
    graphml = "graphml"
    gexf = "gexf"
    jsonl = "jsonl"


class DocumentFormat(StrEnum):
    csv = "csv"
    jsonl = "jsonl"


def _error(message: str) -> None:
    typer.echo(f"error: {message}", err=True)


def _fail(message: str, code: int = 1) -> NoReturn:
    _error(message)
    raise typer.Exit(code)


def _settings() -> Settings:
    try:
        return Settings()
    except Exception as exc:  # a malformed UNKG_* variable
        _fail(f"bad UNKG_* setting: {exc}", 2)


def _open(store: str | None, *, read_only: bool) -> GraphStore:
    """Open the store or exit with one clear line (locked, missing, unreadable)."""
    try:
        return open_store(store or _settings().store, read_only=read_only)
    except StoreError as exc:
        _fail(str(exc))


def _check_paths(paths: list[Path]) -> None:
    missing = [p for p in paths if not p.exists()]
    for path in missing:
        _error(f"{path}: no such file or directory")
    if missing:
        raise typer.Exit(2)


def _write_stdout(data: bytes) -> None:
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (.txt, .md, .xml under folders).")],
    store: StoreOption = None,
    base: BaseOption = None,
    force: Annotated[bool, typer.Option("--force", help="Rewrite graphs even when unchanged.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List every warning.")] = False,
    validate: Annotated[bool, typer.Option("--validate/--no-validate",
                                           help="SHACL-check each graph before writing it (slower).")] = True,
    workers: Annotated[int | None, typer.Option(
        "--workers", min=1, help="Processes that extract and validate [default: the CPU count, "
                                 "env UNKG_INGEST_WORKERS].")] = None,
) -> None:
    """Ingest resolution texts into the store, one named graph per file."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from ingest.loader import expand_paths, ingest_paths

    _check_paths(paths)
    try:
        base_iri = normalize_base_iri(base or _settings().base_iri)
    except ValueError as exc:
        _fail(str(exc), 2)
    files = expand_paths(paths)
    if not files:
        _fail("no source files (.txt, .md, .xml) in " + ", ".join(map(str, paths)), 2)
    err = Console(stderr=True)
    show_bar = err.is_terminal or len(files) > PROGRESS_THRESHOLD
    graph_store = _open(store, read_only=False)
    try:
        with graph_store, Progress(TextColumn("ingesting"), BarColumn(), MofNCompleteColumn(),
                                   TimeElapsedColumn(), TextColumn("{task.description}"),
                                   console=err, disable=not show_bar, transient=False) as progress:
            task = progress.add_task("", total=len(files))

            def advance(done: int, total: int, path: Path) -> None:
                progress.update(task, completed=done, description=path.name)

            report = ingest_paths(graph_store, files, base=base_iri, force=force, on_progress=advance,
                                  validate=validate, workers=workers or _settings().ingest_workers)
    except (StoreError, OSError) as exc:  # per-file errors are in the report; these stop the run
        _fail(str(exc))
    for path, reason in report.failed:
        _error(f"{path}: {reason}")
    if verbose:
        for path, message in report.warnings:
            typer.echo(f"warning: {path}: {message}", err=True)
    table = Table(title="unkg ingest", show_header=False)
    for label, value in (
        ("documents ingested", report.documents), ("unchanged", report.skipped_unchanged),
        ("failed", len(report.failed)), ("triples written", report.triples_written),
        ("citations", report.citations), ("warnings", len(report.warnings)),
    ):
        table.add_row(label, str(value))
    Console().print(table)
    raise typer.Exit(1 if report.failed else 0)


@app.command()
def extract(
    files: Annotated[list[Path], typer.Argument(help="Resolution texts (or folders of them).")],
    out: Annotated[Path | None, typer.Option("--out", help="Write DIR/<stem>.json per file.")] = None,
) -> None:
    """Print the extraction of each file as JSON, in the schema of the gold files."""
    from ingest.errors import IngestError
    from ingest.loader import expand_paths
    from ingest.pipeline import extract_file

    _check_paths(files)
    items = expand_paths(files)
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    results: list[dict[str, Any]] = []
    failed = 0
    for path in items:
        try:
            data = extract_file(path).to_schema()
        except IngestError as exc:
            failed += 1
            _error(f"{exc.path}: {exc.reason}")
            continue
        except Exception as exc:  # keep going: the other files are still worth extracting
            failed += 1
            _error(f"{path}: internal error ({type(exc).__name__}): {exc}")
            continue
        if out is not None:
            text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
            (out / f"{path.stem}.json").write_text(text, encoding="utf-8")
        else:
            results.append(data)
    if out is None and (results or len(items) != 1):
        single = len(items) == 1 and all(p.is_file() for p in files)
        payload: Any = results[0] if single else results
        _write_stdout((json.dumps(payload, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    raise typer.Exit(1 if failed else 0)


@app.command()
def stats(
    store: StoreOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the counts as JSON.")] = False,
) -> None:
    """Print counts: documents, triples, citations, instruments, bodies, States, graphs."""
    with _open(store, read_only=True) as graph_store:
        try:
            counts = graph_store.stats().as_dict()
        except StoreError as exc:
            _fail(str(exc))
    if as_json:
        typer.echo(json.dumps(counts, indent=2))
        return
    table = Table(title=f"unkg store {graph_store.location}", show_header=False)
    labels = {"cited_documents": "cited documents", "states": "states named",
              "instruments": "instruments named", "bodies": "bodies named"}
    for key, value in counts.items():
        table.add_row(labels.get(key, key), str(value))
    Console().print(table)


@app.command()
def dump(
    store: StoreOption = None,
    fmt: Annotated[DumpFormat, typer.Option("--format", "-f", help="Turtle and nt are the union of all "
                                            "graphs; nq and trig keep the graph names.")] = DumpFormat.turtle,
    out: Annotated[Path | None, typer.Option("--out", help="Output file [default: stdout].")] = None,
) -> None:
    """Export the store."""
    with _open(store, read_only=True) as graph_store:
        try:
            if out is None:
                graph_store.dump(sys.stdout.buffer, fmt.value)
                sys.stdout.buffer.flush()
            else:
                out.parent.mkdir(parents=True, exist_ok=True)
                with out.open("wb") as handle:
                    graph_store.dump(handle, fmt.value)
        except (StoreError, OSError) as exc:
            _fail(str(exc))


@app.command()
def validate(store: StoreOption = None) -> None:
    """SHACL-validate every graph of the store (documents and authority); exit 1 on any violation."""
    from ingest.rdf import NamedGraph
    from ingest.validate import validate_graphs

    with _open(store, read_only=True) as graph_store:
        try:
            documents = graph_store.document_graphs()
            graphs = [NamedGraph(iri, tuple(graph_store.graph_triples(iri)))
                      for iri in graph_store.named_graphs()]
        except StoreError as exc:
            _fail(str(exc))
    report = validate_graphs(graphs)  # the ontology graph is vocabulary, not data: it is skipped
    for violation in report.violations:
        typer.echo(f"violation: {violation}")
    typer.echo(f"{len(documents)} document graphs validated: "
               + ("conforms" if report.conforms else f"{len(report.violations)} violation(s)"), err=True)
    raise typer.Exit(0 if report.conforms else 1)


@app.command()
def query(
    target: Annotated[str | None, typer.Argument(
        metavar="NAME|FILE|SPARQL",
        help="A saved query's name (see --list), a .rq file (or @FILE), or a SPARQL query.")] = None,
    params: Annotated[list[str] | None, typer.Option(
        "--param", "-p", metavar="NAME=VALUE",
        help="A value for one of the query's parameters (repeatable): --param symbol=A/RES/64/293.")] = None,
    fmt: Annotated[QueryFormat | None, typer.Option(
        "--format", "-f", help="table, json, csv or tsv (default: table in a terminal, csv otherwise).",
        show_default=False)] = None,
    list_queries: Annotated[bool, typer.Option("--list", help="List the saved queries and exit.")] = False,
    store: StoreOption = None,
    base: BaseOption = None,
) -> None:
    """Run a saved research query or any SPARQL query (the default graph is the union of all graphs)."""
    from queries import QueryHeaderError, UnknownQueryError
    from queries import list_queries as saved_queries
    from queries.binding import ParameterError, bind_parameters, parse_assignments

    chosen = fmt or default_format()
    if list_queries:
        try:
            print_listing(saved_queries(), chosen)
        except QueryHeaderError as exc:
            _fail(str(exc))
        return
    if target is None:
        _fail("give a saved query's name, a .rq file or a SPARQL query (`unkg query --list` lists the saved ones)", 2)
    try:
        saved = resolve_query(target)
        values = parse_assignments(params or [])
    except OSError as exc:
        _fail(f"{target.removeprefix('@')}: {exc.strerror or exc}", 2)
    except (UnknownQueryError, QueryHeaderError, ParameterError) as exc:
        _fail(str(exc), 2)
    base_iri = base or _settings().base_iri
    with _open(store, read_only=True) as graph_store:
        try:
            bindings = bind_parameters(saved, values, graph_store, base_iri)
        except ParameterError as exc:
            _fail(f"{exc} (give it as --param {exc.missing}=VALUE)" if exc.missing else str(exc), 2)
        except StoreError as exc:
            _fail(str(exc))
        try:
            result = graph_store.query(saved.sparql, bindings=bindings)
        except StoreError as exc:
            _fail(str(exc))
    print_result(result, chosen, base_iri, bindings)


export_app = typer.Typer(name="export", no_args_is_help=True,
                         help="Export the citation network and the document table for networkx, Gephi, pandas.")
app.add_typer(export_app)


def _export(out: Path | None, data: bytes) -> None:
    if out is None:
        _write_stdout(data)
        return
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
    except OSError as exc:
        _fail(f"{out}: {exc.strerror or exc}")


def _export_from_store(store: str | None, base: str | None, build: Callable[[GraphStore, str], Any],
                       write: Callable[[Any], bytes], out: Path | None) -> None:
    """Read what an export needs from the store (read-only), then write it to ``out`` or stdout."""
    with _open(store, read_only=True) as graph_store:
        try:
            data = build(graph_store, base or _settings().base_iri)
        except StoreError as exc:
            _fail(str(exc))
    _export(out, write(data))


@export_app.command("edges")
def export_edges(
    fmt: Annotated[EdgeFormat, typer.Option("--format", "-f", help="csv and jsonl for pandas, graphml for "
                                            "networkx, gexf for Gephi.")] = EdgeFormat.csv,
    out: Annotated[Path | None, typer.Option("--out", help="Output file (default: stdout).")] = None,
    store: StoreOption = None,
    base: BaseOption = None,
) -> None:
    """The document citation network: one edge per citing/cited pair, with paragraphs, verbs, years, bodies."""
    from queries.exports import citation_network
    from queries.network_formats import EDGE_WRITERS

    _export_from_store(store, base, citation_network, EDGE_WRITERS[fmt.value], out)


@export_app.command("documents")
def export_documents(
    fmt: Annotated[DocumentFormat, typer.Option("--format", "-f", help="csv or jsonl.")] = DocumentFormat.csv,
    out: Annotated[Path | None, typer.Option("--out", help="Output file (default: stdout).")] = None,
    store: StoreOption = None,
    base: BaseOption = None,
) -> None:
    """One row per ingested document with its metadata and citation counts, for spreadsheets."""
    from queries.exports import corpus_documents
    from queries.network_formats import DOCUMENT_WRITERS

    _export_from_store(store, base, corpus_documents, DOCUMENT_WRITERS[fmt.value], out)


@app.command()
def serve(
    store: StoreOption = None,
    host: Annotated[str, typer.Option("--host", envvar="UNKG_HOST", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", envvar="UNKG_PORT", help="Port to listen on.")] = 8000,
    base: Annotated[str | None, typer.Option("--base", help="Base IRI of the graph (UNKG_BASE_IRI).")] = None,
    query_timeout: Annotated[float | None, typer.Option(
        "--query-timeout", help="Seconds a SPARQL query may run before it is stopped "
        "[default: 10, env UNKG_QUERY_TIMEOUT].", show_default=False)] = None,
    query_workers: Annotated[int | None, typer.Option(
        "--query-workers", help="SPARQL queries running at once, one process each "
        "[default: 2, env UNKG_QUERY_WORKERS].", show_default=False)] = None,
) -> None:
    """Serve the graph over HTTP: SPARQL endpoint, JSON API, dumps and dereferenceable IRIs.

    The store is opened read-only: `unkg ingest` may write while the service
    runs, and the service serves the new data about a second after it ends.
    """
    import uvicorn

    from api.app import create_app
    from api.graph import Graph
    from api.settings import ServiceSettings

    overrides: dict[str, object] = {k: v for k, v in
                                    {"store": store, "base_iri": base, "host": host, "port": port,
                                     "query_timeout": query_timeout, "query_workers": query_workers}.items()
                                    if v is not None}
    try:
        settings = ServiceSettings.model_validate(overrides)
        graph = Graph.open(settings.store, settings.base_iri)
    except (StoreError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"unkg: serving {graph.store.location} on http://{settings.host}:{settings.port}/ "
               f"(SPARQL at /sparql, API docs at /docs)", err=True)
    try:
        uvicorn.run(create_app(settings, graph), host=settings.host, port=settings.port, log_level="info")
    finally:
        graph.close()


if __name__ == "__main__":  # pragma: no cover
    app()
