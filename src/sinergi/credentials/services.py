"""Issuing, revoking and verifying credentials; every write is one transaction.

Who issues: a completion certificate is issued by the class's provider organisation; a competency
certificate by the LSP that recorded the results (the provider when none is named). Each issuing
organisation gets an Issuer with its own Ed25519 key on first use.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import hmac
import json
import logging
import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cryptography.fernet import MultiFernet
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.models import Organization, User
from sinergi.core import pii
from sinergi.core.audit import record_action, record_bulk
from sinergi.core.jobs import job_handler, report_progress
from sinergi.core.keys import fernet, primary_key_fingerprint
from sinergi.core.models import Job
from sinergi.credentials import signing
from sinergi.credentials.models import Credential, Issuer, normalize_check_code
from sinergi.learning.models import CompetencyResult, Enrolment
from sinergi.partnerships.metrics import mark_stale
from sinergi.programs.models import TrainingClass
from sinergi.regions.models import Region

if TYPE_CHECKING:
    from sinergi.learning.selectors import EnrolmentProgress

log = logging.getLogger(__name__)

# BNSP competency certificates are valid for three years; completion certificates do not expire.
COMPETENCY_VALIDITY = dt.timedelta(days=3 * 365)
BULK_CHUNK = 500
# Short region codes printed in certificate numbers; other regions use their Kemendagri code.
REGION_ABBREVIATIONS = {
    "16.71": "PLG",
    "64.72": "SMD",
    "62.02": "KTM",
    "73": "SLS",
    "73.71": "MKS",
    "31": "DKI",
}


class IssuingError(Exception):
    """Why a credential cannot be issued or revoked; the message is for the person who asked."""


# --- keys at rest ------------------------------------------------------------------------------------


def _key_cipher() -> MultiFernet:
    return fernet(_key_configuration(), purpose="credential-signing-keys", secret=settings.SECRET_KEY)


def _key_configuration() -> str:
    return getattr(settings, "CREDENTIALS_KEY_ENCRYPTION_KEY", "") or os.environ.get(
        "CREDENTIALS_KEY_ENCRYPTION_KEY", ""
    )


def signing_key_fingerprint() -> str:
    return primary_key_fingerprint(
        _key_configuration(), purpose="credential-signing-keys", secret=settings.SECRET_KEY
    )


def private_key_of(issuer: Issuer) -> bytes:
    return _key_cipher().decrypt(issuer.private_key_encrypted.encode())


# --- URLs (absolute: they are written into signed documents) -----------------------------------------


def site_url() -> str:
    return settings.SITE_URL.rstrip("/")


def issuer_url(issuer: Issuer | int) -> str:
    pk = issuer if isinstance(issuer, int) else issuer.pk
    return f"{site_url()}/credentials/issuers/{pk}/"


def key_id(issuer: Issuer) -> str:
    return issuer_url(issuer) + "#key-1"


def status_list_url(issuer: Issuer) -> str:
    return f"{site_url()}/credentials/status/{issuer.pk}/"


def verify_path(credential: Credential) -> str:
    """The public verification page of a credential, with its check code (what the QR encodes)."""
    return f"/verify/{credential.number}?kode={credential.check_code}"


def verify_url(credential: Credential) -> str:
    return site_url() + verify_path(credential)


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- issuers -----------------------------------------------------------------------------------------


def region_abbreviation(organization: Organization) -> str:
    region = organization.region
    if region is None:
        return "NAS"
    return REGION_ABBREVIATIONS.get(region.code, region.code.replace(".", ""))


def ensure_issuer(organization: Organization) -> Issuer:
    """The organisation's Issuer, created with a fresh key pair on first use."""
    existing = Issuer.objects.filter(organization=organization).first()
    if existing:
        return existing
    keys = signing.generate_keypair()
    with transaction.atomic():
        issuer, _created = Issuer.objects.get_or_create(
            organization=organization,
            defaults={
                "public_key_multibase": keys.public_multibase,
                "private_key_encrypted": _key_cipher().encrypt(keys.private_raw).decode(),
                "region_code": region_abbreviation(organization),
                "signer_name": "",
                "signer_title": _("Pimpinan %(org)s") % {"org": organization.short_name or organization.name},
            },
        )
    return issuer


@transaction.atomic
def configure_issuer(
    issuer: Issuer, *, number_pattern: str, region_code: str, signer_name: str, signer_title: str
) -> Issuer:
    issuer = Issuer.objects.select_for_update().get(pk=issuer.pk)
    issuer.number_pattern = number_pattern
    issuer.region_code = region_code
    issuer.signer_name = signer_name
    issuer.signer_title = signer_title
    issuer.full_clean()  # includes the clash check of Issuer.clean()
    issuer.save()
    return issuer


def format_number(issuer: Issuer, *, seq: int, year: int) -> str:
    return issuer.number_pattern.format(year=year, region=issuer.region_code, seq=seq, issuer=issuer.pk)


@dataclass(frozen=True)
class Allocation:
    first_seq: int
    first_index: int
    count: int


def allocate(issuer: Issuer, count: int) -> Allocation:
    """Reserve `count` consecutive certificate sequence numbers and status-list bits. Must run inside
    the caller's transaction; the row lock serialises concurrent issuers of the same organisation."""
    locked = Issuer.objects.select_for_update().get(pk=issuer.pk)
    allocation = Allocation(locked.next_seq, locked.next_status_index, count)
    locked.next_seq += count
    locked.next_status_index += count
    while locked.next_status_index > locked.status_list_bits:  # grow, never wrap: bits are never reused
        locked.status_list_bits *= 2
    Issuer.objects.filter(pk=locked.pk).update(
        next_seq=locked.next_seq,
        next_status_index=locked.next_status_index,
        status_list_bits=locked.status_list_bits,
    )
    issuer.next_seq, issuer.next_status_index = locked.next_seq, locked.next_status_index
    issuer.status_list_bits = locked.status_list_bits
    return allocation


# --- eligibility -------------------------------------------------------------------------------------


def competency_results(enrolment: Enrolment) -> list[CompetencyResult] | None:
    """The results covering every unit of the programme's scheme, when all are Kompeten; else None."""
    units = list(enrolment.training_class.program.competency_units.all())
    if not units:
        return None
    results = {r.unit_id: r for r in enrolment.competency_results.select_related("unit", "lsp")}
    if any(
        unit.pk not in results or results[unit.pk].outcome != CompetencyResult.Outcome.KOMPETEN
        for unit in units
    ):
        return None
    return [results[unit.pk] for unit in units]


def ineligibility(
    enrolment: Enrolment, *, kind: str, progress: EnrolmentProgress | None = None
) -> str | None:
    """Why this enrolment may not have this certificate yet, in words the provider can act on; None
    when it may. A completion certificate needs the completion decided (the rule met at the end of the
    class, or the provider's explicit decision with its reason); `progress` is the enrolment's standing
    against the rule, when the caller has it."""
    if kind == Credential.Kind.COMPLETION:
        if enrolment.status != Enrolment.Status.COMPLETED:
            return _completion_gap(enrolment, progress=progress)
        return None
    if kind == Credential.Kind.COMPETENCY:
        if competency_results(enrolment) is None:
            return _("Belum semua unit kompetensi skema ini berhasil dinyatakan Kompeten.")
        return None
    return _("Jenis sertifikat tidak dikenal.")


def _completion_gap(enrolment: Enrolment, progress: EnrolmentProgress | None = None) -> str:
    from sinergi.learning.selectors import enrolment_progress

    if enrolment.status == Enrolment.Status.NOT_COMPLETED:
        return _("Peserta dinyatakan tidak lulus kelas ini.")
    if enrolment.status == Enrolment.Status.WITHDRAWN:
        return _("Peserta mengundurkan diri dari kelas ini.")
    progress = progress or enrolment_progress(enrolment, today=timezone.localdate())
    if progress.evaluation.waiting:
        return _(
            "Memenuhi syarat kelulusan; sertifikat dapat terbit setelah kelas berakhir pada %(date)s "
            "dan kelulusannya dikonfirmasi."
        ) % {"date": enrolment.training_class.ends_on.strftime("%d/%m/%Y")}
    if progress.missing:
        return _("Peserta belum dinyatakan lulus: %(missing)s.") % {"missing": "; ".join(progress.missing)}
    return _("Peserta memenuhi syarat, tetapi kelulusannya belum dikonfirmasi di halaman Kelulusan.")


def issuing_organization(enrolment: Enrolment, kind: str) -> Organization:
    if kind == Credential.Kind.COMPETENCY:
        for result in competency_results(enrolment) or []:
            if result.lsp is not None:
                return result.lsp
    return enrolment.training_class.provider


# --- building one credential -------------------------------------------------------------------------


def _credential_data(
    issuer: Issuer,
    enrolment: Enrolment,
    kind: str,
    number: str,
    status_index: int,
    cred_uuid: uuid.UUID,
    issued_at: dt.datetime,
) -> tuple[signing.CredentialData, dt.datetime | None]:
    tclass = enrolment.training_class
    program = tclass.program
    units: tuple[signing.CompetencyUnit, ...] = ()
    valid_until = None
    if kind == Credential.Kind.COMPETENCY:
        results = competency_results(enrolment) or []
        units = tuple(signing.CompetencyUnit(r.unit.code, r.unit.title) for r in results)
        valid_until = issued_at + COMPETENCY_VALIDITY
        narrative = _(
            "Dinyatakan Kompeten pada seluruh unit kompetensi SKKNI skema %(program)s melalui uji kompetensi "
            "oleh asesor Lembaga Sertifikasi Profesi."
        ) % {"program": program.name}
    else:
        narrative = _(
            "Mengikuti dan menyelesaikan pelatihan %(program)s tingkat %(level)s "
            "sebanyak %(hours)s jam pelajaran di kelas %(class)s yang diselenggarakan oleh %(provider)s, "
            "serta memenuhi ketentuan kelulusan (kehadiran dan penilaian)."
        ) % {
            "program": program.name,
            "level": program.get_level_display(),
            "hours": tclass.hours,
            "class": tclass.name,
            "provider": tclass.provider.name,
        }
    data = signing.CredentialData(
        credential_id=f"urn:uuid:{cred_uuid}",
        number=number,
        kind=kind,
        issuer_id=issuer_url(issuer),
        issuer_name=issuer.organization.name,
        issuer_url=site_url(),
        holder_name=enrolment.participant.full_name,
        holder_salt=signing.new_salt(),
        achievement_id=f"{site_url()}/credentials/achievements/{program.pk}/{kind}",
        programme=program.name,
        level=str(program.get_level_display()),
        hours=tclass.hours,
        academy=program.academy.name,
        narrative=narrative,
        valid_from=iso(issued_at),
        valid_until=iso(valid_until) if valid_until else None,
        status_list_url=status_list_url(issuer),
        status_index=status_index,
        activity_start=tclass.starts_on.isoformat(),
        activity_end=tclass.ends_on.isoformat(),
        units=units,
    )
    return data, valid_until


def _issue_many(
    issuer: Issuer,
    enrolments: Sequence[Enrolment],
    *,
    kind: str,
    user: User | None = None,
    signer: signing.Signer | None = None,
) -> list[Credential]:
    """Sign and store credentials for `enrolments` (all eligible, none yet certified) in one transaction."""
    if not enrolments:
        return []
    issued_at = timezone.now().replace(microsecond=0)
    allocation = allocate(issuer, len(enrolments))
    signer = signer or signing.Signer(private_key_of(issuer), key_id(issuer), iso(issued_at))
    year = timezone.localtime(issued_at).year
    credentials = []
    per_class: dict[int, tuple[signing.CredentialData, dt.datetime | None]] = {}
    for offset, enrolment in enumerate(enrolments):
        cred_uuid = uuid.uuid4()
        number = format_number(issuer, seq=allocation.first_seq + offset, year=year)
        index = allocation.first_index + offset
        shared = per_class.get(enrolment.training_class_id) if kind == Credential.Kind.COMPLETION else None
        if shared is None:
            data, valid_until = _credential_data(issuer, enrolment, kind, number, index, cred_uuid, issued_at)
            per_class[enrolment.training_class_id] = (data, valid_until)
        else:  # the same class: only the holder, number, identifiers and salt differ
            data = dataclasses.replace(
                shared[0],
                credential_id=f"urn:uuid:{cred_uuid}",
                number=number,
                holder_name=enrolment.participant.full_name,
                holder_salt=signing.new_salt(),
                status_index=index,
            )
            valid_until = shared[1]
        document = signer.sign(signing.build_credential(data))
        credentials.append(
            Credential(
                issuer=issuer,
                enrolment=enrolment,
                kind=kind,
                number=number,
                uuid=cred_uuid,
                status_index=index,
                holder_name=data.holder_name,
                document=json.dumps(document, ensure_ascii=False, separators=(",", ":")),
                issued_at=issued_at,
                valid_until=valid_until,
                issued_by=user if user is not None and user.pk else None,
            )
        )
    made = Credential.objects.bulk_create(credentials)
    # bulk_create sends no model signals: the stored progress of the classes' commitments is marked here.
    mark_stale(Q(agreement__programs__classes__in={e.training_class_id for e in enrolments}))
    return made


def _enrolment_qs() -> QuerySet[Enrolment]:
    return Enrolment.objects.select_related(
        "participant__user", "training_class__program__academy", "training_class__provider__region"
    )


def issue_credential(
    enrolment: Enrolment, *, kind: str = Credential.Kind.COMPLETION, user: User | None = None
) -> Credential:
    """Issue one credential; idempotent (returns the existing one for this enrolment and kind)."""
    existing = Credential.objects.filter(enrolment=enrolment, kind=kind).first()
    if existing:
        return existing
    enrolment = _enrolment_qs().get(pk=enrolment.pk)
    reason = ineligibility(enrolment, kind=kind)
    if reason:
        raise IssuingError(reason)
    issuer = ensure_issuer(issuing_organization(enrolment, kind))
    with transaction.atomic():
        # Re-check under the issuer lock: a concurrent request may have issued it meanwhile.
        Issuer.objects.select_for_update().get(pk=issuer.pk)
        existing = Credential.objects.filter(enrolment=enrolment, kind=kind).first()
        if existing:
            return existing
        credential = _issue_many(issuer, [enrolment], kind=kind, user=user)[0]
    _notify_holders([credential])
    return credential


def _notify_holders(credentials: Sequence[Credential]) -> None:
    """Tell each holder with an account that their certificate is ready (in-app and e-mail, once)."""
    from django.urls import reverse

    from sinergi.core.notifications import notify

    for credential in credentials:
        if credential.enrolment is None:  # awards are announced with their cycle's results
            continue
        holder = credential.enrolment.participant.user
        if holder is None:
            continue
        notify(
            holder,
            _("Sertifikat Anda telah terbit"),
            _(
                "%(kind)s %(program)s nomor %(number)s dapat diunduh sebagai PDF dan JSON. "
                "Siapa pun dapat memeriksa keasliannya di %(verify)s"
            )
            % {
                "kind": credential.get_kind_display(),
                "program": credential.enrolment.training_class.program.name,
                "number": credential.number,
                "verify": verify_url(credential),
            },
            reverse("credentials:mine"),
            dedupe_key=f"credential-issued:{credential.pk}",
        )


@dataclass
class BulkResult:
    issued: int = 0
    already: int = 0
    skipped: list[str] = field(default_factory=list)  # "name: reason" of enrolments not eligible


def eligible_enrolments(training_class: TrainingClass, kind: str) -> tuple[list[Enrolment], list[str], int]:
    enrolments = list(
        _enrolment_qs().filter(training_class=training_class).order_by("participant__full_name", "pk")
    )
    done = set(
        Credential.objects.filter(enrolment__training_class=training_class, kind=kind).values_list(
            "enrolment_id", flat=True
        )
    )
    standing = {}
    undecided = [e for e in enrolments if e.pk not in done and e.status == Enrolment.Status.ACTIVE]
    if kind == Credential.Kind.COMPLETION and undecided:
        from sinergi.learning.selectors import class_progress

        standing = {
            p.enrolment.pk: p
            for p in class_progress(training_class, today=timezone.localdate(), enrolments=undecided)
        }
    eligible, skipped = [], []
    for enrolment in enrolments:
        if enrolment.pk in done:
            continue
        reason = ineligibility(enrolment, kind=kind, progress=standing.get(enrolment.pk))
        if reason:
            skipped.append(f"{enrolment.participant.full_name}: {reason}")
        else:
            eligible.append(enrolment)
    return eligible, skipped, len(done)


def issue_for_class(
    training_class: TrainingClass,
    *,
    kind: str = Credential.Kind.COMPLETION,
    user: User | None = None,
    job: Job | None = None,
) -> BulkResult:
    """Issue every missing credential of a class in chunks; progress goes to the job when given."""
    eligible, skipped, already = eligible_enrolments(training_class, kind)
    # A job taken over after its worker died counts what the dead run committed as issued by the job
    # (they are in `already` now): the bar goes on from there instead of falling back to zero.
    before = already
    if job is not None:
        before = job.params.setdefault("already_before", already)
        Job.objects.filter(pk=job.pk).update(params=job.params)
    result = BulkResult(already=before, skipped=skipped, issued=already - before)
    if job is not None:
        report_progress(
            job,
            result.issued,
            result.issued + len(eligible),
            _("Menerbitkan %(n)s sertifikat…") % {"n": len(eligible)},
        )
    by_issuer: dict[int, list[Enrolment]] = {}
    issuers: dict[int, Issuer] = {}
    for enrolment in eligible:
        organization = issuing_organization(enrolment, kind)
        if organization.pk not in issuers:
            issuers[organization.pk] = ensure_issuer(organization)
        by_issuer.setdefault(organization.pk, []).append(enrolment)
    for issuer_pk, group in by_issuer.items():
        issuer = issuers[issuer_pk]
        for start in range(0, len(group), BULK_CHUNK):
            chunk = group[start : start + BULK_CHUNK]
            with transaction.atomic():
                Issuer.objects.select_for_update().get(pk=issuer.pk)
                taken = set(
                    Credential.objects.filter(enrolment__in=chunk, kind=kind).values_list(
                        "enrolment_id", flat=True
                    )
                )
                fresh = [e for e in chunk if e.pk not in taken]
                result.already += len(taken)
                created = _issue_many(issuer, fresh, kind=kind, user=user)
                result.issued += len(created)
            _notify_holders(created)
            if job is not None:
                report_progress(job, result.issued + result.already - before)
    record_bulk(
        actor=user,
        target=training_class,
        operation=_("penerbitan sertifikat kelas"),
        counts={"diterbitkan": result.issued, "sudah ada": result.already, "belum memenuhi": len(skipped)},
    )
    return result


@job_handler("credentials.issue_class")
def _issue_class_job(
    job, *, class_id: int, credential_kind: str, user_id: int | None = None, already_before: int = 0
) -> dict[str, Any]:
    user = User.objects.filter(pk=user_id).first() if user_id else None
    result = issue_for_class(TrainingClass.objects.get(pk=class_id), kind=credential_kind, user=user, job=job)
    job.message = _(
        "%(issued)s sertifikat diterbitkan, %(already)s sudah ada, %(skipped)s belum memenuhi syarat."
    ) % {
        "issued": result.issued,
        "already": result.already,
        "skipped": len(result.skipped),
    }
    return {"issued": result.issued, "already": result.already, "skipped": result.skipped[:50]}


# --- revocation and the status list ------------------------------------------------------------------


@transaction.atomic
def revoke(credential: Credential, *, user, reason: str, notify_holder: bool = True) -> Credential:
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise IssuingError(_("Alasan pencabutan wajib diisi (minimal 5 karakter)."))
    locked = Credential.objects.select_for_update().get(pk=credential.pk)
    if locked.revoked_at is not None:
        raise IssuingError(
            _("Sertifikat ini sudah dicabut pada %(date)s.")
            % {"date": locked.revoked_at.strftime("%Y-%m-%d")}
        )
    locked.revoked_at = timezone.now()
    locked.revoked_by = user if user is not None and user.pk else None
    locked.revocation_reason = reason
    locked.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    publish_status_list(locked.issuer)
    if notify_holder:
        _notify_revoked(locked)
    return locked


@transaction.atomic
def reissue(credential: Credential, *, user, reason: str) -> Credential:
    """A correction (a misspelt name, a wrong class): the credential is revoked with the reason, when
    it is not already, and a new one is issued from the enrolment's current data under a new number,
    linked to the old. The holder gets one message naming both numbers."""
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise IssuingError(_("Alasan penerbitan ulang wajib diisi (minimal 5 karakter)."))
    enrolment_id = credential.enrolment_id
    if enrolment_id is None:
        raise IssuingError(_("Piagam penghargaan diterbitkan ulang melalui siklus penghargaannya."))
    old = Credential.objects.select_for_update().get(pk=credential.pk)
    successor = Credential.objects.filter(replaces=old).first()
    if successor is not None:
        raise IssuingError(
            _("Sertifikat ini sudah diterbitkan ulang dengan nomor %(number)s.")
            % {"number": successor.number}
        )
    enrolment = _enrolment_qs().get(pk=enrolment_id)
    gap = ineligibility(enrolment, kind=old.kind)
    if gap:
        raise IssuingError(gap)
    if old.revoked_at is None:
        old = revoke(old, user=user, reason=reason, notify_holder=False)
    issuer = ensure_issuer(issuing_organization(enrolment, old.kind))
    Issuer.objects.select_for_update().get(pk=issuer.pk)
    new = _issue_many(issuer, [enrolment], kind=old.kind, user=user)[0]
    Credential.objects.filter(pk=new.pk).update(replaces=old)
    new.replaces = old
    record_action(
        actor=user,
        target=new,
        operation=_("penerbitan ulang sertifikat"),
        changes={_("nomor"): (old.number, new.number)},
        reason=reason,
    )
    _notify_reissued(new, old, reason)
    return new


def _notify_reissued(new: Credential, old: Credential, reason: str) -> None:
    from django.urls import reverse

    from sinergi.core.notifications import notify

    holder = new.enrolment.participant.user if new.enrolment else None
    if holder is None:
        return
    notify(
        holder,
        _("Sertifikat Anda diterbitkan ulang"),
        _(
            "Sertifikat nomor %(old)s dicabut dengan alasan: %(reason)s. Sebagai gantinya terbit "
            "sertifikat nomor %(new)s; unduh yang baru sebagai PDF dan JSON. Keasliannya dapat diperiksa "
            "di %(verify)s"
        )
        % {"old": old.number, "new": new.number, "reason": reason, "verify": verify_url(new)},
        reverse("credentials:mine"),
        dedupe_key=f"credential-reissued:{new.pk}",
    )


def _notify_revoked(credential: Credential) -> None:
    from django.urls import reverse

    from sinergi.core.notifications import notify

    if credential.enrolment is None:  # an award: its cycle's page shows the revocation
        return
    holder = credential.enrolment.participant.user
    if holder is None:
        return
    notify(
        holder,
        _("Sertifikat Anda dicabut"),
        _(
            "Sertifikat nomor %(number)s dicabut oleh penerbitnya dengan alasan: %(reason)s. "
            "Halaman verifikasinya kini menyatakan sertifikat ini tidak berlaku: %(verify)s"
        )
        % {
            "number": credential.number,
            "reason": credential.revocation_reason,
            "verify": verify_url(credential),
        },
        reverse("credentials:mine"),
        dedupe_key=f"credential-revoked:{credential.pk}",
    )


def publish_status_list(issuer: Issuer) -> dict[str, Any]:
    """Build, sign and store the issuer's Bitstring Status List credential."""
    issuer = Issuer.objects.get(pk=issuer.pk)
    revoked = Credential.objects.filter(issuer=issuer, revoked_at__isnull=False).values_list(
        "status_index", flat=True
    )
    now = timezone.now()
    document = signing.build_status_list(
        list_url=status_list_url(issuer),
        issuer_id=issuer_url(issuer),
        issuer_name=issuer.organization.name,
        revoked=list(revoked),
        size_bits=issuer.status_list_bits,
        valid_from=iso(now),
    )
    signed = signing.sign(document, private_key_of(issuer), key_id(issuer), iso(now))
    Issuer.objects.filter(pk=issuer.pk).update(
        status_list_json=json.dumps(signed, separators=(",", ":")), status_list_updated_at=now
    )
    return signed


def status_list_document(issuer: Issuer) -> dict[str, Any]:
    if issuer.status_list_json:
        return json.loads(issuer.status_list_json)
    return publish_status_list(issuer)


def issuer_profile(issuer: Issuer) -> dict[str, Any]:
    """The OB 3.0 issuer Profile with its verification key (Multikey), published at issuer_url()."""
    org = issuer.organization
    profile: dict[str, Any] = {
        "@context": [signing.VC_CONTEXT, signing.OB_CONTEXT, "https://w3id.org/security/multikey/v1"],
        "id": issuer_url(issuer),
        "type": ["Profile"],
        "name": org.name,
        "url": org.website or site_url(),
        "verificationMethod": [
            {
                "id": key_id(issuer),
                "type": "Multikey",
                "controller": issuer_url(issuer),
                "publicKeyMultibase": issuer.public_key_multibase,
            }
        ],
        "assertionMethod": [key_id(issuer)],
    }
    if org.region is not None:
        profile["address"] = {
            "type": ["Address"],
            "addressRegion": org.region.name,
            "addressCountry": "Indonesia",
        }
    return profile


# --- verification ------------------------------------------------------------------------------------

VALID, REVOKED, EXPIRED, UNKNOWN, TAMPERED, INVALID = (
    "valid",
    "revoked",
    "expired",
    "unknown",
    "tampered",
    "invalid",
)


@dataclass
class Verification:
    status: str
    reason: str = ""
    credential: Credential | None = None
    number: str = ""
    holder_masked: str = ""
    holder_is_region: bool = False  # an award to a region: its name is shown whole (not personal data)
    programme: str = ""
    issuer_name: str = ""
    valid_from: str = ""
    valid_until: str = ""
    revoked_at: dt.datetime | None = None
    revocation_reason: str = ""

    @property
    def is_valid(self) -> bool:
        return self.status == VALID

    @property
    def is_trustworthy(self) -> bool:
        """The signature checked out, so the document's statements may be shown as the issuer's."""
        return self.status in (VALID, REVOKED, EXPIRED)


def _issuer_for_method(method: str) -> Issuer | None:
    prefix = f"{site_url()}/credentials/issuers/"
    if not method.startswith(prefix):
        return None
    pk = method[len(prefix) :].split("/", 1)[0]
    if not pk.isdigit():
        return None
    return Issuer.objects.select_related("organization").filter(pk=int(pk)).first()


def _parse_time(value: Any) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _describe(document: dict[str, Any], verification: Verification) -> Verification:
    subject = document.get("credentialSubject") or {}
    if isinstance(subject, list):
        subject = subject[0] if subject else {}
    achievement = subject.get("achievement") or {} if isinstance(subject, dict) else {}
    issuer = document.get("issuer")
    holder = str(subject.get("name", "")) if isinstance(subject, dict) else ""
    # An award to a region names a government, which is public, not a person: shown whole. Awards to
    # a regional head or an ASN, and every certificate, name a person and stay masked.
    verification.holder_is_region = bool(
        holder
        and isinstance(achievement, dict)
        and achievement.get("achievementType") == "Award"
        and Region.objects.filter(name=holder).exclude(level=Region.Level.DISTRICT).exists()
    )
    verification.holder_masked = holder if verification.holder_is_region else pii.mask_name(holder)
    verification.programme = str(achievement.get("name", "")) if isinstance(achievement, dict) else ""
    verification.number = verification.number or (
        str(achievement.get("humanCode", "")) if isinstance(achievement, dict) else ""
    )
    verification.issuer_name = str(issuer.get("name", "")) if isinstance(issuer, dict) else ""
    verification.valid_from = str(document.get("validFrom", ""))
    verification.valid_until = str(document.get("validUntil", ""))
    return verification


PROOF_CHECK_CACHE_SECONDS = 30 * 24 * 3600


def _stored_proof_check(document_text: str, public_key: bytes, signed_digest: str = "") -> signing.ProofCheck:
    """The full RDFC-1.0 signature check of a stored credential, computed once and kept in the shared
    cache: its outcome is a function of the stored text and the key alone (together the cache key),
    while revocation and the validity period, which change, are checked on every request."""
    key = (
        "credentials:proof:"
        + hashlib.sha256(public_key + (document_text + signed_digest).encode()).hexdigest()
    )
    cached = cache.get(key)
    if isinstance(cached, list) and len(cached) == 3:
        return signing.ProofCheck(*cached)
    document = json.loads(document_text)
    if signed_digest:
        check = signing.verify_proof(document, public_key, signed_digest=signed_digest)
    else:
        check = signing.verify_proof(document, public_key)
    cache.set(key, [check.ok, check.reason, check.verification_method], PROOF_CHECK_CACHE_SECONDS)
    return check


def check_document(
    document: Any,
    *,
    public_key: bytes | None = None,
    now: dt.datetime | None = None,
    stored: Credential | None = None,
) -> Verification:
    """Verify a credential document: signature, then revocation (the issuer's status list as stored
    here), then validity period. Without `public_key` the issuer must be one of ours. `stored` is the
    database row whose signed document `document` is, when the caller has it (verification by number)."""
    if not isinstance(document, dict):
        return Verification(INVALID, _("Berkas bukan objek JSON kredensial."))
    proof = signing.proof_of(document)
    method = str(proof.get("verificationMethod", "")) if proof else ""
    issuer: Issuer | None
    if stored is not None and method == key_id(stored.issuer):
        issuer = stored.issuer
    else:
        issuer = _issuer_for_method(method) if method else None
    if public_key is None:
        if issuer is None:
            return _describe(
                document, Verification(UNKNOWN, _("Penerbit kredensial ini tidak dikenal oleh Sinergi."))
            )
        public_key = signing.public_key_from_multibase(issuer.public_key_multibase)
    if stored is not None:
        check = _stored_proof_check(stored.document, public_key, stored.signed_digest)
    else:
        check = signing.verify_proof(document, public_key)
    if not check.ok:
        # The engine's reason is the catalogue text; translated here, after the language-neutral cache.
        return _describe(document, Verification(TAMPERED, _(check.reason)))
    verification = _describe(document, Verification(VALID))
    credential_id = str(document.get("id", ""))
    if stored is None and credential_id.startswith("urn:uuid:"):
        try:
            stored = Credential.objects.filter(uuid=uuid.UUID(credential_id[9:])).first()
        except ValueError:
            stored = None
    verification.credential = stored
    entry = signing.status_index_of(document)
    if entry is not None and issuer is not None and entry[0] == status_list_url(issuer):
        try:
            revoked = signing.status_bit(
                status_list_document(issuer)["credentialSubject"]["encodedList"], entry[1]
            )
        except (signing.SigningError, KeyError):
            revoked = False
        if revoked:
            verification.status = REVOKED
            verification.reason = _("Sertifikat telah dicabut oleh penerbit.")
            if stored is not None:
                verification.revoked_at = stored.revoked_at
                verification.revocation_reason = stored.revocation_reason
            return verification
    now = now or timezone.now()
    valid_from = _parse_time(document.get("validFrom"))
    valid_until = _parse_time(document.get("validUntil"))
    if valid_from and valid_from > now:
        verification.status = INVALID
        verification.reason = _("Sertifikat belum berlaku.")
    elif valid_until and valid_until < now:
        verification.status = EXPIRED
        verification.reason = _("Masa berlaku sertifikat telah habis.")
    return verification


def check_number(number: str, check_code: str, *, now: dt.datetime | None = None) -> Verification:
    """Verification by number and check code. An unknown number and a wrong code get the same answer,
    so the page tells someone trying numbers nothing about which exist."""
    credential = Credential.objects.select_related("issuer__organization").filter(number=number).first()
    if credential is None or not hmac.compare_digest(credential.check_code, normalize_check_code(check_code)):
        return Verification(
            UNKNOWN, _("Nomor sertifikat dan kode cek tidak cocok dengan sertifikat mana pun."), number=number
        )
    try:
        document = credential.signed
    except json.JSONDecodeError:
        return Verification(
            TAMPERED, _("Data sertifikat tersimpan rusak."), credential=credential, number=number
        )
    verification = check_document(document, now=now, stored=credential)
    verification.credential = credential
    verification.number = credential.number
    if verification.status == VALID and credential.is_revoked:  # status list not yet republished
        verification.status = REVOKED
    if verification.status == REVOKED:
        verification.reason = _("Sertifikat telah dicabut oleh penerbit.")
        verification.revoked_at = credential.revoked_at
        verification.revocation_reason = credential.revocation_reason
    return verification


# Limits on a credential file to be verified: an OpenBadgeCredential is a few KB, about 6 levels deep,
# and holds no long numbers; anything far beyond is refused before it can cost time or memory.
MAX_CREDENTIAL_BYTES = 256 * 1024
MAX_CREDENTIAL_DEPTH = 32
MAX_NUMBER_CHARS = 40
# Canonicalising (RDFC-1.0 in pure Python) costs far more than parsing, and grows faster than the
# number of values: 2,000 tags took 3 s of CPU, 5,000 took 19 s. Sinergi's credentials hold about 60
# values, plus 9 per competency unit; 600 allows 50 units and costs a fraction of a second.
MAX_CREDENTIAL_VALUES = 600
# pyld compares each item of a list with the items before it (quadratic): lists stay short.
MAX_CREDENTIAL_LIST = 100


class _Refused(Exception):
    pass


def _number(text: str) -> int | float:
    if len(text) > MAX_NUMBER_CHARS:
        raise _Refused(
            _("Berkas kredensial memuat angka terlalu panjang (lebih dari %(n)s karakter).")
            % {"n": MAX_NUMBER_CHARS}
        )
    value = float(text) if any(c in text for c in ".eE") else int(text)
    if value in (float("inf"), float("-inf")):
        raise _Refused(_("Berkas kredensial memuat angka di luar jangkauan."))
    return value


def _constant(name: str) -> None:
    raise _Refused(_("Berkas kredensial memuat nilai %(name)s yang tidak sah dalam JSON.") % {"name": name})


def _shape(value: Any) -> tuple[int, int, int, bool]:
    """Depth, number of values, the longest list, and whether a node names a blank node ("_:…")
    itself: a credential never does, and explicit blank-node labels are what lets a crafted graph make
    canonicalisation exponential."""
    deepest, values, longest, labelled, stack = 0, 0, 0, False, [(value, 1)]
    while stack:
        node, depth = stack.pop()
        values += 1
        if isinstance(node, dict | list):
            deepest = max(deepest, depth)
        if isinstance(node, list):
            longest = max(longest, len(node))
        if isinstance(node, dict):
            labelled = labelled or any(
                isinstance(node.get(key), str) and node[key].startswith("_:") for key in ("id", "@id")
            )
            children: Any = node.values()
        else:
            children = node if isinstance(node, list) else ()
        stack.extend((child, depth + 1) for child in children)
    return deepest, values, longest, labelled


def too_large_message() -> str:
    return _("Berkas kredensial terlalu besar (maksimal %(kb)s KB).") % {"kb": MAX_CREDENTIAL_BYTES // 1024}


def parse_uploaded(raw: bytes) -> Any:
    """The JSON of a credential file to verify (upload or CLI), or a ValidationError saying in
    Indonesian why it cannot be read: too large, not UTF-8 JSON, nested too deeply, odd numbers."""
    too_deep = _("Berkas kredensial bertingkat terlalu dalam (lebih dari %(n)s tingkat).") % {
        "n": MAX_CREDENTIAL_DEPTH
    }
    if len(raw) > MAX_CREDENTIAL_BYTES:
        raise ValidationError(too_large_message())
    try:
        document = json.loads(
            raw.decode("utf-8"), parse_int=_number, parse_float=_number, parse_constant=_constant
        )
    except _Refused as exc:
        raise ValidationError(str(exc)) from None
    except RecursionError:
        raise ValidationError(too_deep) from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ValidationError(_("Berkas kredensial harus berupa JSON (UTF-8) yang sah.")) from None
    depth, values, longest, labelled = _shape(document)
    if depth > MAX_CREDENTIAL_DEPTH:
        raise ValidationError(too_deep)
    if values > MAX_CREDENTIAL_VALUES:
        raise ValidationError(
            _("Berkas kredensial memuat terlalu banyak nilai (lebih dari %(n)s).")
            % {"n": MAX_CREDENTIAL_VALUES}
        )
    if longest > MAX_CREDENTIAL_LIST:
        raise ValidationError(
            _("Berkas kredensial memuat daftar terlalu panjang (lebih dari %(n)s butir).")
            % {"n": MAX_CREDENTIAL_LIST}
        )
    if labelled:
        raise ValidationError(_("Berkas kredensial memuat simpul kosong bernama (_:…) yang tidak sah."))
    return document


@transaction.atomic
def issue_award(
    *,
    organization: Organization,
    holder_name: str,
    title: str,
    cycle_name: str,
    category: str,
    narrative: str,
    achievement_path: str,
    user=None,
) -> Credential:
    """Sign an Open Badges 3.0 award (achievementType "Award") for a winner of an award cycle: a region,
    a regional head or an ASN. It is verified at /verify/ and revoked like any certificate."""
    issuer = ensure_issuer(organization)
    issued_at = timezone.now().replace(microsecond=0)
    allocation = allocate(issuer, 1)
    number = format_number(issuer, seq=allocation.first_seq, year=timezone.localtime(issued_at).year)
    cred_uuid = uuid.uuid4()
    data = signing.CredentialData(
        credential_id=f"urn:uuid:{cred_uuid}",
        number=number,
        kind=Credential.Kind.AWARD,
        issuer_id=issuer_url(issuer),
        issuer_name=issuer.organization.name,
        issuer_url=site_url(),
        holder_name=holder_name,
        holder_salt=signing.new_salt(),
        achievement_id=f"{site_url()}{achievement_path}",
        programme=title,
        level=category,
        hours=0,
        academy=cycle_name,
        narrative=narrative,
        description=_("%(title)s — %(cycle)s, kategori %(category)s.")
        % {"title": title, "cycle": cycle_name, "category": category},
        valid_from=iso(issued_at),
        status_list_url=status_list_url(issuer),
        status_index=allocation.first_index,
    )
    signer = signing.Signer(private_key_of(issuer), key_id(issuer), iso(issued_at))
    document = signer.sign(signing.build_credential(data))
    return Credential.objects.create(
        issuer=issuer,
        enrolment=None,
        kind=Credential.Kind.AWARD,
        number=number,
        uuid=cred_uuid,
        status_index=allocation.first_index,
        holder_name=holder_name,
        document=json.dumps(document, ensure_ascii=False, separators=(",", ":")),
        issued_at=issued_at,
        issued_by=user if user is not None and user.pk else None,
    )
