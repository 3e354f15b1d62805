from hypothesis import given
from hypothesis import strategies as st

from sinergi.reporting.suppression import COMPLEMENTARY, PRIMARY, suppress, suppress_column


def hidden(value) -> bool:
    return value in (PRIMARY, COMPLEMENTARY)


def lines(table):
    """Each published equation: a row with its total, a column with its total, the totals' row."""
    rows = [[*cells, total] for cells, total in zip(table.cells, table.row_totals, strict=True)]
    rows.append([*table.column_totals, table.grand_total])
    columns = [list(col) for col in zip(*rows, strict=True)]
    return rows + columns


def test_counts_of_one_to_four_are_published_as_less_than_five():
    table = suppress([[0, 1, 4, 5, 20]], column_totals=False)
    assert table.cells[0][:2] == [0, PRIMARY] and table.cells[0][2] == PRIMARY
    assert table.cells[0][3:] == [5, 20]


def test_a_lone_small_cell_cannot_be_recovered_from_its_row_total():
    table = suppress([[3, 10, 20], [12, 15, 9], [30, 40, 50]])
    row = table.cells[0]
    assert row[0] == PRIMARY
    assert sum(1 for v in row if hidden(v)) >= 2  # a second cell of the row hides with it
    column = [r[0] for r in table.cells]
    assert sum(1 for v in column if hidden(v)) >= 2


def test_a_small_row_hides_its_total_too():
    table = suppress([[2, 0], [10, 20]])
    assert table.cells[0] == [PRIMARY, 0]
    assert table.row_totals[0] == PRIMARY  # the total equals the only count


@given(
    st.integers(1, 5).flatmap(
        lambda cols: st.lists(
            st.lists(st.integers(0, 30), min_size=cols, max_size=cols), min_size=1, max_size=6
        )
    )
)
def test_no_published_equation_has_exactly_one_hidden_entry(cells):
    table = suppress(cells)
    for r, row in enumerate(cells):
        for c, value in enumerate(row):
            if 0 < value < 5:
                assert table.cells[r][c] == PRIMARY
            elif not hidden(table.cells[r][c]):
                assert table.cells[r][c] == value
    for line in lines(table):
        assert sum(1 for v in line if hidden(v)) != 1, line


def test_a_single_column_without_totals_hides_only_small_counts():
    assert suppress_column([0, 3, 7]) == [0, PRIMARY, 7]
