"""Demo step (order 70): the graduates of the Palembang class answer their 3-month tracer.

The programme of the demo class gets the usual 3- and 12-month rounds. The scheduler is run for the
day the 3-month round falls due (the class finished recently, so the demo moves the clock, not the
records), the e-mails go to the demo's in-memory mailbox, and about two graduates in three answer
through their personal link's service, with a mix of before → after changes (job seekers who found
work, a few who started a business). Idempotent: a programme that already has answers is left alone.
"""

from __future__ import annotations

from django.db.models import Max

from sinergi.core.demo import PALEMBANG_BATCH
from sinergi.learning.models import Enrolment
from sinergi.outcomes import services
from sinergi.outcomes.models import TracerInvitation, TracerResponse
from sinergi.registration.models import ActivityStatus, Participant

# (activity before, answers after), cycled over the graduates; every third one does not answer.
STORIES = [
    (
        ActivityStatus.JOB_SEEKING,
        {
            "activity": "bekerja_penuh",
            "months_to_job": "2",
            "income_band": "3-5",
            "uses_skills": "sangat",
            "business": "tidak_ada",
            "satisfaction": "5",
        },
    ),
    (
        ActivityStatus.STUDYING,
        {
            "activity": "bekerja_paruh",
            "months_to_job": "1",
            "income_band": "1-2",
            "uses_skills": "sebagian",
            "business": "tidak_ada",
            "satisfaction": "4",
        },
    ),
    (
        ActivityStatus.SELF_EMPLOYED,
        {
            "activity": "wirausaha",
            "months_to_job": "0",
            "income_band": "2-3",
            "uses_skills": "sangat",
            "business": "naik_kelas",
            "satisfaction": "5",
            "suggestion": "Tambah materi pemasaran digital.",
        },
    ),
    (ActivityStatus.JOB_SEEKING, {"activity": "mencari_kerja", "business": "tidak_ada", "satisfaction": "3"}),
    (
        ActivityStatus.JOB_SEEKING,
        {
            "activity": "wirausaha",
            "months_to_job": "2",
            "income_band": "lt1",
            "uses_skills": "sangat",
            "business": "baru",
            "satisfaction": "4",
        },
    ),
    (
        ActivityStatus.FULL_TIME,
        {
            "activity": "bekerja_penuh",
            "months_to_job": "0",
            "income_band": "5-10",
            "uses_skills": "sebagian",
            "business": "tidak_ada",
            "satisfaction": "4",
        },
    ),
]


def seed_tracer_demo(stdout) -> None:
    services.load_default_tracer()
    graduates = Enrolment.objects.filter(
        training_class__program__batch__name=PALEMBANG_BATCH,
        status=Enrolment.Status.COMPLETED,
        completed_at__isnull=False,
    ).select_related("participant", "training_class__program")
    first = graduates.order_by("pk").first()
    if first is None:
        stdout.write("  (tracer: belum ada lulusan kelas Palembang)")
        return
    program = first.training_class.program
    rounds = services.ensure_default_rounds(program)
    if TracerResponse.objects.filter(invitation__round__program=program).exists():
        return
    ordered = list(graduates.filter(training_class__program=program).order_by("pk"))
    for i, enrolment in enumerate(ordered):
        before = STORIES[i % len(STORIES)][0]
        Participant.objects.filter(pk=enrolment.participant_id).update(activity_before=before)
    latest = graduates.aggregate(last=Max("completed_at"))["last"]
    due_day = services.add_months(latest.date(), rounds[0].offset_months)
    services.invite_due(today=due_day)
    services.send_tracer_emails(today=due_day)
    invitations = {
        inv.enrolment_id: inv
        for inv in TracerInvitation.objects.filter(round=rounds[0]).select_related("round__survey")
    }
    answered = 0
    for i, enrolment in enumerate(ordered):
        invitation = invitations.get(enrolment.pk)
        if invitation is None or i % 3 == 2:
            continue
        services.submit_response(invitation=invitation, raw=STORIES[i % len(STORIES)][1])
        answered += 1
    stdout.write(f"  tracer 3 bulan: {len(invitations)} undangan, {answered} jawaban")
