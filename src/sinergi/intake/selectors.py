"""Reads for intake: drafts through drafts_visible_to(), organisations through the accounts scope."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rapidfuzz import fuzz

from sinergi.accounts.models import Organization
from sinergi.accounts.scoping import get_visible_or_404, scope_for
from sinergi.accounts.selectors import organizations_visible_to
from sinergi.intake.models import IntakeDraft
from sinergi.intake.prefill import PartyProposal
from sinergi.regions.models import Region

OFFICER_ROLES = ("regional_admin", "national_admin")
GOV_LEVELS = ("province", "regency", "city")
AUTO_PICK = 85  # a suggestion this good is preselected; below it the officer chooses


def may_use_intake(user) -> bool:
    scope = scope_for(user)
    return scope.is_national or scope.is_regional


def drafts_visible_to(user) -> QuerySet[IntakeDraft]:
    """National: every draft. Regional: drafts made in their region (a province sees its kab/kota)."""
    scope = scope_for(user)
    qs = IntakeDraft.objects.select_related("region", "created_by", "agreement")
    if scope.is_national:
        return qs
    if scope.is_regional:
        return qs.filter(scope.region_q("region"))
    return qs.none()


def draft_for(user, pk: int) -> IntakeDraft:
    return get_visible_or_404(drafts_visible_to(user), pk=pk)


def agreement_regions(user) -> QuerySet[Region]:
    """Regions an agreement drafted here may be filed under: a province, kab or kota within the
    officer's scope (every one for the national office)."""
    return scope_for(user).regions(Region.objects.filter(level__in=GOV_LEVELS))


def open_drafts(user) -> QuerySet[IntakeDraft]:
    return drafts_visible_to(user).exclude(status=IntakeDraft.Status.CREATED)


# ---------------------------------------------------------------------- organisation suggestions


@dataclass(frozen=True)
class Suggestion:
    organization: Organization
    score: int
    reason: str


# Which platform kinds an extracted kind may stand for ("agency" covers a ministry's units and offices).
_COMPATIBLE = {
    "ministry": {"ministry"},
    "agency": {"agency", "opd", "provider", "lsp"},
    "province_gov": {"province_gov"},
    "regency_gov": {"regency_gov"},
    "city_gov": {"city_gov"},
    "university": {"university"},
    "company": {"company"},
    "opd": {"opd", "agency"},
}
# Words news writers shorten; expanded so "Pemkot X" and "Pemerintah Kota X" compare equal.
_EXPAND = {
    "pemkot": "pemerintah kota",
    "pemkab": "pemerintah kabupaten",
    "pemprov": "pemerintah provinsi",
    "kab": "kabupaten",
    "kemenkominfo": "kementerian komunikasi dan informatika",
    "kominfo": "komunikasi dan informatika",
    "litbang": "penelitian dan pengembangan",
    "balitbang": "badan penelitian dan pengembangan",
    "sdm": "sumber daya manusia",
    "kemnaker": "kementerian ketenagakerjaan",
    "kemenaker": "kementerian ketenagakerjaan",
    "ri": "",
}


def _norm(name: str) -> str:
    words = re.sub(r"[^\w\s]", " ", name.lower()).split()
    return " ".join(w for w in (_EXPAND.get(w, w) for w in words) if w)


def _names(org: Organization) -> list[str]:
    names = [org.name]
    if org.short_name:
        names.append(org.short_name)
    names += [a.strip() for a in org.aliases.split(",") if a.strip()]
    return names


def organization_candidates(user) -> list[Organization]:
    return list(organizations_visible_to(user).order_by("name"))


def suggest_organizations(
    party: PartyProposal, candidates: list[Organization], limit: int = 5
) -> list[Suggestion]:
    """Existing organisations that may be this party, best first, each with the reason in words."""
    party_names = {_norm(n) for n in [party.name, *party.mentions] if n.strip()}
    canonical = _norm(party.name)
    compatible = _COMPATIBLE.get(party.kind)
    out: list[Suggestion] = []
    for org in candidates:
        kind_ok = compatible is None or org.kind in compatible
        same_region = bool(party.region_code) and org.region_id == party.region_code
        region_clash = bool(party.region_code) and org.region_id is not None and not same_region
        org_names = {_norm(n) for n in _names(org)}
        if canonical in org_names:
            score, reason = 98, _("nama sama")
        elif party_names & org_names:
            score, reason = 90, _("nama lain (alias) cocok")
        else:
            ratio = max(fuzz.token_set_ratio(canonical, n) for n in org_names)
            ratio = max(ratio, max(fuzz.ratio(p, n) for p in party_names for n in org_names))
            score, reason = int(ratio * 0.9), _("nama mirip")
        if same_region and org.kind == party.kind:
            # One government per region and level: the Kemendagri code and kind identify it, and the
            # name only breaks ties with other bodies filed under the same kind.
            score, reason = max(score, 80) + 15, _("wilayah dan jenis sama")
        else:
            score += 5 if kind_ok else -10
        if region_clash:
            score -= 25
        if score >= 60:
            out.append(Suggestion(org, min(score, 100), reason))
    out.sort(key=lambda s: (-s.score, s.organization.name))
    return out[:limit]


def preselected(suggestions: list[Suggestion]) -> Organization | None:
    return suggestions[0].organization if suggestions and suggestions[0].score >= AUTO_PICK else None
