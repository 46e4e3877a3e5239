"""The public directory's search and filters."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import AreaOfActivity, Municipality, Organisation
from .search import search_organisations


class OrganisationDirectoryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search by name or organisation number"),
        method="search",
        widget=forms.TextInput(attrs={"class": "form-control", "type": "search"}),
    )
    municipality = django_filters.ModelChoiceFilter(
        label=_("Municipality"),
        queryset=lambda request: Municipality.objects.order_by("name"),  # the region's, per request
        empty_label=_("All municipalities"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    area = django_filters.ModelChoiceFilter(
        label=_("Area of activity"),
        field_name="areas",
        queryset=lambda request: AreaOfActivity.objects.order_by("name"),
        empty_label=_("All areas"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    class Meta:
        model = Organisation
        fields = ["q", "municipality", "area"]

    @property
    def form(self):
        """The form, with the option lists from the cache (``selectors``) instead of two queries."""
        if not hasattr(self, "_form"):
            form = super().form
            for field_name, options in (
                ("municipality", selectors.municipality_options()),
                ("area", selectors.area_options()),
            ):
                field = form.fields[field_name]
                field.widget.choices = [("", field.empty_label), *options]
        return self._form

    def search(self, queryset, name, value):
        """Name with or without accents ("roda" finds "Röda"), or the organisation number in any spelling."""
        return search_organisations(queryset, value)
