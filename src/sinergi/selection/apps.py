from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelectionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sinergi.selection"
    label = "selection"
    verbose_name = _("Seleksi dan alokasi kursi")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from sinergi.core.registry import add_demo_step, add_nav, add_todo_source
        from sinergi.selection import (  # noqa: F401 - they register job handlers
            metrics,
            privacy,  # noqa: F401 - registers its erasure step or retention
            reminders,
            services,
        )
        from sinergi.selection.demo import seed_selection
        from sinergi.selection.models import AllocationRun, Offer

        # Engine inputs and results are large and already immutable once published; the trail records
        # the steps (status, who, when, seed, hash) without copying them.
        auditlog.register(AllocationRun, exclude_fields=["engine_input", "result", "summary"])
        auditlog.register(Offer)
        metrics.register()
        add_nav(_("Alokasi kursi"), "selection:batch_list", ("national_admin", "regional_admin"), order=45)
        add_nav(_("Hasil seleksi"), "selection:my_results", ("participant",), order=45)
        add_todo_source(
            "selection-unanswered-offers", ("national_admin", "regional_admin"), reminders.unanswered_todos
        )
        add_demo_step(40, "alokasi kursi", seed_selection)
