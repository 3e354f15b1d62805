from urllib.parse import urlencode

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag
def chart_csv_url(table, query) -> str:
    """The CSV of a dashboard chart with the same filters as the page, so it holds what is shown."""
    url = reverse("reporting:chart_csv", args=[table.name])
    return f"{url}?{urlencode(query)}" if query else url


@register.filter
def thousands(value) -> str:
    """12345 → 12.345 (the Indonesian thousands separator), independent of the active locale."""
    try:
        return f"{int(value):,}".replace(",", ".")
    except (TypeError, ValueError):
        return str(value)
