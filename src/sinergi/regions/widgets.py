"""The region search used wherever a form picks provinces or kab/kota: a search box by name or alias
(like the profile's kab/kota search), a list of ticked regions that stays put while searching, and the
matches as checkboxes. With htmx the matches come as the officer types; without JavaScript the "Cari"
button sends the form back with the ticks kept, and nothing is saved.

The form limits `allowed` to what the officer may choose; the widget only ever shows those."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.regions.models import Region, RegionQuerySet

# Up to this many allowed regions are all listed before anything is typed (a province's own kab/kota).
LIST_ALL_UP_TO = 40
MAX_MATCHES = 30
LEVEL_ORDER = {Region.Level.PROVINCE: 0, Region.Level.CITY: 1, Region.Level.REGENCY: 1}


def search_field_name(name: str) -> str:
    return f"{name}_cari"


def search_button_name(name: str) -> str:
    return f"{name}_cari_tombol"


def _ordered(regions) -> list[Region]:
    return sorted(regions, key=lambda r: (LEVEL_ORDER.get(r.level, 2), r.name))


class RegionPicker(forms.Widget):
    template_name = "regions/widgets/region_picker.html"
    allow_multiple_selected = True

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.allowed: RegionQuerySet = Region.objects.none()
        self.term = ""
        self.search_url = ""

    def value_from_datadict(self, data, files, name):
        getter = getattr(data, "getlist", None)
        return getter(name) if getter else data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return False  # an empty list of ticks is an answer, not a missing field

    def id_for_label(self, id_):
        return f"{id_}_cari" if id_ else id_

    def matches(self, term: str, exclude: list[str]) -> tuple[list[Region], int, bool]:
        """(matches to show, how many matched, whether anything needs typing first)."""
        regions = self.allowed.select_related("parent").exclude(code__in=exclude)
        if term.strip():
            regions = regions.search(term)
        elif regions.count() > LIST_ALL_UP_TO:
            return [], 0, True
        found = list(regions[: MAX_MATCHES + 1])
        total = len(found) if len(found) <= MAX_MATCHES else regions.count()
        return _ordered(found[:MAX_MATCHES]), total, False

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        codes = [str(v) for v in (value or []) if v]
        selected = _ordered(self.allowed.filter(code__in=codes).select_related("parent"))
        matches, total, needs_term = self.matches(self.term, codes)
        widget = context["widget"]
        widget.update(
            {
                "selected": selected,
                "matches": matches,
                "total": total,
                "more": total > len(matches),
                "needs_term": needs_term,
                "term": self.term,
                "search_name": search_field_name(name),
                "button_name": search_button_name(name),
                "search_url": self.search_url,
                "base_id": attrs.get("id", f"id_{name}") if attrs else f"id_{name}",
                "placeholder": _("mis. Palembang, Kotim, Sumsel"),
            }
        )
        return context
