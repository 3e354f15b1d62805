"""Survey versions: editing an unanswered version changes it; once answered, editing writes a new
version, the old one stays as answered, an edit of an old response keeps its version, and the stored
questions cannot be changed behind the service's back. The default tracer is installed by migration."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from tests.outcomes.conftest import graduate

from sinergi.outcomes import services, tracer_default
from sinergi.outcomes.models import Survey, TracerInvitation, TracerResponse

pytestmark = pytest.mark.django_db
ANSWER = {"activity": "studi", "business": "tidak_ada", "satisfaction": "4"}


def test_the_default_tracer_is_installed_with_its_questions():
    survey = Survey.objects.get(slug=tracer_default.SLUG)
    assert survey.current_version.number == 1
    assert [q["code"] for q in survey.current_version.questions][:3] == [
        "activity",
        "months_to_job",
        "income_band",
    ]
    call_command("load_default_tracer")
    assert survey.versions.count() == 1


def test_editing_an_answered_survey_creates_a_new_version_and_answers_keep_theirs(
    palembang_class, rounds, run_scheduler
):
    graduate(palembang_class)
    graduate(palembang_class)
    run_scheduler(dt.date(2026, 6, 10))
    first, second = TracerInvitation.objects.order_by("pk")
    survey = rounds[0].survey
    v1 = survey.current_version
    services.submit_response(invitation=first, raw=ANSWER)
    changed = [
        *v1.questions,
        {
            "code": "certificate_used",
            "type": "single",
            "label": "Sertifikat dipakai melamar?",
            "options": [{"value": "ya", "label": "Ya"}, {"value": "tidak", "label": "Tidak"}],
        },
    ]
    v2 = services.revise_survey(survey=survey, questions=changed)
    assert v2.number == 2 and v1.questions == tracer_default.QUESTIONS
    services.submit_response(invitation=second, raw={**ANSWER, "certificate_used": "ya"})
    services.submit_response(invitation=first, raw={**ANSWER, "certificate_used": "ya", "satisfaction": "5"})
    by_invitation = {r.invitation_id: r for r in TracerResponse.objects.all()}
    assert by_invitation[first.pk].version == v1 and "certificate_used" not in by_invitation[first.pk].answers
    assert (
        by_invitation[second.pk].version == v2
        and by_invitation[second.pk].answers["certificate_used"] == "ya"
    )
    v1.questions = changed
    with pytest.raises(ValidationError, match="tidak dapat diubah"):
        v1.save()


def test_an_unanswered_version_is_edited_in_place():
    survey = Survey.objects.create(slug="uji", title="Uji")
    one = [{"code": "a", "type": "text", "label": "A"}]
    v1 = services.revise_survey(survey=survey, questions=one)
    v1b = services.revise_survey(
        survey=survey, questions=[*one, {"code": "b", "type": "scale", "label": "B"}]
    )
    assert v1b.pk == v1.pk and v1b.number == 1 and len(v1b.questions) == 2


def test_a_bad_definition_is_refused_with_every_problem():
    survey = Survey.objects.create(slug="uji", title="Uji")
    with pytest.raises(ValidationError) as caught:
        services.revise_survey(survey=survey, questions=[{"code": "a", "type": "slider", "label": ""}])
    assert caught.value.messages == [
        "Pertanyaan ke-1 (“a”): jenis “slider” tidak dikenal.",
        "Pertanyaan ke-1 (“a”): teks pertanyaan wajib diisi.",
    ]
    assert not survey.versions.exists()
