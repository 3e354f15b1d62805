from django.db import migrations


def load(apps, schema_editor):
    from sinergi.reporting.population import load_default

    load_default(apps.get_model("reporting", "Population"))


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_funnel_counts_and_population")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
