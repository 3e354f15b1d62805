from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sinergi.registration"
    label = "registration"
    verbose_name = _("Pendaftaran peserta")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from sinergi.core.registry import add_nav
        from sinergi.registration import metrics  # noqa: F401 - registers the participant metrics
        from sinergi.registration.models import Application, DuplicateFlag, Participant

        # Identifiers are audited as "changed", never with their (encrypted or hashed) values.
        auditlog.register(Participant, mask_fields=["nik_hash", "nik_encrypted", "kk_encrypted", "nip"])
        auditlog.register(DuplicateFlag)
        auditlog.register(Application)
        add_nav(_("Pelatihan"), "programs:catalogue", ("public",), order=25)
        add_nav(_("Profil saya"), "registration:profile", ("participant",), order=31)
        add_nav(_("Pendaftaran saya"), "registration:my_applications", ("participant",), order=32)
        add_nav(
            _("Data ganda"), "registration:duplicate_list", ("national_admin", "regional_admin"), order=46
        )
