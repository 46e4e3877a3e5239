"""The public directory's search and filters."""

import django_filters
from django import forms
from django.db import connections
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import AreaOfActivity, Municipality, Organisation


class OrganisationDirectoryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search by name"),
        method="search",
        widget=forms.TextInput(attrs={"class": "form-control", "type": "search"}),
    )
    municipality = django_filters.ModelChoiceFilter(
        label=_("Municipality"),
        queryset=Municipality.objects.order_by("name"),
        empty_label=_("All municipalities"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    area = django_filters.ModelChoiceFilter(
        label=_("Area of activity"),
        field_name="areas",
        queryset=AreaOfActivity.objects.order_by("name"),
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
        value = value.strip()
        if not value:
            return queryset
        if connections[queryset.db].vendor == "postgresql":
            # UPPER(name) LIKE UPPER('%…%') handles Å, Ä and Ö and uses the trigram index (migration 0003).
            return queryset.filter(name__icontains=value)
        # SQLite's LIKE folds ASCII only: try the common spellings of Å, Ä and Ö too.
        return queryset.filter(
            Q(name__icontains=value) | Q(name__icontains=value.capitalize()) | Q(name__icontains=value.lower())
        )
