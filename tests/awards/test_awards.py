"""Award cycles: nominations by regions, jurors with conflict declarations, the ranking with its
breakdown, and a signed Open Badges award for each winner that /verify/ and a spec verifier accept."""

import json

import pytest
from django.core.exceptions import ValidationError
from tests.credentials.test_credentials_conformance import spec_verifies
from tests.factories import UserFactory, national_admin, region, regional_admin
from tests.readiness.test_assessment import SMART_CITY

from sinergi.accounts.models import Role
from sinergi.awards import services
from sinergi.awards.models import AwardCategory, AwardCycle, Nomination
from sinergi.credentials import services as credentials
from sinergi.readiness import services as readiness
from sinergi.readiness.models import Assessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    framework = readiness.load_framework(text=SMART_CITY.read_text(encoding="utf-8"))[0]
    for code, index, society in (("62.02", "3.00", "3.67"), ("62.01", "2.50", "2.00")):
        Assessment.objects.create(
            region=region(code),
            framework=framework,
            year=2026,
            status=Assessment.Status.FINAL,
            index=index,
            dimension_scores={"SOC": society},
        )
    admin = national_admin()
    jurors = [UserFactory(role=Role.ASSESSOR) for _ in range(2)]
    cycle = services.create_cycle(actor=admin, name="Anugerah Uji 2026", year=2026, jurors=jurors)
    category = services.add_category(
        actor=admin,
        cycle=cycle,
        name="Daerah Smart Society",
        nominee_kind=AwardCategory.NomineeKind.REGION,
        dimension="SOC",
        criteria=[{"key": "assessment_dimension", "weight": "0.5"}, {"key": "jury", "weight": "0.5"}],
    )
    return {"admin": admin, "jurors": jurors, "cycle": cycle, "category": category}


def nominate(world, code, name, officer=None):
    return services.nominate(
        actor=officer or regional_admin(code),
        category=world["category"],
        region=region(code),
        nominee_name=name,
        evidence="Pelatihan literasi digital warga.",
    )


def test_the_winner_follows_the_published_criteria_and_receives_a_verifiable_award(world, client):
    kotim = nominate(world, "62.02", "Pemkab Kotim")
    kobar = nominate(world, "62.01", "Pemkab Kobar")
    cycle, (first, second) = world["cycle"], world["jurors"]
    services.close_nominations(actor=world["admin"], cycle=cycle)
    services.score_nomination(actor=first, nomination=kotim, has_conflict=False, score=60)
    services.score_nomination(actor=first, nomination=kobar, has_conflict=False, score=90)
    # The second juror declares a conflict on Kotim: only the first juror's score counts there.
    services.score_nomination(actor=second, nomination=kotim, has_conflict=True, score=None)
    services.score_nomination(actor=second, nomination=kobar, has_conflict=False, score=70)
    services.rank_cycle(actor=world["admin"], cycle=cycle)
    kotim.refresh_from_db()
    kobar.refresh_from_db()
    # Kotim: 0.5 × (3.67−1)/4×100 + 0.5 × 60 = 33.38 + 30; Kobar: 0.5 × 25 + 0.5 × 80 = 52.50
    assert (kotim.rank, str(kotim.score), kotim.winner) == (1, "63.38", True)
    assert (kobar.rank, str(kobar.score), kobar.winner) == (2, "52.50", False)
    assert kotim.breakdown["jury"]["value"] == "60.00"

    assert "Pemenang" not in client.get(f"/penghargaan/{cycle.pk}/").content.decode()  # not yet published
    services.publish_cycle(actor=world["admin"], cycle=cycle, issuer=world["admin"].organization)
    kotim.refresh_from_db()
    award = kotim.credential
    assert award is not None and award.holder_name == "Kabupaten Kotawaringin Timur"
    document = json.loads(award.document)
    assert document["credentialSubject"]["achievement"]["achievementType"] == "Award"
    assert spec_verifies(document, award.issuer.public_key_multibase)
    assert credentials.check_number(award.number, award.check_code).is_valid
    page = client.get(f"/penghargaan/{cycle.pk}/").content.decode()
    assert "Pemenang" in page and f"/verify/{award.number}?kode={award.check_code}" in page
    assert client.get(f"/verify/{award.number}?kode={award.check_code}").status_code == 200
    assert client.get(f"/sertifikat/{award.pk}/pdf/").status_code in (302, 404)  # PDF is for signed-in staff
    client.force_login(world["admin"])
    response = client.get(f"/sertifikat/{award.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_nominations_are_checked_and_scoped_before_publication(world, client):
    with pytest.raises(ValidationError):
        services.nominate(
            actor=regional_admin("64.72"),
            category=world["category"],
            region=region("62.02"),
            nominee_name="Pemkab Kotim",
            evidence="x",
        )
    with pytest.raises(ValidationError) as caught:
        services.nominate(
            actor=regional_admin("62.02"),
            category=world["category"],
            region=region("62.02"),
            nominee_name=" ",
            evidence=" ",
        )
    assert set(caught.value.message_dict) == {"nominee_name", "evidence"}
    nominate(world, "62.02", "Pemkab Kotim")
    client.force_login(regional_admin("64.72"))
    assert "Pemkab Kotim" not in client.get(f"/penghargaan/{world['cycle'].pk}/").content.decode()
    client.force_login(regional_admin("62.02"))
    assert "Pemkab Kotim" in client.get(f"/penghargaan/{world['cycle'].pk}/").content.decode()


def test_only_the_cycles_jurors_score_and_only_while_judging(world):
    nomination = nominate(world, "62.02", "Pemkab Kotim")
    with pytest.raises(ValidationError, match="tahap penilaian"):
        services.score_nomination(
            actor=world["jurors"][0], nomination=nomination, has_conflict=False, score=50
        )
    services.close_nominations(actor=world["admin"], cycle=world["cycle"])
    with pytest.raises(ValidationError, match="Hanya juri"):
        services.score_nomination(
            actor=UserFactory(role=Role.ASSESSOR), nomination=nomination, has_conflict=False, score=50
        )
    with pytest.raises(ValidationError, match="0 sampai 100"):
        services.score_nomination(
            actor=world["jurors"][0], nomination=nomination, has_conflict=False, score=101
        )
    with pytest.raises(ValidationError, match="Pencalonan siklus ini sudah ditutup"):
        nominate(world, "62.01", "Pemkab Kobar")


def test_a_category_refuses_unknown_criteria_and_weights_not_summing_to_one(world):
    admin, cycle = world["admin"], world["cycle"]
    with pytest.raises(ValidationError, match="tidak dikenal"):
        services.add_category(
            actor=admin,
            cycle=cycle,
            name="x",
            nominee_kind="asn",
            criteria=[{"key": "pangkat", "weight": "1"}],
        )
    with pytest.raises(ValidationError, match="berjumlah 1"):
        services.add_category(
            actor=admin,
            cycle=cycle,
            name="x",
            nominee_kind="asn",
            criteria=[{"key": "jury", "weight": "0.6"}],
        )
    with pytest.raises(ValidationError):
        services.add_category(
            actor=regional_admin("62.02"),
            cycle=cycle,
            name="x",
            nominee_kind="asn",
            criteria=[{"key": "jury", "weight": "1"}],
        )


def test_a_juror_declares_a_conflict_through_the_page(world, client):
    nomination = nominate(world, "62.02", "Pemkab Kotim")
    services.close_nominations(actor=world["admin"], cycle=world["cycle"])
    juror = world["jurors"][0]
    client.force_login(UserFactory(role=Role.ASSESSOR))
    assert client.get(f"/penghargaan/calon/{nomination.pk}/juri/").status_code == 404
    client.force_login(juror)
    page = client.post(f"/penghargaan/calon/{nomination.pk}/juri/", {"score": ""}).content.decode()
    assert "Beri nilai 0 sampai 100, atau nyatakan benturan kepentingan." in page
    response = client.post(f"/penghargaan/calon/{nomination.pk}/juri/", {"has_conflict": "on"})
    assert response.status_code == 302
    assert nomination.jury_scores.get().has_conflict
    assert Nomination.objects.count() == 1 and AwardCycle.objects.get().status == "judging"
