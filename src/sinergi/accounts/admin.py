from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import Organization, User


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "region", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "aliases"]
    autocomplete_fields = ["region", "parent"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "email", "role", "organization", "is_active"]
    list_filter = ["role", "is_active", "is_staff"]
    autocomplete_fields = ["organization", "region"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Peran di Sinergi"), {"fields": ("role", "organization", "region")}),
    )  # type: ignore[misc]
