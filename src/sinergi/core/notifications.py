"""Send a user an in-app notification and, when they have an address, the same text by e-mail.

The e-mail never leaves inside the request: notify() writes the notification as an outbox row, and one
background job per committed transaction sends every row still waiting (in batches, over one
connection). A notification is stored once per (user, dedupe_key), and its e-mail is claimed before it
is sent, so neither a repeated event nor a retried job sends a second e-mail.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from sinergi.core.jobs import enqueue, job_handler
from sinergi.core.models import Job, Notification

SEND_EMAILS = "core.notification_emails"
EMAIL_BATCH = 100


def notify(
    user, title: str, body: str = "", url: str = "", *, dedupe_key: str = "", email: bool = True
) -> bool:
    """Returns False when a notification with the same dedupe_key was already sent to this user.

    The unique constraint, not a prior lookup, decides, so two workers running the same scheduled job
    at once still send one message.
    """
    wanted = bool(email and user.email)
    try:
        with transaction.atomic():
            Notification.objects.create(
                user=user, title=title, body=body, url=url, dedupe_key=dedupe_key, email_wanted=wanted
            )
    except IntegrityError:
        return False
    if wanted:
        queue_emails()
    return True


def queue_emails() -> None:
    """Start the sending job once the current transaction commits (once per transaction, however many
    notifications it wrote); nothing is sent for a transaction that rolls back."""
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        isinstance(callback, _SendAfterCommit) and not callback.ran
        for _sids, callback, _robust in connection.run_on_commit
    ):
        return
    transaction.on_commit(_SendAfterCommit())


class _SendAfterCommit:
    """The commit hook of one transaction's e-mails; it remembers having run, so a later transaction on
    the same connection queues its own job."""

    def __init__(self) -> None:
        self.ran = False

    def __call__(self) -> None:
        self.ran = True
        enqueue(SEND_EMAILS)


def absolute_url(path: str) -> str:
    """A link for an e-mail, PDF or QR code: always on the configured public address."""
    if not path or path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL.rstrip("/") + path


def email_text(notification: Notification) -> str:
    link = absolute_url(notification.url)
    return notification.body + (f"\n\n{link}" if link else "")


@job_handler(SEND_EMAILS)
def send_emails_job(job: Job, **_params: Any) -> dict[str, Any]:
    return {"sent": send_pending_emails()}


def send_claimed_batches(
    todo: QuerySet[Any],
    *,
    claim_field: str,
    size: int,
    messages_for: Callable[[list[int]], list[EmailMessage]],
) -> Iterator[tuple[list[int], int]]:
    """Send the e-mails of the rows in `todo`, `size` rows at a time over one connection. Each batch is
    claimed (`claim_field` set) and committed before anything is sent, so a retried or a concurrent
    job never sends a claimed row again; a batch whose sending fails is released for the next try and
    the error raised. Yields each sent batch's row ids and how many e-mails it sent."""
    rows = todo.model._default_manager
    mail = get_connection()
    while True:
        with transaction.atomic():
            ids = list(
                todo.select_for_update(skip_locked=True).order_by("pk").values_list("pk", flat=True)[:size]
            )
            if not ids:
                return
            rows.filter(pk__in=ids).update(**{claim_field: timezone.now()})
        messages = messages_for(ids)
        try:
            mail.send_messages(messages)
        except Exception:
            rows.filter(pk__in=ids).update(**{claim_field: None})
            raise
        yield ids, len(messages)


def send_pending_emails() -> int:
    """Send every notification e-mail still waiting (see send_claimed_batches)."""
    todo = Notification.objects.filter(email_wanted=True, emailed_at__isnull=True)
    batches = send_claimed_batches(
        todo, claim_field="emailed_at", size=EMAIL_BATCH, messages_for=_notification_emails
    )
    return sum(count for _ids, count in batches)


def _notification_emails(ids: list[int]) -> list[EmailMessage]:
    notes = Notification.objects.filter(pk__in=ids).select_related("user").order_by("pk")
    return [
        EmailMessage(
            note.title,
            email_text(note),
            None,
            [note.user.email],
            headers={"X-Sinergi-Key": note.dedupe_key or f"notification:{note.pk}"},
        )
        for note in notes
        if note.user.email
    ]
