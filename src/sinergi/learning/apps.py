from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sinergi.learning"
    label = "learning"
    verbose_name = _("Pelaksanaan pelatihan")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from sinergi.core.registry import add_demo_step, add_nav
        from sinergi.learning import (
            imports,  # noqa: F401 - registers the attendance import job
            metrics,
            privacy,  # noqa: F401 - registers the retention of rejected applicants
        )
        from sinergi.learning.demo import seed_learning_demo
        from sinergi.learning.models import ClassSession, CompetencyResult, CompletionRule, Enrolment

        auditlog.register(Enrolment)
        auditlog.register(CompletionRule)
        auditlog.register(CompetencyResult)
        auditlog.register(ClassSession)
        add_nav(_("Kelas saya"), "learning:my_classes", ("participant",), order=30)
        add_nav(
            _("Pelaksanaan kelas"),
            "learning:class_list",
            ("provider_staff", "assessor", "regional_admin", "national_admin"),
            order=45,
        )
        metrics.register()
        _enrol_on_accepted_seats()
        _report_enrolments_to_eligibility()
        add_demo_step(50, "pelaksanaan kelas", seed_learning_demo)


def _enrol_on_accepted_seats() -> None:
    """A seat accepted in selection becomes an enrolment here (selection comes earlier in the chain)."""
    from sinergi.learning.services import enrol
    from sinergi.selection.signals import seat_accepted

    def accepted(sender, participant, training_class, **kwargs):
        enrol(participant, training_class)

    seat_accepted.connect(accepted, dispatch_uid="learning-enrol-on-accepted-seat", weak=False)


def _report_enrolments_to_eligibility() -> None:
    """The 'not already enrolled in this batch' rule of registration reads the enrolments kept here."""
    from sinergi.learning.selectors import enrolled_class_ids
    from sinergi.registration.selectors import add_enrolment_source

    add_enrolment_source(enrolled_class_ids)
