"""Retention periods per record type (UU 27/2022 PDP: personal data is kept no longer than needed).

Each app registers, for the records it owns, a policy: the setting that gives its period in years
(settings.RETENTION_YEARS) and a function returning the records past it. `apply` (the command
`sinergi apply_retention [--dry-run]` and the nightly Celery beat job) reports, per policy, how many
records are past their period, and removes them unless it is a dry run. Each kind names its action
(delete, or pseudonymise). Removal goes in batches, so a run interrupted half-way leaves whole
batches removed and the next run takes up the rest."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise

BATCH = 1000


@dataclass(frozen=True)
class Policy:
    code: str  # the key in settings.RETENTION_YEARS
    label: str | Promise
    expired: Callable[[datetime], QuerySet]  # cutoff → the records older than it
    # What happens to a batch of them (their pks); by default they are deleted. A record others
    # depend on (a participant in a published allocation run) is pseudonymised instead.
    action: Callable[[list], None] | None = None


@dataclass(frozen=True)
class Outcome:
    code: str
    label: str
    years: int
    cutoff: datetime
    count: int
    removed: int


_POLICIES: dict[str, Policy] = {}


def add_policy(
    code: str,
    label: str | Promise,
    expired: Callable[[datetime], QuerySet],
    action: Callable[[list], None] | None = None,
) -> None:
    _POLICIES[code] = Policy(code, label, expired, action)


def policies() -> list[Policy]:
    return sorted(_POLICIES.values(), key=lambda p: p.code)


def apply(*, dry_run: bool, now: datetime | None = None) -> list[Outcome]:
    now = now or timezone.now()
    outcomes = []
    for policy in policies():
        years = int(settings.RETENTION_YEARS[policy.code])
        cutoff = now - timedelta(days=round(365.25 * years))
        expired = policy.expired(cutoff)
        count = expired.count()
        removed = 0
        if not dry_run:
            model = expired.model
            while True:
                pks = list(policy.expired(cutoff).values_list("pk", flat=True)[:BATCH])
                if not pks:
                    break
                with transaction.atomic():
                    if policy.action is None:
                        model.objects.filter(pk__in=pks).delete()
                    else:
                        policy.action(pks)
                removed += len(pks)
        outcomes.append(Outcome(policy.code, str(policy.label), years, cutoff, count, removed))
    return outcomes
