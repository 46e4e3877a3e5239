"""The public directory's search and filters."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

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

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        # icontains is case-insensitive for Å, Ä and Ö on PostgreSQL; on SQLite try the common spellings too.
        return queryset.filter(
            Q(name__icontains=value) | Q(name__icontains=value.capitalize()) | Q(name__icontains=value.lower())
        )
