"""The web interface end to end in headless Chromium (Debian's, driven by Playwright) against the real service.

Every request the browser makes is recorded, and none may leave 127.0.0.1:
the pages must work offline.  Screenshots of each page go to
``tests/artifacts/`` (not committed).  Without ``/usr/bin/chromium`` or the
``playwright`` package these tests are skipped; ``.ci/run`` installs Chromium.
Playwright's own browser downloads are never used (``playwright install`` is
not run): ``executable_path`` points at the system Chromium.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from conftest import Service

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed "
                                                             "(pip install -e '.[test]')")
if not Path(CHROMIUM).exists():
    pytest.skip(f"no Chromium at {CHROMIUM}: install Debian's chromium (see .ci/run) to run the browser tests",
                allow_module_level=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        try:
            launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        except Exception as exc:  # a Chromium too old or too new for this Playwright: say so, do not fail
            pytest.skip(f"Chromium at {CHROMIUM} could not be started by Playwright: {exc}")
        yield launched
        launched.close()


class Visit:
    """A browser page on the service, with every request URL and console error it saw."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.requests: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("response", lambda response: response.status >= 400
                and self.errors.append(f"{response.status} {response.url}"))

    def foreign(self) -> list[str]:
        return [url for url in self.requests
                if urlsplit(url).scheme not in ("data", "blob", "about") and urlsplit(url).hostname != "127.0.0.1"]


@pytest.fixture()
def visit(browser: Any, request: pytest.FixtureRequest) -> Iterator[Visit]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    seen = Visit(context.new_page())
    yield seen
    context.close()
    assert not seen.foreign(), f"requests outside 127.0.0.1: {seen.foreign()}"
    assert not seen.errors, seen.errors


def shot(visit: Visit, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    visit.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("path", ["/", "/search?q=trafficking", "/query", "/document/E/RES/2021/25",
                                  "/document/A/RES/64/293", "/instrument/untoc", "/body/ecosoc", "/state/cuba"])
def test_each_page_loads_in_the_browser_without_errors(service: Service, visit: Visit, path: str) -> None:
    response = visit.page.goto(service.url + path)
    assert response is not None and response.status == 200
    assert visit.page.locator("h1").count() == 1
    shot(visit, re.sub(r"[^A-Za-z0-9]+", "_", path).strip("_") or "home")


def test_a_saved_query_runs_in_the_editor_and_shows_result_rows(service: Service, visit: Visit) -> None:
    page = visit.page
    page.goto(service.url + "/query")
    page.wait_for_selector(".CodeMirror")  # the vendored editor took over the textarea
    page.select_option("#example", "gpa-chain")
    assert "SELECT" in page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()")
    page.click("#run")
    page.wait_for_selector("#results table tbody tr", timeout=30_000)
    assert page.locator("#results tbody tr").count() > 0
    assert re.match(r"\d+ rows?", page.locator("#status").inner_text())
    assert page.locator("#results a[href^='/document/']").count() > 0  # IRIs under the base link into the site
    assert "/sparql?format=csv&query=" in (page.get_attribute("#download-csv", "href") or "")
    shot(visit, "query_results")


def test_the_editor_runs_with_the_keyboard(service: Service, visit: Visit) -> None:
    page = visit.page
    page.goto(service.url + "/query")
    page.wait_for_selector(".CodeMirror")
    page.click(".CodeMirror")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#results table tbody tr", timeout=30_000)


def test_a_citation_link_leads_from_e_res_2021_25_to_a_res_72_1(service: Service, visit: Visit) -> None:
    page = visit.page
    page.goto(service.url + "/document/E/RES/2021/25")
    link = page.locator("main a.cite[href='/document/A/RES/72/1']").first
    assert link.is_visible()
    link.click()
    page.wait_for_url(service.url + "/document/A/RES/72/1")
    assert "A/RES/72/1" in page.locator("h1 + p code, header code").first.inner_text()
    shot(visit, "followed_citation")


def test_the_citation_graph_renders(service: Service, visit: Visit) -> None:
    page = visit.page
    page.goto(service.url + "/document/E/RES/2021/25")
    page.wait_for_selector("#network[data-nodes]", timeout=30_000)
    assert int(page.get_attribute("#network", "data-nodes") or 0) > 1
    assert page.locator("#network canvas").count() > 0
    assert "citation links" in page.locator("#network-status").inner_text()
    shot(visit, "citation_graph")


def test_pages_read_at_phone_width(service: Service, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        for path in ("/", "/document/E/RES/2021/25", "/query"):
            page.goto(service.url + path)
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 1, (path, overflow)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "phone_query.png"), full_page=True)
    finally:
        context.close()
