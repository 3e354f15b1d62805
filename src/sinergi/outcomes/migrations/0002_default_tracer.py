from django.db import migrations

from sinergi.outcomes import tracer_default


def load(apps, schema_editor):
    Survey = apps.get_model("outcomes", "Survey")
    SurveyVersion = apps.get_model("outcomes", "SurveyVersion")
    survey, _created = Survey.objects.get_or_create(
        slug=tracer_default.SLUG,
        defaults={"title": tracer_default.TITLE, "description": tracer_default.DESCRIPTION},
    )
    if not SurveyVersion.objects.filter(survey=survey).exists():
        SurveyVersion.objects.create(survey=survey, number=1, questions=tracer_default.QUESTIONS)


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
