"""Writes of the API app: organisation keys created and revoked, and every use of a key recorded."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.models import Organization
from sinergi.api.models import KEY_PREFIX, ApiKey, ApiKeyUse, all_scopes, hash_key, role_of
from sinergi.core.audit import record_action

# A key longer than this is refused before it is looked up (a prefix of 8 hex, a secret of 43 chars).
MAX_KEY_LENGTH = 80


@dataclass(frozen=True)
class CreatedKey:
    key: ApiKey
    secret: str  # the whole key, shown once and never stored


def create_key(
    *, user, organization: Organization, name: str, scopes: list[str], expires_at: datetime
) -> CreatedKey:
    known = {code for code, _label in all_scopes()}
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("Nama kunci wajib diisi.")]
    if not scopes:
        errors["scopes"] = [_("Pilih sedikitnya satu cakupan.")]
    elif unknown := sorted(set(scopes) - known):
        errors["scopes"] = [_("Cakupan tidak dikenal: %(codes)s.") % {"codes": ", ".join(unknown)}]
    if expires_at <= timezone.now():
        errors["expires_at"] = [_("Tanggal berlaku sampai harus di masa depan.")]
    if role_of(organization) is None:
        errors["organization"] = [
            _("Pemerintah daerah tanpa wilayah tidak dapat diberi kunci API: kunci terikat wilayah.")
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        while True:
            prefix = secrets.token_hex(4)
            if not ApiKey.objects.filter(prefix=prefix).exists():
                break
        raw = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
        key = ApiKey.objects.create(
            organization=organization,
            name=name.strip(),
            prefix=prefix,
            key_hash=hash_key(raw),
            scopes=sorted(set(scopes)),
            expires_at=expires_at,
            created_by=user,
        )
    return CreatedKey(key, raw)


def revoke_key(*, key: ApiKey, user, reason: str) -> ApiKey:
    if not reason.strip():
        raise ValidationError({"reason": [_("Alasan pencabutan wajib diisi.")]})
    with transaction.atomic():
        key = ApiKey.objects.select_for_update().get(pk=key.pk)
        if key.revoked_at is not None:
            raise ValidationError({"reason": [_("Kunci ini sudah dicabut.")]})
        key.revoked_at, key.revoked_by, key.revocation_reason = timezone.now(), user, reason.strip()
        key.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
        record_action(
            actor=user,
            target=key,
            operation=_("kunci API dicabut"),
            changes={"status": (_("aktif"), _("dicabut"))},
            reason=reason.strip(),
        )
    return key


def find_key(raw: str) -> ApiKey | None:
    """The key a request presents, active or not (an expired or revoked key's use is logged too), or
    None when nothing matches. The hash is compared whole, so a right prefix with a wrong secret fails."""
    if len(raw) > MAX_KEY_LENGTH or not raw.startswith(KEY_PREFIX):
        return None
    prefix = raw[len(KEY_PREFIX) :].split("_", 1)[0]
    key = ApiKey.objects.select_related("organization__region").filter(prefix=prefix).first()
    if key is None or not secrets.compare_digest(key.key_hash, hash_key(raw)):
        return None
    return key


def record_use(*, key: ApiKey, method: str, path: str, status: int, address: str | None) -> None:
    now = timezone.now()
    ApiKeyUse.objects.create(
        key=key, at=now, method=method[:8], path=path[:300], status=status, address=address
    )
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)


def push_attendance(*, training_class, session_number: int, marks: list[tuple[int, bool]], user) -> dict:
    """An LMS's attendance for one session of a class, all rows or none. Idempotent: the same rows again
    change nothing and say so (`unchanged`). `user` is a person or an organisation key's principal; a key
    records no person (recorded_by stays empty, the key's use log says which key wrote)."""
    from sinergi.api.errors import ApiError, field_error
    from sinergi.learning.models import Attendance, ClassSession, Enrolment
    from sinergi.learning.services import write_attendance

    session = ClassSession.objects.filter(training_class=training_class, number=session_number).first()
    if session is None:
        raise field_error("session", _("kelas ini tidak mempunyai sesi ke-%(n)s.") % {"n": session_number})
    enrolled = set(
        Enrolment.objects.filter(training_class=training_class)
        .exclude(status=Enrolment.Status.WITHDRAWN)
        .values_list("pk", flat=True)
    )
    errors, seen = [], set()
    for row, (enrolment_id, _present) in enumerate(marks):
        field = f"records[{row}].enrolment_id"
        if enrolment_id in seen:
            errors.append((field, _("peserta %(id)s dikirim dua kali.") % {"id": enrolment_id}))
        elif enrolment_id not in enrolled:
            errors.append((field, _("peserta %(id)s tidak terdaftar di kelas ini.") % {"id": enrolment_id}))
        seen.add(enrolment_id)
    if errors:
        first = [field_error(f, m) for f, m in errors[:50]]
        raise ApiError(422, first[0].detail, [e.errors[0] for e in first])
    wanted = dict(marks)
    with transaction.atomic():
        existing = dict(
            Attendance.objects.filter(session=session, enrolment_id__in=list(wanted)).values_list(
                "enrolment_id", "present"
            )
        )
        person = user if getattr(user, "pk", None) is not None else None
        write_attendance(session, wanted, user=person, method=Attendance.Method.IMPORT)
    created = sum(1 for e in wanted if e not in existing)
    changed = sum(1 for e, p in wanted.items() if e in existing and existing[e] != p)
    return {
        "session_id": session.pk,
        "session": session.number,
        "present": sum(wanted.values()),
        "absent": sum(not p for p in wanted.values()),
        "created": created,
        "changed": changed,
        "unchanged": len(wanted) - created - changed,
    }
