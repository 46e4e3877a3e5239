from django.db import migrations, models


class Migration(migrations.Migration):
    """The municipality's county (län), called ``region`` until the portal got regions of its own
    (``core.Region``): renamed first, so that the region's foreign key can take the name."""

    dependencies = [
        ("organisations", "0007_interest_submission_idempotency_key"),
    ]

    operations = [
        migrations.RenameField(model_name="municipality", old_name="region", new_name="county"),
        migrations.AlterField(
            model_name="municipality",
            name="county",
            field=models.CharField(blank=True, max_length=100, verbose_name="county"),
        ),
    ]
