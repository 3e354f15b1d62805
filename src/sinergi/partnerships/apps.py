from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sinergi.partnerships"
    label = "partnerships"
    verbose_name = _("Kerja sama")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from sinergi.core.registry import add_demo_step, add_nav
        from sinergi.partnerships import (
            imports,  # noqa: F401 - registers the XLSX import job
            metrics,  # registers the manual metric
            services,  # noqa: F401 - registers the job that reads a stored PDF's text
        )
        from sinergi.partnerships.demo import seed_partnerships
        from sinergi.partnerships.models import (
            Agreement,
            AgreementDocument,
            AgreementParty,
            Commitment,
            ManualMeasurement,
            MonevRound,
            ReviewComment,
        )
        from sinergi.partnerships.workflow_demo import seed_partnership_workflow

        # The document's extracted text is search material, not a change worth auditing line by line.
        auditlog.register(Agreement, m2m_fields={"responsible_officers"})
        auditlog.register(AgreementDocument, exclude_fields=["text"])
        auditlog.register(ReviewComment)
        auditlog.register(MonevRound)
        auditlog.register(AgreementParty)
        auditlog.register(Commitment)
        auditlog.register(ManualMeasurement)
        metrics.connect_signals()
        add_nav(_("Kerja sama"), "partnerships:agreement_list", ("public",), order=20)
        add_nav(
            _("Kelola kerja sama"),
            "partnerships:agreement_manage_list",
            ("national_admin", "regional_admin"),
            order=21,
        )
        add_demo_step(20, "kerja sama", seed_partnerships)
        # Late, so the monev snapshot counts the demo's registrations and completions.
        add_demo_step(90, "pembahasan dan monev kerja sama", seed_partnership_workflow)
