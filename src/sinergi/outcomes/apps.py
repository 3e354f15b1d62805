from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutcomesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sinergi.outcomes"
    label = "outcomes"
    verbose_name = _("Tracer lulusan")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from sinergi.core.registry import add_demo_step, add_nav, add_todo_source
        from sinergi.outcomes import (  # noqa: F401 - registers the metrics and the job
            metrics,
            privacy,  # noqa: F401 - registers its erasure step or retention
            services,
        )
        from sinergi.outcomes.demo import seed_tracer_demo
        from sinergi.outcomes.models import MinimumWage, SurveyVersion, TracerRound
        from sinergi.outcomes.todos import tracer_todos

        auditlog.register(TracerRound)
        auditlog.register(SurveyVersion)
        auditlog.register(MinimumWage)
        add_nav(_("Tracer lulusan"), "outcomes:program_list", ("regional_admin", "national_admin"), order=75)
        add_todo_source("outcomes", ("regional_admin", "national_admin"), tracer_todos)
        add_demo_step(70, "tracer lulusan", seed_tracer_demo)
