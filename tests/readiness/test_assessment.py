"""A region's self-assessment, two independent assessors, the consensus round and the final index."""

from decimal import Decimal
from importlib import resources

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count
from django.utils import timezone
from tests.factories import (
    EnrolmentFactory,
    ParticipantFactory,
    UserFactory,
    national_admin,
    region,
    regional_admin,
)

from sinergi.accounts.models import Role
from sinergi.learning.models import Enrolment
from sinergi.readiness import selectors, services
from sinergi.readiness.models import Assessment
from sinergi.regions.models import Region

pytestmark = pytest.mark.django_db
SMART_CITY = resources.files("sinergi.readiness") / "frameworks" / "gerakan-100-smart-city.yaml"
PDF = b"%PDF-1.4\n%bukti\n"


@pytest.fixture
def framework():
    return services.load_framework(text=SMART_CITY.read_text(encoding="utf-8"))[0]


@pytest.fixture
def people():
    return {
        "kotim": regional_admin("62.02"),
        "samarinda": regional_admin("64.72"),
        "national": national_admin(),
        "first": UserFactory(role=Role.ASSESSOR),
        "second": UserFactory(role=Role.ASSESSOR),
    }


def filled(framework, people, level=3):
    assessment = services.start_assessment(
        actor=people["kotim"], region=region("62.02"), framework=framework, year=timezone.localdate().year
    )
    for indicator in framework.indicators.all():
        services.save_self_score(
            actor=people["kotim"],
            assessment=assessment,
            indicator=indicator,
            level=level,
            justification="Sudah berjalan di Sampit Creative Hub.",
        )
    return services.submit_assessment(actor=people["kotim"], assessment=assessment)


def score(people, assessment, who, levels):
    assignment = assessment.assignments.get(assessor=people[who])
    services.declare_no_conflict(actor=people[who], assignment=assignment, confirmed=True)
    services.save_assessor_scores(
        actor=people[who],
        assignment=assignment,
        levels={c: (lv, "") for c, lv in levels.items()},
        submit=True,
    )


def assign_both(people, assessment):
    for who in ("first", "second"):
        services.assign_assessor(actor=people["national"], assessment=assessment, assessor=people[who])


def test_a_disagreement_of_more_than_one_level_opens_a_consensus_and_the_index_follows_the_formula(
    framework, people
):
    assessment = filled(framework, people)
    assign_both(people, assessment)
    codes = list(framework.indicators.values_list("code", flat=True))
    score(people, assessment, "first", {code: 3 for code in codes})
    second = {code: 3 for code in codes} | {"BRA.2.1": 5, "GOV.1.1": 2}
    score(people, assessment, "second", second)
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.CONSENSUS

    indicator = framework.indicators.get(code="BRA.2.1")
    with pytest.raises(ValidationError):  # not disputed: GOV.1.1 differs by one level only
        services.record_consensus(
            actor=people["first"],
            assessment=assessment,
            indicator=framework.indicators.get(code="GOV.1.1"),
            level=3,
            note="x",
        )
    services.record_consensus(
        actor=people["first"],
        assessment=assessment,
        indicator=indicator,
        level=4,
        note="Data kunjungan diperiksa.",
    )
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.FINAL
    assert assessment.final_levels["BRA.2.1"] == 4  # the consensus
    assert assessment.final_levels["GOV.1.1"] == 2  # one level apart: the lower of the two
    # 16 indicators at 3, one at 4, one at 2, all weight 1 of 18: (48 + 4 + 2) / 18 = 3.00
    assert assessment.index == Decimal("3.00")
    assert assessment.predicate == "Cukup Siap"
    assert assessment.dimension_scores["BRA"] == "3.33"


def test_agreeing_assessors_finalise_without_a_consensus_round(framework, people):
    assessment = filled(framework, people)
    assign_both(people, assessment)
    codes = list(framework.indicators.values_list("code", flat=True))
    score(people, assessment, "first", {code: 2 for code in codes})
    score(people, assessment, "second", {code: 3 for code in codes})
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.FINAL
    assert assessment.index == Decimal("2.00")


def test_an_assessor_scores_only_after_declaring_no_conflict_and_only_their_own_assignment(framework, people):
    assessment = filled(framework, people)
    assign_both(people, assessment)
    assignment = assessment.assignments.get(assessor=people["first"])
    with pytest.raises(ValidationError, match="benturan kepentingan"):
        services.save_assessor_scores(actor=people["first"], assignment=assignment, levels={}, submit=False)
    with pytest.raises(ValidationError, match="Centang pernyataan"):
        services.declare_no_conflict(actor=people["first"], assignment=assignment, confirmed=False)
    with pytest.raises(ValidationError):
        services.declare_no_conflict(actor=people["second"], assignment=assignment, confirmed=True)
    with pytest.raises(ValidationError, match="dua asesor"):
        services.assign_assessor(
            actor=people["national"], assessment=assessment, assessor=UserFactory(role=Role.ASSESSOR)
        )


def test_submitting_needs_every_indicator_and_the_level_and_justification_are_checked(framework, people):
    assessment = services.start_assessment(
        actor=people["kotim"], region=region("62.02"), framework=framework, year=timezone.localdate().year
    )
    indicator = framework.indicators.first()
    with pytest.raises(ValidationError) as caught:
        services.save_self_score(
            actor=people["kotim"], assessment=assessment, indicator=indicator, level=7, justification=" "
        )
    assert set(caught.value.message_dict) == {"level", "justification"}
    with pytest.raises(ValidationError, match="18 indikator tanpa tingkat"):
        services.submit_assessment(actor=people["kotim"], assessment=assessment)
    with pytest.raises(ValidationError, match="sudah ada"):
        services.start_assessment(
            actor=people["kotim"], region=region("62.02"), framework=framework, year=timezone.localdate().year
        )


def test_evidence_is_checked_by_its_content_and_size(framework, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    assessment = services.start_assessment(
        actor=people["kotim"], region=region("62.02"), framework=framework, year=timezone.localdate().year
    )
    indicator = framework.indicators.first()
    disguised = SimpleUploadedFile("bukti.pdf", b"MZ\x90\x00 program", content_type="application/pdf")
    with pytest.raises(ValidationError, match="PDF, PNG atau JPEG"):
        services.save_self_score(
            actor=people["kotim"],
            assessment=assessment,
            indicator=indicator,
            level=3,
            justification="ada",
            evidence_file=disguised,
        )
    too_big = SimpleUploadedFile("besar.pdf", PDF + b"0" * (services.EVIDENCE_MAX_BYTES + 1))
    with pytest.raises(ValidationError, match="paling besar 5 MB"):
        services.save_self_score(
            actor=people["kotim"],
            assessment=assessment,
            indicator=indicator,
            level=3,
            justification="ada",
            evidence_file=too_big,
        )
    assert not assessment.self_scores.exists()  # nothing half-saved
    services.save_self_score(
        actor=people["kotim"],
        assessment=assessment,
        indicator=indicator,
        level=3,
        justification="ada",
        evidence_file=SimpleUploadedFile("bukti.pdf", PDF),
    )
    assert assessment.self_scores.get().evidence_file.name


def test_another_region_can_neither_see_nor_fill_a_draft(framework, people, client):
    assessment = services.start_assessment(
        actor=people["kotim"], region=region("62.02"), framework=framework, year=timezone.localdate().year
    )
    with pytest.raises(ValidationError):
        services.start_assessment(
            actor=people["samarinda"], region=region("62.02"), framework=framework, year=2025
        )
    client.force_login(people["samarinda"])
    assert client.get(f"/kesiapan/penilaian/{assessment.pk}/").status_code == 404
    assert client.get(f"/kesiapan/penilaian/{assessment.pk}/indikator/GOV.1.1/").status_code == 404
    assert client.post(f"/kesiapan/penilaian/{assessment.pk}/ajukan/").status_code == 404
    page = client.get("/kesiapan/").content.decode()
    assert "Kotawaringin Timur" not in page  # neither in the list nor among the regions offered
    client.force_login(people["first"])  # an assessor not (yet) assigned
    assert client.get(f"/kesiapan/penilaian/{assessment.pk}/asesor/").status_code == 404
    client.logout()
    assert client.get(f"/kesiapan/penilaian/{assessment.pk}/").status_code == 404


def test_the_officer_fills_an_indicator_through_the_page_with_errors_in_indonesian(framework, people, client):
    assessment = services.start_assessment(
        actor=people["kotim"], region=region("62.02"), framework=framework, year=timezone.localdate().year
    )
    client.force_login(people["kotim"])
    url = f"/kesiapan/penilaian/{assessment.pk}/indikator/GOV.2.1/"
    page = client.post(url, {"justification": ""}).content.decode()
    assert "Tingkat: Bidang ini tidak boleh kosong." in page
    assert "Penjelasan: Bidang ini tidak boleh kosong." in page
    assert not assessment.self_scores.exists()
    response = client.post(url, {"level": "2", "justification": "Pelatihan ASN dimulai.", "next": "1"})
    assert response.status_code == 302 and response["Location"].endswith("/indikator/GOV.3.1/")
    assert assessment.self_scores.get().level == 2


def test_sinergi_records_fill_an_indicators_measured_value(framework, people):
    # Two ASN with valid certificates and one general participant, domiciled in Palembang.
    from sinergi.credentials import services as credentials

    for category in ("asn", "asn", "umum"):
        participant = ParticipantFactory(category=category, domicile=region("16.71"))
        enrolment = EnrolmentFactory(
            participant=participant, status=Enrolment.Status.COMPLETED, completed_at=timezone.now()
        )
        credentials.issue_credential(enrolment)
    assessment = services.start_assessment(
        actor=people["national"], region=region("16.71"), framework=framework, year=timezone.localdate().year
    )
    measured = selectors.measured_value(framework.indicators.get(code="GOV.2.1"), assessment)
    assert measured is not None and measured.value == 2 and measured.suggested_level == 1
    trained = selectors.measured_value(framework.indicators.get(code="SOC.2.1"), assessment)
    assert trained is not None and trained.value == 3
    assert selectors.measured_value(framework.indicators.get(code="GOV.1.1"), assessment) is None


def test_the_final_result_page_shows_the_index_radar_and_gaps_to_the_public(framework, people, client):
    assessment = filled(framework, people, level=2)
    assign_both(people, assessment)
    codes = list(framework.indicators.values_list("code", flat=True))
    score(people, assessment, "first", {code: 2 for code in codes} | {"SOC.2.1": 1})
    score(people, assessment, "second", {code: 2 for code in codes} | {"SOC.2.1": 1})
    page = client.get(f"/kesiapan/penilaian/{assessment.pk}/").content.decode()
    assert "indeks 1,94" in page  # (17 × 2 + 1) / 18, in Indonesian notation
    assert "<svg" in page and "Smart Society" in page
    assert "Analisis kesenjangan" in page and "SOC.2.1" in page
    assert "Sampit Creative Hub" in page  # self-assessment justifications are part of the result


def test_peers_are_regions_of_the_same_kind_and_a_comparable_number_of_kecamatan(framework, people, client):
    assessment = filled(framework, people, level=2)
    assign_both(people, assessment)
    codes = list(framework.indicators.values_list("code", flat=True))
    score(people, assessment, "first", {code: 2 for code in codes})
    score(people, assessment, "second", {code: 2 for code in codes})
    own = Region.objects.filter(parent_id="62.02", level=Region.Level.DISTRICT).count()
    regencies = (
        Region.objects.filter(level=Region.Level.REGENCY)
        .exclude(pk="62.02")
        .annotate(n=Count("children"))
        .order_by("code")
    )
    comparable = next(r for r in regencies if -(-own // 2) <= r.n <= own * 2 and r.n != own)
    too_large = next(r for r in regencies if r.n > own * 2)
    city = Region.objects.filter(level=Region.Level.CITY).first()
    year = assessment.year
    for other in (comparable, too_large, city):
        Assessment.objects.create(
            region=other,
            framework=framework,
            year=year,
            status=Assessment.Status.FINAL,
            index=Decimal("3.00"),
        )

    peers = selectors.peer_results(Assessment.objects.get(pk=assessment.pk))

    assert [p.region_id for p in peers.results] == [comparable.pk]
    assert peers.districts == own
    page = client.get(f"/kesiapan/penilaian/{assessment.pk}/").content.decode()
    assert comparable.name in page and too_large.name not in page
    assert f"{own} kecamatan di wilayah ini" in page


def png_bomb() -> bytes:
    """A PNG that declares 60,000 x 60,000 pixels over 40 MB of compressed zeros: 40 KB on disk."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 60_000, 60_000, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * (40 * 1024 * 1024), 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


@pytest.mark.parametrize("name", ["bom.pdf", "bom.png"])
def test_evidence_bombs_are_stored_unread_within_budget(
    framework, people, settings, tmp_path, monkeypatch, name
):
    """Evidence is kept for the assessors to open, never read by Sinergi: a decompression bomb costs
    its size on disk and nothing more (no PDF reader or image decoder runs)."""
    from tests.documents import pdf_bomb
    from tests.spreadsheets import within_budget

    from sinergi.core import document_text

    monkeypatch.setattr(document_text, "read_pdf_text", lambda *a, **k: pytest.fail("evidence was read"))
    settings.MEDIA_ROOT = tmp_path
    assessment = services.start_assessment(
        actor=people["kotim"], region=region("62.02"), framework=framework, year=timezone.localdate().year
    )
    bomb = pdf_bomb() if name.endswith(".pdf") else png_bomb()
    assert len(bomb) < 250_000
    with within_budget(peak_mb=64, cpu_seconds=2):
        services.save_self_score(
            actor=people["kotim"],
            assessment=assessment,
            indicator=framework.indicators.first(),
            level=3,
            justification="ada",
            evidence_file=SimpleUploadedFile(name, bomb),
        )
    stored = assessment.self_scores.get().evidence_file
    assert stored.size == len(bomb)
