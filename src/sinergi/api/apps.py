from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sinergi.api"
    label = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from sinergi.api.models import ApiKey

        # The hash is never shown, not even in the audit trail.
        auditlog.register(ApiKey, exclude_fields=["key_hash", "last_used_at"])
