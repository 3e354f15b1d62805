from django.db import migrations, models
from django.db.models import F, Q


def confirm_existing_accounts(apps, schema_editor):
    # Active accounts were confirmed by the old link or made by an officer; an inactive one that has
    # signed in before was switched off. Only inactive, never-used accounts remain pending sign-ups.
    User = apps.get_model("accounts", "User")
    User.objects.filter(Q(is_active=True) | Q(last_login__isnull=False)).update(
        email_confirmed_at=F("date_joined")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="email_confirmed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="e-mail dikonfirmasi"),
        ),
        migrations.RunPython(confirm_existing_accounts, migrations.RunPython.noop),
    ]
