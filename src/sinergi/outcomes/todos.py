"""The officer's home-page to-do: tracer invitations sent and still unanswered."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sinergi.core.registry import Todo
from sinergi.outcomes.selectors import unanswered_invitations


def tracer_todos(request) -> list[Todo]:
    return [
        Todo(
            _("Jawaban tracer lulusan yang belum masuk"),
            unanswered_invitations(request.user),
            reverse("outcomes:program_list"),
        )
    ]
