"""A deterministic measure of the extractor's work, for tests that its cost grows linearly.

Wall-clock time on a shared machine is noise; this counts what the cost is made of instead:
- every character handed to the regular-expression engine by the intake modules (a search over a
  whole sentence for each of its mentions shows up as characters × mentions), and
- every line of Python executed in the intake modules (a loop over all pairs of entities shows up
  as lines × pairs).

    with counting_work() as work:
        extract(text)
    work.total

Patterns are replaced by counting proxies for the duration of the block, in the modules' globals
and in the lists, tuples and dicts they hold (UNIT_RES, TOPIC_LEXICON…); module-level `re` is
replaced by a shim whose functions count too, so patterns compiled or used as strings at run time
are counted as well.
"""

from __future__ import annotations

import re
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sinergi.intake

INTAKE_DIR = str(Path(sinergi.intake.__file__).resolve().parent)
PURE_MODULES = ("aliases", "dates", "extract", "lexicon", "numbers", "orgs", "people", "regions", "text")


@dataclass
class Work:
    regex_chars: int = 0
    lines: int = 0

    @property
    def total(self) -> int:
        return self.regex_chars + self.lines


def _span(string: str, pos: int = 0, endpos: int | None = None) -> int:
    end = len(string) if endpos is None else min(endpos, len(string))
    return max(0, end - pos)


class _CountingPattern:
    def __init__(self, pattern: re.Pattern[str], work: Work) -> None:
        self._p, self._work = pattern, work

    def __getattr__(self, name: str) -> Any:
        return getattr(self._p, name)

    def __hash__(self) -> int:
        return hash(self._p)

    def __eq__(self, other: object) -> bool:
        return self._p == (other._p if isinstance(other, _CountingPattern) else other)

    def _scan(self, method: str, string: str, *args: Any, **kwargs: Any) -> Any:
        result = getattr(self._p, method)(string, *args, **kwargs)
        pos = args[0] if args else kwargs.get("pos", 0)
        if method in ("match", "fullmatch"):
            # Anchored: the engine reads what it matches (a failed attempt counts as one step).
            self._work.regex_chars += max(1, result.end() - pos) if result else 1
        elif method == "search" and result is not None:
            self._work.regex_chars += result.end() - pos
        else:
            self._work.regex_chars += _span(string, *args[:2])
        return result

    def search(self, string: str, *a: Any, **k: Any) -> Any:
        return self._scan("search", string, *a, **k)

    def match(self, string: str, *a: Any, **k: Any) -> Any:
        return self._scan("match", string, *a, **k)

    def fullmatch(self, string: str, *a: Any, **k: Any) -> Any:
        return self._scan("fullmatch", string, *a, **k)

    def finditer(self, string: str, *a: Any, **k: Any) -> Iterator[re.Match[str]]:
        # Counted as it is consumed: a caller that stops after a few tokens read only those.
        pos = a[0] if a else 0
        end = _span(string) if len(a) < 2 else min(a[1], len(string))
        for m in self._p.finditer(string, *a, **k):
            self._work.regex_chars += max(1, m.end() - pos)
            pos = m.end()
            yield m
        self._work.regex_chars += max(0, end - pos)

    def findall(self, string: str, *a: Any, **k: Any) -> Any:
        return self._scan("findall", string, *a, **k)

    def split(self, string: str, *a: Any, **k: Any) -> Any:
        return self._scan("split", string, *a, **k)

    def sub(self, repl: Any, string: str, *a: Any, **k: Any) -> Any:
        self._work.regex_chars += len(string)
        return self._p.sub(repl, string, *a, **k)

    def subn(self, repl: Any, string: str, *a: Any, **k: Any) -> Any:
        self._work.regex_chars += len(string)
        return self._p.subn(repl, string, *a, **k)


def _re_shim(work: Work) -> types.SimpleNamespace:
    def compiled(pattern: Any, flags: int = 0) -> _CountingPattern:
        if isinstance(pattern, _CountingPattern):
            return pattern
        return _CountingPattern(re.compile(pattern, flags), work)

    def function(name: str) -> Any:
        def call(pattern: Any, string: str, flags: int = 0) -> Any:
            return getattr(compiled(pattern, flags), name)(string)

        return call

    def split(pattern: Any, string: str, maxsplit: int = 0, flags: int = 0) -> Any:
        return compiled(pattern, flags).split(string, maxsplit)

    def sub(pattern: Any, repl: Any, string: str, count: int = 0, flags: int = 0) -> Any:
        return compiled(pattern, flags).sub(repl, string, count)

    shim = types.SimpleNamespace(**{k: getattr(re, k) for k in dir(re) if not k.startswith("__")})
    shim.compile = compiled
    shim.sub, shim.split = sub, split
    for name in ("search", "match", "fullmatch", "finditer", "findall"):
        setattr(shim, name, function(name))
    return shim


def _wrap(value: Any, work: Work, memo: dict[int, Any]) -> Any:
    if id(value) in memo:
        return memo[id(value)]
    if isinstance(value, re.Pattern):
        new: Any = _CountingPattern(value, work)
    elif isinstance(value, list):
        new = [_wrap(v, work, memo) for v in value]
    elif isinstance(value, tuple) and not hasattr(value, "_fields"):
        new = tuple(_wrap(v, work, memo) for v in value)
    elif isinstance(value, dict):
        new = {k: _wrap(v, work, memo) for k, v in value.items()}
    else:
        new = value
    memo[id(value)] = new
    return new


@contextmanager
def counting_work() -> Iterator[Work]:
    import importlib

    work = Work()
    modules = [importlib.import_module(f"sinergi.intake.{name}") for name in PURE_MODULES]
    memo: dict[int, Any] = {}
    saved: list[tuple[types.ModuleType, str, Any]] = []
    shim = _re_shim(work)
    for module in modules:
        for name, value in list(vars(module).items()):
            new = shim if value is re else _wrap(value, work, memo)
            if new is not value:
                saved.append((module, name, value))
                setattr(module, name, new)
    # The alias table's compiled patterns are rebuilt through the shim, so their scans count too; place
    # names are looked up afresh so that one measurement does not profit from the one before.
    orgs, regions = modules[PURE_MODULES.index("orgs")], modules[PURE_MODULES.index("regions")]
    cached = [orgs._table_regexes, regions.resolve_place_name]
    for function in cached:
        function.cache_clear()

    def tracer(frame: types.FrameType, event: str, arg: Any) -> Any:
        if not frame.f_code.co_filename.startswith(INTAKE_DIR):
            return None

        def lines(frame: types.FrameType, event: str, arg: Any) -> Any:
            if event == "line":
                work.lines += 1
            return lines

        return lines

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        yield work
    finally:
        sys.settrace(previous)
        for module, name, value in reversed(saved):
            setattr(module, name, value)
        for function in cached:
            function.cache_clear()
