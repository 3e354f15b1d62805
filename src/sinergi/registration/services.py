"""Writes for participants: sign-up and e-mail verification, the profile, duplicate review, applications.

Every write is one transaction; a failure leaves nothing half-saved. Errors a person can fix are
raised as django.core.exceptions.ValidationError with Indonesian messages, keyed by field when the
form has one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from rapidfuzz.distance import JaroWinkler

from sinergi.accounts.models import Role
from sinergi.programs.eligibility import reasons_not_eligible
from sinergi.programs.models import Batch, Program
from sinergi.registration import pii
from sinergi.registration.models import (
    Application,
    ApplicationChoice,
    DuplicateFlag,
    Participant,
)
from sinergi.registration.selectors import (
    batch_offer,
    duplicate_flags_visible_to,
    person_for,
    program_terms,
)

User = get_user_model()

VERIFY_SALT = "sinergi.registration.verify-email"
VERIFY_MAX_AGE = 3 * 24 * 3600  # seconds; a link older than three days must be requested again
DUPLICATE_SIMILARITY = 0.9


# --- sign-up and e-mail verification -------------------------------------------------------------


def verification_token(user) -> str:
    # The address is signed with the id, so a link stops working if the account's e-mail changes.
    return signing.dumps({"u": user.pk, "e": user.email.lower()}, salt=VERIFY_SALT, compress=True)


def send_verification_email(user) -> None:
    link = settings.SITE_URL + reverse("registration:verify_email", args=[verification_token(user)])
    body = render_to_string("registration/email_verify.txt", {"user": user, "link": link})
    send_mail(_("Konfirmasi alamat e-mail akun Sinergi"), body, None, [user.email])


def start_signup(*, email: str, password: str, full_name: str) -> Any:
    """A new, inactive participant account; it is activated by the link sent to `email`.

    Signing up again with an address that was never confirmed replaces the password and sends a new
    link, so a mistyped password or a lost e-mail does not lock the address out.
    """
    email = User.objects.normalize_email(email).lower()
    first, _sep, last = full_name.strip().partition(" ")
    with transaction.atomic():
        existing = User.objects.select_for_update().filter(email__iexact=email).first()
        if existing is not None:
            if existing.is_active:
                raise ValidationError(
                    {
                        "email": _(
                            "Alamat e-mail ini sudah punya akun. Silakan masuk atau atur ulang kata sandi."
                        )
                    }
                )
            user = existing
        else:
            user = User(username=email, email=email, role=Role.PARTICIPANT, is_active=False)
        user.first_name, user.last_name = first[:150], last[:150]
        user.set_password(password)
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError as exc:  # the same address signed up in a concurrent request
            raise ValidationError(
                {"email": _("Alamat e-mail ini baru saja didaftarkan. Periksa e-mail Anda.")}
            ) from exc
    # Sent after the commit: the link must never point at an account that was rolled back.
    send_verification_email(user)
    return user


def verify_email(token: str):
    """The account the link belongs to, now active. ValidationError for a bad or expired link."""
    try:
        data = signing.loads(token, salt=VERIFY_SALT, max_age=VERIFY_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise ValidationError(_("Tautan konfirmasi sudah kedaluwarsa. Minta tautan baru.")) from exc
    except signing.BadSignature as exc:
        raise ValidationError(_("Tautan konfirmasi tidak valid. Salin tautan lengkap dari e-mail.")) from exc
    user = User.objects.filter(pk=data.get("u"), email__iexact=data.get("e", "")).first()
    if user is None:
        raise ValidationError(_("Tautan konfirmasi tidak valid. Salin tautan lengkap dari e-mail."))
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
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


def _nik_taken_error() -> ValidationError:
    # Never say whose: that would let anyone test NIKs against the register.
    return ValidationError(
        {
            "nik": _(
                "NIK ini sudah terdaftar pada akun lain. Bila ini NIK Anda, hubungi admin daerah "
                "untuk pemeriksaan; satu NIK hanya boleh memiliki satu akun."
            )
        }
    )


@transaction.atomic
def save_profile(user, data: ProfileData, *, consent: bool) -> Participant:
    """Create or update the signed-in person's participant record (identity already validated).

    A record imported by an admin with the same NIK and the same (verified) e-mail is claimed by the
    account instead of being reported as taken.
    """
    nik = pii.normalise_number(data.nik)
    nik_hash = pii.keyed_hash(nik)
    participant = Participant.objects.select_for_update().filter(user=user).first()
    holder = Participant.objects.select_for_update().filter(nik_hash=nik_hash).first()
    if holder is not None and holder != participant:
        claimable = (
            participant is None
            and holder.user_id is None
            and holder.email
            and holder.email.lower() == user.email.lower()
        )
        if not claimable:
            raise _nik_taken_error()
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
    if consent and participant.consent_version != settings.PRIVACY_NOTICE_VERSION:
        participant.consent_version = settings.PRIVACY_NOTICE_VERSION
        participant.consented_at = timezone.now()
    try:
        with transaction.atomic():
            participant.save()
    except IntegrityError as exc:  # a concurrent sign-up with the same NIK won the race
        raise _nik_taken_error() from exc
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


def comparable_name(name: str) -> str:
    """Lower case, without degrees after a comma and honorifics before the name, single-spaced."""
    name = name.split(",")[0]
    name = _TITLES.sub(" ", " " + name)
    name = re.sub(r"[^\w\s]", " ", name.lower())
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
    if not duplicate_flags_visible_to(decided_by).filter(pk=flag.pk, pair_in_scope=True).exists():
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


def registration_window_error(batch: Batch, now=None) -> str | None:
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


def check_choices(participant: Participant, batch: Batch, class_ids: Sequence[int]) -> None:
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


def submit_application(participant: Participant, batch: Batch, class_ids: Sequence[int]) -> int:
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
    check_choices(participant, batch, class_ids)
    if connection.vendor == "postgresql":
        application_id = _store_ranking_postgresql(participant.pk, batch.pk, class_ids)
    else:
        application_id = _store_ranking(participant.pk, batch.pk, class_ids)
    if application_id is None:
        fresh = Batch.objects.get(pk=batch.pk)
        raise ValidationError(
            registration_window_error(fresh) or _("Pendaftaran gelombang ini sudah ditutup.")
        )
    return application_id


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


def _store_ranking_postgresql(participant_id: int, batch_id: int, class_ids: list[int]) -> int | None:
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

    def run() -> list:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    try:
        if connection.in_atomic_block:  # a caller's transaction: a savepoint keeps it usable
            with transaction.atomic():
                rows = run()
        else:  # autocommit: the statement is its own transaction, no BEGIN/COMMIT round trips
            rows = run()
    except IntegrityError:
        # Another request for the same person committed while this statement waited on the
        # application row, leaving choices this statement's snapshot could not see. The
        # transactional path takes the row lock first and deletes with a fresh snapshot.
        return _store_ranking(participant_id, batch_id, class_ids)
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
