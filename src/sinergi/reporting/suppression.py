"""Small-cell suppression for published tables (pure; no Django import).

Rule: a count from 1 to 4 is never published; it is shown as "<5" (primary suppression). Zero is
published as 0, and so is every count of 5 or more, unless it must be hidden so that a "<5" cannot
be worked out from the totals published beside it (complementary suppression, shown as "x").

A table is a matrix of counts plus, optionally, the total of each row and of each column (and the
grand total). Every row, with its total, is one equation (cells sum to the total); every column
likewise. An equation with exactly one hidden entry gives that entry away, so the rule enforced is:
every equation has either no hidden entry or at least two. While one has exactly one, the smallest
visible count of that line that is not zero is hidden as well (the least information lost); a line
with nothing else to hide hides its total instead, which moves the problem to the totals' line, and
so on to the grand total. Each step hides one more entry, so the loop ends.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

K = TypeVar("K", bound=Hashable)

THRESHOLD = 5
PRIMARY = "<5"
COMPLEMENTARY = "x"


@dataclass(frozen=True)
class SuppressedTable:
    cells: list[list[int | str]]
    row_totals: list[int | str] | None
    column_totals: list[int | str] | None
    grand_total: int | str | None


def is_small(count: int) -> bool:
    return 0 < count < THRESHOLD


def suppress(
    cells: Sequence[Sequence[int]], *, row_totals: bool = True, column_totals: bool = True
) -> SuppressedTable:
    """cells[r][c] are counts; totals are computed here (so they are consistent) and published when asked."""
    n_rows = len(cells)
    n_cols = len(cells[0]) if n_rows else 0
    # The extended matrix: column n_cols holds row totals, row n_rows holds column totals.
    grid: dict[tuple[int, int], int] = {}
    for r, row in enumerate(cells):
        if len(row) != n_cols:
            raise ValueError("every row needs the same number of cells")
        for c, value in enumerate(row):
            if value < 0:
                raise ValueError("counts cannot be negative")
            grid[(r, c)] = int(value)
    if row_totals:
        for r in range(n_rows):
            grid[(r, n_cols)] = sum(grid[(r, c)] for c in range(n_cols))
    if column_totals:
        for c in range(n_cols):
            grid[(n_rows, c)] = sum(grid[(r, c)] for r in range(n_rows))
    if row_totals and column_totals:
        grid[(n_rows, n_cols)] = sum(grid[(r, n_cols)] for r in range(n_rows))

    lines: list[list[tuple[int, int]]] = []  # each equation's entries; its total last
    if row_totals:
        for r in range(n_rows + (1 if column_totals else 0)):
            lines.append([(r, c) for c in range(n_cols + 1)])
    if column_totals:
        for c in range(n_cols + (1 if row_totals else 0)):
            lines.append([(r, c) for r in range(n_rows + 1)])
    primary, hidden = suppress_system(grid, lines)

    def shown(key: tuple[int, int]) -> int | str:
        if key in primary:
            return PRIMARY
        return COMPLEMENTARY if key in hidden else grid[key]

    return SuppressedTable(
        cells=[[shown((r, c)) for c in range(n_cols)] for r in range(n_rows)],
        row_totals=[shown((r, n_cols)) for r in range(n_rows)] if row_totals else None,
        column_totals=[shown((n_rows, c)) for c in range(n_cols)] if column_totals else None,
        grand_total=shown((n_rows, n_cols)) if row_totals and column_totals else None,
    )


def suppress_system(values: Mapping[K, int], lines: Iterable[Sequence[K]]) -> tuple[set[K], set[K]]:
    """(primary, hidden) keys for counts linked by equations: each line lists entries that sum to its
    last entry. Used for one table (suppress) and for tables published side by side whose totals are
    the same numbers (a province's row in the national table is the province table's total row):
    suppressing them as one system shows each shared number the same way in every table, so no table
    gives away what another hides."""
    lines = [list(line) for line in lines]
    primary = {key for key, value in values.items() if is_small(value)}
    hidden = set(primary)
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(1 for key in line if key in hidden) != 1:
                continue
            total = line[-1]
            visible_cells = [key for key in line[:-1] if key not in hidden]
            candidates = [key for key in visible_cells if values[key] > 0]
            if not candidates and total not in hidden:
                candidates = [total]
            if not candidates:
                continue
            hidden.add(min(candidates, key=lambda key: (values[key], key)))
            changed = True
    return primary, hidden


def suppress_column(values: Sequence[int]) -> list[int | str]:
    """One column of counts published without totals: primary suppression only."""
    return [PRIMARY if is_small(v) else int(v) for v in values]
