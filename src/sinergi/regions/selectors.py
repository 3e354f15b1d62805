from django.shortcuts import get_object_or_404

from sinergi.regions.models import Region, RegionQuerySet


def region_with_code(code: str) -> Region:
    """Regions are public reference data: any code names one, or the answer is 404."""
    return get_object_or_404(Region, code=code)


def region_names(codes) -> dict[str, str]:
    """code → name of the regions among `codes` (unknown codes are left out)."""
    return dict(Region.objects.filter(code__in=list(codes)).values_list("code", "name"))


def search_regions(term: str, *, levels: list[str] | None = None, limit: int = 20) -> list[Region]:
    """Regions matching a name or alias ("Kotim", "Sulsel"); exact alias hits and higher levels first."""
    qs: RegionQuerySet = Region.objects.search(term)
    if levels:
        qs = qs.filter(level__in=levels)
    results = list(qs.select_related("parent")[: limit * 3])
    needle = term.strip().lower()
    alias_hits = set(Region.objects.filter(aliases__name__iexact=needle).values_list("code", flat=True))
    level_rank = {"province": 0, "city": 1, "regency": 1, "district": 2}
    results.sort(
        key=lambda r: (
            r.code not in alias_hits,
            r.name.lower() != needle and r.short_name.lower() != needle,
            level_rank.get(r.level, 3),
            r.name,
        )
    )
    return results[:limit]
