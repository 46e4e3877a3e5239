"""Template tags for the sections that other pages include (home page, "My pages")."""

from django import template

from organisations import selectors

register = template.Library()


@register.simple_tag
def organisations_public_count():
    return selectors.organisation_public_count()


@register.simple_tag
def organisations_of(user):
    return list(selectors.organisations_for_user(user=user))
