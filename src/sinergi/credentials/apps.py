from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class CredentialsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sinergi.credentials"
    label = "credentials"
    verbose_name = _("Sertifikat")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from sinergi.core.keys import EncryptedColumns, add_encrypted_column
        from sinergi.core.registry import add_demo_step, add_nav
        from sinergi.credentials import (  # noqa: F401 - registers metrics and the job
            metrics,
            privacy,  # noqa: F401 - registers its erasure step or retention
            services,
        )
        from sinergi.credentials.demo import seed_credentials
        from sinergi.credentials.models import Credential, Issuer

        auditlog.register(Issuer, exclude_fields=["private_key_encrypted", "status_list_json"])
        auditlog.register(Credential, exclude_fields=["document", "pdf"])
        # Issuers' private signing keys are re-encrypted by `sinergi rotate-keys` as well.
        add_encrypted_column(
            EncryptedColumns(
                name="penerbit (kunci tanda tangan)",
                model=lambda: Issuer,
                fields=("private_key_encrypted",),
                cipher=services._key_cipher,
                fingerprint=services.signing_key_fingerprint,
            )
        )
        add_nav(_("Verifikasi sertifikat"), "credentials:verify", ("public",), order=70)
        add_nav(_("Sertifikat saya"), "credentials:mine", ("participant",), order=71)
        add_nav(
            _("Sertifikat"),
            "credentials:manage",
            ("provider_staff", "regional_admin", "national_admin"),
            order=72,
        )
        add_demo_step(60, "sertifikat", seed_credentials)
        post_save.connect(_forget_verification_pages, sender=Credential, dispatch_uid="verify-page-cache")


def _forget_verification_pages(sender, instance, **kwargs) -> None:
    from sinergi.credentials import page_cache

    page_cache.forget(instance.number)
