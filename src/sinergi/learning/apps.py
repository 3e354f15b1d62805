from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sinergi.learning"
    label = "learning"
    verbose_name = _("Pelaksanaan pelatihan")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from sinergi.learning.models import ClassSession, CompetencyResult, CompletionRule, Enrolment

        auditlog.register(Enrolment)
        auditlog.register(CompletionRule)
        auditlog.register(CompetencyResult)
        auditlog.register(ClassSession)
