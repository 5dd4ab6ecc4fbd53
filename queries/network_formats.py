"""Writers for the exports: CSV and JSON Lines for pandas and spreadsheets, GraphML and GEXF for networkx and Gephi.

Written with the standard library (networkx is only a test dependency) and
with typed attributes, so a tool reading the file gets integers, booleans and
strings without being told: GraphML ``<key attr.type=...>`` (GraphML 1.0
schema) and GEXF 1.3 ``<attribute type=...>``.  A value that is not known is
left out of the element rather than written as an empty string, so a reader
sees "missing", not ``""`` or ``0``.  Lists (the paragraphs, verbs and
characterizations of an edge's occurrences) are ``"; "``-joined in the flat
formats and real arrays in JSON Lines.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, fields
from typing import Any
from xml.etree import ElementTree as ET

from .exports import DOCUMENT_COLUMNS, CitationEdge, CitationNetwork, DocumentNode, DocumentRecord

EDGE_FORMATS = ("csv", "graphml", "gexf", "jsonl")
DOCUMENT_FORMATS = ("csv", "jsonl")
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/jsonl; charset=utf-8",
               "graphml": "application/graphml+xml", "gexf": "application/gexf+xml"}
LIST_SEPARATOR = "; "

EDGE_COLUMNS = tuple(f.name for f in fields(CitationEdge))
NODE_ATTRIBUTES = tuple(f.name for f in fields(DocumentNode) if f.name != "identifier")
GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
GEXF_NS = "http://gexf.net/1.3"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"


def _flat(value: Any) -> str:
    """A value in a CSV cell or XML attribute: lists joined, booleans as true/false, missing as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(str(v) for v in value)
    return str(value)


def _csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([_flat(v) for v in row] for row in rows)
    return out.getvalue().encode("utf-8")


def _jsonl(records: Iterable[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")


def edges_csv(network: CitationNetwork) -> bytes:
    return _csv(EDGE_COLUMNS, ([getattr(e, c) for c in EDGE_COLUMNS] for e in network.edges))


def edges_jsonl(network: CitationNetwork) -> bytes:
    return _jsonl({k: list(v) if isinstance(v, tuple) else v for k, v in asdict(e).items()} for e in network.edges)


def documents_csv(records: Sequence[DocumentRecord]) -> bytes:
    return _csv(DOCUMENT_COLUMNS, ([getattr(r, c) for c in DOCUMENT_COLUMNS] for r in records))


def documents_jsonl(records: Sequence[DocumentRecord]) -> bytes:
    return _jsonl(asdict(r) for r in records)


def _kind(annotation: Any) -> str:
    """``int``, ``bool`` or ``str`` from a dataclass field's annotation (``int | None`` -> ``int``)."""
    text = str(annotation)
    if text.startswith("bool"):
        return "bool"
    return "int" if text.startswith("int") else "str"


_NODE_KINDS = {f.name: _kind(f.type) for f in fields(DocumentNode)}
_EDGE_KINDS = {f.name: _kind(f.type) for f in fields(CitationEdge)}
EDGE_ATTRIBUTES = tuple(c for c in EDGE_COLUMNS if c not in ("source", "target"))


def _attributes(item: Any, names: Sequence[str]) -> Iterable[tuple[str, str]]:
    for name in names:
        value = getattr(item, name)
        if value is None or value == ():
            continue
        yield name, _flat(value)


def edges_graphml(network: CitationNetwork) -> bytes:
    """GraphML: ``nx.read_graphml`` gives a ``DiGraph`` with node ids = document identifiers and typed attributes."""
    ET.register_namespace("", GRAPHML_NS)
    ET.register_namespace("xsi", XSI_NS)
    ns = "{" + GRAPHML_NS + "}"
    root = ET.Element(ns + "graphml", {
        f"{{{XSI_NS}}}schemaLocation": f"{GRAPHML_NS} http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"})
    types = {"int": "int", "bool": "boolean", "str": "string"}
    keys: dict[tuple[str, str], str] = {}
    for domain, names, kinds in (("node", ("label", *NODE_ATTRIBUTES), {**_NODE_KINDS, "label": "str"}),
                                 ("edge", EDGE_ATTRIBUTES, _EDGE_KINDS)):
        for name in names:
            key = f"{domain[0]}_{name}"
            keys[(domain, name)] = key
            ET.SubElement(root, ns + "key", {"id": key, "for": domain, "attr.name": name,
                                             "attr.type": types[kinds[name]]})
    graph = ET.SubElement(root, ns + "graph", {"id": "citations", "edgedefault": "directed"})
    for node in network.nodes:
        element = ET.SubElement(graph, ns + "node", {"id": node.identifier})
        ET.SubElement(element, ns + "data", {"key": keys[("node", "label")]}).text = node.identifier
        for name, value in _attributes(node, NODE_ATTRIBUTES):
            ET.SubElement(element, ns + "data", {"key": keys[("node", name)]}).text = value
    for number, edge in enumerate(network.edges):
        element = ET.SubElement(graph, ns + "edge", {"id": f"e{number}", "source": edge.source, "target": edge.target})
        for name, value in _attributes(edge, EDGE_ATTRIBUTES):
            ET.SubElement(element, ns + "data", {"key": keys[("edge", name)]}).text = value
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def edges_gexf(network: CitationNetwork) -> bytes:
    """GEXF 1.3 for Gephi: a static directed graph, edge weight = number of occurrences, typed attributes."""
    ET.register_namespace("", GEXF_NS)
    ET.register_namespace("xsi", XSI_NS)
    ns = "{" + GEXF_NS + "}"
    root = ET.Element(ns + "gexf", {"version": "1.3",
                                    f"{{{XSI_NS}}}schemaLocation": f"{GEXF_NS} http://gexf.net/1.3/gexf.xsd"})
    meta = ET.SubElement(root, ns + "meta")
    ET.SubElement(meta, ns + "creator").text = "unkg"
    ET.SubElement(meta, ns + "description").text = "Citation network of United Nations resolutions"
    graph = ET.SubElement(root, ns + "graph", {"defaultedgetype": "directed", "mode": "static"})
    types = {"int": "integer", "bool": "boolean", "str": "string"}
    ids: dict[tuple[str, str], str] = {}
    for domain, names, kinds in (("node", NODE_ATTRIBUTES, _NODE_KINDS), ("edge", EDGE_ATTRIBUTES, _EDGE_KINDS)):
        declared = ET.SubElement(graph, ns + "attributes", {"class": domain, "mode": "static"})
        for number, name in enumerate(names):
            ids[(domain, name)] = str(number)
            ET.SubElement(declared, ns + "attribute", {"id": str(number), "title": name, "type": types[kinds[name]]})
    nodes = ET.SubElement(graph, ns + "nodes")
    for node in network.nodes:
        element = ET.SubElement(nodes, ns + "node", {"id": node.identifier, "label": node.identifier})
        _attvalues(element, ns, [(ids[("node", n)], v) for n, v in _attributes(node, NODE_ATTRIBUTES)])
    edges = ET.SubElement(graph, ns + "edges")
    for number, edge in enumerate(network.edges):
        element = ET.SubElement(edges, ns + "edge", {"id": str(number), "source": edge.source, "target": edge.target,
                                                     "weight": f"{max(edge.occurrences, 1)}.0"})
        _attvalues(element, ns, [(ids[("edge", n)], v) for n, v in _attributes(edge, EDGE_ATTRIBUTES)])
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _attvalues(element: ET.Element, ns: str, values: list[tuple[str, str]]) -> None:
    if values:
        holder = ET.SubElement(element, ns + "attvalues")
        for key, value in values:
            ET.SubElement(holder, ns + "attvalue", {"for": key, "value": value})


EDGE_WRITERS = {"csv": edges_csv, "jsonl": edges_jsonl, "graphml": edges_graphml, "gexf": edges_gexf}
DOCUMENT_WRITERS = {"csv": documents_csv, "jsonl": documents_jsonl}
