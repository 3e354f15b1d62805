"""The class catalogue at national size: a page of classes at a time, filters, a flat query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from tests.factories import (
    AcademyFactory,
    BatchFactory,
    ParticipantFactory,
    ProgramFactory,
    TrainingClassFactory,
    UserFactory,
    region,
)

from sinergi.programs.models import Batch
from sinergi.registration.views import CLASSES_PER_PAGE

pytestmark = pytest.mark.django_db


def open_classes(n, **program_kwargs):
    program = ProgramFactory(**program_kwargs)
    return [TrainingClassFactory(program=program, name=f"Kelas Katalog {i:03d}") for i in range(n)]


def get(client, **params):
    return client.get(reverse("registration:catalogue"), params)


def test_never_more_than_a_page_of_classes_and_a_keyboard_pager(client):
    open_classes(CLASSES_PER_PAGE + 5)
    body = get(client).content.decode()
    assert body.count('class="catalogue-class') == CLASSES_PER_PAGE
    assert f"{CLASSES_PER_PAGE + 5} kelas ditemukan" in body
    assert "Halaman 1 dari 2" in body and "page=2" in body  # a plain link: Tab and Enter reach it
    second = get(client, page=2).content.decode()
    assert second.count('class="catalogue-class') == 5


def test_filters_by_region_academy_level_mode_and_search(client):
    palembang = open_classes(2)
    samarinda_batch = BatchFactory(region=region("64.72"))
    fga = AcademyFactory(code="FGA", name="Fresh Graduate Academy")
    samarinda = TrainingClassFactory(
        program=ProgramFactory(batch=samarinda_batch, academy=fga, level="lanjut", name="Sains Data"),
        name="Analitik Data Lanjut",
        mode="luring",
    )
    shown = lambda **params: {  # noqa: E731
        name
        for name in ("Kelas Katalog 000", "Kelas Katalog 001", "Analitik Data Lanjut")
        if name in get(client, **params).content.decode()
    }
    assert shown() == {"Kelas Katalog 000", "Kelas Katalog 001", "Analitik Data Lanjut"}
    assert shown(wilayah="64") == {"Analitik Data Lanjut"}  # a province includes its kab/kota
    assert shown(wilayah="16.71") == {"Kelas Katalog 000", "Kelas Katalog 001"}
    assert shown(akademi="FGA") == {"Analitik Data Lanjut"}
    assert shown(tingkat="lanjut") == {"Analitik Data Lanjut"}
    assert shown(moda="luring") == {"Analitik Data Lanjut"}
    assert shown(q="sains") == {"Analitik Data Lanjut"}  # the programme's name counts
    assert shown(q=palembang[1].code) == {"Kelas Katalog 001"}
    body = get(client, q="tidak ada").content.decode()
    assert "Tidak ada kelas yang cocok" in body
    assert samarinda.name not in body


def test_classes_of_batches_not_open_are_not_listed(client):
    [closed] = open_classes(1, batch__status=Batch.Status.CLOSED)
    assert closed.name not in get(client).content.decode()


@pytest.mark.parametrize("signed_in", [False, True])
def test_query_count_does_not_grow_with_the_number_of_classes(client, signed_in):
    if signed_in:
        user = UserFactory(role="participant")
        ParticipantFactory(user=user, consent_version="2026-11", consented_at=timezone.now())
        client.force_login(user)
    first = ProgramFactory()
    programs = [first, ProgramFactory(batch=first.batch)]  # a page costs per batch shown, not per class
    counts = []
    for n in (4, 3 * CLASSES_PER_PAGE):
        while sum(p.classes.count() for p in programs) < n:
            for program in programs:
                TrainingClassFactory(program=program)
        with CaptureQueriesContext(connection) as ctx:
            assert get(client).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
