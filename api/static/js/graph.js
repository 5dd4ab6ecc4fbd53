// The citation graph of a document page: its neighbourhood from /api/documents/{symbol}/network?depth=1,
// drawn with Cytoscape.js; a click (or Enter on the focused graph) opens the node's page.
(function () {
  "use strict";
  const container = document.getElementById("network");
  const status = document.getElementById("network-status");
  if (!container || !window.cytoscape) { return; }
  const symbol = container.dataset.symbol;
  const path = symbol.split("/").map(encodeURIComponent).join("/");

  function page(id) { return "/document/" + id.split("/").map(encodeURIComponent).join("/"); }

  fetch("/api/documents/" + path + "/network?depth=1", { headers: { Accept: "application/json" } })
    .then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    })
    .then(function (network) {
      const elements = network.nodes.map(function (node) {
        return { data: { id: node.symbol, label: node.symbol, title: node.title || "",
                         kind: node.symbol === symbol ? "self" : (node.in_corpus ? "corpus" : "cited") } };
      }).concat(network.edges.map(function (edge, i) {
        return { data: { id: "e" + i, source: edge.source, target: edge.target, count: edge.count } };
      }));
      const cy = window.cytoscape({
        container: container,
        elements: elements,
        layout: { name: "cose", animate: false, padding: 20 },
        style: [
          { selector: "node", style: { label: "data(label)", "font-size": 10, "background-color": "#0b57a4",
                                       "text-valign": "bottom", "text-margin-y": 4, width: 14, height: 14 } },
          { selector: "node[kind = 'self']", style: { "background-color": "#e0a000", width: 22, height: 22 } },
          { selector: "node[kind = 'cited']", style: { "background-color": "#999" } },
          { selector: "edge", style: { width: 1.5, "line-color": "#aaa", "target-arrow-color": "#aaa",
                                       "target-arrow-shape": "triangle", "curve-style": "bezier" } },
        ],
      });
      cy.on("tap", "node", function (event) {
        const id = event.target.id();
        if (id !== symbol) { window.location.href = page(id); }
      });
      container.dataset.nodes = String(cy.nodes().length);
      status.textContent = network.nodes.length + " documents, " + network.edges.length + " citation links" +
        (network.truncated ? " (truncated)" : "") + ".";
    })
    .catch(function (error) { status.textContent = "The citation graph could not be loaded: " + error; });
})();
