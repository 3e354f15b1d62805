"""In a real browser: a participant follows a session's check-in QR link, and provider staff mark
attendance on a phone."""

import datetime

import pytest
from django.utils import timezone
from tests.browsing import browser_login
from tests.factories import (
    PASSWORD,
    ClassSessionFactory,
    EnrolmentFactory,
    ParticipantFactory,
    TrainingClassFactory,
    UserFactory,
    provider_staff,
)

from sinergi.learning import services
from sinergi.learning.models import Attendance

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def running_class(staff):
    today = timezone.localdate()
    tc = TrainingClassFactory(
        provider=staff.organization,
        name="Junior Web Developer Palembang",
        starts_on=today - datetime.timedelta(days=3),
        ends_on=today + datetime.timedelta(days=30),
    )
    session = ClassSessionFactory(training_class=tc, number=1, date=today, topic="Dasar HTML dan CSS")
    return tc, session


def test_participant_checks_in_by_following_the_qr_link(page):
    staff = provider_staff("16.71")
    tc, session = running_class(staff)
    user = UserFactory(username="siti.peserta")
    enrolment = EnrolmentFactory(
        training_class=tc, participant=ParticipantFactory(user=user, full_name="Siti Rahmawati")
    )
    # The URL the QR code on the projector encodes.
    checkin = page.base_url + services.checkin_url(session)
    page.goto(checkin)
    # Not signed in yet: the login page, then straight back to the check-in.
    page.fill("#id_username", "siti.peserta")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Dasar HTML dan CSS" in page.locator("main").inner_text()
    page.get_by_role("button", name="Catat kehadiran saya").click()
    page.wait_for_load_state("networkidle")
    assert "Kehadiran Anda tercatat" in page.locator("main").inner_text()
    attendance = Attendance.objects.get(enrolment=enrolment, session=session)
    assert attendance.present and attendance.method == Attendance.Method.QR
    # Kelas saya now counts the session.
    page.get_by_role("link", name="Lihat kelas saya").click()
    assert "Hadir 1 dari 1 sesi" in page.locator("main").inner_text()


def test_provider_marks_attendance_on_a_phone(phone_page):
    page = phone_page
    staff = provider_staff("16.71", username="staf.lembaga")
    tc, session = running_class(staff)
    names = ["Ahmad Fauzi", "Budi Santoso", "Citra Lestari", "Dewi Anggraini", "Eko Prasetyo"]
    enrolments = {
        name: EnrolmentFactory(training_class=tc, participant=ParticipantFactory(full_name=name))
        for name in names
    }
    browser_login(page, "staf.lembaga", PASSWORD)
    page.goto(page.base_url + f"/pelaksanaan/sesi/{session.pk}/presensi/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # Big tap targets: each row is at least 48 px high.
    row = page.locator(f"#hadir-{enrolments['Ahmad Fauzi'].pk} label")
    assert row.bounding_box()["height"] >= 48
    page.get_by_role("button", name="Tandai semua hadir").click()
    page.wait_for_load_state("networkidle")
    assert "5 hadir, 0 tidak hadir" in page.locator(".messages").inner_text()
    # One tap unticks Budi; htmx saves it at once, without the save button.
    page.get_by_text("Budi Santoso").click()
    budi = page.locator(f"#hadir-{enrolments['Budi Santoso'].pk}")
    budi.locator("text=Belum hadir").wait_for()
    assert not Attendance.objects.get(enrolment=enrolments["Budi Santoso"], session=session).present
    assert Attendance.objects.filter(session=session, present=True).count() == 4
    # By keyboard alone: Space toggles, and focus stays on the same checkbox after htmx swaps the row.
    citra = enrolments["Citra Lestari"].pk
    page.focus(f"#hadir-cb-{citra}")
    page.keyboard.press("Space")
    page.locator(f"#hadir-{citra}").locator("text=Belum hadir").wait_for()
    assert page.evaluate("document.activeElement.id") == f"hadir-cb-{citra}"
    assert Attendance.objects.filter(session=session, present=True).count() == 3
    assert page.locator("#jumlah-hadir").inner_text() == "3 dari 5 hadir"
    page.evaluate("window.scrollTo(0, 0)")
