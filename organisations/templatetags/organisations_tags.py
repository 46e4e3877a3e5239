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


@register.simple_tag
def organisation_acts(user):
    """Per organisation the user represents: its mandates and what the mandate table lets them do."""
    from organisations.representation import acts_by_organisation

    return acts_by_organisation(user)
