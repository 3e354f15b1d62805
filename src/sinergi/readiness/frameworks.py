"""Readiness frameworks as data: a YAML file → a checked, plain description of the framework.

Pure module (no Django): it returns `FrameworkSpec` or raises `FrameworkFileError` carrying every
problem as (line, code, params); the caller translates the codes (readiness/messages.py), so the same
checks serve the command line and any upload form.

File shape (see frameworks/*.yaml):

    framework: {slug, version, name, source, weights_total, levels: {1..5: label},
                predicates: [{min, label}, ...]}          # optional; highest threshold first or any order
    dimensions:
      - {code, name, weight, programme_keywords: [...],  # optional
         aspects: [{code, name, weight, indicators: [
            {code, name, weight, evidence, levels: {1..5: description},
             region_metric: {key, thresholds: [t2, t3, t4, t5]}}   # optional
        ]}]}

Weights are absolute shares of the index: the indicators' weights sum to `weights_total`, and a
dimension's or aspect's weight equals the sum of its children (so a published domain weight such as
SPBE's 45.5 % is checked against the indicators that make it up). The index is
Σ (weight / weights_total) × level, on the 1–5 scale.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

LEVELS = (1, 2, 3, 4, 5)
_WEIGHT_TOLERANCE = Decimal("0.001")
MAX_FILE_BYTES = 1_000_000


@dataclass(frozen=True)
class Problem:
    line: int
    code: str
    params: dict[str, Any] = field(default_factory=dict)


class FrameworkFileError(ValueError):
    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} masalah")
        self.problems = sorted(problems, key=lambda p: p.line)


@dataclass(frozen=True)
class RegionMetricSpec:
    key: str
    thresholds: tuple[Decimal, ...]  # the value at which levels 2, 3, 4 and 5 begin


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    name: str
    weight: Decimal
    evidence: str
    levels: dict[int, str]
    region_metric: RegionMetricSpec | None = None


@dataclass(frozen=True)
class AspectSpec:
    code: str
    name: str
    weight: Decimal
    indicators: tuple[IndicatorSpec, ...]


@dataclass(frozen=True)
class DimensionSpec:
    code: str
    name: str
    weight: Decimal
    aspects: tuple[AspectSpec, ...]
    # Words that find catalogue programmes closing a gap in this dimension (gap analysis).
    programme_keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Predicate:
    minimum: Decimal
    label: str


@dataclass(frozen=True)
class FrameworkSpec:
    slug: str
    version: int
    name: str
    source: str
    weights_total: Decimal
    level_labels: dict[int, str]
    predicates: tuple[Predicate, ...]  # highest threshold first
    dimensions: tuple[DimensionSpec, ...]

    def indicators(self) -> list[IndicatorSpec]:
        return [i for d in self.dimensions for a in d.aspects for i in a.indicators]


class _Reader:
    """Walks the composed YAML nodes so every problem can name the line it is on."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fail(self, node: yaml.Node | None, problem: str, **params: Any) -> None:
        line = node.start_mark.line + 1 if node is not None else 1
        self.problems.append(Problem(line, problem, params))

    def mapping(self, node: yaml.Node, where: str) -> dict[str, tuple[yaml.Node, yaml.Node]] | None:
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, "not_mapping", where=where)
            return None
        result: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in result:
                self.fail(key_node, "duplicate_key", key=key, where=where)
            result[key] = (key_node, value_node)
        return result

    def sequence(self, node: yaml.Node, where: str) -> list[yaml.Node]:
        if not isinstance(node, yaml.SequenceNode) or not node.value:
            self.fail(node, "not_list", where=where)
            return []
        return list(node.value)

    def required(
        self, fields: dict[str, tuple[yaml.Node, yaml.Node]], key: str, parent: yaml.Node, where: str
    ) -> yaml.Node | None:
        if key not in fields:
            self.fail(parent, "missing", key=key, where=where)
            return None
        return fields[key][1]

    def text(self, node: yaml.Node | None, where: str, key: str) -> str:
        if node is None:
            return ""
        if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
            self.fail(node, "not_text", key=key, where=where)
            return ""
        return str(node.value).strip()

    def number(self, node: yaml.Node | None, where: str, key: str, *, positive: bool = True) -> Decimal:
        if node is None:
            return Decimal(0)
        try:
            if not isinstance(node, yaml.ScalarNode) or node.tag.endswith(":str") and node.style:
                raise InvalidOperation
            value = Decimal(str(node.value))
            if not value.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            self.fail(node, "not_number", key=key, where=where)
            return Decimal(0)
        if positive and value <= 0:
            self.fail(node, "not_positive", key=key, where=where)
        return value

    def levels(self, node: yaml.Node | None, where: str) -> dict[int, str]:
        if node is None:
            return {}
        fields = self.mapping(node, where)
        if fields is None:
            return {}
        levels: dict[int, str] = {}
        for key, (key_node, value_node) in fields.items():
            if key not in {str(level) for level in LEVELS}:
                self.fail(key_node, "bad_level", key=key, where=where)
                continue
            levels[int(key)] = self.text(value_node, where, f"levels.{key}")
        missing = [level for level in LEVELS if level not in levels]
        if missing:
            self.fail(node, "levels_incomplete", missing=", ".join(map(str, missing)), where=where)
        return levels


def _unique(reader: _Reader, seen: set[str], code: str, node: yaml.Node | None) -> None:
    if code and code in seen:
        reader.fail(node, "duplicate_code", code=code)
    seen.add(code)


def _weights_match(
    reader: _Reader, node: yaml.Node | None, where: str, declared: Decimal, children: list[Decimal]
) -> None:
    total = sum(children, Decimal(0))
    if declared and abs(total - declared) > _WEIGHT_TOLERANCE:
        reader.fail(node, "weights_mismatch", where=where, declared=declared, total=total)


def _indicator(reader: _Reader, node: yaml.Node, seen: set[str]) -> IndicatorSpec | None:
    fields = reader.mapping(node, "indikator")
    if fields is None:
        return None
    code = reader.text(reader.required(fields, "code", node, "indikator"), "indikator", "code")
    where = f"indikator {code or '?'}"
    _unique(reader, seen, code, fields.get("code", (None, None))[1])
    name = reader.text(reader.required(fields, "name", node, where), where, "name")
    weight = reader.number(reader.required(fields, "weight", node, where), where, "weight")
    evidence = reader.text(reader.required(fields, "evidence", node, where), where, "evidence")
    levels = reader.levels(reader.required(fields, "levels", node, where), where)
    metric = None
    if "region_metric" in fields:
        metric_node = fields["region_metric"][1]
        metric_fields = reader.mapping(metric_node, where)
        if metric_fields is not None:
            key = reader.text(reader.required(metric_fields, "key", metric_node, where), where, "key")
            thresholds_node = reader.required(metric_fields, "thresholds", metric_node, where)
            thresholds = (
                [
                    reader.number(t, where, "thresholds", positive=False)
                    for t in reader.sequence(thresholds_node, where)
                ]
                if thresholds_node is not None
                else []
            )
            if thresholds_node is not None and (
                len(thresholds) != 4 or thresholds != sorted(set(thresholds))
            ):
                reader.fail(thresholds_node, "bad_thresholds", where=where)
            metric = RegionMetricSpec(key, tuple(thresholds))
    return IndicatorSpec(code, name, weight, evidence, levels, metric)


@dataclass(frozen=True)
class _Weighted:
    """What a dimension and an aspect share: a coded, named, weighted node whose parts' weights add
    up to its own."""

    fields: dict[str, Any]
    where: str
    code: str
    name: str
    weight: Decimal
    parts: list[Any]


def _weighted(
    reader: _Reader, node: yaml.Node, seen: set[str], kind: str, parts_key: str, part: Callable[..., Any]
) -> _Weighted | None:
    fields = reader.mapping(node, kind)
    if fields is None:
        return None
    code = reader.text(reader.required(fields, "code", node, kind), kind, "code")
    where = f"{kind} {code or '?'}"
    _unique(reader, seen, code, fields.get("code", (None, None))[1])
    name = reader.text(reader.required(fields, "name", node, where), where, "name")
    weight_node = reader.required(fields, "weight", node, where)
    weight = reader.number(weight_node, where, "weight")
    parts_node = reader.required(fields, parts_key, node, where)
    parts = [
        spec
        for child in (reader.sequence(parts_node, where) if parts_node is not None else [])
        if (spec := part(reader, child, seen)) is not None
    ]
    _weights_match(reader, weight_node, where, weight, [p.weight for p in parts])
    return _Weighted(fields, where, code, name, weight, parts)


def _aspect(reader: _Reader, node: yaml.Node, seen: set[str]) -> AspectSpec | None:
    aspect = _weighted(reader, node, seen, "aspek", "indicators", _indicator)
    if aspect is None:
        return None
    return AspectSpec(aspect.code, aspect.name, aspect.weight, tuple(aspect.parts))


def _dimension(reader: _Reader, node: yaml.Node, seen: set[str]) -> DimensionSpec | None:
    dimension = _weighted(reader, node, seen, "dimensi", "aspects", _aspect)
    if dimension is None:
        return None
    fields, where = dimension.fields, dimension.where
    keywords: list[str] = []
    if "programme_keywords" in fields:
        keywords_node = fields["programme_keywords"][1]
        keywords = [
            reader.text(keyword, where, "programme_keywords")
            for keyword in reader.sequence(keywords_node, where)
        ]
    return DimensionSpec(
        dimension.code, dimension.name, dimension.weight, tuple(dimension.parts), tuple(keywords)
    )


def _predicates(reader: _Reader, node: yaml.Node | None) -> tuple[Predicate, ...]:
    if node is None:
        return ()
    predicates = []
    for child in reader.sequence(node, "predicates"):
        fields = reader.mapping(child, "predicates")
        if fields is None:
            continue
        minimum = reader.number(
            reader.required(fields, "min", child, "predicates"), "predicates", "min", positive=False
        )
        label = reader.text(reader.required(fields, "label", child, "predicates"), "predicates", "label")
        predicates.append(Predicate(minimum, label))
    return tuple(sorted(predicates, key=lambda p: p.minimum, reverse=True))


def parse_framework(text: str) -> FrameworkSpec:
    """The framework described by `text`, or FrameworkFileError listing every problem with its line."""
    reader = _Reader()
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        raise FrameworkFileError([Problem(1, "too_large", {"limit_kb": MAX_FILE_BYTES // 1000})])
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise FrameworkFileError(
            [Problem(line, "yaml_syntax", {"detail": exc.problem or str(exc)})]
        ) from None
    except yaml.YAMLError as exc:
        raise FrameworkFileError([Problem(1, "yaml_syntax", {"detail": str(exc)})]) from None
    if root is None:
        raise FrameworkFileError([Problem(1, "empty")])
    top = reader.mapping(root, "berkas")
    if top is None:
        raise FrameworkFileError(reader.problems)
    header_node = reader.required(top, "framework", root, "berkas")
    header = reader.mapping(header_node, "framework") if header_node is not None else None
    slug = name = source = ""
    version = 0
    total = Decimal(0)
    labels: dict[int, str] = {}
    predicates: tuple[Predicate, ...] = ()
    total_node: yaml.Node | None = None
    if header is not None and header_node is not None:
        slug = reader.text(reader.required(header, "slug", header_node, "framework"), "framework", "slug")
        name = reader.text(reader.required(header, "name", header_node, "framework"), "framework", "name")
        source = reader.text(
            reader.required(header, "source", header_node, "framework"), "framework", "source"
        )
        version_node = reader.required(header, "version", header_node, "framework")
        version_value = reader.number(version_node, "framework", "version")
        if version_value != version_value.to_integral_value():
            reader.fail(version_node, "not_integer", key="version", where="framework")
        version = int(version_value)
        total_node = reader.required(header, "weights_total", header_node, "framework")
        total = reader.number(total_node, "framework", "weights_total")
        labels = reader.levels(reader.required(header, "levels", header_node, "framework"), "framework")
        predicates = _predicates(reader, header.get("predicates", (None, None))[1])
    dimensions_node = reader.required(top, "dimensions", root, "berkas")
    seen: set[str] = set()
    dimensions = [
        spec
        for child in (reader.sequence(dimensions_node, "dimensions") if dimensions_node is not None else [])
        if (spec := _dimension(reader, child, seen)) is not None
    ]
    indicators = [i for d in dimensions for a in d.aspects for i in a.indicators]
    if indicators and total:
        indicator_total = sum((i.weight for i in indicators), Decimal(0))
        if abs(indicator_total - total) > _WEIGHT_TOLERANCE:
            reader.fail(
                total_node, "weights_mismatch", where="framework", declared=total, total=indicator_total
            )
    if reader.problems:
        raise FrameworkFileError(reader.problems)
    return FrameworkSpec(slug, version, name, source, total, labels, predicates, tuple(dimensions))
