"""Demo step after the seed agreements: a TKKSD discussion on the Samarinda–Kemnaker nota
kesepakatan (still in Pembahasan) and a monev round on the Palembang one, so the office pages and
the public "Riwayat monev" have something to show. Idempotent: skipped where records already exist."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from sinergi.partnerships.models import Agreement, MonevRound, Status
from sinergi.partnerships.services import add_review_comment, record_monev

KEMNAKER = "Peningkatan Kompetensi Sumber Daya Manusia Kota Samarinda"
PALEMBANG = "Peningkatan Kecakapan Digital Aparatur dan Masyarakat Kota Palembang"


@transaction.atomic
def seed_partnership_workflow(stdout=None) -> None:
    users = get_user_model().objects
    samarinda_admin = users.filter(username="admin.samarinda").first()
    palembang_admin = users.filter(username="admin.palembang").first()
    added = 0
    kemnaker = Agreement.objects.filter(title=KEMNAKER, status=Status.PEMBAHASAN).first()
    if kemnaker and samarinda_admin and not kemnaker.review_comments.exists():
        question = add_review_comment(
            kemnaker,
            user=samarinda_admin,
            body="Bagian Hukum: mohon rincian target 10.000 UKM per tahun dicantumkan dalam rencana aksi, "
            "agar dapat dipantau setiap semester.",
        )
        add_review_comment(
            kemnaker,
            user=samarinda_admin,
            body="Disepakati dengan BLK Samarinda: 2.000 UKM per tahun selama lima tahun.",
            parent=question,
        )
        added += 2
    palembang = Agreement.objects.filter(title=PALEMBANG, status=Status.BERLAKU).first()
    if palembang and not MonevRound.objects.filter(agreement=palembang).exists():
        record_monev(
            palembang,
            user=palembang_admin,
            evaluated_on=timezone.localdate(),
            period_label="Tahun ke-4",
            recommendation=MonevRound.Recommendation.CONTINUE,
            notes="Kelas tingkat dasar berjalan; kelas lanjut dan sertifikasi bersama universitas "
            "internasional perlu dipercepat sebelum kerja sama berakhir.",
        )
        added += 1
    if stdout is not None:
        stdout.write(f"  {added} catatan pembahasan/monev baru")
