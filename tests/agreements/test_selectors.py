"""Reads behind the signing page and the "Mina sidor" section."""

import datetime as dt

import pytest

from agreements import selectors
from agreements.models import Signatory
from organisations.representation import acts_for
from tests.factories import (
    MandatedRepresentativeFactory,
    OrganisationFactory,
    RepresentativeFactory,
    SignatoryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_unsigned_organisations_leave_out_pending_and_verified_but_not_withdrawn(agreement, representative):
    signed = representative.organisations.get()
    withdrawn = OrganisationFactory(name="Återkallad förening")
    fresh = OrganisationFactory(name="Ny förening")
    for organisation in (withdrawn, fresh):
        MandatedRepresentativeFactory(user=representative, organisation=organisation)
    # Represented without a mandate: not one the representative may sign for.
    RepresentativeFactory(user=representative, organisation=OrganisationFactory(name="Utan mandat"))
    SignatoryFactory(agreement=agreement, organisation=signed, status=Signatory.Status.PENDING, verified_at=None)
    SignatoryFactory(
        agreement=agreement, organisation=withdrawn, status=Signatory.Status.WITHDRAWN, withdrawn_on=dt.date(2020, 1, 1)
    )

    unsigned = selectors.organisations_unsigned(user=representative, agreement=agreement)

    assert {o.name for o in unsigned} == {"Återkallad förening", "Ny förening"}
    signatures = list(selectors.signatures_for_user(user=representative))
    assert selectors.agreements_to_sign(user=representative, signatures=signatures) == [agreement]


def test_nothing_to_sign_once_every_organisation_has_signed(agreement, representative, organisation):
    SignatoryFactory(agreement=agreement, organisation=organisation)
    signatures = list(selectors.signatures_for_user(user=representative))
    assert selectors.agreements_to_sign(user=representative, signatures=signatures) == []


def test_only_representatives_represent(organisation, representative, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert acts_for(representative, organisation)
    assert not acts_for(UserFactory(), organisation)
    assert not acts_for(AnonymousUser(), organisation)
