"""Serialising query results: SPARQL 1.1 JSON/XML/CSV/TSV for SELECT and ASK, RDF for graphs.

One implementation shared by the CLI and the HTTP endpoint, so both answer identically.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from graph.formats import RdfFormat, ResultFormat
from graph.store import SelectResult
from graph.vocab import PREFIXES

__all__ = ["serialize_graph", "serialize_result", "text_table"]


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype is not None:
        out["datatype"] = str(term.datatype)
    return out


def _json(result: SelectResult | bool) -> bytes:
    body: dict[str, Any]
    if isinstance(result, bool):
        body = {"head": {}, "boolean": result}
    else:
        body = {
            "head": {"vars": result.variables},
            "results": {
                "bindings": [{k: _json_term(v) for k, v in row.items()} for row in result.rows]
            },
        }
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def _xml_term(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{escape(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{escape(str(term))}</bnode>"
    assert isinstance(term, Literal)
    attr = ""
    if term.language:
        attr = f" xml:lang={quoteattr(term.language)}"
    elif term.datatype is not None:
        attr = f" datatype={quoteattr(str(term.datatype))}"
    return f"<literal{attr}>{escape(str(term))}</literal>"


def _xml(result: SelectResult | bool) -> bytes:
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
    if isinstance(result, bool):
        out.append(f"<head/><boolean>{str(result).lower()}</boolean>")
    else:
        out.append(
            "<head>"
            + "".join(f"<variable name={quoteattr(v)}/>" for v in result.variables)
            + "</head><results>"
        )
        for row in result.rows:
            cells = "".join(
                f"<binding name={quoteattr(k)}>{_xml_term(v)}</binding>" for k, v in row.items()
            )
            out.append(f"<result>{cells}</result>")
        out.append("</results>")
    out.append("</sparql>")
    return "\n".join(out).encode("utf-8")


def _tsv_term(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    assert isinstance(term, Literal)
    text = str(term).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    text = text.replace("\r", "\\r").replace("\t", "\\t")
    if term.language:
        return f'"{text}"@{term.language}'
    if term.datatype is not None:
        return f'"{text}"^^<{term.datatype}>'
    return f'"{text}"'


def _delimited(result: SelectResult | bool, tsv: bool) -> bytes:
    if isinstance(result, bool):
        result = SelectResult(variables=["boolean"], rows=[{"boolean": Literal(result)}])
    buf = io.StringIO()
    if tsv:
        buf.write("\t".join(f"?{v}" for v in result.variables) + "\n")
        for row in result.rows:
            buf.write("\t".join(_tsv_term(row[v]) if v in row else "" for v in result.variables))
            buf.write("\n")
    else:
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(result.variables)
        for row in result.rows:
            writer.writerow([str(row[v]) if v in row else "" for v in result.variables])
    return buf.getvalue().encode("utf-8")


def serialize_result(result: SelectResult | bool, *, format: ResultFormat) -> bytes:
    if format is ResultFormat.JSON:
        return _json(result)
    if format is ResultFormat.XML:
        return _xml(result)
    return _delimited(result, tsv=format is ResultFormat.TSV)


def serialize_graph(graph: Graph, *, format: RdfFormat) -> bytes:
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)
    name = "nt" if format is RdfFormat.NQUADS else format.rdflib_name
    return graph.serialize(format=name, encoding="utf-8")


def text_table(result: SelectResult, *, max_width: int = 60) -> str:
    """A plain-text table for terminals, with IRIs shortened to prefixed names."""

    def short(term: Node) -> str:
        text = str(term)
        if isinstance(term, URIRef):
            for prefix, ns in PREFIXES.items():
                if text.startswith(ns):
                    return f"{prefix}:{text[len(ns) :]}"
        return text if len(text) <= max_width else text[: max_width - 1] + "…"

    rows = [[short(row[v]) if v in row else "" for v in result.variables] for row in result.rows]
    widths = [max([len(v), *(len(r[i]) for r in rows)]) for i, v in enumerate(result.variables)]
    line = "  ".join(v.ljust(w) for v, w in zip(result.variables, widths, strict=True))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    out.append(
        f"({len(rows)} row{'s' if len(rows) != 1 else ''}"
        f"{', truncated' if result.truncated else ''})"
    )
    return "\n".join(out)
