"""The tracer in a real browser: a graduate answers on a 360-px phone with the keyboard only (the
questions about a job disappear for a job seeker and come back), a missing answer is named and linked,
and the officer's page reads on the phone too."""

import datetime as dt

import pytest
from tests.browsing import browser_login
from tests.factories import PASSWORD, TrainingClassFactory, region, regional_admin
from tests.outcomes.conftest import graduate

from sinergi.outcomes import services
from sinergi.outcomes.models import TracerInvitation, TracerResponse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def invitation(db):
    training_class = TrainingClassFactory(program__batch__region=region("16.71"))
    services.ensure_default_rounds(training_class.program)
    graduate(training_class, full_name="Siti Aminah")
    services.send_tracers(today=dt.date(2026, 6, 10))
    return TracerInvitation.objects.get()


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_graduate_answers_on_a_phone_with_the_keyboard(phone_page, invitation):
    page = phone_page
    page.goto(page.base_url + f"/tracer/jawab/{services.tracer_token(invitation)}/")
    assert no_sideways_scroll(page)
    income = page.locator("#q-income_band")
    page.focus("input[name=activity][value=mencari_kerja]")
    page.keyboard.press("Space")
    assert income.is_hidden()
    page.focus("input[name=activity][value=bekerja_penuh]")
    page.keyboard.press("Space")
    assert income.is_visible()
    page.focus("#i-months_to_job")
    page.keyboard.type("2")
    for name, value in (("income_band", "3-5"), ("uses_skills", "sangat"), ("business", "baru")):
        page.focus(f"input[name={name}][value='{value}']")
        page.keyboard.press("Space")
    page.focus("main button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Ada 1 jawaban yang perlu diperbaiki" in page.content()
    assert page.locator("a[href='#q-satisfaction']").is_visible()
    assert page.evaluate("document.activeElement.id") == "errors"  # the summary is read out first
    page.focus("input[name=satisfaction][value='5']")
    page.keyboard.press("Space")
    page.focus("main button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Terima kasih, jawaban Anda tersimpan." in page.content()
    assert TracerResponse.objects.get().answers["business"] == "baru"
    assert no_sideways_scroll(page)


def test_the_officer_page_reads_on_a_phone(phone_page, invitation):
    services.submit_response(
        invitation=invitation, raw={"activity": "mencari_kerja", "business": "tidak_ada", "satisfaction": "4"}
    )
    officer = regional_admin("16.71")
    officer.set_password(PASSWORD)
    officer.save(update_fields=["password"])
    browser_login(phone_page, officer.username, PASSWORD)
    phone_page.goto(phone_page.base_url + f"/tracer/program/{invitation.round.program_id}/")
    assert "Respons kotor" in phone_page.content() and "100,0 %" in phone_page.content()
    assert no_sideways_scroll(phone_page)
