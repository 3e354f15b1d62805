"""Seed the national DTS academies (data; regions add their own later)."""

from django.db import migrations


def seed(apps, schema_editor):
    from sinergi.programs.academies import DTS_ACADEMIES

    Academy = apps.get_model("programs", "Academy")
    for code, name, description in DTS_ACADEMIES:
        Academy.objects.update_or_create(code=code, defaults={"name": name, "description": description})


def unseed(apps, schema_editor):
    from sinergi.programs.academies import DTS_ACADEMIES

    Academy = apps.get_model("programs", "Academy")
    Academy.objects.filter(code__in=[code for code, _n, _d in DTS_ACADEMIES], programs__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("programs", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
