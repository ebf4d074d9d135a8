"""The Reconciliation Service API's input, checked: property ids, and the JSON of queries and
data-extension requests (``api.reconcile`` answers them). A request that cannot be answered
raises ``BadInput`` naming the parameter (HTTP 422)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from api.errors import BadParameter
from graph.schema import RelationDef, Schema
from graph.vocab import ENTITY_BASE, GG

__all__ = [
    "DEFAULT_LIMIT",
    "IDENTIFIER_SPACE",
    "MAX_BATCH",
    "SCHEMA_SPACE",
    "BadInput",
    "Constraint",
    "PropertyDef",
    "ReconQuery",
    "parse_extend",
    "parse_queries",
    "properties",
    "property_def",
]

IDENTIFIER_SPACE = ENTITY_BASE
SCHEMA_SPACE = str(GG)
MAX_BATCH = 200  # queries (or extension ids) per request: OpenRefine sends 10 at a time
DEFAULT_LIMIT = 5


class BadInput(BadParameter):
    """A reconciliation parameter (a JSON form field, usually) that cannot be used (HTTP 422);
    the message names the field and, inside its JSON, where: ``q0.type``."""

    def __init__(self, name: str, message: str) -> None:
        Exception.__init__(self, f"parameter {name!r}: {message}")
        self.name = name


# --- properties: what constraints and data extension can name --------------------------------


@dataclass(frozen=True)
class PropertyDef:
    """A property of the service: a schema relation (either direction) or a plain field."""

    id: str
    name: str
    description: str
    relation: RelationDef | None = None
    inverse: bool = False

    def applies_to(self, schema: Schema, type_: str | None) -> bool:
        """Whether entities of ``type_`` can have this property (schema domain or range)."""
        if self.relation is None or type_ is None:
            return True
        ends = self.relation.range if self.inverse else self.relation.domain
        return schema.is_a(type_, ends)

    def value_type(self) -> str | None:
        """The class of the values, when the schema names exactly one."""
        if self.relation is None:
            return None
        ends = self.relation.domain if self.inverse else self.relation.range
        return ends[0] if len(ends) == 1 else None


_FIELDS = (
    PropertyDef("label", "label", "the English label"),
    PropertyDef("aliases", "aliases", "other names and acronyms"),
    PropertyDef("description", "description", "a one-line description"),
    PropertyDef("type", "type", "the class id, as in type= (e.g. SafetyInstitute)"),
    PropertyDef("wikidata", "Wikidata QID", "the Wikidata item (owl:sameAs), e.g. Q42"),
    PropertyDef("start", "start date", "the entity's own start: event, publication, founding"),
    PropertyDef("end", "end date", "the entity's own end: event end, dissolution"),
)


def properties(schema: Schema) -> list[PropertyDef]:
    """Every property: the plain fields, then each relation, then each relation reversed."""
    out = list(_FIELDS)
    out += [PropertyDef(r.name, r.label, r.description, r) for r in schema.relations.values()]
    out += [
        PropertyDef(f"^{r.name}", r.inverse, f"reverse of {r.name}: {r.description}", r, True)
        for r in schema.relations.values()
    ]
    return out


def property_def(schema: Schema, pid: str) -> PropertyDef | None:
    pid = pid.removeprefix(SCHEMA_SPACE) if not pid.startswith("^") else pid
    return next((p for p in properties(schema) if p.id == pid), None)


# --- parsing the protocol's JSON -------------------------------------------------------------


@dataclass(frozen=True)
class Constraint:
    """``{"pid": ..., "v": ...}``: candidates should have one of ``values`` for ``pid``."""

    prop: PropertyDef
    values: tuple[str, ...]
    required: bool = False


@dataclass(frozen=True)
class ReconQuery:
    text: str
    types: tuple[str, ...] = ()
    limit: int = DEFAULT_LIMIT
    constraints: tuple[Constraint, ...] = field(default_factory=tuple)


def _load(name: str, raw: str) -> Any:
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise BadInput(name, f"not valid JSON ({exc.msg} at column {exc.colno})") from None


def parse_queries(raw: str | Any, schema: Schema) -> tuple[dict[str, ReconQuery], bool]:
    """The query batch in ``raw`` (JSON text or already decoded) and whether it came in the
    newer draft's list shape (``{"queries": [...]}``), whose answer is a list too."""
    batch = _load("queries", raw) if isinstance(raw, str) else raw
    listed = isinstance(batch, dict) and isinstance(batch.get("queries"), list)
    if listed:
        batch = batch["queries"]
    if isinstance(batch, list):
        listed, batch = True, {str(i): q for i, q in enumerate(batch)}
    if not isinstance(batch, dict):
        raise BadInput("queries", 'expected a JSON object like {"q0": {"query": "..."}}')
    if len(batch) > MAX_BATCH:
        raise BadInput("queries", f"at most {MAX_BATCH} queries per request")
    return {k: _query(f"[{k}]" if listed else k, q, schema) for k, q in batch.items()}, listed


def _query(key: str, spec: Any, schema: Schema) -> ReconQuery:
    if isinstance(spec, str):
        spec = {"query": spec}
    if not isinstance(spec, dict):
        raise BadInput("queries", f"{key}: expected an object with a 'query'")
    text = spec.get("query", "")
    constraints: list[Constraint] = []
    for i, item in enumerate(spec.get("properties") or []):
        where = f"{key}.properties[{i}]"
        if not isinstance(item, dict) or "v" not in item:
            raise BadInput("queries", f'{where}: expected {{"pid": ..., "v": ...}}')
        if item.get("pid") is None and not text:  # the draft's query-less shape
            text = " ".join(_values(item["v"]))
            continue
        constraints.append(_constraint(where, item, schema))
    if not isinstance(text, str):
        raise BadInput("queries", f"{key}.query: expected a string")
    return ReconQuery(
        text.strip(), _types(key, spec.get("type"), schema), _limit(key, spec), tuple(constraints)
    )


def _types(key: str, value: Any, schema: Schema) -> tuple[str, ...]:
    names = [value] if isinstance(value, str) else value or []
    if not isinstance(names, list):
        raise BadInput("queries", f"{key}.type: expected a class id or a list of them")
    out = []
    for name in names:
        cls = str(name).removeprefix(SCHEMA_SPACE)
        if cls not in schema.classes:
            allowed = ", ".join(sorted(schema.classes))
            raise BadInput("queries", f"{key}.type: unknown class {name!r}; use one of {allowed}")
        out.append(cls)
    return tuple(out)


def _limit(key: str, spec: dict[str, Any]) -> int:
    value = spec.get("limit", DEFAULT_LIMIT)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 1 <= value <= 100:
        raise BadInput("queries", f"{key}.limit: expected a number from 1 to 100")
    return int(value)


def _constraint(where: str, item: dict[str, Any], schema: Schema) -> Constraint:
    pid = str(item.get("pid"))
    prop = property_def(schema, pid)
    if prop is None or (prop.relation is None and prop.id != "wikidata"):
        raise BadInput(
            "queries",
            f"{where}.pid: unknown property {pid!r}; use a relation of graph/schema.yaml "
            "(memberOf, or ^signed for 'signed by') or wikidata",
        )
    return Constraint(prop, tuple(_values(item["v"])), bool(item.get("required", False)))


def _values(v: Any) -> list[str]:
    """A property value as strings: text, a number, ``{"id": ...}`` or a list of these."""
    items = v if isinstance(v, list) else [v]
    out = []
    for item in items:
        if isinstance(item, dict):
            item = item.get("id") or item.get("name") or item.get("str")
        if item is not None and str(item).strip():
            out.append(str(item).strip())
    return out


def parse_extend(raw: str | Any, schema: Schema) -> tuple[list[str], list[tuple[PropertyDef, int]]]:
    """The ids and properties (each with its ``limit`` setting, 0 for all) of an extension."""
    spec = _load("extend", raw) if isinstance(raw, str) else raw
    if not isinstance(spec, dict) or not isinstance(spec.get("ids"), list):
        raise BadInput("extend", 'expected {"ids": [...], "properties": [{"id": ...}]}')
    ids = [str(i) for i in spec["ids"]]
    if len(ids) > MAX_BATCH:
        raise BadInput("extend", f"at most {MAX_BATCH} ids per request")
    props = []
    for i, item in enumerate(spec.get("properties") or []):
        pid = item.get("id") if isinstance(item, dict) else None
        prop = property_def(schema, str(pid))
        if prop is None:
            raise BadInput("extend", f"properties[{i}].id: unknown property {pid!r}")
        settings = item.get("settings")
        limit = settings.get("limit", 0) if isinstance(settings, dict) else 0
        try:
            props.append((prop, max(int(limit), 0)))
        except (TypeError, ValueError):
            raise BadInput("extend", f"properties[{i}].settings.limit: not a number") from None
    return ids, props


# --- reconciliation ---------------------------------------------------------------------------
