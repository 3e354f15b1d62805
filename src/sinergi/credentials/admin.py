"""Issuer settings (number pattern, region code, signer) for national admins; credentials read-only.
Keys never appear here: the private key is write-once, encrypted, and excluded from the audit log."""

from django.contrib import admin

from sinergi.credentials.models import Credential, Issuer


@admin.register(Issuer)
class IssuerAdmin(admin.ModelAdmin):
    list_display = ("organization", "number_pattern", "region_code", "signer_name", "next_seq")
    fields = (
        "organization",
        "number_pattern",
        "region_code",
        "signer_name",
        "signer_title",
        "public_key_multibase",
    )
    readonly_fields = ("organization", "public_key_multibase")
    search_fields = ("organization__name",)

    def has_add_permission(self, request) -> bool:
        return False  # issuers are created with their key on first issue


@admin.register(Credential)
class CredentialAdmin(admin.ModelAdmin):
    list_display = ("number", "holder_name", "kind", "issuer", "issued_at", "revoked_at")
    list_filter = ("kind", "issuer")
    search_fields = ("number", "holder_name")
    readonly_fields = [f.name for f in Credential._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
