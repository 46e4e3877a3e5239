"""The region in templates: whether the visitor is staff here (the "Administration" link)."""

from django import template

from core.permissions import is_region_staff as _is_region_staff

register = template.Library()


@register.filter
def is_region_staff(user) -> bool:
    """``{% if user|is_region_staff %}``: a superuser, or a coordinator of the host's region."""
    return _is_region_staff(user)
