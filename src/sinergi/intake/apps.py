from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sinergi.intake"
    label = "intake"
    verbose_name = _("Draf dari teks")

    def ready(self) -> None:
        from sinergi.core.registry import add_nav
        from sinergi.intake import services  # noqa: F401 - registers the background reading job

        add_nav(_("Draf dari berita"), "intake:start", ("regional_admin", "national_admin"), order=22)
