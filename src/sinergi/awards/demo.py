"""Demo award cycle (seed 004: regional heads and ASN who advance digital transformation are awarded):
nominations from Kotim and its peer kabupaten, two jurors (one declares a conflict on one nominee),
ranking from readiness results, Sinergi's records and the jury, and a signed award for each winner."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from sinergi.accounts.models import User
from sinergi.awards import services
from sinergi.awards.models import AwardCategory, AwardCycle
from sinergi.regions.models import Region

NOMINEES = [
    (
        "62.02",
        "Pemerintah Kabupaten Kotawaringin Timur",
        "Sampit Creative Hub: ruang kreatif dan pelatihan digital bagi 1.250 warga.",
        86,
    ),
    ("62.01", "Pemerintah Kabupaten Kotawaringin Barat", "Layanan perizinan daring terpadu.", 74),
    ("62.03", "Pemerintah Kabupaten Kapuas", "Pelatihan literasi digital desa.", 70),
]
HEADS = [
    ("62.02", "Bupati Kotawaringin Timur", "Bupati", "Memimpin masterplan Kotim Smart City enam tahun.", 88),
    ("62.04", "Bupati Barito Selatan", "Bupati", "Mendorong layanan publik berbasis aplikasi.", 72),
]


@transaction.atomic
def seed_awards(stdout) -> None:
    year = timezone.localdate().year
    if AwardCycle.objects.filter(year=year).exists():
        return
    admin = User.objects.get(username="admin.nasional")
    jurors = list(User.objects.filter(username__in=["asesor", "asesor2"]).order_by("username"))
    cycle = services.create_cycle(
        actor=admin,
        name=f"Anugerah Transformasi Digital Daerah {year}",
        year=year,
        description="Penghargaan bagi daerah dan kepala daerah yang memajukan transformasi digital.",
        jurors=jurors,
    )
    society = services.add_category(
        actor=admin,
        cycle=cycle,
        name="Daerah Terbaik Smart Society",
        nominee_kind=AwardCategory.NomineeKind.REGION,
        dimension="SOC",
        criteria=[
            {"key": "assessment_dimension", "weight": "0.4"},
            {"key": "region_metric:readiness.trained_people", "weight": "0.2"},
            {"key": "jury", "weight": "0.4"},
        ],
    )
    heads = services.add_category(
        actor=admin,
        cycle=cycle,
        name="Kepala Daerah Penggerak Transformasi Digital",
        nominee_kind=AwardCategory.NomineeKind.REGION_HEAD,
        criteria=[{"key": "assessment_index", "weight": "0.5"}, {"key": "jury", "weight": "0.5"}],
    )
    officer = User.objects.get(username="admin.kotim")
    scores = {}
    for code, name, evidence, score in NOMINEES:
        actor = officer if code == "62.02" else admin
        nomination = services.nominate(
            actor=actor,
            category=society,
            region=Region.objects.get(code=code),
            nominee_name=name,
            evidence=evidence,
        )
        scores[nomination.pk] = score
    for code, name, position, evidence, score in HEADS:
        actor = officer if code == "62.02" else admin
        nomination = services.nominate(
            actor=actor,
            category=heads,
            region=Region.objects.get(code=code),
            nominee_name=name,
            nominee_position=position,
            evidence=evidence,
        )
        scores[nomination.pk] = score
    services.close_nominations(actor=admin, cycle=cycle)
    for index, juror in enumerate(jurors):
        for nomination in cycle.categories.get(pk=society.pk).nominations.all() | heads.nominations.all():
            # The second juror once worked for Kapuas's government and declares it.
            conflict = index == 1 and nomination.region_id == "62.03"
            services.score_nomination(
                actor=juror,
                nomination=nomination,
                has_conflict=conflict,
                score=None if conflict else scores[nomination.pk] - 3 * index,
            )
    services.rank_cycle(actor=admin, cycle=cycle)
    assert admin.organization is not None
    services.publish_cycle(actor=admin, cycle=cycle, issuer=admin.organization)
    for category in cycle.categories.all():
        for winner in category.nominations.filter(winner=True).select_related("credential"):
            credential = winner.credential
            assert credential is not None
            stdout.write(
                f"  penghargaan: {category.name} → {winner.nominee_name}; "
                f"piagam {credential.number} (kode {credential.check_code})"
            )
