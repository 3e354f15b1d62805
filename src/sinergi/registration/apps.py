from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sinergi.registration"
    label = "registration"
    verbose_name = _("Pendaftaran peserta")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from sinergi.core.registry import add_demo_step, add_nav
        from sinergi.registration import (
            imports,  # noqa: F401 - registers the import job in every process that runs jobs
            invitations,  # noqa: F401 - registers the invitation e-mail job
            metrics,  # noqa: F401 - registers the participant metrics
            privacy,
        )
        from sinergi.registration.demo import seed_applicants
        from sinergi.registration.models import DuplicateFlag, Invitation, Participant

        # Identifiers, the birth date and the phone are audited as "changed", never with their values:
        # the national admins who read /audit/ would otherwise see them unmasked, unlogged.
        auditlog.register(
            Participant,
            mask_fields=["nik_hash", "nik_encrypted", "kk_encrypted", "nip", "birth_date", "phone"],
            mask_callable="sinergi.core.audit.mask_fully",
        )
        auditlog.register(DuplicateFlag)
        auditlog.register(Invitation)
        # Applications are not audited: they are the person's own high-volume writes, with timestamps.
        _forget_offers_on_change()
        _register_encrypted_columns()
        privacy.register_retention()
        add_demo_step(35, "pendaftar Palembang", seed_applicants)
        add_nav(_("Pelatihan"), "registration:catalogue", ("public",), order=25)
        add_nav(_("Profil saya"), "registration:profile", ("participant",), order=31)
        add_nav(_("Pendaftaran saya"), "registration:my_applications", ("participant",), order=32)
        add_nav(
            _("Impor peserta"), "registration:import_start", ("national_admin", "regional_admin"), order=45
        )
        add_nav(
            _("Peserta tanpa akun"),
            "registration:invitations",
            ("national_admin", "regional_admin"),
            order=47,
        )
        add_nav(
            _("Penghapusan data"),
            "registration:erasure_list",
            ("national_admin", "regional_admin"),
            order=48,
        )
        add_nav(
            _("Data ganda"), "registration:duplicate_list", ("national_admin", "regional_admin"), order=46
        )


def _forget_offers_on_change() -> None:
    """A batch's cached offer (classes, rules) is dropped whenever one of them is edited."""
    from django.db.models.signals import post_delete, post_save

    from sinergi.programs.models import Batch, EligibilityRule, Program, TrainingClass
    from sinergi.registration.selectors import forget_batch_offer

    def batch_changed(sender, instance, **kwargs):
        forget_batch_offer(instance.pk)

    def program_changed(sender, instance, **kwargs):
        forget_batch_offer(instance.batch_id)

    def class_changed(sender, instance, **kwargs):
        forget_batch_offer(
            Program.objects.filter(pk=instance.program_id).values_list("batch_id", flat=True).first()
        )

    for signal in (post_save, post_delete):
        signal.connect(batch_changed, sender=Batch, dispatch_uid=f"offer-batch-{signal}")
        signal.connect(program_changed, sender=Program, dispatch_uid=f"offer-program-{signal}")
        signal.connect(class_changed, sender=TrainingClass, dispatch_uid=f"offer-class-{signal}")
        signal.connect(class_changed, sender=EligibilityRule, dispatch_uid=f"offer-rule-{signal}")


def _register_encrypted_columns() -> None:
    """NIK and KK numbers are re-encrypted by `sinergi rotate-keys`."""
    from sinergi.core import pii
    from sinergi.core.keys import EncryptedColumns, add_encrypted_column

    def participant_model():
        from sinergi.registration.models import Participant

        return Participant

    add_encrypted_column(
        EncryptedColumns(
            name="peserta (NIK, KK)",
            model=participant_model,
            fields=("nik_encrypted", "kk_encrypted"),
            cipher=pii.cipher,
            fingerprint=pii.key_fingerprint,
        )
    )
