"""Demo step 40: allocate the Palembang batch, publish, let some people decline or accept, backfill.

Decisions are drawn from a fixed random generator so every `seed_demo` tells the same story; the
demo participant account ("peserta") keeps an open offer, so signing in as them shows the buttons."""

from __future__ import annotations

import random
import sys
from typing import TextIO

from django.db import transaction

from sinergi.accounts.models import Role, User
from sinergi.core.demo import PALEMBANG_BATCH
from sinergi.programs.models import Batch
from sinergi.selection import services
from sinergi.selection.models import AllocationRun, Offer, OfferStatus, RunKind

DECLINE_SHARE = 0.10
ACCEPT_SHARE = 0.4


def seed_selection(stdout: TextIO | None = None) -> None:
    out = stdout or sys.stdout
    batch = Batch.objects.filter(name=PALEMBANG_BATCH).first()
    admin = User.objects.filter(username="admin.palembang", role=Role.REGIONAL_ADMIN).first()
    if batch is None or admin is None:
        out.write("Alokasi kursi: gelombang Palembang atau admin.palembang belum ada; dilewati.\n")
        return
    summary = allocate_demo_batch(batch, admin)
    out.write(f"Alokasi kursi: {summary}\n")


@transaction.atomic  # one commit for the whole story: hundreds of answers, no disk sync for each
def allocate_demo_batch(batch: Batch, admin: User, *, keep_open_for: str = "peserta") -> str:
    """Main run → publish → ~10 % declined, about half accepted → backfill run → publish. Idempotent."""
    if AllocationRun.objects.filter(batch=batch).exists():
        return "sudah ada, dilewati"
    if not services.allocatable_applications(batch).exists():
        return "belum ada pendaftar, dilewati"
    main = services.create_run(admin, batch, reason="Alokasi utama gelombang 1")
    main = services.draw_seed(admin, main)
    main = services.compute(admin, main)
    first = services.publish(admin, main, response_days=7)

    rng = random.Random(2026)
    offers = [
        o
        for o in Offer.objects.filter(run=main).select_related("participant__user").order_by("pk")
        if not (o.participant.user and o.participant.user.username == keep_open_for)
    ]
    rng.shuffle(offers)
    n_decline = max(1, round(len(offers) * DECLINE_SHARE)) if offers else 0
    n_accept = round(len(offers) * ACCEPT_SHARE)
    for offer in offers[:n_decline]:
        services.respond(offer.pk, accept=False)
    for offer in offers[n_decline : n_decline + n_accept]:
        services.respond(offer.pk, accept=True)

    backfill = services.create_run(
        admin, batch, kind=RunKind.BACKFILL, reason="Kursi yang ditolak peserta diisi dari daftar tunggu"
    )
    backfill = services.draw_seed(admin, backfill)
    backfill = services.compute(admin, backfill)
    second = services.publish(admin, backfill, response_days=7)
    accepted = Offer.objects.filter(batch=batch, status=OfferStatus.ACCEPTED).count()
    return (
        f"{first.offers} tawaran, {n_decline} ditolak, {accepted} diterima; "
        f"alokasi susulan {second.offers} tawaran baru"
    )
