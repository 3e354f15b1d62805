"""The readiness to-dos on the home page: drafts to finish, assessments waiting for assessors, scoring."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.scoping import scope_for
from sinergi.core.registry import Todo
from sinergi.readiness import selectors
from sinergi.readiness.models import Assessment


def readiness_todos(request) -> list[Todo]:
    scope = scope_for(request.user)
    url = reverse("readiness:index")
    if scope.role == "assessor":
        return [
            Todo(
                _("Penilaian kesiapan menunggu nilai Anda"),
                selectors.open_assignments(request.user).count(),
                url,
            )
        ]
    visible = selectors.assessments_visible_to(request.user)
    if scope.is_regional:
        visible = visible.filter(scope.region_q("region"))
    todos = [
        Todo(
            _("Penilaian kesiapan mandiri belum diajukan"),
            visible.filter(status=Assessment.Status.DRAFT).count(),
            url,
        )
    ]
    if scope.is_national:
        waiting = (
            visible.filter(status=Assessment.Status.SUBMITTED).exclude(assignments__isnull=False).count()
        )
        todos.append(Todo(_("Penilaian kesiapan belum punya asesor"), waiting, url, urgent=True))
        todos.append(
            Todo(
                _("Rapat konsensus asesor terbuka"),
                visible.filter(status=Assessment.Status.CONSENSUS).count(),
                url,
            )
        )
    return todos
