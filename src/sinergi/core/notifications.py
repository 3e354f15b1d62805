"""Send a user an in-app notification and, when they have an address, the same text by e-mail."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from sinergi.core.models import Notification


def notify(
    user, title: str, body: str = "", url: str = "", *, dedupe_key: str = "", email: bool = True
) -> bool:
    """Returns False when a notification with the same dedupe_key was already sent to this user.

    The unique constraint, not a prior lookup, decides, so two workers running the same scheduled job
    at once still send one message.
    """
    try:
        with transaction.atomic():
            Notification.objects.create(user=user, title=title, body=body, url=url, dedupe_key=dedupe_key)
    except IntegrityError:
        return False
    if email and user.email:
        link = f"\n\n{settings.SITE_URL.rstrip('/')}{url}" if url else ""
        transaction.on_commit(lambda: send_mail(title, body + link, None, [user.email], fail_silently=True))
    return True
