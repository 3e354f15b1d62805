from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sinergi.accounts"
    label = "accounts"
    verbose_name = _("Akun dan organisasi")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from sinergi.accounts.models import Organization, User

        auditlog.register(Organization)
        auditlog.register(User, exclude_fields=["password", "last_login"])
