"""Organisations become regional: every row of every model gets the region it belongs to (the existing rows
the first region's, ``core.regions.first_region_id``), and names, slugs and organisation numbers are
unique per region."""

import core.region_state
import core.regions
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_first_region"),
        ("organisations", "0008_municipality_county"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="interestsubmission",
            name="interest_submission_idempotency_key_unique",
        ),
        migrations.RemoveConstraint(
            model_name="organisation",
            name="organisation_number_unique_when_given",
        ),
        migrations.AddField(
            model_name="areaofactivity",
            name="region",
            field=models.ForeignKey(
                default=core.regions.first_region_id,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.region",
                verbose_name="region",
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="areaofactivity",
            name="region",
            field=models.ForeignKey(
                default=core.region_state.current_region_id,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.region",
                verbose_name="region",
            ),
        ),
        migrations.AddField(
            model_name="contact",
            name="region",
            field=models.ForeignKey(
                default=core.regions.first_region_id,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.region",
                verbose_name="region",
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="contact",
            name="region",
            field=models.ForeignKey(
                default=core.region_state.current_region_id,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.region",
                verbose_name="region",
            ),
        ),
        migrations.AddField(
            model_name="interestsubmission",
            name="region",
            field=models.ForeignKey(
                default=core.regions.first_region_id,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.region",
                verbose_name="region",
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="interestsubmission",
            name="region",
            field=models.ForeignKey(
                default=core.region_state.current_region_id,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.region",
                verbose_name="region",
            ),
        ),
        migrations.AddField(
            model_name="municipality",
            name="region",
            field=models.ForeignKey(
                default=core.regions.first_region_id,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.region",
                verbose_name="region",
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="municipality",
            name="region",
            field=models.ForeignKey(
                default=core.region_state.current_region_id,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.region",
                verbose_name="region",
            ),
        ),
        migrations.AddField(
            model_name="organisation",
            name="region",
            field=models.ForeignKey(
                default=core.regions.first_region_id,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.region",
                verbose_name="region",
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="organisation",
            name="region",
            field=models.ForeignKey(
                default=core.region_state.current_region_id,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.region",
                verbose_name="region",
            ),
        ),
        migrations.AddField(
            model_name="representative",
            name="region",
            field=models.ForeignKey(
                default=core.regions.first_region_id,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.region",
                verbose_name="region",
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="representative",
            name="region",
            field=models.ForeignKey(
                default=core.region_state.current_region_id,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.region",
                verbose_name="region",
            ),
        ),
        migrations.AlterField(
            model_name="areaofactivity",
            name="name",
            field=models.CharField(max_length=100, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="areaofactivity",
            name="slug",
            field=models.SlugField(max_length=100, verbose_name="slug"),
        ),
        migrations.AlterField(
            model_name="municipality",
            name="name",
            field=models.CharField(max_length=100, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="organisation",
            name="slug",
            field=models.SlugField(max_length=220, verbose_name="slug"),
        ),
        migrations.AddConstraint(
            model_name="areaofactivity",
            constraint=models.UniqueConstraint(
                fields=("region", "name"),
                name="organisations_areaofactivity_name_per_region",
                violation_error_message="An area of activity with this name already exists in the region.",
            ),
        ),
        migrations.AddConstraint(
            model_name="areaofactivity",
            constraint=models.UniqueConstraint(
                fields=("region", "slug"),
                name="organisations_areaofactivity_slug_per_region",
                violation_error_message="An area of activity with this slug already exists in the region.",
            ),
        ),
        migrations.AddConstraint(
            model_name="interestsubmission",
            constraint=models.UniqueConstraint(
                fields=("region", "idempotency_key"), name="organisations_interestsubmission_key_per_region"
            ),
        ),
        migrations.AddConstraint(
            model_name="municipality",
            constraint=models.UniqueConstraint(
                fields=("region", "name"),
                name="organisations_municipality_name_per_region",
                violation_error_message="A municipality with this name already exists in the region.",
            ),
        ),
        migrations.AddConstraint(
            model_name="organisation",
            constraint=models.UniqueConstraint(
                condition=models.Q(("organisation_number", ""), _negated=True),
                fields=("region", "organisation_number"),
                name="organisations_organisation_number_per_region",
                violation_error_message="An organisation with this organisation number is already registered in the region.",
            ),
        ),
        migrations.AddConstraint(
            model_name="organisation",
            constraint=models.UniqueConstraint(
                fields=("region", "slug"),
                name="organisations_organisation_slug_per_region",
                violation_error_message="An organisation with this slug already exists in the region.",
            ),
        ),
    ]
