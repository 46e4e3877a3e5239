"""Regions in tests: the test region every database test runs in, and further ones."""

import factory
from django.conf import settings

from core.models import Region, RegionHost
from core.regions import all_regions

__all__ = ["RegionFactory", "ensure_test_region", "TEST_REGION_HOSTS"]

# As the migration makes the first region from the test settings: SITE_URL's host first (links are
# built on it), then the test client's "testserver" and the loopback names of the browser tests.
TEST_REGION_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("short_name",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Region {n}")
    short_name = factory.Sequence(lambda n: f"region-{n}")
    contact_email = factory.LazyAttribute(lambda r: f"kontakt@{r.short_name}.example.se")
    contact_phone = "010-100 00 00"
    sender_email = factory.LazyAttribute(lambda r: f"no-reply@{r.short_name}.example.se")

    @factory.post_generation
    def hosts(self, create, extracted, **kwargs):
        if not create:
            return
        names = extracted or [f"{self.short_name}.testserver"]
        for position, host in enumerate(names):
            RegionHost.objects.get_or_create(host=host, defaults={"region": self, "is_primary": position == 0})


def ensure_test_region() -> Region:
    """The first region (the migration made it; a browser test's flush removed it: made again)."""
    with all_regions():
        region = Region.objects.filter(short_name=settings.REGION_SHORT_NAME).first()
        if region is None:
            region = RegionFactory(
                name=settings.REGION_NAME,
                short_name=settings.REGION_SHORT_NAME,
                contact_email=settings.REGION_CONTACT_EMAIL,
                contact_phone=settings.REGION_CONTACT_PHONE,
                sender_email="no-reply@127.0.0.1",
                hosts=TEST_REGION_HOSTS,
            )
    return region


def record_disposal_decisions(*regions) -> None:
    """Every retention rule's disposal decision in ``regions`` (in production a rule runs only with one)."""
    import datetime as dt

    from core.models import DisposalDecision
    from core.regions import region_scope
    from core.registry import portal

    for region in regions:
        with region_scope(region):
            for key in {rule.decision for rule in portal.retention_rules()}:
                DisposalDecision.objects.get_or_create(
                    key=key,
                    defaults={
                        "reference": "RS 2024/117",
                        "decided_on": dt.date(2024, 5, 2),
                        "decided_by": "Regionstyrelsen",
                    },
                )
