"""Sessions laid out from a weekly schedule: dates on the chosen weekdays inside the class period,
numbered after the sessions already there, all or nothing, and editable one by one afterwards."""

import datetime as dt

import pytest
from django.urls import reverse
from tests.factories import ClassSessionFactory, TrainingClassFactory, provider_staff

from sinergi.learning.models import ClassSession
from sinergi.learning.schedule import session_dates

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 11, 2)


def test_dates_fall_on_the_chosen_weekdays_inside_the_period():
    days = session_dates(MONDAY, dt.date(2026, 11, 30), {0, 2}, 5)  # Monday and Wednesday
    assert days == [
        dt.date(2026, 11, 2),
        dt.date(2026, 11, 4),
        dt.date(2026, 11, 9),
        dt.date(2026, 11, 11),
        dt.date(2026, 11, 16),
    ]
    assert session_dates(MONDAY, dt.date(2026, 11, 8), {0, 2}, 5) == days[:2]  # only two fit
    assert session_dates(MONDAY, dt.date(2026, 11, 30), set(), 5) == []


@pytest.fixture
def staff():
    return provider_staff("16.71")


@pytest.fixture
def tc(staff):
    return TrainingClassFactory(
        provider=staff.organization, starts_on=MONDAY, ends_on=dt.date(2026, 11, 27), hours=24
    )


def schedule(**overrides):
    data = {
        "hari": ["1", "3"],  # Tuesday and Thursday
        "mulai": "2026-11-02",
        "jam_mulai": "08:00",
        "jam_selesai": "11:00",
        "jumlah": "6",
        "jp": "4",
        "topik": "Pertemuan",
    }
    return {**data, **overrides}


def test_provider_lays_out_the_class_and_numbering_follows_the_existing_sessions(client, staff, tc):
    ClassSessionFactory(training_class=tc, number=1, date=MONDAY, topic="Pembukaan")
    client.force_login(staff)
    url = reverse("learning:session_generate", args=[tc.pk])
    assert "Susun sesi dari jadwal" in client.get(url).content.decode()
    response = client.post(url, schedule(), follow=True)
    assert "6 sesi tersusun (03/11/2026 – 19/11/2026)" in response.content.decode()
    made = list(tc.sessions.exclude(number=1).order_by("number"))
    assert [s.number for s in made] == [2, 3, 4, 5, 6, 7]
    assert [s.date.weekday() for s in made] == [1, 3] * 3
    assert made[0].topic == "Pertemuan 2" and made[0].hours == 4
    assert made[0].start_time == dt.time(8) and made[0].end_time == dt.time(11)
    # Each is an ordinary session: it can be edited afterwards.
    edit = client.post(
        reverse("learning:session_edit", args=[made[0].pk]),
        {
            "number": "2",
            "date": "2026-11-03",
            "start_time": "09:00",
            "end_time": "12:00",
            "hours": "4",
            "topic": "Pengantar Python",
            "instructor": "",
        },
    )
    assert edit.status_code == 302
    made[0].refresh_from_db()
    assert made[0].topic == "Pengantar Python" and made[0].start_time == dt.time(9)


def test_a_schedule_that_does_not_fit_the_class_makes_nothing_and_says_why(client, staff, tc):
    client.force_login(staff)
    url = reverse("learning:session_generate", args=[tc.pk])
    response = client.post(url, schedule(jumlah="12"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Hanya 8 dari 12 sesi muat pada hari yang dipilih sebelum kelas berakhir pada 27/11/2026" in html
    assert not ClassSession.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("hari", [], "Pilih minimal satu hari pertemuan."),
        ("jam_selesai", "07:00", "Jam selesai harus setelah jam mulai."),
        ("mulai", "2026-12-01", "Tanggal harus dalam masa kelas (02/11/2026 – 27/11/2026)."),
        ("jumlah", "0", "Pastikan nilai ini lebih besar dari atau sama dengan 1."),
    ],
)
def test_bad_schedule_names_the_field(client, staff, tc, field, value, message):
    client.force_login(staff)
    response = client.post(reverse("learning:session_generate", args=[tc.pk]), schedule(**{field: value}))
    assert message in response.content.decode()
    assert response.context["form"].errors[field]
    assert not ClassSession.objects.exists()


def test_another_providers_class_is_404(client, tc):
    client.force_login(provider_staff("16.71"))
    assert client.get(reverse("learning:session_generate", args=[tc.pk])).status_code == 404
