from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django_ratelimit.decorators import ratelimit

from sinergi.regions.selectors import search_regions


@ratelimit(key="ip", rate="120/m", block=True)
def region_search(request: HttpRequest) -> HttpResponse:
    """Public: find a region by name or alias. JSON for scripts, an HTML fragment for htmx."""
    term = request.GET.get("q", "")[:60]
    levels = [lv for lv in request.GET.getlist("tingkat") if lv]
    results = search_regions(term, levels=levels or None) if len(term.strip()) >= 2 else []
    if request.headers.get("HX-Request") or request.GET.get("format") == "html":
        return render(request, "regions/_search_results.html", {"results": results, "q": term})
    return JsonResponse(
        {
            "results": [
                {
                    "code": r.code,
                    "name": r.name,
                    "level": r.level,
                    "parent": r.parent.name if r.parent else None,
                }
                for r in results
            ]
        }
    )


def region_browser(request: HttpRequest) -> HttpResponse:
    return render(request, "regions/search.html")
