"""Reference data and survey versions for national admins. The minimum-wage table is edited here (or
loaded with `sinergi load_minimum_wages`); an answered survey version is shown read-only."""

from django.contrib import admin

from sinergi.outcomes.models import MinimumWage, Survey, SurveyVersion, TracerRound


def _national(request) -> bool:
    user = request.user
    return bool(user.is_active and (user.is_superuser or getattr(user, "role", "") == "national_admin"))


class NationalOnly(admin.ModelAdmin):
    def has_module_permission(self, request) -> bool:
        return _national(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return _national(request)

    def has_add_permission(self, request) -> bool:
        return _national(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return _national(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return _national(request)


@admin.register(MinimumWage)
class MinimumWageAdmin(NationalOnly):
    list_display = ("province", "year", "amount", "source")
    list_filter = ("year",)
    search_fields = ("province__name", "source")
    autocomplete_fields = ("province",)


class VersionInline(admin.TabularInline):
    model = SurveyVersion
    extra = 0
    fields = ("number", "created_at", "created_by")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Survey)
class SurveyAdmin(NationalOnly):
    list_display = ("title", "slug")
    inlines = [VersionInline]


@admin.register(SurveyVersion)
class SurveyVersionAdmin(NationalOnly):
    list_display = ("survey", "number", "created_at")

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.responses.exists():
            return ("survey", "number", "questions", "created_by")
        return ("created_by",)


@admin.register(TracerRound)
class TracerRoundAdmin(NationalOnly):
    list_display = ("program", "offset_months", "survey", "window_days")
    raw_id_fields = ("program",)
