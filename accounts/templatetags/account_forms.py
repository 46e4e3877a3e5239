"""Template helpers for allauth's forms in the site's layout."""

from django import template

register = template.Library()


@register.filter
def without_placeholders(form):
    """Drop allauth's placeholders: every field has a visible label, and placeholder text that
    repeats the label only looks like a filled-in value (and disappears while typing)."""
    for field in getattr(form, "fields", {}).values():
        field.widget.attrs.pop("placeholder", None)
    return form
