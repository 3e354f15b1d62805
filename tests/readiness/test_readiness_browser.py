"""Readiness in a real browser: the officer fills an indicator with the keyboard, the assessor settles a
disagreement in the consensus round, and the result (radar, table, gaps) reads on a 360-px phone."""

import pytest
from django.utils import timezone
from tests.browsing import browser_login
from tests.factories import PASSWORD, UserFactory, national_admin, region, regional_admin
from tests.readiness.test_assessment import SMART_CITY

from sinergi.accounts.models import Role
from sinergi.readiness import services
from sinergi.readiness.models import Assessment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def with_password(user):
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


@pytest.fixture
def disputed(db):
    """Kotim's assessment after both assessors scored it, BRA.2.1 three levels apart."""
    framework = services.load_framework(text=SMART_CITY.read_text(encoding="utf-8"))[0]
    officer, admin = with_password(regional_admin("62.02")), national_admin()
    assessors = [with_password(UserFactory(role=Role.ASSESSOR)) for _ in range(2)]
    assessment = services.start_assessment(
        actor=officer, region=region("62.02"), framework=framework, year=timezone.localdate().year
    )
    for indicator in framework.indicators.all():
        services.save_self_score(
            actor=officer,
            assessment=assessment,
            indicator=indicator,
            level=2,
            justification="Sampit Creative Hub menjadi ruang komunitas kreatif.",
        )
    services.submit_assessment(actor=officer, assessment=assessment)
    for index, assessor in enumerate(assessors):
        assignment = services.assign_assessor(actor=admin, assessment=assessment, assessor=assessor)
        services.declare_no_conflict(actor=assessor, assignment=assignment, confirmed=True)
        levels = {i.code: (2, "") for i in framework.indicators.all()}
        if index == 1:
            levels["BRA.2.1"] = (5, "Kunjungan tinggi")
        services.save_assessor_scores(actor=assessor, assignment=assignment, levels=levels, submit=True)
    return {"assessment": assessment, "officer": officer, "assessors": assessors, "framework": framework}


def test_an_officer_fills_an_indicator_with_the_keyboard(page):
    framework = services.load_framework(text=SMART_CITY.read_text(encoding="utf-8"))[0]
    officer = with_password(regional_admin("62.02"))
    assessment = services.start_assessment(
        actor=officer, region=region("62.02"), framework=framework, year=timezone.localdate().year
    )
    browser_login(page, officer.username, PASSWORD)
    page.goto(f"{page.base_url}/kesiapan/penilaian/{assessment.pk}/")
    page.get_by_role("link", name="Isi GOV.1.1").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "GOV.1.1 Kesiapan Layanan"
    page.get_by_label("3 · ").check()
    page.get_by_label("Penjelasan").fill("Perizinan daring berjalan di Mal Pelayanan Publik Sampit.")
    page.get_by_role("button", name="Simpan dan lanjut ke indikator berikutnya").press("Enter")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "GOV.2.1 Kesiapan Birokrasi"
    assert "Indikator GOV.1.1 tersimpan." in page.content()
    assert assessment.self_scores.get().level == 3


def test_the_consensus_round_settles_a_disagreement_and_the_result_reads_on_a_phone(phone_page, disputed):
    page = phone_page
    browser_login(page, disputed["assessors"][0].username, PASSWORD)
    assessment = disputed["assessment"]
    page.goto(f"{page.base_url}/kesiapan/penilaian/{assessment.pk}/konsensus/")
    assert "Asesor 1: 2 · Asesor 2: 5" in page.locator("main").inner_text()
    page.get_by_label("Tingkat yang disepakati").select_option("4")
    page.get_by_label("Dasar kesepakatan").fill("Data kunjungan Sampit Creative Hub diperiksa bersama.")
    page.get_by_role("button", name="Catat konsensus").click()
    page.wait_for_load_state("networkidle")
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.FINAL

    page.goto(f"{page.base_url}/kesiapan/penilaian/{assessment.pk}/")
    page.wait_for_load_state("networkidle")
    text = page.locator("main").inner_text()
    assert "indeks 2,11" in text  # (17 × 2 + 4) / 18
    assert page.locator("svg[role=img] polygon").count() >= 6
    assert "Analisis kesenjangan" in text
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
