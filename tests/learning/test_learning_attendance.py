"""Sessions and attendance: scoping, the phone checklist, QR check-in tokens, LMS import."""

import datetime
import io

import pytest
import segno
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from openpyxl import Workbook
from tests.factories import (
    ClassSessionFactory,
    EnrolmentFactory,
    ParticipantFactory,
    TrainingClassFactory,
    UserFactory,
    provider_staff,
    regional_admin,
)
from tests.spreadsheets import many_lines_csv, shared_strings_bomb, within_budget

from sinergi.learning import services
from sinergi.learning.models import Attendance, ClassSession

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return provider_staff("16.71")


@pytest.fixture
def tc(staff):
    return TrainingClassFactory(provider=staff.organization)


def enrol_person(training_class, **kwargs):
    user = UserFactory()
    participant = ParticipantFactory(user=user, **kwargs)
    return EnrolmentFactory(participant=participant, training_class=training_class)


# --- scoping ----------------------------------------------------------------------------------------


def test_provider_of_another_organisation_gets_404_everywhere(client, tc):
    session = ClassSessionFactory(training_class=tc)
    enrolment = enrol_person(tc)
    client.force_login(provider_staff("16.71"))
    for url in [
        reverse("learning:class_detail", args=[tc.pk]),
        reverse("learning:session_create", args=[tc.pk]),
        reverse("learning:session_attendance", args=[session.pk]),
        reverse("learning:session_qr", args=[session.pk]),
        reverse("learning:attendance_import", args=[tc.pk]),
        reverse("learning:completion", args=[tc.pk]),
        reverse("learning:scores", args=[tc.pk]),
        reverse("learning:competency", args=[tc.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    response = client.post(
        reverse("learning:attendance_toggle", args=[session.pk, enrolment.pk]), {"present": enrolment.pk}
    )
    assert response.status_code == 404
    assert not Attendance.objects.exists()


def test_regional_admin_reads_but_cannot_mark(client, tc):
    session = ClassSessionFactory(training_class=tc, topic="Dasar Python")
    admin = regional_admin("16.71")
    client.force_login(admin)
    page = client.get(reverse("learning:class_detail", args=[tc.pk]))
    assert page.status_code == 200
    assert "Dasar Python" in page.content.decode()
    assert "Tambah sesi" not in page.content.decode()
    assert client.get(reverse("learning:session_attendance", args=[session.pk])).status_code == 403
    # Another region's admin does not even see the class.
    client.force_login(regional_admin("64.72"))
    assert client.get(reverse("learning:class_detail", args=[tc.pk])).status_code == 404


def test_provider_staff_lists_only_own_classes(client, staff, tc):
    other = TrainingClassFactory(name="Kelas Lembaga Lain")
    client.force_login(staff)
    body = client.get(reverse("learning:class_list")).content.decode()
    assert tc.name in body
    assert other.name not in body


# --- sessions ---------------------------------------------------------------------------------------


def test_session_form_rejects_end_before_start_and_date_outside_class(client, staff, tc):
    client.force_login(staff)
    response = client.post(
        reverse("learning:session_create", args=[tc.pk]),
        {
            "date": (tc.ends_on + datetime.timedelta(days=1)).isoformat(),
            "start_time": "10:00",
            "end_time": "09:00",
            "hours": "2",
            "topic": "Pengantar",
        },
    )
    body = response.content.decode()
    assert "Jam selesai harus setelah jam mulai" in body
    assert "Tanggal harus dalam masa kelas" in body
    assert not ClassSession.objects.exists()


def test_session_created_with_next_number(client, staff, tc):
    ClassSessionFactory(training_class=tc, number=1)
    client.force_login(staff)
    client.post(
        reverse("learning:session_create", args=[tc.pk]),
        {
            "date": tc.starts_on.isoformat(),
            "start_time": "08:00",
            "end_time": "12:00",
            "hours": "4",
            "topic": "Basis data",
            "instructor": "Bu Rina",
        },
    )
    assert tc.sessions.get(number=2).topic == "Basis data"


# --- checklist --------------------------------------------------------------------------------------


def test_checklist_all_present_then_untick_one(client, staff, tc):
    session = ClassSessionFactory(training_class=tc)
    a, b, c = (enrol_person(tc) for _ in range(3))
    client.force_login(staff)
    url = reverse("learning:session_attendance", args=[session.pk])
    page = client.post(url, {"action": "all"}, follow=True).content.decode()
    assert "3 hadir, 0 tidak hadir" in page
    client.post(url, {"present": [a.pk, c.pk]})
    assert set(Attendance.objects.filter(present=True).values_list("enrolment_id", flat=True)) == {a.pk, c.pk}
    assert Attendance.objects.get(enrolment=b).present is False


def test_htmx_toggle_returns_the_row(client, staff, tc):
    session = ClassSessionFactory(training_class=tc)
    enrolment = enrol_person(tc, full_name="Rahmat Hidayat")
    client.force_login(staff)
    url = reverse("learning:attendance_toggle", args=[session.pk, enrolment.pk])
    response = client.post(url, {"present": enrolment.pk}, HTTP_HX_REQUEST="true")
    assert "Rahmat Hidayat" in response.content.decode() and "Hadir" in response.content.decode()
    assert Attendance.objects.get().present is True
    client.post(url, {}, HTTP_HX_REQUEST="true")
    assert Attendance.objects.get().present is False


def test_checklist_rejects_a_participant_of_another_class(client, staff, tc):
    session = ClassSessionFactory(training_class=tc)
    stranger = EnrolmentFactory()
    client.force_login(staff)
    page = client.post(
        reverse("learning:session_attendance", args=[session.pk]), {"present": [stranger.pk]}, follow=True
    ).content.decode()
    assert "tidak terdaftar di kelas ini" in page
    assert not Attendance.objects.exists()


# --- QR check-in ------------------------------------------------------------------------------------


def test_qr_check_in_records_the_participant(client, tc):
    session = ClassSessionFactory(training_class=tc)
    enrolment = enrol_person(tc)
    client.force_login(enrolment.participant.user)
    url = services.checkin_url(session)
    assert "Catat kehadiran saya" in client.get(url).content.decode()
    body = client.post(url).content.decode()
    assert "Kehadiran Anda tercatat" in body
    attendance = Attendance.objects.get()
    assert (attendance.present, attendance.method) == (True, Attendance.Method.QR)
    # Scanning again is harmless.
    assert "sudah tercatat hadir" in client.post(url).content.decode()
    assert Attendance.objects.count() == 1


def test_qr_check_in_requires_login(client, tc):
    session = ClassSessionFactory(training_class=tc)
    url = services.checkin_url(session)
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_expired_qr_token_is_refused_in_indonesian(client, tc, monkeypatch):
    session = ClassSessionFactory(training_class=tc)
    enrolment = enrol_person(tc)
    client.force_login(enrolment.participant.user)
    url = services.checkin_url(session)
    # Sign as if the code had been shown 16 minutes ago.
    real_time = signing.time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() + 16 * 60)
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 400
        assert "Kode QR ini sudah kedaluwarsa" in response.content.decode()
    assert not Attendance.objects.exists()


def test_forged_qr_token_is_refused(client, tc):
    session = ClassSessionFactory(training_class=tc)
    enrolment = enrol_person(tc)
    client.force_login(enrolment.participant.user)
    token = services.checkin_token(session)
    other_id = token.replace(f"{session.pk}:", f"{session.pk + 1}:", 1)
    for bad in (other_id, "bukan-token", token[:-2] + "xx"):
        response = client.post(reverse("learning:check_in", args=[bad]))
        assert response.status_code == 400
        assert "tidak sah" in response.content.decode()
    assert not Attendance.objects.exists()


def test_qr_of_another_class_is_refused(client, tc):
    other_session = ClassSessionFactory()  # a class the participant is not in
    enrolment = enrol_person(tc)
    client.force_login(enrolment.participant.user)
    response = client.post(services.checkin_url(other_session))
    assert response.status_code == 400
    assert "tidak terdaftar sebagai peserta kelas" in response.content.decode()
    assert not Attendance.objects.exists()


def test_qr_page_and_image_for_staff(client, staff, tc):
    session = ClassSessionFactory(training_class=tc)
    client.force_login(staff)
    page = client.get(reverse("learning:session_qr", args=[session.pk]))
    token = page.context["token"]
    image = client.get(reverse("learning:session_qr_image", args=[session.pk, token]))
    assert image["Content-Type"] == "image/svg+xml"
    assert image.content.lstrip().startswith(b"<svg")
    # The image endpoint only draws valid tokens of this very session.
    forged = reverse("learning:session_qr_image", args=[session.pk, "1:abc:def"])
    assert client.get(forged).status_code == 404


def test_the_check_in_qr_points_to_the_public_address(client, staff, tc, settings):
    """Scanned on a phone, the code must open the public site, not the name the projector used."""
    settings.SITE_URL = "https://sinergi.contoh.go.id"
    session = ClassSessionFactory(training_class=tc)
    client.force_login(staff)
    page = client.get(reverse("learning:session_qr", args=[session.pk]))
    expected = "https://sinergi.contoh.go.id" + reverse("learning:check_in", args=[page.context["token"]])
    assert page.context["checkin_url"] == expected
    assert expected in page.content.decode()
    image = client.get(reverse("learning:session_qr_image", args=[session.pk, page.context["token"]]))
    drawn = io.BytesIO()
    segno.make(expected, error="m").save(
        drawn, kind="svg", scale=8, border=2, xmldecl=False, title="Kode QR presensi"
    )
    assert image.content == drawn.getvalue()  # the image encodes exactly that address


# --- LMS import -------------------------------------------------------------------------------------


def _post_import(client, tc, name, data):
    """Upload, let the job run (on commit, as in production), and follow to its result page."""
    upload = io.BytesIO(data)
    upload.name = name
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("learning:attendance_import", args=[tc.pk]), {"file": upload})
    if response.status_code != 302:
        return response
    return client.get(response["Location"])


def test_csv_import_by_email_nik_number_and_date(client, staff, tc):
    s1 = ClassSessionFactory(training_class=tc, number=1, date=tc.starts_on)
    s2 = ClassSessionFactory(training_class=tc, number=2, date=tc.starts_on + datetime.timedelta(days=1))
    a = enrol_person(tc, email="ani@contoh.id")
    b = enrol_person(tc)
    csv_text = (
        "email;nik;sesi;hadir\n"
        f"ANI@contoh.id;;1;ya\n"
        f";{b.participant.nik};1;tidak\n"
        f"ani@contoh.id;;{s2.date.strftime('%d/%m/%Y')};Hadir\n"
    )
    client.force_login(staff)
    body = _post_import(client, tc, "presensi.csv", csv_text.encode()).content.decode()
    assert "Impor berhasil: 3 baris, 2 hadir, 1 tidak hadir" in body
    assert Attendance.objects.get(session=s1, enrolment=a).present
    assert not Attendance.objects.get(session=s1, enrolment=b).present
    assert Attendance.objects.get(session=s2, enrolment=a).method == Attendance.Method.IMPORT


def test_bad_import_lists_every_row_error_and_saves_nothing(client, staff, tc):
    ClassSessionFactory(training_class=tc, number=1)
    enrol_person(tc, email="ani@contoh.id")
    csv_text = (
        "email,sesi,hadir\n"
        "ani@contoh.id,1,ya\n"  # fine, but must not be saved since others fail
        "orang.lain@contoh.id,1,ya\n"
        "ani@contoh.id,9,ya\n"
        "ani@contoh.id,1,mungkin\n"
        ",1,ya\n"
        "ani@contoh.id,kemarin,ya\n"
    )
    client.force_login(staff)
    body = _post_import(client, tc, "presensi.csv", csv_text.encode()).content.decode()
    assert (
        "Baris 3, kolom &#x27;email&#x27;: tidak ada peserta kelas ini dengan e-mail orang.lain@contoh.id"
        in body
    )
    assert "Baris 4, kolom &#x27;sesi&#x27;: kelas ini tidak memiliki sesi ke-9" in body
    assert "Baris 5, kolom &#x27;hadir&#x27;" in body and "isi ya atau tidak" in body
    assert "Baris 6, kolom &#x27;email/nik&#x27;" in body
    assert "Baris 7, kolom &#x27;sesi&#x27;" in body
    assert "tidak ada data yang disimpan" in body
    assert not Attendance.objects.exists()


def test_import_missing_columns_and_conflicting_rows(client, staff, tc):
    ClassSessionFactory(training_class=tc, number=1)
    enrol_person(tc, email="ani@contoh.id")
    client.force_login(staff)
    body = _post_import(client, tc, "a.csv", b"nama,hadir\nAni,ya\n").content.decode()
    assert "kolom wajib tidak ditemukan: email/nik, sesi" in body
    body = _post_import(
        client, tc, "b.csv", b"email,sesi,hadir\nani@contoh.id,1,ya\nani@contoh.id,1,tidak\n"
    ).content.decode()
    assert "Baris 3, kolom &#x27;hadir&#x27;: bertentangan dengan baris 2" in body
    body = _post_import(client, tc, "c.csv", "email,sesi,hadir\n".encode("utf-16")).content.decode()
    assert "bukan berkas CSV (teks) atau XLSX" in body
    body = _post_import(client, tc, "d.pdf", b"%PDF-1.4").content.decode()
    assert "Format berkas tidak dikenali" in body
    assert not Attendance.objects.exists()


def test_xlsx_import_with_date_cells(client, staff, tc):
    session = ClassSessionFactory(training_class=tc, number=1, date=tc.starts_on)
    enrolment = enrol_person(tc, email="budi@contoh.id")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Email", "Sesi", "Hadir"])
    sheet.append(["budi@contoh.id", datetime.datetime.combine(tc.starts_on, datetime.time()), "Ya"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(staff)
    body = _post_import(client, tc, "lms.xlsx", buffer.getvalue()).content.decode()
    assert "Impor berhasil" in body
    assert Attendance.objects.get(session=session, enrolment=enrolment).present


def test_damaged_xlsx_is_refused(client, staff, tc):
    client.force_login(staff)
    body = _post_import(client, tc, "lms.xlsx", b"PK\x03\x04 rusak").content.decode()
    assert "bukan berkas Excel (XLSX) yang dapat dibaca" in body


def test_session_with_attendance_cannot_be_deleted(client, staff, tc):
    session = ClassSessionFactory(training_class=tc)
    enrolment = enrol_person(tc)
    services.mark_attendance(session, [enrolment.pk], user=staff)
    client.force_login(staff)
    body = client.post(reverse("learning:session_delete", args=[session.pk]), follow=True).content.decode()
    assert "tidak dapat dihapus" in body
    assert ClassSession.objects.filter(pk=session.pk).exists()


ATTENDANCE_BOMBS = [
    (
        "lms.xlsx",
        lambda: shared_strings_bomb(["email", "sesi", "hadir"]),
        "lebih dari 1.000.000 teks berbeda",
    ),
    ("lms.csv", lambda: many_lines_csv(["email", "sesi", "hadir"], 25_000), "lebih dari 20.000 baris data"),
]


@pytest.mark.parametrize(("name", "build", "message"), ATTENDANCE_BOMBS)
def test_import_of_a_bomb_is_stored_by_the_request_and_refused_by_its_job(
    client, staff, tc, django_capture_on_commit_callbacks, no_xlsx_parsing, name, build, message
):
    from django.core.files.storage import default_storage

    from sinergi.core.models import Job

    ClassSessionFactory(training_class=tc, number=1)
    client.force_login(staff)
    upload = io.BytesIO(build())
    upload.name = name
    url = reverse("learning:attendance_import", args=[tc.pk])
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(url, {"file": upload})
    job = Job.objects.get()
    assert response.status_code == 302 and job.status == Job.Status.QUEUED
    assert default_storage.exists(job.params["path"])
    with within_budget(peak_mb=40):
        for callback in queued:
            callback()
    job.refresh_from_db()
    assert not default_storage.exists(job.params["path"])
    body = client.get(response["Location"]).content.decode()
    assert message in body and "tidak ada data yang disimpan" in body
    assert not Attendance.objects.exists()


def test_import_result_page_is_the_uploaders_and_reloads_when_done(client, staff, tc):
    ClassSessionFactory(training_class=tc, number=1)
    enrol_person(tc, email="ani@contoh.id")
    client.force_login(staff)
    with TestCase.captureOnCommitCallbacks(execute=False):
        response = client.post(
            reverse("learning:attendance_import", args=[tc.pk]),
            {"file": SimpleUploadedFile("a.csv", b"email,sesi,hadir\nani@contoh.id,1,ya\n")},
        )
    page = client.get(response["Location"]).content.decode()
    assert "Menunggu" in page  # queued: the progress is shown, nothing saved yet
    assert client.get(response["Location"], HTTP_HX_REQUEST="true").status_code == 204
    other = TrainingClassFactory(provider=staff.organization)
    assert client.get(response["Location"].replace(f"/{tc.pk}/", f"/{other.pk}/")).status_code == 404
    client.force_login(provider_staff("16.71"))
    assert client.get(response["Location"]).status_code == 404


@pytest.mark.parametrize("written", ["23.11.2026", "23-11-2026", "23/11/2026", "2026-11-23"])
def test_session_dates_follow_the_one_date_policy(client, staff, tc, written):
    session = ClassSessionFactory(training_class=tc, number=1, date=datetime.date(2026, 11, 23))
    enrolment = enrol_person(tc, email="ani@contoh.id")
    client.force_login(staff)
    body = _post_import(client, tc, "a.csv", f"email,sesi,hadir\nani@contoh.id,{written},ya\n".encode())
    assert "Impor berhasil" in body.content.decode()
    assert Attendance.objects.get(session=session, enrolment=enrolment).present
