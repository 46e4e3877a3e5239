"""Every admin page of the organisations, meetings and agreements apps reads as Swedish: no English text
alternatives from Django (alt="True", alt="Search"), no raw None, no template comment shown as text."""

import re

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from tests.factories import (
    ActionPlanFactory,
    ContactFactory,
    InterestSubmissionFactory,
    OrganisationFactory,
    ProgrammeItemFactory,
    RegistrationFactory,
    RepresentativeFactory,
    SignatoryFactory,
    WorkingGroupMemberFactory,
)

pytestmark = pytest.mark.django_db

APPS = ("organisations", "meetings", "agreements")
ENGLISH = re.compile(r'alt="(True|False|None|Search)"|>\s*None\s*<|\{#|#\}')


def _pages():
    for model in admin.site._registry:
        label, name = model._meta.app_label, model._meta.model_name
        if label not in APPS:
            continue
        obj = model._default_manager.order_by("pk").first()
        for view, args in (
            ("changelist", []),
            ("add", []),
            ("export", []),
            ("import", []),
            ("change", [obj.pk] if obj else None),
            ("history", [obj.pk] if obj else None),
        ):
            if args is None:
                continue
            try:
                yield reverse(f"admin:{label}_{name}_{view}", args=args)
            except NoReverseMatch:
                continue


def test_admin_pages_of_these_apps_have_no_english_or_raw_values(coordinator_client):
    organisation = OrganisationFactory()
    ContactFactory(organisation=organisation)
    InterestSubmissionFactory(organisation=organisation)
    RepresentativeFactory(organisation=organisation)
    SignatoryFactory(organisation=organisation)
    ProgrammeItemFactory()
    RegistrationFactory(attended=None)
    ActionPlanFactory()
    WorkingGroupMemberFactory()
    checked = 0
    for url in _pages():
        response = coordinator_client.get(url)
        if response.status_code == 403:  # e.g. adding a registration: people sign up on the public form
            continue
        assert response.status_code == 200, url
        found = ENGLISH.findall(response.content.decode())
        assert not found, f"{url}: {found}"
        checked += 1
    assert checked > 40


def test_boolean_icons_say_yes_no_unknown_in_swedish(coordinator_client):
    RegistrationFactory(attended=True)
    RegistrationFactory(attended=None)
    html = coordinator_client.get(reverse("admin:meetings_registration_changelist")).content.decode()
    assert 'icon-yes.svg" alt="Ja"' in html
    assert 'icon-unknown.svg" alt="Okänt"' in html


def test_changelist_search_field_is_named_in_swedish(coordinator_client):
    html = coordinator_client.get(reverse("admin:organisations_organisation_changelist")).content.decode()
    assert 'search.svg" alt="Sök"' in html
