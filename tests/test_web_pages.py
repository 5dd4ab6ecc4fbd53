"""The web interface over HTTP, as a browser meets it: pages, their links, the static assets, and no other origin.

The pages must work offline and under the HTML CSP (scripts and styles from
this origin only), so every page, script and stylesheet served is checked for
URLs of other hosts.  The in-browser behaviour is pinned in ``test_browser.py``.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

BASE = "https://w3id.org/unkg/"
STATIC = Path(__file__).resolve().parent.parent / "api" / "static"
PAGES = ["/", "/search?q=trafficking", "/query", "/document/E/RES/2021/25", "/document/A/RES/72/1",
         "/document/A/RES/64/293", "/instrument/untoc", "/body/ecosoc", "/state/cuba", "/ontology"]
URL = re.compile(r"https?://[^\s\"'<>)]+")
VENDOR_COMMENT_URLS = {
    # Licence and source notes inside comments of the vendored libraries; nothing fetches them.
    "http://en.wikipedia.org/wiki/MIT_License", "http://engelschall.com", "http://opensource.org/licenses/MIT",
    "http://marijnhaverbeke.nl/blog/#cm-internals", "http://marijnhaverbeke.nl/blog/codemirror-line-tree.html",
    "http://unicode.org/reports/tr9/tr9-13.html", "https://bugs.chromium.org/p/chromium/issues/detail?id=489206",
    "https://codemirror.net/5", "https://codemirror.net/5/LICENSE",
    "https://github.com/codemirror/CodeMirror/pull/5673",
}


class Page(HTMLParser):
    """A page's links, scripts, stylesheets, element ids, labelled inputs and landmarks."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.assets: list[str] = []
        self.ids: set[str] = set()
        self.labels: set[str] = set()
        self.inputs: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.tags.append(tag)
        if tag == "a" and values.get("href"):
            self.hrefs.append(values["href"] or "")
        if tag == "script" and values.get("src"):
            self.assets.append(values["src"] or "")
        if tag == "link" and values.get("rel") == "stylesheet":
            self.assets.append(values.get("href") or "")
        if values.get("id"):
            self.ids.add(values["id"] or "")
        if tag == "label" and values.get("for"):
            self.labels.add(values["for"] or "")
        if tag in ("input", "select", "textarea") and values.get("type") != "hidden":
            self.inputs.append(values.get("id") or "")


def browse(client: httpx.Client, path: str) -> tuple[str, Page]:
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200, (path, response.text[:500])
    assert response.headers["content-type"].startswith("text/html")
    page = Page()
    page.feed(response.text)
    return response.text, page


def foreign_urls(text: str) -> set[str]:
    """URLs in ``text`` that are neither under the base IRI nor RDF namespace names."""
    return {url for url in URL.findall(text) if not url.startswith(BASE) and not _namespace(url)}


def _namespace(url: str) -> bool:
    from ingest.store import PREFIXES

    return any(url.startswith(ns) for ns in PREFIXES.values()) or url.startswith("https://w3id.org/unkg")


@pytest.mark.parametrize("path", PAGES)
def test_every_page_is_semantic_html_with_labelled_inputs_and_only_local_assets(client: httpx.Client,
                                                                                 path: str) -> None:
    html, page = browse(client, path)
    assert {"header", "nav", "main", "footer", "h1"} <= set(page.tags)
    assert page.tags.count("h1") == 1
    assert all(i and i in page.labels for i in page.inputs), page.inputs
    assert "/static/css/site.css" in page.assets
    assert all(asset.startswith("/static/") for asset in page.assets), page.assets
    assert "<script>" not in html and "style=" not in html  # nothing inline for the CSP to refuse
    if path != "/ontology":  # the ontology reference names the external vocabularies it aligns with, as text
        assert not foreign_urls(html), foreign_urls(html)
    for asset in page.assets:
        assert client.get(asset).status_code == 200, asset


def test_home_shows_the_corpus_at_a_glance_and_the_ways_in(client: httpx.Client) -> None:
    html, page = browse(client, "/")
    assert {"by-body-year", "most-cited-documents", "most-cited-instruments", "saved-queries"} <= page.ids
    assert {"/query", "/docs", "/dump", "/body/ecosoc", "/document/A/RES/72/1"} <= set(page.hrefs)
    assert "/query#cited-by" in page.hrefs and "/instrument/untoc" in page.hrefs
    assert 'action="/search"' in html


def test_search_finds_documents_by_symbol_and_by_title_word(client: httpx.Client) -> None:
    _, by_symbol = browse(client, "/search?q=A/RES/72/1")
    assert by_symbol.hrefs.count("/document/A/RES/72/1") >= 1
    html, by_title = browse(client, "/search?q=TRAFFICKING")
    assert "/document/E/RES/2021/25" in by_title.hrefs
    html, nothing = browse(client, "/search?q=zzzz-no-such-thing")
    assert "No document" in html and not any(h.startswith("/document/") for h in nothing.hrefs)


def test_cited_only_documents_are_found_by_symbol(client: httpx.Client) -> None:
    html, page = browse(client, "/search?q=64/293")
    assert "/document/A/RES/64/293" in page.hrefs and "cited, not in the corpus" in html


def test_query_editor_offers_the_saved_queries_prefixes_and_downloads(client: httpx.Client) -> None:
    from queries import list_queries

    html, page = browse(client, "/query")
    assert {"query", "example", "results", "download-csv", "download-json", "examples"} <= page.ids
    for saved in list_queries():
        assert f'value="{saved.name}"' in html
    assert "PREFIX unkg: &lt;https://w3id.org/unkg/ontology#&gt;" in html
    assert "/static/vendor/codemirror/mode/sparql/sparql.js" in page.assets
    assert "/static/js/query.js" in page.assets


def test_the_editor_download_links_answer_csv_and_json(client: httpx.Client) -> None:
    query = "SELECT ?doc WHERE { GRAPH ?g { ?g <https://w3id.org/unkg/ontology#describes> ?doc } }"
    for name, media in (("csv", "text/csv"), ("json", "application/sparql-results+json")):
        response = client.get("/sparql", params={"query": query, "format": name})
        assert response.status_code == 200 and response.headers["content-type"].startswith(media)


def test_document_page_marks_every_citation_up_where_it_is_printed(client: httpx.Client) -> None:
    html, page = browse(client, "/document/E/RES/2021/25")
    cited = client.get("/api/documents/E/RES/2021/25/citations").json()["citations"]
    marked = re.findall(r'<a class="cite[^"]*" href="([^"]+)"', html)
    assert len(marked) == len(cited) and marked
    assert "/document/A/RES/72/1" in marked and "/document/A/RES/64/293" in marked
    assert {"paragraphs", "footnotes", "network", "cited-by"} <= page.ids
    assert "/static/vendor/cytoscape/cytoscape.min.js" in page.assets and "/static/js/graph.js" in page.assets
    assert 'data-symbol="E/RES/2021/25"' in html
    assert "/instrument/untoc" in page.hrefs or any(h.startswith("/instrument/") for h in page.hrefs)
    assert any(h.startswith("/body/") for h in page.hrefs)


def test_document_page_lists_the_documents_citing_it(client: httpx.Client) -> None:
    _, page = browse(client, "/document/A/RES/72/1")
    assert "/document/E/RES/2021/25" in page.hrefs


def test_cited_but_not_ingested_document_has_a_page(client: httpx.Client) -> None:
    html, page = browse(client, "/document/A/RES/64/293")
    assert "cited, not in the corpus" in html and "/document/E/RES/2021/25" in page.hrefs


@pytest.mark.parametrize("path", ["/instrument/untoc", "/body/ecosoc", "/state/cuba"])
def test_entity_pages_list_what_names_them_by_year(client: httpx.Client, path: str) -> None:
    html, page = browse(client, path)
    years = [i for i in page.ids if re.fullmatch(r"y(\d{4}|undated)", i)]
    assert years and any(h.startswith("/document/") for h in page.hrefs)


@pytest.mark.parametrize(("asset", "media"), [
    ("/static/css/site.css", "text/css"),
    ("/static/js/query.js", "text/javascript"),
    ("/static/js/graph.js", "text/javascript"),
    ("/static/vendor/codemirror/codemirror.js", "text/javascript"),
    ("/static/vendor/codemirror/codemirror.css", "text/css"),
    ("/static/vendor/codemirror/mode/sparql/sparql.js", "text/javascript"),
    ("/static/vendor/cytoscape/cytoscape.min.js", "text/javascript"),
])
def test_static_assets_are_served_with_their_types(client: httpx.Client, asset: str, media: str) -> None:
    response = client.get(asset)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] in (media, "application/javascript")
    assert response.content == (STATIC / asset.removeprefix("/static/")).read_bytes()


def test_no_served_script_or_stylesheet_names_another_origin() -> None:
    for path in sorted(STATIC.rglob("*")):
        if path.suffix not in (".js", ".css", ".html"):
            continue
        found = foreign_urls(path.read_text(encoding="utf-8"))
        if "vendor" in path.parts:
            found -= VENDOR_COMMENT_URLS
        assert not found, (path, found)


def test_vendored_libraries_are_pinned_and_named(client: httpx.Client) -> None:
    import json

    lock = json.loads((STATIC.parent.parent / "web" / "package-lock.json").read_text())
    versions = (STATIC / "vendor" / "VERSIONS").read_text()
    for package in ("codemirror", "cytoscape"):
        assert f"{package} {lock['packages'][f'node_modules/{package}']['version']}" in versions


def test_html_pages_may_run_only_same_origin_scripts(client: httpx.Client) -> None:
    csp = client.get("/query").headers.get("content-security-policy", "")
    if csp:
        directives = dict((d.strip().split(" ", 1) + [""])[:2] for d in csp.split(";") if d.strip())
        assert directives.get("script-src", "").split() == ["'self'"]
        assert "'self'" in directives.get("connect-src", "")


def test_download_link_query_is_the_editor_text(client: httpx.Client) -> None:
    html, _ = browse(client, "/query")
    href = re.search(r'id="download-csv" href="([^"]+)"', html)
    assert href and urlsplit(href.group(1)).path == "/sparql"
    assert parse_qs(urlsplit(href.group(1)).query)["format"] == ["csv"]
