"""The installation's staff become coordinators of its first region: before regions, every staff member
coordinated the one region there was, and they keep doing so (further regions get theirs in the admin)."""

from django.db import migrations


def staff_coordinate_the_first_region(apps, schema_editor):
    Region = apps.get_model("core", "Region")
    User = apps.get_model("accounts", "User")
    first = Region.objects.order_by("pk").first()
    if first is None or first.coordinators.exists():
        return
    first.coordinators.add(*User.objects.filter(is_staff=True, is_superuser=False))


class Migration(migrations.Migration):
    dependencies = [("core", "0003_region_colours_of_today")]

    operations = [migrations.RunPython(staff_coordinate_the_first_region, migrations.RunPython.noop)]
