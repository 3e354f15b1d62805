"""`sinergi rotate-keys`: re-encrypt every registered encrypted column (core/keys.py) under the first
key of its key list, with no downtime and resumable.

The operator puts the new key in front of the old ones (PII_ENCRYPTION_KEY="new,old") and restarts
the web and worker processes: from then on every process writes with the new key and reads with
any of them, so the site keeps working while old tokens remain. This command then rewrites the old
tokens (MultiFernet.rotate) in batches of rows in primary-key order, each batch one short
transaction that locks only its rows (a concurrent profile save waits for it, then writes on top).
After each batch the last primary key done is kept in a Job row: a run killed half-way is started
again with the same command and carries on from there, towards the same key (the fingerprint of
the first key, never the key itself, is stored). Rotating rows already under the new key rewrites
them under the same key again, which is harmless, so a second run, or a batch redone after a crash
between its commit and its checkpoint, changes nothing a reader can tell. Only once a run reports
"selesai" may the old key be dropped from the list."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from sinergi.core.keys import EncryptedColumns, encrypted_columns
from sinergi.core.models import Job

JOB_KIND = "core.rotate_keys"
BATCH = 500


@dataclass
class Progress:
    name: str
    rows: int = 0
    resumed_after: int = 0


def _fingerprints() -> dict[str, str]:
    return {columns.name: columns.fingerprint() for columns in encrypted_columns()}


def _unfinished_run(fingerprints: dict[str, str]) -> Job | None:
    return (
        Job.objects.filter(kind=JOB_KIND, status=Job.Status.RUNNING, params__target=fingerprints)
        .order_by("-created_at")
        .first()
    )


def rotate(
    *, batch: int = BATCH, after_batch: Callable[[str, int], None] | None = None, user=None
) -> tuple[Job, list[Progress]]:
    """Re-encrypt everything registered; resume an interrupted run towards the same keys.
    `after_batch(name, last_pk)` is called after each committed batch (progress output; tests)."""
    fingerprints = _fingerprints()
    job = _unfinished_run(fingerprints)
    if job is None:
        job = Job.objects.create(
            kind=JOB_KIND,
            status=Job.Status.RUNNING,
            params={"target": fingerprints, "cursor": {}},
            created_by=user,
        )
    report = []
    for columns in encrypted_columns():
        progress = Progress(columns.name, resumed_after=int(job.params["cursor"].get(columns.name, 0)))
        _rotate_columns(job, columns, progress, batch, after_batch)
        report.append(progress)
    job.status = Job.Status.DONE
    job.finished_at = timezone.now()
    job.message = "selesai"
    job.save(update_fields=["status", "finished_at", "message"])
    return job, report


def _rotate_columns(job: Job, columns: EncryptedColumns, progress: Progress, batch: int, after_batch) -> None:
    model = columns.model()
    cipher = columns.cipher()
    last = progress.resumed_after
    while True:
        with transaction.atomic():
            rows = list(
                model.objects.select_for_update()
                .filter(pk__gt=last)
                .order_by("pk")
                .only("pk", *columns.fields)[:batch]
            )
            if not rows:
                break
            for row in rows:
                changed = []
                for field in columns.fields:
                    token = getattr(row, field)
                    if token:
                        setattr(row, field, cipher.rotate(token.encode()).decode())
                        changed.append(field)
                if changed:
                    model.objects.filter(pk=row.pk).update(**{f: getattr(row, f) for f in changed})
            last = rows[-1].pk
            progress.rows += len(rows)
            job.params = {**job.params, "cursor": {**job.params["cursor"], columns.name: last}}
            job.progress += len(rows)
            job.save(update_fields=["params", "progress"])
        if after_batch is not None:
            after_batch(columns.name, last)
