"""A personal join link and a check-in code per registration, and when the person joined or checked in.

Existing registrations get their own token and code (a default alone would give every row the same one)."""

import secrets

from django.db import migrations, models

import meetings.models

ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"


def fill(apps, schema_editor):
    Registration = apps.get_model("meetings", "Registration")
    codes = set()
    for registration in Registration._base_manager.only("pk").iterator():
        code = "".join(secrets.choice(ALPHABET) for _ in range(8))
        while code in codes:
            code = "".join(secrets.choice(ALPHABET) for _ in range(8))
        codes.add(code)
        Registration._base_manager.filter(pk=registration.pk).update(
            join_token=secrets.token_urlsafe(24), checkin_code=code
        )


class Migration(migrations.Migration):
    dependencies = [("meetings", "0006_regions")]

    operations = [
        migrations.AddField(
            model_name="registration",
            name="join_token",
            field=models.CharField(editable=False, max_length=64, null=True, verbose_name="personal join link"),
        ),
        migrations.AddField(
            model_name="registration",
            name="checkin_code",
            field=models.CharField(editable=False, max_length=16, null=True, verbose_name="check-in code"),
        ),
        migrations.AddField(
            model_name="registration",
            name="joined_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="joined online"),
        ),
        migrations.AddField(
            model_name="registration",
            name="checked_in_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="checked in"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="registration",
            name="join_token",
            field=models.CharField(
                default=meetings.models.new_join_token,
                editable=False,
                max_length=64,
                unique=True,
                verbose_name="personal join link",
            ),
        ),
        migrations.AlterField(
            model_name="registration",
            name="checkin_code",
            field=models.CharField(
                default=meetings.models.new_checkin_code,
                editable=False,
                max_length=16,
                unique=True,
                verbose_name="check-in code",
            ),
        ),
    ]
