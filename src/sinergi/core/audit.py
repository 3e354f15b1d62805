"""One audit-trail entry for a bulk operation (an import, a class's attendance, a bulk confirmation,
an allocation published). Bulk writes bypass the per-row signals django-auditlog listens to, so the
operation records itself once: who, when, what and how many rows, shown at /audit/ like any change."""

from __future__ import annotations

from collections.abc import Mapping

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model


def record_bulk(*, actor, target: Model | type[Model], operation: str, counts: Mapping[str, int]) -> LogEntry:
    """`target` is the record the operation acted on (a class session, a run) or, when there is none
    (a participant import), the model of the rows written. `counts` become the entry's changes, one
    line per count, so the trail reads "dibuat: — → 120"."""
    model = target if isinstance(target, type) else type(target)
    pk = None if isinstance(target, type) else target.pk
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        object_pk="" if pk is None else str(pk),
        object_id=pk if isinstance(pk, int) else None,
        object_repr=operation if pk is None else f"{target} — {operation}",
        action=LogEntry.Action.UPDATE if pk is not None else LogEntry.Action.CREATE,
        changes={label: ["", str(n)] for label, n in counts.items()},
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        additional_data={"operasi": operation, **counts},
    )


def record_action(
    *, actor, target: Model, operation: str, changes: Mapping[str, tuple[object, object]], reason: str = ""
) -> LogEntry:
    """One audit-trail entry for a named action on one record (e.g. a batch's registration closed
    early): the fields it moved, old → new, and why, so the trail says more than a bare save would."""
    extra: dict[str, object] = {"operasi": operation}
    if reason:
        extra["alasan"] = reason
    return LogEntry.objects.create(
        # _meta, not type(): the target may be request.user, a lazy object standing in for the model.
        content_type=ContentType.objects.get_for_model(target._meta.model),
        object_pk=str(target.pk),
        object_id=target.pk if isinstance(target.pk, int) else None,
        object_repr=f"{target} — {operation}",
        action=LogEntry.Action.UPDATE,
        changes={label: [str(old), str(new)] for label, (old, new) in changes.items()},
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        additional_data=extra,
    )


def mask_fully(value: str) -> str:
    """auditlog's mask for personal fields: the trail says the field changed, never to or from what
    (its default keeps half the characters, which for a birth date or a phone is most of it)."""
    return "********" if value else ""
