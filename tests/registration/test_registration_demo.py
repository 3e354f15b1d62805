"""The applicants demo step: a few thousand valid applicants for the Palembang batch."""

import pytest

from sinergi.core.demo import PALEMBANG_BATCH, seed_foundation
from sinergi.programs.models import Batch
from sinergi.registration.demo import APPLICANTS, seed_applicants
from sinergi.registration.models import Application, ApplicationChoice, Participant
from sinergi.registration.nik import validate_identity

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    from sinergi.partnerships.demo import seed_partnerships
    from sinergi.programs.demo import seed_programs

    seed_foundation()
    seed_partnerships()
    seed_programs()
    seed_applicants()


def test_applicants_have_valid_distinct_niks_and_ranked_choices(demo):
    batch = Batch.objects.get(name=PALEMBANG_BATCH)
    applications = Application.objects.filter(batch=batch)
    assert applications.count() == APPLICANTS + 1  # plus the demo participant
    people = list(Participant.objects.filter(applications__batch=batch))
    assert len({p.nik_hash for p in people}) == len(people)
    for person in people[:300]:
        assert (
            validate_identity(
                person.nik, person.birth_date, person.sex, nip=person.nip, category=person.category
            )
            == []
        )
    assert {p.category for p in people} == {"asn", "pelajar", "guru", "umkm", "umum"}
    scores = [float(s) for s in applications.values_list("score", flat=True)]
    assert 40 <= min(scores) and max(scores) <= 100
    ranks = ApplicationChoice.objects.filter(application__batch=batch).values_list("rank", flat=True)
    assert set(ranks) == {1, 2, 3}
    peserta = Participant.objects.get(user__username="peserta")
    assert peserta.domicile_id == "16.71"
    assert peserta.applications.get().choices.count() == 3


def test_running_the_demo_twice_adds_nothing(demo):
    def counts():
        return Participant.objects.count(), Application.objects.count(), ApplicationChoice.objects.count()

    before = counts()
    seed_applicants()
    assert counts() == before
