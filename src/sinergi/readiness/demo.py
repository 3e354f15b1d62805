"""Demo readiness data: both frameworks loaded; Kotim's smart-city self-assessment (Sampit Creative Hub,
ASN digital skills) scored by two assessors who disagree on one indicator and settle it in a consensus
round; a few peer kabupaten with final results for comparison."""

from __future__ import annotations

import io
from importlib import resources

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from pypdf import PdfWriter

from sinergi.accounts.models import User
from sinergi.readiness import services
from sinergi.readiness.models import Assessment, Framework
from sinergi.regions.models import Region

SMART_CITY = "gerakan-100-smart-city"
KOTIM = "62.02"
# Kotim's own levels per element, with what it has to show for them (seed 002).
KOTIM_LEVELS = {
    "GOV.1.1": (
        3,
        "Layanan perizinan dan kependudukan daring sudah berjalan di Mal Pelayanan Publik Sampit.",
    ),
    "GOV.2.1": (
        2,
        "Pelatihan kecakapan digital ASN dimulai tahun ini bersama Kominfo; sebagian OPD sudah ikut.",
    ),
    "GOV.3.1": (
        2,
        "Masterplan smart city enam tahun sedang disusun; Perbup tim koordinasi sudah ditetapkan.",
    ),
    "BRA.1.1": (2, "Promosi wisata Pantai Ujung Pandaran dan festival budaya melalui media sosial pemkab."),
    "BRA.2.1": (3, "Sampit Creative Hub menjadi ruang promosi produk UMKM dan ekonomi kreatif."),
    "BRA.3.1": (2, "Penataan kawasan Taman Kota Sampit; identitas kota belum terdokumentasi."),
    "ECO.1.1": (2, "Pendampingan UMKM masuk lokapasar dirintis di Sampit Creative Hub."),
    "ECO.2.1": (2, "Pelatihan talenta digital warga mulai dengan kelas Kominfo di Sampit."),
    "ECO.3.1": (3, "Pembayaran parkir dengan barcode dan retribusi pasar nontunai sudah berjalan."),
    "LIV.1.1": (2, "RDTR kawasan perkotaan Sampit tersedia; data ruang terbuka hijau belum terpadu."),
    "LIV.2.1": (2, "Pendaftaran puskesmas daring di sebagian puskesmas."),
    "LIV.3.1": (1, "Belum ada sistem informasi transportasi publik."),
    "SOC.1.1": (3, "Komunitas kreatif dan digital berkumpul rutin di Sampit Creative Hub."),
    "SOC.2.1": (2, "Kerja sama pelatihan literasi digital dengan Kominfo dan perguruan tinggi setempat."),
    "SOC.3.1": (1, "Layanan panggilan darurat 112 masih direncanakan."),
    "ENV.1.1": (1, "Pemantauan kualitas udara saat musim kebakaran hutan masih manual."),
    "ENV.2.1": (2, "Bank sampah di beberapa kelurahan; data timbulan sampah dicatat bulanan."),
    "ENV.3.1": (1, "Penerangan jalan hemat energi baru di ruas utama."),
}
# The two assessors agree within a level except on one indicator, which goes to a consensus round.
SECOND_ASSESSOR_OFFSET = {"BRA.2.1": 2, "GOV.1.1": -1}
PEERS = ["62.01", "62.03", "62.04", "62.05", "62.06", "63.01", "63.02"]


def _evidence_pdf(title: str) -> SimpleUploadedFile:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    buffer = io.BytesIO()
    writer.write(buffer)
    return SimpleUploadedFile(f"{title}.pdf", buffer.getvalue(), content_type="application/pdf")


def _load_frameworks(actor) -> None:
    folder = resources.files("sinergi.readiness") / "frameworks"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            services.load_framework(text=entry.read_text(encoding="utf-8"), actor=actor)


def _run_assessment(
    framework, region, year, levels, officer, admin, assessors, *, evidence: bool
) -> Assessment:
    assessment = services.start_assessment(actor=officer, region=region, framework=framework, year=year)
    for indicator in framework.indicators.order_by("position"):
        level, why = levels[indicator.code]
        services.save_self_score(
            actor=officer,
            assessment=assessment,
            indicator=indicator,
            level=level,
            justification=why,
            evidence_file=_evidence_pdf(f"bukti-{indicator.code}") if evidence and level >= 3 else None,
        )
    services.submit_assessment(actor=officer, assessment=assessment)
    for index, assessor in enumerate(assessors):
        assignment = services.assign_assessor(actor=admin, assessment=assessment, assessor=assessor)
        services.declare_no_conflict(actor=assessor, assignment=assignment, confirmed=True)
        scores = {}
        for code, (level, _why) in levels.items():
            offset = SECOND_ASSESSOR_OFFSET.get(code, 0) if index == 1 and evidence else 0
            scores[code] = (max(1, min(5, level + offset)), "")
        services.save_assessor_scores(actor=assessor, assignment=assignment, levels=scores, submit=True)
    assessment.refresh_from_db()
    if assessment.status == Assessment.Status.CONSENSUS:
        for code in ("BRA.2.1",):
            services.record_consensus(
                actor=assessors[0],
                assessment=assessment,
                indicator=framework.indicators.get(code=code),
                level=4,
                note="Kedua asesor meninjau data kunjungan Sampit Creative Hub dan menyepakati tingkat 4.",
            )
    assessment.refresh_from_db()
    return assessment


@transaction.atomic
def seed_readiness(stdout) -> None:
    admin = User.objects.get(username="admin.nasional")
    _load_frameworks(admin)
    framework = Framework.objects.filter(slug=SMART_CITY).order_by("-version").first()
    assert framework is not None
    year = timezone.localdate().year
    if Assessment.objects.filter(framework=framework, region_id=KOTIM, year=year).exists():
        return
    officer = User.objects.get(username="admin.kotim")
    assessors = list(User.objects.filter(username__in=["asesor", "asesor2"]).order_by("username"))
    kotim = _run_assessment(
        framework,
        Region.objects.get(code=KOTIM),
        year,
        KOTIM_LEVELS,
        officer,
        admin,
        assessors,
        evidence=True,
    )
    for offset, code in enumerate(PEERS):
        # Peers are scored by the national admin's office alone, as last year's published results.
        region = Region.objects.filter(code=code).first()
        if region is None:
            continue
        levels = {
            c: (max(1, min(5, lv + (offset + i) % 3 - 1)), why)
            for i, (c, (lv, why)) in enumerate(KOTIM_LEVELS.items())
        }
        _run_assessment(framework, region, year, levels, admin, admin, assessors, evidence=False)
    _seed_kotim_plan(officer, year)
    call = _seed_region_selection(framework, admin, year)
    selected = call.entries.filter(selected=True).count()
    stdout.write(
        f"  Kotim: indeks kesiapan {kotim.index} ({kotim.predicate}), {len(PEERS)} kabupaten pembanding; "
        f"seleksi wilayah: {call.entries.count()} pendaftar, {selected} terpilih"
    )


APPLICANTS = 200
QUOTA = 50


def _seed_region_selection(framework, admin, year):
    """200 kabupaten/kota (real Kemendagri codes) apply to the national coaching call and 50 are selected.

    Regions other than Kotim and its peers have no assessment in the demo yet; their published results are
    generated here with the same scoring module (seeded, so every demo gets the same ranking), and their
    fiscal capacity is a generated demo value, as the reference index's source says."""
    import random

    from sinergi.readiness import region_selection, scoring
    from sinergi.readiness.models import ReferenceIndex, ReferenceValue

    spec = services.framework_spec(framework)
    rng = random.Random(2026)
    assessed = set(
        Assessment.objects.filter(framework=framework, year=year).values_list("region_id", flat=True)
    )
    regencies = list(
        Region.objects.filter(level__in=[Region.Level.REGENCY, Region.Level.CITY]).order_by("code")
    )
    chosen = [r for r in regencies if r.code in assessed]
    others = [r for r in regencies if r.code not in assessed]
    chosen += rng.sample(others, APPLICANTS - len(chosen))
    generated = []
    for region in chosen:
        if region.code in assessed:
            continue
        base = rng.choice([1, 2, 2, 3, 3, 4])
        levels = {i.code: max(1, min(5, base + rng.choice([-1, 0, 0, 1]))) for i in spec.indicators()}
        result = scoring.compute_index(spec, levels)
        generated.append(
            Assessment(
                region=region,
                framework=framework,
                year=year,
                status=Assessment.Status.FINAL,
                created_by=admin,
                finalized_at=timezone.now(),
                final_levels=levels,
                index=result.index,
                predicate=result.predicate,
                dimension_scores={code: str(v) for code, v in result.dimensions.items()},
            )
        )
    Assessment.objects.bulk_create(generated)
    fiscal, _created = ReferenceIndex.objects.get_or_create(
        code="kapasitas-fiskal",
        defaults={
            "name": "Indeks kapasitas fiskal daerah",
            "unit": "indeks",
            "source": "Nilai demo yang dibangkitkan; di produksi diisi dari Peta Kapasitas Fiskal Daerah "
            "(Peraturan Menteri Keuangan) tahun berjalan.",
            "year": year,
        },
    )
    ReferenceValue.objects.bulk_create(
        [
            ReferenceValue(index=fiscal, region=region, value=round(rng.uniform(0.3, 3.5), 4))
            for region in chosen
        ],
        ignore_conflicts=True,
    )
    call = region_selection.create_call(
        actor=admin,
        name=f"Pendampingan Masterplan Smart City {year}",
        description="Dari 200 kabupaten/kota peserta Gerakan Menuju 100 Smart City, 50 dipilih untuk "
        "didampingi menyusun masterplan.",
        quota=QUOTA,
        year=year,
        framework=framework,
        formula=[
            {"key": "assessment_index", "weight": "0.5"},
            {"key": "commitment_fulfilment", "weight": "0.3"},
            {"key": "ref:kapasitas-fiskal", "weight": "0.2"},
        ],
    )
    officer_of = {"62.02": User.objects.get(username="admin.kotim")}
    for region in chosen:
        region_selection.apply(actor=officer_of.get(region.code, admin), call=call, region=region)
    region_selection.rank_call(actor=admin, call=call)
    return region_selection.publish_call(actor=admin, call=call)


def _seed_kotim_plan(officer, year) -> None:
    """Seed 002: Kotim wants to be a smart city in six years, starting with ASN skills and a creative hub."""
    import datetime as dt

    from sinergi.readiness.models import Initiative, Masterplan

    kotim = Region.objects.get(code=KOTIM)
    plan = services.save_masterplan(
        actor=officer,
        region=kotim,
        title="Kotim Smart City",
        start_year=year,
        target_year=year + 6,
        vision="Kotawaringin Timur menjadi smart city dalam enam tahun, dimulai dari ASN yang cakap digital.",
    )
    for stage, title, offset in (
        (Masterplan.Stage.BASELINE, "Penilaian kesiapan smart city pertama selesai", 0),
        (Masterplan.Stage.QUICK_WIN, "Sampit Creative Hub dan parkir barcode berjalan", 1),
        (Masterplan.Stage.OUTPUT, "Seluruh OPD memakai layanan berbasis aplikasi", 3),
        (Masterplan.Stage.OUTCOME, "Indeks kesiapan mencapai predikat Siap", 5),
        (Masterplan.Stage.IMPACT, "Kotim ditetapkan sebagai smart city", 6),
    ):
        milestone = services.add_milestone(
            actor=officer, masterplan=plan, stage=stage, title=title, target_year=year + offset
        )
        if offset == 0:
            services.mark_milestone(actor=officer, milestone=milestone, achieved_on=timezone.localdate())
    started = dt.date(year, 1, 15)
    for values in (
        {
            "name": "Sampit Creative Hub",
            "dimension": "SOC",
            "owner_unit": "Diskominfo Kotim",
            "status": "running",
            "is_quick_win": True,
            "users_served": 1250,
            "description": "Ruang kreatif dan pelatihan digital bagi pemuda, komunitas dan UMKM di Sampit.",
        },
        {
            "name": "Pembayaran parkir dengan barcode",
            "dimension": "ECO",
            "owner_unit": "Dinas Perhubungan",
            "status": "running",
            "is_quick_win": True,
            "description": "Retribusi parkir di pusat kota dibayar nontunai dengan kode QR.",
        },
        {
            "name": "Layanan publik berbasis aplikasi",
            "dimension": "GOV",
            "owner_unit": "Diskominfo Kotim",
            "status": "planned",
            "is_quick_win": False,
            "description": "Perizinan dan pengaduan warga dalam satu aplikasi.",
        },
        {
            "name": "Pelatihan kecakapan digital ASN",
            "dimension": "GOV",
            "owner_unit": "BKPSDM Kotim",
            "status": "running",
            "is_quick_win": True,
            "description": "ASN mengikuti pelatihan literasi digital bersama Kominfo.",
        },
    ):
        services.save_initiative(
            actor=officer,
            region=kotim,
            agreements=[],
            values={
                "starts_on": started,
                "budget_source": Initiative.Budget.APBD,
                "in_masterplan": True,
                **values,
            },
        )
