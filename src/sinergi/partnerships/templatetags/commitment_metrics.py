from django import template

from sinergi.partnerships.metrics import METRICS

register = template.Library()


@register.filter
def metric_label(key: str) -> str:
    metric = METRICS.get(key)
    return str(metric.label) if metric else key


@register.filter
def metric_description(key: str) -> str:
    metric = METRICS.get(key)
    return str(metric.description) if metric else ""
