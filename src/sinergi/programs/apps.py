from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sinergi.programs"
    label = "programs"
    verbose_name = _("Program dan kelas")

    def ready(self) -> None:
        from sinergi.core.registry import add_demo_step, add_nav
        from sinergi.programs.demo import seed_programs

        add_nav(
            _("Kelola program"), "programs:manage_batches", ("national_admin", "regional_admin"), order=44
        )
        add_demo_step(30, "program Palembang", seed_programs)
