from django.contrib import admin

from sinergi.regions.models import Region, RegionAlias


class RegionAliasInline(admin.TabularInline):
    model = RegionAlias
    extra = 0


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name", "short_name", "aliases__name"]
    inlines = [RegionAliasInline]
