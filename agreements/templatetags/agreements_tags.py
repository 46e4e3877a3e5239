"""Sections of other pages (home page, "Mina sidor") that show agreements, and the directory link test."""

from django import template

from organisations.permissions import is_public

from .. import selectors
from ..cache import pages

register = template.Library()


@register.inclusion_tag("agreements/_home_section.html")
def agreements_home_section():
    """The agreement in force and its count of signatories; cached with the page version (no queries when warm)."""

    def build():
        agreement = selectors.agreement_in_force_latest()
        return agreement, selectors.signatory_count(agreement=agreement) if agreement else 0

    agreement, count = pages.cached("home-section", build=build)
    return {"agreement": agreement, "signatory_count": count}


@register.inclusion_tag("agreements/_mypages_section.html", takes_context=True)
def agreements_mypages_section(context):
    user = context["request"].user
    signatures = list(selectors.signatures_for_user(user=user)) if user.is_authenticated else []
    agreements = selectors.agreements_to_sign(user=user, signatures=signatures) if user.is_authenticated else []
    return {"signatures": signatures, "agreements": agreements, "request": context["request"]}


@register.filter
def in_directory(organisation) -> bool:
    """Whether the organisation's page in the public directory may be linked (the organisations app's
    own predicate: verified and consented to be listed)."""
    return is_public(organisation)
