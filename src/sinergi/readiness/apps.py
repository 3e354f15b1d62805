from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReadinessConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sinergi.readiness"
    label = "readiness"
    verbose_name = _("Kesiapan smart city")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from sinergi.core.registry import add_demo_step, add_nav, add_todo_source
        from sinergi.readiness.demo import seed_readiness
        from sinergi.readiness.models import Assessment, AssessorAssignment, SelfScore
        from sinergi.readiness.todos import readiness_todos

        auditlog.register(Assessment, exclude_fields=["final_levels", "dimension_scores"])
        auditlog.register(SelfScore)
        auditlog.register(AssessorAssignment)
        add_nav(_("Kesiapan smart city"), "readiness:index", ("public",), order=70)
        add_todo_source("readiness", ("national_admin", "regional_admin", "assessor"), readiness_todos)
        add_demo_step(70, "kesiapan smart city", seed_readiness)
