"""sinergi seed_national at a tiny size: the project's own rules hold for the generated records."""

import pytest
from django.core.management import CommandError, call_command

from sinergi.credentials.models import Credential
from sinergi.learning.models import Attendance, Enrolment
from sinergi.outcomes.models import TracerInvitation, TracerResponse
from sinergi.partnerships.models import Agreement, Commitment
from sinergi.programs.models import TrainingClass
from sinergi.registration.models import Application, Participant
from sinergi.registration.nik import validate_nik

pytestmark = pytest.mark.django_db


def test_seed_national_tiny(capsys):
    call_command("seed_national", "--participants", "300", "--seed", "3")
    assert "selesai" in capsys.readouterr().out
    people = list(Participant.objects.all())
    assert len(people) == 300
    assert len({p.nik_hash for p in people}) == 300
    for person in people[:60]:  # encrypted, hashed, and a NIK the registration rules accept
        assert person.nik_encrypted and person.nik not in person.nik_encrypted
        assert validate_nik(person.nik, person.birth_date, person.sex) == []
        assert person.nik[:4] == person.domicile_id.replace(".", "")
    assert len({p.domicile_id.split(".")[0] for p in people}) == 38  # every province
    assert Application.objects.count() == 600
    assert TrainingClass.objects.count() > 0 and Enrolment.objects.exists() and Attendance.objects.exists()
    assert Credential.objects.count() == 60
    # 30 tracer answers (N/10): 24 at 3 months, 6 at 12 months by graduates who answered at 3 months.
    answers = TracerResponse.objects.all()
    assert answers.count() == 30
    assert answers.filter(invitation__round__offset_months=12).count() == 6
    assert all(r.invitation.enrolment.status == Enrolment.Status.COMPLETED for r in answers)
    assert answers.values("invitation__enrolment").distinct().count() == 24
    assert TracerInvitation.objects.filter(answered_at__isnull=True).count() > 0  # not everyone answers
    assert all(set(r.answers) >= {"activity", "business"} for r in answers)
    national = Agreement.objects.get(number="NK/NAS/2026/001")
    assert Application.objects.filter(batch__programs__agreements=national).distinct().count() == 300
    assert {c.metric_key for c in Commitment.objects.all()} >= {"registration.eligible", "manual"}
    with pytest.raises(CommandError, match="sudah ada"):
        call_command("seed_national", "--participants", "300")
    with pytest.raises(CommandError, match="minimal"):
        call_command("seed_national", "--participants", "5")
