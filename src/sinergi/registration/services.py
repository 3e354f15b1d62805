"""Writes for participants: sign-up and e-mail verification, the profile, duplicate review, applications.

Every write is one transaction; a failure leaves nothing half-saved. Errors a person can fix are
raised as django.core.exceptions.ValidationError with Indonesian messages, keyed by field when the
form has one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _
from rapidfuzz.distance import JaroWinkler

from sinergi.accounts.models import Role
from sinergi.accounts.scoping import scope_for
from sinergi.accounts.tokens import email_confirmation_token
from sinergi.core import pii
from sinergi.partnerships.metrics import mark_stale
from sinergi.programs.eligibility import reasons_not_eligible
from sinergi.programs.models import Batch, Program
from sinergi.registration.models import (
    Application,
    ApplicationChoice,
    DuplicateFlag,
    Participant,
)
from sinergi.registration.nik import validate_nik
from sinergi.registration.selectors import (
    batch_offer,
    duplicate_flags_visible_to,
    person_for,
    program_terms,
)

User = get_user_model()

DUPLICATE_SIMILARITY = 0.9


# --- sign-up and e-mail confirmation -------------------------------------------------------------


def _link(view_name: str, user, token: str) -> str:
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    return settings.SITE_URL + reverse(view_name, args=[uidb64, token])


def send_verification_email(user) -> None:
    link = _link("registration:verify_email", user, email_confirmation_token.make_token(user))
    body = render_to_string("registration/email_verify.txt", {"user": user, "link": link})
    send_mail(_("Konfirmasi alamat e-mail akun Sinergi"), body, None, [user.email])


def send_account_exists_email(user) -> None:
    """Someone signed up with an address that already has an account: tell its owner, change nothing.

    The owner gets a link to set a password (which also confirms a pending sign-up), so whoever chose
    the password of a pending account cannot keep it once the owner acts."""
    link = ""
    if user.is_active or user.is_pending_signup:
        link = _link("password_reset_confirm", user, default_token_generator.make_token(user))
    body = render_to_string("registration/email_account_exists.txt", {"user": user, "link": link})
    send_mail(_("Alamat e-mail Anda sudah terdaftar di Sinergi"), body, None, [user.email])


def start_signup(*, email: str, password: str, full_name: str) -> None:
    """A new, inactive participant account, activated by the link sent to `email`.

    An address that already has an account keeps its account exactly as it is (a second sign-up
    never sets a password); its owner is told by e-mail. The caller answers both cases alike, so the
    form cannot tell anyone whether an address is registered.
    """
    email = User.objects.normalize_email(email).lower()
    first, _sep, last = full_name.strip().partition(" ")
    # Hashed in both cases, so that the answer takes as long for a registered address as for a new one.
    password_hash = make_password(password)
    existing = _account_with_address(email)
    if existing is None:
        user = User(
            username=email,
            email=email,
            role=Role.PARTICIPANT,
            is_active=False,
            first_name=first[:150],
            last_name=last[:150],
            password=password_hash,
        )
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:  # the same address signed up in a concurrent request
            existing = _account_with_address(email)
    # Sent after the commit: a link must never point at an account that was rolled back.
    if existing is not None:
        send_account_exists_email(existing)
    else:
        send_verification_email(user)


def resend_confirmation(*, email: str) -> None:
    """A fresh confirmation link for a pending sign-up; nothing for any other address."""
    user = _account_with_address(User.objects.normalize_email(email).lower())
    if user is not None and user.is_pending_signup:
        send_verification_email(user)


def _account_with_address(email: str):
    return User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).first()


def user_from_link(uidb64: str):
    try:
        return User.objects.get(pk=urlsafe_base64_decode(uidb64).decode())
    except (ValueError, OverflowError, UnicodeDecodeError, User.DoesNotExist, ValidationError):
        return None


@transaction.atomic
def confirm_email(*, uidb64: str, token: str):
    """Activate the pending sign-up the link was sent for. The link works once, for three days, and
    only while the password is the one it was sent with; otherwise ValidationError."""
    user = user_from_link(uidb64)
    if user is not None:
        user = User.objects.select_for_update().get(pk=user.pk)
    if user is None or not user.is_pending_signup or not email_confirmation_token.check_token(user, token):
        raise ValidationError(
            _(
                "Tautan konfirmasi tidak berlaku: salah salin, sudah pernah dipakai, atau lebih dari 3 hari. "
                "Bila akun Anda sudah aktif, silakan masuk; bila belum, minta tautan baru."
            )
        )
    user.is_active = True
    user.email_confirmed_at = timezone.now()
    user.save(update_fields=["is_active", "email_confirmed_at"])
    return user


# --- profile --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProfileData:
    nik: str
    kk: str
    full_name: str
    birth_date: date
    sex: str
    phone: str
    domicile_id: str
    education: str
    category: str
    nip: str
    has_disability: bool
    activity_before: str = ""


class NikTakenError(ValidationError):
    """The NIK entered belongs to another participant. The caller counts and audits these answers: each
    one tells the asker that a NIK is registered, so they are rationed (see registration.views)."""

    def __init__(self, holder_id: int | None):
        # Never say whose: that would let anyone test NIKs against the register.
        super().__init__(
            {
                "nik": _(
                    "NIK ini sudah terdaftar pada akun lain. Bila ini NIK Anda, hubungi admin daerah "
                    "untuk pemeriksaan; satu NIK hanya boleh memiliki satu akun."
                )
            }
        )
        self.holder_id = holder_id


def nik_correction_help() -> str:
    return _(
        "NIK yang sudah tersimpan tidak dapat diubah sendiri. Bila NIK Anda salah, hubungi admin daerah "
        "(Diskominfo kabupaten/kota domisili Anda) dengan membawa KTP dan Kartu Keluarga untuk "
        "pengajuan koreksi."
    )


def record_nik_conflict(*, user, holder_id: int | None, address: str) -> None:
    """Audit one "NIK already registered" answer: who asked, when, from where, and which record holds
    the NIK (by id; the NIK itself is never written to the trail)."""
    LogEntry.objects.log_create(
        user,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=user,
        remote_addr=address or None,
        changes={"nik": ["", "ditolak: sudah terdaftar pada akun lain"]},
        additional_data={"event": "nik_conflict", "holder_participant_id": holder_id},
    )


@transaction.atomic
def correct_nik(*, participant: Participant, nik: str, officer, reason: str) -> Participant:
    """An officer's correction of a saved NIK (the participant cannot change it): checked like a new one
    against the person's birth date and sex, and audited with who, when, why and the masked values."""
    if not scope_for(officer).covers_region(participant.domicile):
        raise ValidationError(
            _("Hanya admin nasional atau admin daerah domisili peserta yang dapat mengoreksi NIK.")
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Tuliskan alasan koreksi dan dokumen yang diperiksa.")})
    nik = pii.normalise_number(nik)
    problems = [message for _field, message in validate_nik(nik, participant.birth_date, participant.sex)]
    if problems:
        raise ValidationError({"nik": problems})
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if Participant.objects.filter(nik_hash=pii.keyed_hash(nik)).exclude(pk=participant.pk).exists():
        raise ValidationError(
            {"nik": _("NIK ini sudah terdaftar pada peserta lain; periksa kemungkinan data ganda.")}
        )
    before = participant.masked_nik
    participant.set_nik(nik)
    with disable_auditlog():  # one entry below, with the reason, instead of auditlog's own
        participant.save(update_fields=["nik_hash", "nik_encrypted", "updated_at"])
    LogEntry.objects.log_create(
        participant,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        actor=officer,
        changes={"nik": [before, participant.masked_nik]},
        additional_data={"event": "nik_correction", "reason": reason.strip()},
    )
    flag_duplicates(participant)
    return participant


@transaction.atomic
def save_profile(user, data: ProfileData, *, consent: bool) -> Participant:
    """Create or update the signed-in person's participant record (identity already validated).

    Once saved, the NIK is the account's for good: a correction goes through an officer.

    A record imported by an admin with the same NIK and the same (verified) e-mail is claimed by the
    account instead of being reported as taken.
    """
    nik = pii.normalise_number(data.nik)
    nik_hash = pii.keyed_hash(nik)
    participant = Participant.objects.select_for_update().filter(user=user).first()
    if participant is not None and participant.nik_hash != nik_hash:
        raise ValidationError({"nik": nik_correction_help()})
    holder = Participant.objects.select_for_update().filter(nik_hash=nik_hash).first()
    if holder is not None and holder != participant:
        claimable = (
            participant is None
            and holder.user_id is None
            and holder.email
            and holder.email.lower() == user.email.lower()
        )
        if not claimable:
            raise NikTakenError(holder.pk)
        participant = holder
    if participant is None:
        if not consent:
            raise ValidationError({"consent": _("Persetujuan pemberitahuan privasi wajib dicentang.")})
        participant = Participant(user=user)
    participant.user = user
    participant.set_nik(nik)
    participant.kk_encrypted = pii.encrypt(pii.normalise_number(data.kk))
    participant.full_name = " ".join(data.full_name.split())
    participant.birth_date = data.birth_date
    participant.sex = data.sex
    participant.email = user.email
    participant.phone = data.phone.strip()
    participant.domicile_id = data.domicile_id
    participant.education = data.education
    participant.category = data.category
    participant.nip = pii.normalise_number(data.nip)
    participant.has_disability = data.has_disability
    participant.activity_before = data.activity_before
    if consent and participant.consent_version != settings.PRIVACY_NOTICE_VERSION:
        participant.consent_version = settings.PRIVACY_NOTICE_VERSION
        participant.consented_at = timezone.now()
    try:
        with transaction.atomic():
            participant.save()
    except IntegrityError as exc:  # a concurrent sign-up with the same NIK won the race
        raise NikTakenError(None) from exc
    if not user.get_full_name():
        first, _sep, last = participant.full_name.partition(" ")
        user.first_name, user.last_name = first[:150], last[:150]
        user.save(update_fields=["first_name", "last_name"])
    flag_duplicates(participant)
    return participant


def participant_export(participant: Participant) -> dict[str, Any]:
    """Everything held about the person, for their own download (UU PDP right of access)."""
    return {
        "nik": participant.nik,
        "nomor_kk": pii.decrypt(participant.kk_encrypted),
        "nama_lengkap": participant.full_name,
        "tanggal_lahir": participant.birth_date.isoformat(),
        "jenis_kelamin": participant.sex,
        "email": participant.email,
        "telepon": participant.phone,
        "domisili": {"kode": participant.domicile_id, "nama": participant.domicile.name},
        "pendidikan": participant.education,
        "kategori": participant.category,
        "nip": participant.nip,
        "penyandang_disabilitas": participant.has_disability,
        "kegiatan_sebelum_pelatihan": participant.get_activity_before_display(),
        "persetujuan_privasi": {
            "versi": participant.consent_version,
            "waktu": participant.consented_at.isoformat() if participant.consented_at else None,
        },
        "status_data_ganda": participant.duplicate_status,
        "dibuat": participant.created_at.isoformat(),
        "diperbarui": participant.updated_at.isoformat(),
        "pendaftaran": [
            {
                "gelombang": application.batch.name,
                "status": application.status,
                "dikirim": application.created_at.isoformat(),
                "pilihan": [
                    {
                        "urutan": choice.rank,
                        "kelas": choice.training_class.code,
                        "nama": choice.training_class.name,
                    }
                    for choice in application.choices.all()
                ],
            }
            for application in participant.applications.select_related("batch").prefetch_related(
                "choices__training_class"
            )
        ],
    }


# --- duplicates -----------------------------------------------------------------------------------

_TITLES = re.compile(r"\b(dr|drs|dra|ir|prof|h|hj|hajjah|haji|kh|r|rr|st|tn|ny|nn)\.?\s+", re.IGNORECASE)


_PUNCTUATION = re.compile(r"[^\w\s]")


def comparable_name(name: str) -> str:
    """Lower case, without degrees after a comma and honorifics before the name, single-spaced."""
    name = name.split(",")[0]
    name = _TITLES.sub(" ", " " + name)
    name = _PUNCTUATION.sub(" ", name.lower())
    return " ".join(name.split())


def name_similarity(a: str, b: str) -> float:
    return float(JaroWinkler.similarity(comparable_name(a), comparable_name(b)))


def similar_participants(participant: Participant) -> list[tuple[Participant, float]]:
    """Other participants born the same day with a near-identical name (and, by construction, another NIK)."""
    candidates = Participant.objects.filter(birth_date=participant.birth_date).exclude(pk=participant.pk)
    found = []
    for other in candidates.only("pk", "full_name", "nik_hash"):
        score = name_similarity(participant.full_name, other.full_name)
        if score >= DUPLICATE_SIMILARITY and other.nik_hash != participant.nik_hash:
            found.append((other, round(score, 4)))
    return found


def _refresh_duplicate_status(participant: Participant) -> None:
    decisions = set(participant.duplicate_flags.values_list("decision", flat=True))
    if DuplicateFlag.Decision.PENDING in decisions:
        status = Participant.DuplicateStatus.FLAGGED
    elif DuplicateFlag.Decision.DUPLICATE in decisions:
        status = Participant.DuplicateStatus.CONFIRMED_DUPLICATE
    elif decisions:
        status = Participant.DuplicateStatus.CONFIRMED_DISTINCT
    else:
        status = Participant.DuplicateStatus.CLEAR
    if participant.duplicate_status != status:
        participant.duplicate_status = status
        participant.save(update_fields=["duplicate_status", "updated_at"])


@transaction.atomic
def flag_duplicates(participant: Participant) -> list[DuplicateFlag]:
    """Flag the record just saved against earlier look-alikes; it waits for review, not the earlier one.

    Pending flags that no longer hold (the name or birth date was corrected) are dropped; decided flags
    are kept as the audit trail of the decision.
    """
    matches = similar_participants(participant)
    matched_ids = {other.pk for other, _score in matches}
    participant.duplicate_flags.filter(decision=DuplicateFlag.Decision.PENDING).exclude(
        similar_to_id__in=matched_ids
    ).delete()
    flags = []
    for other, score in matches:
        flag, created = DuplicateFlag.objects.get_or_create(
            participant=participant, similar_to=other, defaults={"similarity": score}
        )
        if not created and flag.decision == DuplicateFlag.Decision.PENDING and flag.similarity != score:
            flag.similarity = score
            flag.save(update_fields=["similarity"])
        flags.append(flag)
    _refresh_duplicate_status(participant)
    return flags


@transaction.atomic
def decide_duplicate(flag: DuplicateFlag, *, decided_by, decision: str, note: str) -> DuplicateFlag:
    if decision not in (DuplicateFlag.Decision.DISTINCT, DuplicateFlag.Decision.DUPLICATE):
        raise ValidationError({"decision": _("Pilih keputusan: orang berbeda atau data ganda.")})
    if decision == DuplicateFlag.Decision.DUPLICATE and not note.strip():
        raise ValidationError({"note": _("Tuliskan catatan: data mana yang dipakai dan alasannya.")})
    # Same person or not is judged by comparing both records; an admin who may see only one of them
    # would decide blind (and a "distinct" would release the seat the check is there to hold), so a
    # pair across regions is decided by whoever sees both: the province over both, or the ministry.
    if not duplicate_flags_visible_to(decided_by).filter(pk=flag.pk, pair_in_scope=True).exists():  # type: ignore[misc]
        raise ValidationError(
            {
                "decision": _(
                    "Data yang mirip berada di wilayah lain; pasangan ini diputuskan oleh admin nasional."
                )
            }
        )
    flag = DuplicateFlag.objects.select_for_update().get(pk=flag.pk)
    flag.decision = decision
    flag.note = note.strip()
    flag.decided_by = decided_by
    flag.decided_at = timezone.now()
    flag.save()
    _refresh_duplicate_status(flag.participant)
    return flag


# --- applications ---------------------------------------------------------------------------------


def registration_window_error(batch: Batch, *, now: datetime | None = None) -> str | None:
    """Why the batch takes no applications or changes right now, or None when it does."""
    now = now or timezone.now()
    closes = timezone.localtime(batch.registration_closes).strftime("%d-%m-%Y %H:%M")
    if batch.status != Batch.Status.OPEN or now >= batch.registration_closes:
        if now >= batch.registration_closes or batch.status in (Batch.Status.CLOSED, Batch.Status.ALLOCATED):
            return _("Pendaftaran gelombang ini sudah ditutup (%(closes)s).") % {"closes": closes}
        return _("Pendaftaran gelombang ini belum dibuka.")
    if now < batch.registration_opens:
        opens = timezone.localtime(batch.registration_opens).strftime("%d-%m-%Y %H:%M")
        return _("Pendaftaran gelombang ini baru dibuka %(opens)s.") % {"opens": opens}
    return None


def _check_can_apply(participant: Participant) -> None:
    if not participant.consent_version:
        raise ValidationError(_("Lengkapi profil dan setujui pemberitahuan privasi sebelum mendaftar."))


def check_choices(participant: Participant, batch: Batch, *, class_ids: Sequence[int]) -> None:
    """Every check on a ranking that needs no lock. Raises ValidationError with the reason."""
    if not class_ids:
        raise ValidationError(_("Pilih minimal satu kelas."))
    if len(class_ids) > batch.max_choices:
        raise ValidationError(
            _("Paling banyak %(n)d pilihan kelas pada gelombang ini; Anda memilih %(given)d.")
            % {"n": batch.max_choices, "given": len(class_ids)}
        )
    if len(set(class_ids)) != len(class_ids):
        raise ValidationError(_("Kelas yang sama dipilih lebih dari sekali."))
    offer = batch_offer(batch)
    if any(class_id not in offer.class_program for class_id in class_ids):
        raise ValidationError(_("Ada kelas yang tidak termasuk gelombang ini."))
    person = person_for(participant, batch, with_enrolments=offer.needs_enrolments)
    for class_id in class_ids:
        program_id = offer.class_program[class_id]
        if reasons_not_eligible(person, offer.terms[program_id], class_id):
            # Worded again with the person's own region named (the cached terms carry only the rules').
            program = Program.objects.select_related("batch").get(pk=program_id)
            reasons = reasons_not_eligible(
                person, program_terms([program], [participant.domicile_id])[program_id], class_id
            )
            raise ValidationError(
                _("Anda belum memenuhi syarat kelas %(kelas)s: %(reasons)s")
                % {"kelas": offer.class_names[class_id], "reasons": " ".join(reasons)}
            )


def submit_application(participant: Participant, batch: Batch, *, class_ids: Sequence[int]) -> int:
    """Create or replace the person's ranked choices in the batch; returns the application's id.

    The same request twice is harmless, and concurrent requests for the same person queue behind
    each other on the one-application-per-batch constraint: neither a double submit nor two tabs ever
    produce two applications or a mix of two rankings. The window is checked before the checks on the
    choices and again by the write itself, against the batch row as it is at that instant.
    """
    class_ids = [int(pk) for pk in class_ids]
    _check_can_apply(participant)
    problem = registration_window_error(batch)
    if problem:
        raise ValidationError(problem)
    check_choices(participant, batch, class_ids=class_ids)
    # The ranking, the stale mark and the receipt commit together (one commit, one WAL flush): a
    # request cut off mid-way (PostgreSQL restarting) leaves neither an application without its
    # receipt nor a receipt without its application.
    try:
        with transaction.atomic():
            application_id = _store_and_acknowledge(participant, batch, class_ids, fast=True)
    except IntegrityError:
        # Another request for the same person committed while the one statement waited on the
        # application row, leaving choices its snapshot could not see. The transactional path takes
        # the row lock first and deletes with a fresh snapshot.
        with transaction.atomic():
            application_id = _store_and_acknowledge(participant, batch, class_ids, fast=False)
    return application_id


def _store_and_acknowledge(
    participant: Participant, batch: Batch, class_ids: list[int], *, fast: bool
) -> int:
    if fast and connection.vendor == "postgresql":
        application_id = _ranking_statement(participant.pk, batch.pk, class_ids)
    else:
        application_id = _store_ranking(participant.pk, batch.pk, class_ids)
    if application_id is None:
        fresh = Batch.objects.get(pk=batch.pk)
        raise ValidationError(
            registration_window_error(fresh) or _("Pendaftaran gelombang ini sudah ditutup.")
        )
    # The write above bypasses model signals (one SQL statement, or bulk_create).
    mark_stale(Q(agreement__programs__batch=batch.pk))
    _notify_application_received(participant, batch, application_id, class_ids)
    return application_id


def _notify_application_received(
    participant: Participant, batch: Batch, application_id: int, class_ids: list[int]
) -> None:
    """A receipt listing the ranked choices; re-sending the same ranking sends nothing new."""
    from sinergi.core.notifications import notify
    from sinergi.programs.models import TrainingClass

    if participant.user is None:
        return
    names = dict(TrainingClass.objects.filter(pk__in=class_ids).values_list("pk", "name"))
    ranking = "\n".join(f"{rank}. {names.get(pk, pk)}" for rank, pk in enumerate(class_ids, 1))
    notify(
        participant.user,
        _("Pendaftaran Anda diterima: %(batch)s") % {"batch": batch.name},
        _(
            "Pendaftaran Anda pada %(batch)s sudah kami terima dengan urutan pilihan kelas:\n%(ranking)s\n\n"
            "Anda masih dapat mengubah urutannya selama pendaftaran dibuka."
        )
        % {"batch": batch.name, "ranking": ranking},
        reverse("registration:my_applications"),
        dedupe_key=f"application:{application_id}:{'-'.join(map(str, class_ids))}",
    )


def _window_is_open_q() -> Q:
    now = timezone.now()
    return Q(status=Batch.Status.OPEN, registration_opens__lte=now, registration_closes__gt=now)


def _store_ranking(participant_id: int, batch_id: int, class_ids: list[int]) -> int | None:
    """Portable version: the upsert creates the application or locks its row, then the choices are
    replaced, in one transaction."""
    with transaction.atomic():
        if not Batch.objects.filter(_window_is_open_q(), pk=batch_id).exists():
            return None
        (application,) = Application.objects.bulk_create(
            [
                Application(
                    participant_id=participant_id, batch_id=batch_id, status=Application.Status.SUBMITTED
                )
            ],
            update_conflicts=True,
            unique_fields=["participant", "batch"],
            update_fields=["status", "updated_at"],
        )
        ApplicationChoice.objects.filter(application_id=application.pk).delete()
        ApplicationChoice.objects.bulk_create(
            ApplicationChoice(application_id=application.pk, training_class_id=class_id, rank=rank)
            for rank, class_id in enumerate(class_ids, 1)
        )
    return application.pk


# One statement, so one round trip and its own transaction: check the window on the batch row,
# upsert the application (creating it, or locking the existing row until commit), delete its old
# choices and insert the new ones. The scalar subquery on `gone` makes the delete finish before
# the first insert, so the new ranks never meet the old ones in the unique indexes.
_RANKING_SQL = """
WITH app AS (
    INSERT INTO {application} (participant_id, batch_id, status, score, created_at, updated_at)
    SELECT %(participant)s, b.id, %(submitted)s, 0, now(), now() FROM {batch} b
    WHERE b.id = %(batch)s AND b.status = %(open)s AND b.registration_opens <= now()
      AND b.registration_closes > now()
    ON CONFLICT (participant_id, batch_id)
    DO UPDATE SET status = EXCLUDED.status, updated_at = EXCLUDED.updated_at
    RETURNING id
), gone AS (
    DELETE FROM {choice} c USING app WHERE c.application_id = app.id RETURNING 1
)
INSERT INTO {choice} (application_id, training_class_id, rank)
SELECT app.id, t.class_id, t.rank FROM app, unnest(%(classes)s::bigint[]) WITH ORDINALITY AS t(class_id, rank)
WHERE (SELECT count(*) FROM gone) >= 0
RETURNING application_id
"""


def _ranking_statement(participant_id: int, batch_id: int, class_ids: list[int]) -> int | None:
    """_RANKING_SQL in the caller's transaction; raises IntegrityError when a concurrent request for
    the same person won the race (the caller then takes the transactional path)."""
    qn = connection.ops.quote_name
    sql = _RANKING_SQL.format(
        application=qn(Application._meta.db_table),
        batch=qn(Batch._meta.db_table),
        choice=qn(ApplicationChoice._meta.db_table),
    )
    params: dict[str, Any] = {
        "participant": participant_id,
        "batch": batch_id,
        "classes": class_ids,
        "submitted": Application.Status.SUBMITTED.value,
        "open": Batch.Status.OPEN.value,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return rows[0][0] if rows else None


@transaction.atomic
def withdraw_application(participant: Participant, batch: Batch) -> Application:
    problem = registration_window_error(batch)
    if problem:
        raise ValidationError(problem)
    application = Application.objects.select_for_update().filter(participant=participant, batch=batch).first()
    if application is None:
        raise ValidationError(_("Anda belum mendaftar di gelombang ini."))
    if application.status != Application.Status.WITHDRAWN:
        application.status = Application.Status.WITHDRAWN
        application.save(update_fields=["status", "updated_at"])
    return application
