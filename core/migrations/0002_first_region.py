"""The installation's first region, from the settings it ran on before regions existed (REGION_NAME,
REGION_SHORT_NAME, the contact, the sender, SITE_URL's host as the primary host and ALLOWED_HOSTS as
the others). Every app's next migration moves its rows into it."""

from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.db import migrations


def hosts_from_settings() -> list[str]:
    primary = (urlsplit(settings.SITE_URL).hostname or "127.0.0.1").lower()
    others = [
        host.lower().rstrip(".")
        for host in getattr(settings, "REGION_HOSTS", [])
        if host and host != "*" and not host.startswith(".")
    ]
    return [primary] + [host for host in dict.fromkeys(others) if host != primary]


def create_first_region(apps, schema_editor):
    Region = apps.get_model("core", "Region")
    RegionHost = apps.get_model("core", "RegionHost")
    if Region.objects.exists():
        return
    sender = parseaddr(getattr(settings, "DEFAULT_FROM_EMAIL", ""))[1]
    region = Region.objects.create(
        name=settings.REGION_NAME,
        short_name=settings.REGION_SHORT_NAME,
        contact_email=settings.REGION_CONTACT_EMAIL,
        contact_phone=settings.REGION_CONTACT_PHONE,
        sender_email=sender,
    )
    for position, host in enumerate(hosts_from_settings()):
        RegionHost.objects.create(region=region, host=host, is_primary=position == 0)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_regions")]

    operations = [migrations.RunPython(create_first_region, migrations.RunPython.noop)]
