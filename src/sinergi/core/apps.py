from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sinergi.core"
    label = "core"
    verbose_name = _("Inti")

    def ready(self) -> None:
        from django.utils.translation import gettext

        import sinergi.celery  # noqa: F401  (makes the configured Celery app current for shared tasks)
        from sinergi.core import i18n, notifications  # noqa: F401 - registers the e-mail job
        from sinergi.core.registry import add_nav

        i18n.install(gettext)

        add_nav(_("Beranda"), "home", ("public",), order=0)
        add_nav(_("Organisasi"), "accounts:organization_list", ("national_admin", "regional_admin"), order=80)
        add_nav(_("Jejak audit"), "audit_log", ("national_admin",), order=90)
