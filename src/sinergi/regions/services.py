from django.db import transaction

from sinergi.regions.loader import iter_aliases, iter_region_rows


@transaction.atomic
def load_regions(region_model=None, alias_model=None) -> dict[str, int]:
    """Insert or update all Kemendagri regions and aliases; safe to run again (used by a migration)."""
    if region_model is None or alias_model is None:
        from sinergi.regions.models import Region, RegionAlias

        region_model, alias_model = Region, RegionAlias
    existing = set(region_model.objects.values_list("code", flat=True))
    new: list = []
    changed: list = []
    for row in iter_region_rows():
        obj = region_model(
            code=row.code,
            name=row.name,
            short_name=row.short_name,
            level=row.level,
            parent_id=row.parent_code,
        )
        (changed if row.code in existing else new).append(obj)
    region_model.objects.bulk_create(new, batch_size=2000)
    region_model.objects.bulk_update(changed, ["name", "short_name", "level", "parent"], batch_size=2000)
    known = set(alias_model.objects.values_list("region_id", "name"))
    aliases = [
        alias_model(region_id=code, name=alias)
        for code, alias in iter_aliases()
        if (code, alias) not in known
    ]
    alias_model.objects.bulk_create(aliases)
    return {"created": len(new), "updated": len(changed), "aliases": len(aliases)}
