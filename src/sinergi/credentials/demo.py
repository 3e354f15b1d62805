"""Demo step (order 60): certify the completed Palembang class in bulk, then revoke one certificate.

Runs after learning's demo (order 50) has completed a class of the Palembang batch; if none has
completed yet, it says so and leaves the data alone.
"""

from __future__ import annotations

from sinergi.core.demo import PALEMBANG_BATCH
from sinergi.credentials import services
from sinergi.credentials.models import DEFAULT_PATTERN, Credential
from sinergi.learning.models import Enrolment
from sinergi.programs.models import TrainingClass

DEMO_SIGNERS = {"DTS": "Dr. Ir. Hendra Gunawan, M.Kom.", "SKK": "Ratna Dewi Kartika, S.T., M.T."}
REVOCATION_REASON = "Data kehadiran peserta terbukti dipalsukan (hasil audit penyelenggara)."


def seed_credentials(stdout=None) -> None:
    classes = TrainingClass.objects.filter(
        program__batch__name=PALEMBANG_BATCH, enrolments__status=Enrolment.Status.COMPLETED
    ).distinct()
    if not classes.exists():
        if stdout:
            stdout.write("  sertifikat: belum ada kelas Palembang yang lulus; dilewati.")
        return
    issued = 0
    for training_class in classes:
        _demo_pattern(services.ensure_issuer(training_class.provider), "DTS")
        issued += services.issue_for_class(training_class).issued
        # Where the LSP's uji kompetensi found every SKKNI unit Kompeten, a competency certificate too.
        for enrolment in training_class.enrolments.all():
            if services.competency_results(enrolment) is not None:
                organization = services.issuing_organization(enrolment, Credential.Kind.COMPETENCY)
                _demo_pattern(services.ensure_issuer(organization), "SKK")
        issued += services.issue_for_class(training_class, kind=Credential.Kind.COMPETENCY).issued
    credentials = list(
        Credential.objects.filter(
            enrolment__training_class__in=classes, kind=Credential.Kind.COMPLETION
        ).order_by("number")
    )
    # The last certificate of the class is the demo's revoked one; the first stays valid for the QR demo.
    if len(credentials) > 1 and not any(c.is_revoked for c in credentials):
        services.revoke(credentials[-1], user=None, reason=REVOCATION_REASON)
    if stdout and credentials:
        stdout.write(
            f"  sertifikat: {issued} terbit untuk {classes.count()} kelas Palembang; "
            f"contoh verifikasi: {services.verify_url(credentials[0])}"
        )


def _demo_pattern(issuer, prefix: str) -> None:
    if issuer.number_pattern != DEFAULT_PATTERN:
        return
    services.configure_issuer(
        issuer,
        number_pattern=prefix + "/{year}/{region}/{seq:06d}",
        region_code=issuer.region_code,
        signer_name=issuer.signer_name or DEMO_SIGNERS.get(prefix, ""),
        signer_title=issuer.signer_title,
    )
