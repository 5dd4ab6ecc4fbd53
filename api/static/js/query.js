// The SPARQL editor of /query: CodeMirror over the textarea, saved queries as examples, results from
// /sparql (SPARQL JSON results) drawn as a table whose IRIs under the base link into this site.
(function () {
  "use strict";
  const form = document.getElementById("query-form");
  const textarea = document.getElementById("query");
  const select = document.getElementById("example");
  const question = document.getElementById("example-question");
  const status = document.getElementById("status");
  const results = document.getElementById("results");
  const csv = document.getElementById("download-csv");
  const json = document.getElementById("download-json");
  const base = form.dataset.base;
  const examples = JSON.parse(document.getElementById("examples").textContent);
  const editor = window.CodeMirror
    ? window.CodeMirror.fromTextArea(textarea, {
        mode: "application/sparql-query", lineNumbers: true, matchBrackets: true, viewportMargin: Infinity,
        extraKeys: { "Ctrl-Enter": run, "Cmd-Enter": run, Tab: false, "Shift-Tab": false },
        screenReaderLabel: "SPARQL query",
      })
    : null;

  function text() { return editor ? editor.getValue() : textarea.value; }
  function setText(value) { if (editor) { editor.setValue(value); } else { textarea.value = value; } updateDownloads(); }

  function updateDownloads() {
    const q = encodeURIComponent(text());
    csv.href = "/sparql?format=csv&query=" + q;
    json.href = "/sparql?format=json&query=" + q;
  }

  function localLink(iri) {
    if (base && iri.startsWith(base)) { return "/" + iri.slice(base.length); }
    return null;
  }

  function cell(term) {
    const td = document.createElement("td");
    if (!term) { return td; }
    if (term.type === "uri") {
      const local = localLink(term.value);
      if (local) {
        const a = document.createElement("a");
        a.href = local;
        a.textContent = term.value.slice(base.length);
        td.appendChild(a);
      } else {
        td.textContent = term.value;
      }
    } else {
      td.textContent = term.value;
      if (term.datatype || term["xml:lang"]) {
        td.title = term["xml:lang"] ? "@" + term["xml:lang"] : term.datatype;
      }
    }
    return td;
  }

  function table(data) {
    const vars = data.head.vars || [];
    const tbl = document.createElement("table");
    const head = tbl.createTHead().insertRow();
    vars.forEach(function (name) {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = name;
      head.appendChild(th);
    });
    const body = tbl.createTBody();
    data.results.bindings.forEach(function (row) {
      const tr = body.insertRow();
      vars.forEach(function (name) { tr.appendChild(cell(row[name])); });
    });
    return tbl;
  }

  async function run(event) {
    if (event && event.preventDefault) { event.preventDefault(); }
    updateDownloads();
    status.textContent = "Running…";
    results.replaceChildren();
    try {
      const response = await fetch("/sparql", {
        method: "POST",
        headers: { "Content-Type": "application/sparql-query", Accept: "application/sparql-results+json" },
        body: text(),
      });
      const body = await response.text();
      if (!response.ok) {
        let message = body;
        try { const err = JSON.parse(body); message = err.error + (err.detail ? ": " + JSON.stringify(err.detail) : ""); } catch (e) { /* plain text */ }
        status.textContent = "Error " + response.status + ": " + message;
        return;
      }
      const data = JSON.parse(body);
      if (typeof data.boolean === "boolean") {
        status.textContent = "Answer: " + data.boolean;
        return;
      }
      const rows = data.results.bindings.length;
      status.textContent = rows + " row" + (rows === 1 ? "" : "s") +
        (response.headers.get("X-Unkg-Truncated") ? " (truncated)" : "") + ".";
      results.appendChild(table(data));
    } catch (error) {
      status.textContent = "The query could not be run: " + error;
    }
  }

  function loadExample(name) {
    if (!name || !(name in examples)) { return; }
    select.value = name;
    setText(examples[name]);
    const option = select.options[select.selectedIndex];
    question.textContent = option ? option.title : "";
  }

  select.addEventListener("change", function () { loadExample(select.value); });
  form.addEventListener("submit", run);
  if (editor) { editor.on("change", updateDownloads); } else { textarea.addEventListener("input", updateDownloads); }
  if (location.hash.length > 1) { loadExample(decodeURIComponent(location.hash.slice(1))); }
  updateDownloads();
})();
