"""Public pages (no login): the list of agreements and one agreement with its commitments' progress.
Signed-in users see the same pages through their scope (their region's drafts too)."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from sinergi.partnerships.metrics import agreement_rollup, commitment_progress
from sinergi.partnerships.models import Status
from sinergi.partnerships.selectors import agreement_detail as select_agreement
from sinergi.partnerships.selectors import agreements_visible_to


def agreement_list(request: HttpRequest) -> HttpResponse:
    qs = agreements_visible_to(request.user).prefetch_related("parties__organization")
    status = request.GET.get("status", "")
    if status in Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "partnerships/agreement_list.html",
        {"page": page, "status": status, "statuses": Status.choices},
    )


def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = select_agreement(request.user, pk)
    today = timezone.localdate()
    commitments = [(c, commitment_progress(c, today)) for c in agreement.commitments.all()]
    return render(
        request,
        "partnerships/agreement_detail.html",
        {
            "agreement": agreement,
            "commitments": commitments,
            "rollup": agreement_rollup(agreement, today),
            "children": agreements_visible_to(request.user).filter(parent=agreement),
        },
    )
