"""Personal-data rights (UU 27/2022 PDP) over participant records: the log of every display of
unmasked identifiers to someone other than the person; erasure on request; retention periods.

A page that shows a NIK, KK or NIP in full, a birth date or a phone number of people other than the
viewer calls `record_views` with the people and the fields it shows; the person reads those rows on
/peserta/data-saya/ (selectors.data_views_of). The person's own pages are not logged: they see only
their own data."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from sinergi.core import pii
from sinergi.core.audit import record_action
from sinergi.registration.models import ErasureRequest, Participant, PersonalDataView
from sinergi.registration.selectors import erasure_requests_visible_to

Field = PersonalDataView.Field


def viewer_label(user) -> str:
    """Who looked, as the person will read it: the officer's name and office."""
    if not getattr(user, "is_authenticated", False):
        return "Pemegang tautan undangan"
    name = user.get_full_name() or user.get_username()
    office = getattr(user, "organization", None)
    return f"{name} ({office})" if office else name


def record_views(
    viewer,
    shown: Iterable[tuple[Participant, Sequence[str]]],
    *,
    page: str,
    page_title: str,
) -> int:
    """One row per person whose unmasked data the page shows. `shown` is (participant, field codes),
    the codes of the fields that actually carry a value on the page; people shown nothing unmasked,
    and the viewer's own record, leave no row. `page_title` is an Indonesian msgid (gettext_noop at
    the caller). Returns how many rows were written."""
    viewer_id = viewer.pk if getattr(viewer, "is_authenticated", False) else None
    now = timezone.now()
    label = viewer_label(viewer)
    rows = [
        PersonalDataView(
            participant_id=participant.pk,
            viewer_id=viewer_id,
            viewer_name=label[:250],
            fields=list(dict.fromkeys(fields)),
            page=page[:300],
            page_title=page_title[:150],
            viewed_at=now,
        )
        for participant, fields in shown
        if fields and not (viewer_id is not None and participant.user_id == viewer_id)
    ]
    PersonalDataView.objects.bulk_create(rows)
    return len(rows)


def shown_fields(participant: Participant, candidates: Sequence[str]) -> list[str]:
    """The codes among `candidates` for which `participant` has a value (an empty phone shows "—")."""
    present: dict[str, bool] = {
        Field.NIK: bool(participant.nik_encrypted),
        Field.KK: bool(participant.kk_encrypted),
        Field.NIP: bool(participant.nip),
        Field.BIRTH_DATE: participant.birth_date is not None,
        Field.PHONE: bool(participant.phone),
    }
    return [code for code in candidates if present.get(code)]


# --- erasure ------------------------------------------------------------------------------------------

# Apps later in the chain hold copies of the person's data (a certificate's holder name): each
# registers a step, called inside the erasure's transaction with (participant, pseudonym), that
# pseudonymises its own records and returns them so their audit entries are scrubbed too.
ErasureStep = Callable[[Participant, str], Iterable[Model]]
_ERASURE_STEPS: list[ErasureStep] = []

ERASED_EMAIL_DOMAIN = "dihapus.invalid"
MASK = "********"


def add_erasure_step(step: ErasureStep) -> None:
    if step not in _ERASURE_STEPS:
        _ERASURE_STEPS.append(step)


def request_erasure(participant: Participant) -> ErasureRequest:
    """The participant's "Hapus data saya". A second request while one is pending returns that one."""
    if participant.erased_at is not None:
        raise ValidationError(_("Data pribadi Anda sudah dihapus."))
    now = timezone.now()
    pending = ErasureRequest.objects.filter(participant=participant, status=ErasureRequest.Status.PENDING)
    existing = pending.first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            request = ErasureRequest.objects.create(
                participant=participant,
                requested_at=now,
                due_at=now + timedelta(hours=settings.PDP_ERASURE_DECISION_HOURS),
            )
    except IntegrityError:  # the same click twice, at once
        return pending.get()
    record_action(
        actor=participant.user,
        target=request,
        operation=gettext_noop("permintaan penghapusan data pribadi"),
        changes={"status": ("", request.status)},
    )
    return request


def decide_erasure(request_pk: int, *, officer, approve: bool, reason: str = "") -> ErasureRequest:
    """An officer's decision. Refusal needs a reason the person will read; approval erases at once.
    A decided request stays decided (a second tab finds it so)."""
    reason = reason.strip()
    if not approve and not reason:
        raise ValidationError({"reason": _("Alasan: wajib diisi bila permintaan ditolak.")})
    with transaction.atomic():
        request = (
            erasure_requests_visible_to(officer).select_for_update(of=("self",)).filter(pk=request_pk).first()
        )
        if request is None:
            raise Http404
        if request.status != ErasureRequest.Status.PENDING:
            raise ValidationError(_("Permintaan ini sudah diputuskan; keputusan tidak dapat diubah."))
        request.status = ErasureRequest.Status.APPROVED if approve else ErasureRequest.Status.REFUSED
        request.decided_by = officer
        request.decided_at = timezone.now()
        request.reason = reason
        request.save(update_fields=["status", "decided_by", "decided_at", "reason"])
        if approve:
            erase(request.participant)
        record_action(
            actor=officer,
            target=request,
            operation=gettext_noop("keputusan penghapusan data pribadi"),
            changes={"status": (ErasureRequest.Status.PENDING, request.status)},
            reason=reason,
        )
    return request


def erase(participant: Participant) -> None:
    """Replace every personal field of the person with a pseudonym, for good. Kept: what the
    aggregates count (sex, birth year, domicile, education, category, disability, activity), the
    applications, enrolments, attendance and tracer answers, which now belong to the pseudonym; and
    issued certificates, still valid (credential erasure step). The old values are kept nowhere: the
    audit trail's copies of them are overwritten too."""
    participant = (
        Participant.objects.select_for_update(of=("self",)).select_related("user").get(pk=participant.pk)
    )
    if participant.erased_at is not None:
        return
    pseudonym = f"Peserta terhapus {secrets.token_hex(4)}"
    user = participant.user
    secrets_to_hide = [
        participant.full_name,
        participant.email,
        participant.phone,
        participant.nip,
        participant.nik,
        pii.decrypt(participant.kk_encrypted),
        participant.birth_date.isoformat(),
    ]
    if user is not None:
        secrets_to_hide += [user.email, user.username, user.get_full_name(), user.first_name, user.last_name]
    touched: list[Model] = [participant]
    with disable_auditlog():
        # A fresh random hash: the NIK is free again and no longer links to this record.
        participant.nik_hash = pii.keyed_hash(secrets.token_hex(16))
        participant.nik_encrypted = ""
        participant.kk_encrypted = ""
        participant.nip = ""
        participant.full_name = pseudonym
        # Mid-year of the same year: ages and age bands on the dashboards stay as they were.
        participant.birth_date = date(participant.birth_date.year, 7, 1)
        participant.phone = ""
        participant.email = ""
        participant.erased_at = timezone.now()
        participant.save()
        touched += list(participant.invitations.all())
        participant.invitations.all().delete()
        if user is not None:
            token = secrets.token_hex(8)
            user.username = f"dihapus-{token}"
            user.email = f"dihapus-{token}@{ERASED_EMAIL_DOMAIN}"
            user.first_name = ""
            user.last_name = pseudonym
            user.is_active = False
            user.set_unusable_password()
            user.save()
            user.notifications.all().delete()
            touched.append(user)
        for step in _ERASURE_STEPS:
            touched += list(step(participant, pseudonym))
    _scrub_audit_trail(touched, [s for s in secrets_to_hide if s and len(s) >= 3])


def _scrub_audit_trail(records: list[Model], hidden: list[str]) -> None:
    """Overwrite the old values in the audit entries of the erased records (and in any entry whose
    description names the person): the trail keeps what happened and when, not to whom."""
    hidden = sorted(set(hidden), key=len, reverse=True)

    def clean(value):
        if isinstance(value, str):
            for secret in hidden:
                value = value.replace(secret, MASK)
            return value
        if isinstance(value, list):
            return [clean(v) for v in value]
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        return value

    by_object = Q(pk__in=[])
    for record in records:
        by_object |= Q(
            content_type=ContentType.objects.get_for_model(record._meta.model), object_pk=str(record.pk)
        )
    named = Q(pk__in=[])
    for secret in hidden:
        named |= Q(object_repr__contains=secret)
    for entry in LogEntry.objects.filter(by_object | named).iterator():
        entry.changes = clean(entry.changes)
        entry.changes_text = clean(entry.changes_text)
        entry.object_repr = clean(entry.object_repr)
        entry.serialized_data = None
        entry.additional_data = clean(entry.additional_data)
        entry.save(
            update_fields=["changes", "changes_text", "object_repr", "serialized_data", "additional_data"]
        )


def erase_many(participant_pks: list[int]) -> None:
    """Retention's pseudonymisation of a batch of people (learning/privacy.py decides who)."""
    for participant in Participant.objects.filter(pk__in=participant_pks, erased_at__isnull=True):
        erase(participant)


def register_retention() -> None:
    from sinergi.core.retention import add_policy

    add_policy(
        "personal_data_views",
        gettext_lazy("Catatan tampilan data pribadi"),
        lambda cutoff: PersonalDataView.objects.filter(viewed_at__lt=cutoff),
    )
