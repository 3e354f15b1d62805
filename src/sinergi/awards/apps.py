from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sinergi.awards"
    label = "awards"
    verbose_name = _("Penghargaan")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from sinergi.awards.demo import seed_awards
        from sinergi.awards.models import AwardCycle, JuryScore, Nomination
        from sinergi.core.registry import add_demo_step, add_nav

        auditlog.register(AwardCycle)
        auditlog.register(Nomination, exclude_fields=["breakdown"])
        auditlog.register(JuryScore)
        add_nav(_("Penghargaan"), "awards:cycle_list", ("public",), order=75)
        add_demo_step(75, "penghargaan", seed_awards)
