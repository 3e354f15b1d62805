"""Commitment metrics over credentials and the demo step (factory data standing in for learning's demo)."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.utils import timezone
from tests.factories import (
    AcademyFactory,
    BatchFactory,
    EnrolmentFactory,
    ParticipantFactory,
    ProgramFactory,
    TrainingClassFactory,
    region,
)

from sinergi.core.demo import PALEMBANG_BATCH
from sinergi.credentials import services
from sinergi.credentials.demo import REVOCATION_REASON, seed_credentials
from sinergi.credentials.models import Credential
from sinergi.learning.models import Enrolment
from sinergi.partnerships.metrics import METRICS
from sinergi.partnerships.models import Agreement, Commitment

pytestmark = pytest.mark.django_db


def commitment_for(*programs, breakdown=None):
    agreement = Agreement.objects.create(
        type="mou",
        title="MoU Talenta Digital",
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2028, 1, 1),
    )
    for program in programs:
        program.agreements.add(agreement)
    return Commitment.objects.create(
        agreement=agreement,
        title="Peserta bersertifikat",
        metric_key="credentials.certified",
        target_value=Decimal(100),
        unit="orang",
        deadline=datetime.date(2027, 12, 31),
        breakdown=breakdown or {},
    )


def certify(program, **participant):
    enrolment = EnrolmentFactory(
        training_class=TrainingClassFactory(program=program),
        participant=ParticipantFactory(**participant),
        status=Enrolment.Status.COMPLETED,
        completed_at=timezone.now(),
    )
    return services.issue_credential(enrolment)


def test_certified_counts_unrevoked_credentials_of_linked_programmes_with_breakdown():
    gta = ProgramFactory(level="dasar", academy=AcademyFactory(code="GTA"))
    vsga = ProgramFactory(level="lanjut", academy=AcademyFactory(code="VSGA"))
    unlinked = ProgramFactory()
    certify(gta, category="asn")
    certify(gta, category="umkm", domicile=region("64.72"))
    revoked = certify(vsga, category="asn")
    certify(unlinked)
    services.revoke(revoked, user=None, reason="Data tidak benar")
    metric = METRICS["credentials.certified"]
    assert metric.fn(commitment_for(gta, vsga)).value == 2
    assert metric.fn(commitment_for(gta, vsga, breakdown={"category": "asn"})).value == 1
    assert metric.fn(commitment_for(gta, vsga, breakdown={"academy": ["GTA"], "level": "dasar"})).value == 2
    assert metric.fn(commitment_for(gta, vsga, breakdown={"region": "64"})).value == 1
    assert metric.fn(commitment_for(gta, vsga, breakdown={"dasar": 5000})).value == 2  # numbers are targets
    drill = metric.fn(commitment_for(gta)).drilldown
    assert drill is not None and drill.count() == 2
    assert METRICS["credentials.competency_certified"].fn(commitment_for(gta, vsga)).value == 0


def test_demo_step_certifies_the_completed_palembang_class_and_revokes_one():
    batch = BatchFactory(name=PALEMBANG_BATCH)
    training_class = TrainingClassFactory(program=ProgramFactory(batch=batch))
    for _ in range(4):
        EnrolmentFactory(
            training_class=training_class, status=Enrolment.Status.COMPLETED, completed_at=timezone.now()
        )
    EnrolmentFactory(training_class=training_class, status=Enrolment.Status.NOT_COMPLETED)
    out = StringIO()
    seed_credentials(out)
    credentials = Credential.objects.filter(enrolment__training_class=training_class)
    assert credentials.count() == 4
    assert all(c.number.startswith(f"DTS/{timezone.localdate().year}/") for c in credentials)
    revoked = credentials.filter(revoked_at__isnull=False)
    assert [c.revocation_reason for c in revoked] == [REVOCATION_REASON]
    assert "4 terbit" in out.getvalue()
    seed_credentials(StringIO())  # running the demo again changes nothing
    assert credentials.count() == 4 and credentials.filter(revoked_at__isnull=False).count() == 1


def test_demo_step_without_a_completed_class_does_nothing():
    out = StringIO()
    seed_credentials(out)
    assert "dilewati" in out.getvalue()
    assert not Credential.objects.exists()
