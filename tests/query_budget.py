"""One check for every list page: the number of queries it takes does not grow with its rows."""

from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext


def queries_for(client, url: str, **params) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, url
    return len(captured), response.content.decode()


def assert_flat(client, url: str, add_rows: Callable[[int], None], *, shown: Callable[[str], int]) -> None:
    """Render `url` with a few rows and with many more (still within one page): the same number of
    queries both times, and the page really lists the rows (`shown` counts them in the HTML)."""
    counts = []
    for rows in (2, 12):
        add_rows(rows)
        count, body = queries_for(client, url)
        assert shown(body) >= rows, f"{url} shows {shown(body)} of {rows} rows"
        counts.append(count)
    assert counts[0] == counts[1], f"{url}: {counts[0]} queries for 2 rows, {counts[1]} for 12"
