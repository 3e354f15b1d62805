from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sinergi.reporting"
    label = "reporting"
    verbose_name = _("Dasbor dan data terbuka")

    def ready(self) -> None:
        from sinergi.core.registry import add_demo_step, add_home_panel, add_nav, add_todo_source
        from sinergi.reporting import demo, funnel, home  # funnel registers the refresh job

        add_nav(_("Dasbor"), "reporting:dashboard", ("national_admin", "regional_admin"), order=15)
        add_nav(_("Data terbuka"), "reporting:data_index", ("public",), order=80)
        add_home_panel(
            "reporting.office",
            ("national_admin", "regional_admin"),
            "reporting/_home_office.html",
            home.office_panel,
            order=10,
        )
        add_home_panel(
            "reporting.provider",
            ("provider_staff",),
            "reporting/_home_provider.html",
            home.provider_panel,
            order=10,
        )
        add_home_panel(
            "reporting.participant",
            ("participant",),
            "reporting/_home_participant.html",
            home.participant_panel,
            order=10,
        )
        add_todo_source("reporting.agreements", ("national_admin", "regional_admin"), home.office_todos)
        add_todo_source(
            "reporting.delivery", ("national_admin", "regional_admin", "provider_staff"), home.delivery_todos
        )
        # Last: the funnel counts what every earlier demo step made.
        add_demo_step(99, "dasbor (corong pelatihan)", funnel.seed_demo)
        add_demo_step(98, "target KPI daerah", demo.seed_demo)
