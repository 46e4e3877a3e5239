"""A grant call and a partnership carry the region's case number like the other records (core.case_numbers):
in the region's format, once per region, and the next one from the region's counter."""

import pytest
from django.core.exceptions import ValidationError

from core.case_numbers import case_number_next
from tests.factories.partnerships import GrantCallFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_format(region):
    region.case_number_format = "RS {year}/{number}"
    region.save(update_fields=["case_number_format"])
    return region


def test_a_calls_case_number_off_the_regions_format_is_refused_in_swedish(with_format):
    call = GrantCallFactory()
    call.case_number = "2026-123"
    with pytest.raises(ValidationError) as caught:
        call.full_clean()
    assert "följer inte regionens format för diarienummer" in caught.value.message_dict["case_number"][0]
    call.case_number = " RS 2026/123 "
    call.full_clean()
    assert call.case_number == "RS 2026/123"


def test_a_case_number_is_used_once_in_the_region_and_the_counter_passes_it_over(with_format):
    GrantCallFactory(case_number="RS 2026/1")
    second = GrantCallFactory()
    second.case_number = "RS 2026/1"
    with pytest.raises(ValidationError):
        second.full_clean()
    assert case_number_next(region=with_format, year=2026) != "RS 2026/1"
