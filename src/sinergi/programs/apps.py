from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sinergi.programs"
    label = "programs"
    verbose_name = _("Program dan kelas")

    def ready(self) -> None:
        # The participant import's job handler must be registered in every process that runs jobs
        # (web and Celery worker), not only once the URLconf has been loaded.
        import sinergi.registration.importing  # noqa: F401
        from sinergi.core.registry import add_demo_step, add_nav
        from sinergi.programs.demo import seed_programs

        add_nav(
            _("Kelola program"), "programs:manage_batches", ("national_admin", "regional_admin"), order=44
        )
        add_nav(
            _("Impor peserta"), "registration:import_start", ("national_admin", "regional_admin"), order=45
        )
        add_demo_step(30, "program dan pendaftar Palembang", seed_programs)
