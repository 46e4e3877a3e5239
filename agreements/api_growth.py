"""The signatories per year of an agreement in the open data API (``/api/v1/agreements/<slug>/growth/``),
split from agreements/api.py by size."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample
from rest_framework import serializers


class GrowthPointSerializer(serializers.Serializer):
    year = serializers.IntegerField(help_text=_("Year."))
    count = serializers.IntegerField(
        help_text=_(
            "Verified signatories at the end of the year (withdrawn ones count until they withdrew), "
            "as the chart on the public list shows."
        )
    )
    added = serializers.IntegerField(help_text=_("Signatories who signed that year."))
    withdrawn = serializers.IntegerField(
        help_text=_("Signatories who withdrew that year (count = last year's count + added - withdrawn).")
    )


GROWTH_EXAMPLE = OpenApiExample(
    "Västra Götalandsregionen: 70 signatories in 2014, 107 by 2019",
    summary=_("Västra Götalandsregionen: 70 signatories in 2014, 107 by 2019"),
    value=[{"year": 2014, "count": 70, "added": 70, "withdrawn": 0},
           {"year": 2015, "count": 80, "added": 10, "withdrawn": 0},
           {"year": 2019, "count": 107, "added": 6, "withdrawn": 1}],
)  # fmt: skip
