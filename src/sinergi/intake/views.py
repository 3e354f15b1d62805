"""Pages for drafting an agreement from a news text or an MoU document (regional and national admins).

    /kerja-sama/draf/            paste a text or upload a PDF/DOCX; open drafts to resume
    /kerja-sama/draf/<pk>/       the source beside the draft: correct, map parties, confirm
Everyone else gets a 404, as for any record outside their scope."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from sinergi.accounts.models import Organization
from sinergi.accounts.scoping import scope_for
from sinergi.core.access import OFFICE, role_required
from sinergi.intake.extract import InputRejected
from sinergi.intake.forms import (
    NEW,
    SKIP,
    AgreementDraftForm,
    CommitmentFormSet,
    PartyFormSet,
    SourceForm,
    region_choices,
)
from sinergi.intake.highlight import render_marked
from sinergi.intake.models import IntakeDraft
from sinergi.intake.prefill import Proposal, propose
from sinergi.intake.selectors import (
    agreement_regions,
    draft_for,
    open_drafts,
    organization_candidates,
    preselected,
    suggest_organizations,
)
from sinergi.intake.services import (
    ConfirmedParty,
    DocumentRejected,
    NewOrganization,
    create_from_draft,
    delete_draft,
    rejection_message,
    save_corrections,
    start_draft,
)
from sinergi.partnerships.models import Scheme
from sinergi.partnerships.services import CommitmentInput
from sinergi.regions.selectors import region_with_code


def officer_required(view):
    """National and regional admins (intake.selectors.may_use_intake); another role is a 403."""
    return role_required(*OFFICE)(view)


@officer_required
# Reading a text costs about a second of CPU (more for long ones): a generous cap per officer.
@ratelimit(key="user", rate="30/m", method="POST", block=False)
def start(request: HttpRequest) -> HttpResponse:
    if getattr(request, "limited", False):
        return render(request, "core/rate_limited.html", status=429)
    form = SourceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file")
        try:
            draft = start_draft(user=request.user, text=form.cleaned_data.get("text") or "", upload=upload)
        except DocumentRejected as exc:
            form.add_error("file", exc.message)
        except InputRejected as exc:
            form.add_error("file" if upload else "text", rejection_message(exc))
        else:
            return redirect("intake:review", pk=draft.pk)
    return render(
        request,
        "intake/start.html",
        {"form": form, "drafts": open_drafts(request.user)[:20]},
        status=400 if form.errors else 200,
    )


def _org_label(org: Organization) -> str:
    where = org.region.name if org.region_id and org.region else _("Nasional")
    return f"{org.name} — {where}"


class Review:
    """Everything the review page needs, built the same way for showing, saving and confirming."""

    def __init__(self, request: HttpRequest, draft: IntakeDraft, data: QueryDict | None) -> None:
        user = request.user
        self.draft = draft
        self.proposal: Proposal = propose(
            draft.extraction, draft.source_text, today=timezone.localdate(), headline=draft.headline
        )
        scope = scope_for(user)
        regions = agreement_regions(user)
        work_region = getattr(user, "work_region", None)
        p = self.proposal
        party_region = next(
            (pp.region_code for pp in p.parties if pp.kind.endswith("_gov") and pp.region_code), None
        )
        region_initial = (
            party_region
            if party_region and regions.filter(code=party_region).exists()
            else (
                work_region.code if work_region and regions.filter(code=work_region.code).exists() else None
            )
        )
        gov_parties = sum(1 for pp in p.parties if pp.kind.endswith("_gov"))
        self.form = AgreementDraftForm(
            data,
            regions=regions,
            region_required=not scope.is_national,
            initial={
                "title": p.title.value,
                "type": p.type.value,
                "status": p.status.value,
                "scheme": Scheme.KSDD if gov_parties >= 2 else Scheme.KSDPK,
                "signed_date": p.signed_date.value,
                "signed_place": (p.place.value or "")[:120],
                "start_date": p.start_date.value,
                "end_date": p.end_date.value,
                "topics": [t.value for t in p.topics],
                "region": region_initial,
            },
        )
        candidates = organization_candidates(user)
        everyone = (_("Semua organisasi"), [(str(o.pk), _org_label(o)) for o in candidates])
        regions_list = region_choices()
        per_form, initial = [], []
        self.suggestions = []
        for party in p.parties:
            found = suggest_organizations(party, candidates)
            self.suggestions.append(found)
            choices: list[Any] = [("", _("— pilih —"))]
            if found:
                choices.append(
                    (
                        _("Saran"),
                        [
                            (str(s.organization.pk), f"{_org_label(s.organization)} ({s.reason})")
                            for s in found
                        ],
                    )
                )
            choices += [(NEW, _("Buat organisasi baru")), (SKIP, _("Bukan pihak: abaikan")), everyone]
            per_form.append({"org_choices": choices, "regions": regions_list})
            pick = preselected(found)
            initial.append(
                {
                    "organization": str(pick.pk) if pick else NEW,
                    "role": party.role,
                    "new_name": party.name,
                    "new_kind": party.kind,
                    "new_region": party.region_code or "",
                    "signatory_name": party.signatory_name,
                    "signatory_position": party.signatory_position,
                }
            )
        extra = {
            "org_choices": [
                ("", _("— tidak ada pihak tambahan —")),
                (NEW, _("Buat organisasi baru")),
                everyone,
            ],
            "regions": regions_list,
        }
        self.parties = PartyFormSet(
            data,
            prefix="pihak",
            initial=initial,
            per_form=per_form,
            extra_kwargs=extra,
            extra_rows=max(1, 2 - len(p.parties)),
        )
        self.commitments = CommitmentFormSet(
            data,
            prefix="komitmen",
            initial=[
                {
                    "include": c.include,
                    "title": c.title,
                    "target_value": c.quantity,
                    "unit": c.unit,
                    "deadline": c.deadline.isoformat(),
                    "metric_key": "manual",
                }
                for c in p.commitments
            ],
        )
        self.orgs_by_id = {str(o.pk): o for o in candidates}

    def is_valid(self) -> bool:
        # Evaluate all three so every error shows at once.
        results = [self.form.is_valid(), self.parties.is_valid(), self.commitments.is_valid()]
        return all(results)

    def context(self) -> dict[str, Any]:
        p = self.proposal
        party_rows = []
        for i, form in enumerate(self.parties.forms):
            proposal = p.parties[i] if i < len(p.parties) else None
            party_rows.append((form, proposal, self.suggestions[i] if proposal else []))
        topics = {t.value: t for t in p.topics}
        commitment_rows = []
        for i, form in enumerate(self.commitments.forms):
            commitment_rows.append((form, p.commitments[i] if i < len(p.commitments) else None))
        return {
            "draft": self.draft,
            "proposal": p,
            "form": self.form,
            "parties": self.parties,
            "party_rows": party_rows,
            "commitments": self.commitments,
            "commitment_rows": commitment_rows,
            "topic_rows": [(w, topics.get(w.data["value"])) for w in self.form["topics"]],
            "marked_text": mark_safe(render_marked(self.draft.source_text, p.marks)),  # noqa: S308 - escaped
            "created": self.draft.status == IntakeDraft.Status.CREATED,
            "parties_missing": len(p.parties) < 2,
        }

    def confirmed_parties(self) -> list[ConfirmedParty]:
        out = []
        for form in self.parties.forms:
            data = form.cleaned_data
            if not data or not form.is_party:
                continue
            new = None
            org = self.orgs_by_id.get(data["organization"])
            if data["organization"] == NEW:
                code = data.get("new_region") or None
                new = NewOrganization(
                    data["new_name"], data["new_kind"], region_with_code(code) if code else None
                )
            out.append(
                ConfirmedParty(org, new, data["role"], data["signatory_name"], data["signatory_position"])
            )
        return out

    def confirmed_commitments(self) -> list[CommitmentInput]:
        return [
            CommitmentInput(
                title=f.cleaned_data["title"],
                target_value=f.cleaned_data["target_value"],
                unit=f.cleaned_data["unit"],
                deadline=f.cleaned_data["deadline"],
                metric_key=f.cleaned_data["metric_key"],
            )
            for f in self.commitments.forms
            if f.cleaned_data and f.cleaned_data.get("include")
        ]

    def agreement_fields(self) -> dict[str, Any]:
        d = self.form.cleaned_data
        return {
            "type": d["type"],
            "title": d["title"],
            "status": d["status"],
            "scheme": d["scheme"],
            "signed_date": d["signed_date"],
            "signed_place": d["signed_place"],
            "start_date": d["start_date"],
            "end_date": d["end_date"],
            "topics": list(d["topics"]),
            "region": d["region"],
        }


def _saved_data(draft: IntakeDraft) -> QueryDict | None:
    if not draft.form_data:
        return None
    data = QueryDict(mutable=True)
    for key, values in draft.form_data.items():
        data.setlist(key, list(values))
    return data


@officer_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    draft = draft_for(request.user, pk)
    if draft.status == IntakeDraft.Status.READING:
        return render(request, "intake/reading.html", {"draft": draft})
    if request.method != "POST" or draft.status != IntakeDraft.Status.DRAFT:
        page = Review(
            request, draft, _saved_data(draft) if draft.status == IntakeDraft.Status.DRAFT else None
        )
        return render(request, "intake/review.html", page.context())

    action = request.POST.get("action", "")
    if action == "simpan":
        save_corrections(draft, {k: request.POST.getlist(k) for k in request.POST})
        messages.success(request, _("Koreksi draf disimpan. Anda dapat melanjutkannya nanti."))
        return redirect("intake:review", pk=draft.pk)

    page = Review(request, draft, request.POST)
    if page.is_valid():
        if not page.form.cleaned_data.get("confirm"):
            page.form.add_error(
                "confirm", _("Centang konfirmasi ini untuk membuat kerja sama. Belum ada yang dibuat.")
            )
        else:
            try:
                result = create_from_draft(
                    draft,
                    user=request.user,
                    agreement_fields=page.agreement_fields(),
                    parties=page.confirmed_parties(),
                    commitments=page.confirmed_commitments(),
                )
            except ValidationError as exc:
                for message in exc.messages:
                    page.form.add_error(None, message)
            else:
                messages.success(request, _("Kerja sama dibuat dari draf."))
                for warning in result.warnings:
                    messages.warning(request, warning)
                return redirect("partnerships:agreement_detail", pk=result.agreement.pk)
    messages.error(request, _("Kerja sama belum dibuat: periksa isian yang ditandai."))
    return render(request, "intake/review.html", page.context(), status=400)


@officer_required
def reading(request: HttpRequest, pk: int) -> HttpResponse:
    """Polled while a long text is read in the background; tells htmx to reload when it is done."""
    draft = draft_for(request.user, pk)
    if draft.status != IntakeDraft.Status.READING:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "intake/_reading.html", {"draft": draft})


@officer_required
@require_POST
def discard(request: HttpRequest, pk: int) -> HttpResponse:
    draft = draft_for(request.user, pk)
    try:
        delete_draft(draft)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("intake:review", pk=draft.pk)
    messages.success(request, _("Draf dibuang."))
    return redirect("intake:start")


@officer_required
def source_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    draft = draft_for(request.user, pk)
    if not draft.source_file:
        raise Http404
    try:
        handle = draft.source_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=draft.source_name or "sumber")
