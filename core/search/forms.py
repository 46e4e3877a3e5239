"""The search's GET form: the words, the kind, area, municipality and time. Whatever a query string
holds, the form answers with a message by the field (never an error page), and keeps what was typed."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.registry import portal

from .engine import Query
from .folding import words

MAX_QUERY = 200


def related_model(attribute: str):
    """The model the searchable kinds' ``areas`` (or ``municipalities``) lead to: the organisations'
    areas of activity and municipalities, found through the registry (core names no app)."""
    for searchable in portal.searchables():
        path = getattr(searchable, attribute)
        if not path:
            continue
        model = searchable.model_class()
        for step in path.split("__"):
            model = model._meta.get_field(step).related_model
        return model
    return None


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search for"), max_length=MAX_QUERY, required=False)
    kind = forms.ChoiceField(label=pgettext_lazy("search filter", "Show"), required=False)
    area = forms.ModelChoiceField(
        label=_("Area of activity"), queryset=None, required=False, empty_label=_("All areas")
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=None, required=False, empty_label=_("All municipalities")
    )
    when = forms.ChoiceField(
        label=pgettext_lazy("search filter", "When"),
        required=False,
        choices=[
            ("", pgettext_lazy("search filter", "Any time")),
            ("upcoming", pgettext_lazy("search filter", "Upcoming or ongoing")),
            ("past", pgettext_lazy("search filter", "Past")),
        ],
    )
    from_date = forms.DateField(label=_("From date"), required=False, widget=DateInput())
    to_date = forms.DateField(label=_("To date"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", pgettext_lazy("search filter", "Everything"))] + [
            (searchable.kind, searchable.label) for searchable in portal.searchables()
        ]
        for name, attribute in (("area", "areas"), ("municipality", "municipalities")):
            model = related_model(attribute)
            if model is None:
                del self.fields[name]
                continue
            self.fields[name].queryset = model._default_manager.order_by("name")
            if any(f.name == "slug" for f in model._meta.get_fields()):
                self.fields[name].to_field_name = "slug"

    def clean_q(self):
        text = " ".join(self.cleaned_data["q"].split())
        if text and not words(text):
            raise forms.ValidationError(_("Type at least one word with letters or digits."), code="no_words")
        return text

    def clean(self):
        data = super().clean()
        start, end = data.get("from_date"), data.get("to_date")
        if start and end and start > end:
            self.add_error("to_date", _("The end date comes before the start date."))
        return data

    def query(self) -> Query | None:
        """The checked query, or None when there is nothing to search for (no words) or the form has errors."""
        if not self.is_bound or not self.is_valid() or not self.cleaned_data["q"]:
            return None
        data = self.cleaned_data
        return Query(
            text=data["q"],
            words=words(data["q"]),
            kind=data.get("kind") or "",
            area=data.get("area"),
            municipality=data.get("municipality"),
            when=data.get("when") or "",
            date_from=data.get("from_date"),
            date_to=data.get("to_date"),
        )
