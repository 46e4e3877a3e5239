"""Every form keeps numbers within what a database column holds (core.forms.bound_to_columns, applied
through the portal's form renderer): a number or id past bigint is a form error, never a database
error. The fuzz test (tests/test_fuzz.py) posts such numbers to every public form; these tests pin the
behaviour per kind of field."""

import django_filters
import pytest
from django import forms
from django_scopes import scopes_disabled

from organisations.models import Municipality
from tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

HUGE = "9" * 5000
PAST_BIGINT = "9" * 20


# Municipality is regional (its manager refuses a query outside a region's scope): these classes are built
# at import, before any region is in force, so their querysets are the unscoped ones (the tests need one region).
with scopes_disabled():

    class NumbersForm(forms.Form):
        count = forms.IntegerField(required=False)
        share = forms.DecimalField(required=False)
        ratio = forms.FloatField(required=False)
        small = forms.IntegerField(required=False, max_value=10)
        municipality = forms.ModelChoiceField(queryset=Municipality.objects.all(), required=False)
        municipalities = forms.ModelMultipleChoiceField(queryset=Municipality.objects.all(), required=False)


@pytest.mark.parametrize("number", [PAST_BIGINT, "-" + PAST_BIGINT, HUGE])
@pytest.mark.parametrize("name", ["count", "share", "ratio", "municipality", "municipalities"])
def test_a_number_no_column_holds_is_a_form_error(name, number, django_assert_max_num_queries):
    form = NumbersForm({name: number})
    with django_assert_max_num_queries(0):  # refused before any query
        assert not form.is_valid()
    assert name in form.errors


def test_numbers_a_column_holds_still_pass():
    sundsvall = MunicipalityFactory()
    form = NumbersForm(
        {
            "count": str(2**63 - 1),
            "share": "-12.5",
            "ratio": "0.5",
            "small": "10",
            "municipality": str(sundsvall.pk),
            "municipalities": [str(sundsvall.pk)],
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["municipality"] == sundsvall
    assert list(form.cleaned_data["municipalities"]) == [sundsvall]


def test_a_narrower_limit_of_the_form_is_kept():
    form = NumbersForm({"small": "11"})
    assert not form.is_valid()
    assert "10" in form.errors["small"][0]


def test_a_choice_by_slug_is_left_to_its_own_lookup():
    MunicipalityFactory(name="Sundsvall")

    class BySlug(forms.Form):
        municipality = forms.ModelChoiceField(queryset=Municipality.objects.all(), to_field_name="name")

    assert BySlug({"municipality": "Sundsvall"}).is_valid()
    assert not BySlug({"municipality": PAST_BIGINT}).is_valid()


with scopes_disabled():

    class NumbersFilter(django_filters.FilterSet):
        year = django_filters.NumberFilter(field_name="pk")
        municipality = django_filters.ModelChoiceFilter(field_name="pk", queryset=Municipality.objects.all())
        municipalities = django_filters.ModelMultipleChoiceFilter(field_name="pk", queryset=Municipality.objects.all())

        class Meta:
            model = Municipality
            fields = []


@pytest.mark.parametrize("name", ["year", "municipality", "municipalities"])
def test_filters_refuse_a_number_no_column_holds(name):
    filterset = NumbersFilter({name: PAST_BIGINT}, queryset=Municipality.objects.all())
    assert not filterset.is_valid()
    assert name in filterset.errors
    assert list(filterset.qs) == list(Municipality.objects.all())  # an invalid filter filters nothing
