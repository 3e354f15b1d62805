"""Two regions' training records for the reporting tests: a Palembang batch with its whole funnel and
a Samarinda batch whose numbers must never reach Palembang's pages (and the reverse)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils import timezone
from tests.factories import (
    ClassSessionFactory,
    EnrolmentFactory,
    ParticipantFactory,
    ProgramFactory,
    TrainingClassFactory,
    apply_to,
    region,
)

from sinergi.credentials.models import Credential
from sinergi.credentials.services import ensure_issuer
from sinergi.learning.models import Attendance, Enrolment
from sinergi.outcomes.models import TracerInvitation, TracerResponse
from sinergi.outcomes.services import ensure_default_rounds
from sinergi.programs.models import Batch
from sinergi.reporting.funnel import refresh_funnel
from sinergi.reporting.models import Population
from sinergi.reporting.population import load_default


def build_region(code: str, people: int, *, enrolled: int, attended: int, completed: int, certified: int):
    program = ProgramFactory(
        batch__region=region(code), batch__status=Batch.Status.ALLOCATED, region=region(code)
    )
    program.batch.organizer.region = region(code)
    program.batch.organizer.save()
    training_class = TrainingClassFactory(
        program=program, starts_on=timezone.localdate() - dt.timedelta(days=20), region=region(code)
    )
    session = ClassSessionFactory(
        training_class=training_class, date=timezone.localdate() - dt.timedelta(days=10)
    )
    issuer = ensure_issuer(training_class.provider)
    participants = []
    for i in range(people):
        person = ParticipantFactory(
            domicile=region(code),
            sex="P" if i % 2 else "L",
            category="asn" if i % 3 == 0 else "umum",
            birth_date=dt.date(1990 + i % 10, 3, 1),
        )
        participants.append(person)
        apply_to(person, [training_class])
        if i < enrolled:
            enrolment = EnrolmentFactory(participant=person, training_class=training_class)
            if i < attended:
                Attendance.objects.create(
                    session=session, enrolment=enrolment, present=True, method="checklist"
                )
            if i < completed:
                enrolment.status = Enrolment.Status.COMPLETED
                enrolment.completed_at = timezone.now()
                enrolment.save()
            if i < certified:
                Credential.objects.create(
                    issuer=issuer,
                    enrolment=enrolment,
                    number=f"UJI/{code}/{i}",
                    uuid=uuid.uuid4(),
                    status_index=i,
                    holder_name=person.full_name,
                    document="{}",
                    issued_at=timezone.now(),
                )
                if i == 0:  # a competency certificate too: still one certified person
                    Credential.objects.create(
                        issuer=issuer,
                        enrolment=enrolment,
                        kind=Credential.Kind.COMPETENCY,
                        number=f"UJI/{code}/K{i}",
                        uuid=uuid.uuid4(),
                        status_index=1000 + i,
                        holder_name=person.full_name,
                        document="{}",
                        issued_at=timezone.now(),
                    )
    return {"batch": program.batch, "program": program, "class": training_class, "participants": participants}


# Palembang graduates' tracer answers: (3-month answer, 12-month answer), None when not answered.
PALEMBANG_TRACER = [
    ({"activity": "mencari_kerja"}, {"activity": "bekerja_penuh"}),  # employed by the latest round
    ({"activity": "bekerja_penuh"}, {"activity": "mencari_kerja"}),  # lost the job: not employed now
    ({"activity": "wirausaha", "business": "baru"}, None),  # employed and a business started
    ({"activity": "studi", "business": "naik_kelas"}, None),  # a business grown, not employed
    ({"activity": "bekerja_paruh"}, None),
]


def answer_tracers(enrolments, answers_per_graduate) -> None:
    rounds = ensure_default_rounds(enrolments[0].training_class.program)
    version = rounds[0].survey.current_version
    now = timezone.now()
    for enrolment, answers in zip(enrolments, answers_per_graduate, strict=False):
        for tracer_round, answered in zip(rounds, answers, strict=True):
            invitation = TracerInvitation.objects.create(
                round=tracer_round,
                enrolment=enrolment,
                due_on=timezone.localdate(),
                expires_at=now + dt.timedelta(days=30),
                sent_at=now,
                answered_at=now if answered else None,
            )
            if answered:
                TracerResponse.objects.create(invitation=invitation, version=version, answers=answered)


def build_world():
    if not Population.objects.exists():
        load_default(Population)
    palembang = build_region("16.71", 12, enrolled=9, attended=8, completed=7, certified=6)
    samarinda = build_region("64.72", 7, enrolled=3, attended=2, completed=2, certified=1)
    graduates = Enrolment.objects.filter(
        training_class=palembang["class"], status=Enrolment.Status.COMPLETED
    ).order_by("pk")
    answer_tracers(list(graduates), PALEMBANG_TRACER)
    refresh_funnel()
    return {"palembang": palembang, "samarinda": samarinda}
