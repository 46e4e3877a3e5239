"""The region in templates: whether the visitor may open the admin here (the "Administration" link)."""

from django import template

from core.permissions import may_use_admin

register = template.Library()


@register.filter
def opens_admin(user) -> bool:
    """``{% if user|opens_admin %}``: a superuser, a coordinator of the host's region or a system
    administrator (as the admin's ``has_permission``); staff of another region see no link."""
    return may_use_admin(user)
