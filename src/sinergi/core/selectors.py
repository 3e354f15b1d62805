from auditlog.models import LogEntry
from django.db.models import QuerySet
from django.http import Http404

from sinergi.accounts.scoping import get_visible_or_404, scope_for
from sinergi.core.models import Job, Notification


def audit_entries_visible_to(user, *, model: str = "") -> QuerySet[LogEntry]:
    """The audit trail is the national admin's to browse; anyone else gets a 404."""
    if not scope_for(user).is_national:
        raise Http404
    qs = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp")
    if model:
        qs = qs.filter(content_type__model=model.lower())
    return qs


def notifications_of(user) -> QuerySet[Notification]:
    """A person's own messages only; nobody reads another's inbox, national admins included."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(user=user)


def notification_of(user, pk: int) -> Notification:
    return get_visible_or_404(notifications_of(user), pk=pk)


def jobs_visible_to(user) -> QuerySet[Job]:
    if scope_for(user).is_national:
        return Job.objects.all()
    return Job.objects.filter(created_by=user)


def job_visible_to(user, pk: int) -> Job:
    return get_visible_or_404(jobs_visible_to(user), pk=pk)


def pending_job_count() -> int:
    """For /healthz: jobs queued or running (a growing number means the workers are behind)."""
    return Job.objects.filter(status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).count()
