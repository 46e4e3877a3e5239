"""The mandate table (organisations/representation.py ACTS): which act needs what, and which mandate counts."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from core.regions import region_scope
from organisations.models import Mandate
from organisations.representation import ACTS, mandate_for, may_act
from tests.factories import MandateFactory, OrganisationFactory, RepresentativeFactory, UserFactory

pytestmark = pytest.mark.django_db

MANDATE_ACTS = ["sign_agreement", "cast_ballot", "submit_answer", "apply_for_grant"]  # the last: issue 28
REPRESENTATION_ACTS = ["raise_challenge", "join_challenge", "nominate", "register_meeting"]
TODAY = dt.date(2027, 3, 15)


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch):
    # Dates are compared with "today": fixed, so the table does not depend on the clock.
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


def _holder(**mandate):
    link = RepresentativeFactory()
    found = MandateFactory(
        representative=link,
        valid_from=mandate.pop("valid_from", TODAY - dt.timedelta(days=10)),
        valid_to=mandate.pop("valid_to", TODAY + dt.timedelta(days=100)),
        **mandate,
    )
    return link.user, link.organisation, found


def test_the_table_names_every_act_of_the_issue_and_nothing_else():
    assert set(ACTS) == set(MANDATE_ACTS) | set(REPRESENTATION_ACTS)
    assert {name for name, act in ACTS.items() if act.needs_mandate} == set(MANDATE_ACTS)


@pytest.mark.parametrize("act", MANDATE_ACTS)
@pytest.mark.parametrize(
    ("kind", "allowed"),
    [(Mandate.Kind.SIGNATORY, True), (Mandate.Kind.BOARD, True), (Mandate.Kind.CONTACT, False)],
)
def test_acts_that_bind_the_organisation_need_a_signatory_or_board_mandate(act, kind, allowed):
    user, organisation, mandate = _holder(kind=kind)
    assert may_act(user, organisation, act) is allowed
    assert mandate_for(user, organisation, act) == (mandate if allowed else None)


@pytest.mark.parametrize("act", MANDATE_ACTS)
@pytest.mark.parametrize(
    "status",
    [Mandate.Status.REQUESTED, Mandate.Status.REFUSED, Mandate.Status.REVOKED, Mandate.Status.WITHDRAWN],
)
def test_a_mandate_that_is_not_verified_never_counts(act, status):
    user, organisation, _mandate = _holder(kind=Mandate.Kind.SIGNATORY, status=status)
    assert not may_act(user, organisation, act)
    assert mandate_for(user, organisation, act) is None


@pytest.mark.parametrize("act", MANDATE_ACTS)
def test_an_expired_mandate_and_one_not_yet_in_force_never_count(act):
    user, organisation, _ = _holder(valid_from=TODAY - dt.timedelta(days=400), valid_to=TODAY - dt.timedelta(days=1))
    assert not may_act(user, organisation, act)
    later, organisation_later, _ = _holder(valid_from=TODAY + dt.timedelta(days=1))
    assert not may_act(later, organisation_later, act)


@pytest.mark.parametrize("act", MANDATE_ACTS)
def test_a_mandate_counts_on_its_first_and_its_last_day(act):
    user, organisation, mandate = _holder(valid_from=TODAY, valid_to=TODAY)
    assert mandate_for(user, organisation, act) == mandate


@pytest.mark.parametrize("act", MANDATE_ACTS)
def test_organisation_a_s_mandate_never_counts_for_b(act):
    user, organisation_a, _ = _holder()
    organisation_b = OrganisationFactory()
    RepresentativeFactory(user=user, organisation=organisation_b)  # she represents B too, without a mandate
    assert may_act(user, organisation_a, act)
    assert not may_act(user, organisation_b, act)
    assert mandate_for(user, organisation_b, act) is None


@pytest.mark.parametrize("act", MANDATE_ACTS)
def test_another_person_s_mandate_does_not_count_for_a_fellow_representative(act):
    _holder_user, organisation, _ = _holder()
    colleague = RepresentativeFactory(organisation=organisation).user
    assert not may_act(colleague, organisation, act)


@pytest.mark.parametrize("act", MANDATE_ACTS + REPRESENTATION_ACTS)
def test_another_region_s_mandate_is_not_seen(act, other_region):
    with region_scope(other_region):
        user, organisation, _ = _holder()
        assert may_act(user, organisation, act)  # in its own region it counts
    assert not may_act(user, organisation, act)
    assert mandate_for(user, organisation, act) is None


@pytest.mark.parametrize("act", REPRESENTATION_ACTS)
def test_other_acts_need_the_representation_alone(act):
    link = RepresentativeFactory()
    assert may_act(link.user, link.organisation, act)
    assert mandate_for(link.user, link.organisation, act) is None  # rests on no mandate
    assert not may_act(UserFactory(), link.organisation, act)
    assert not may_act(link.user, OrganisationFactory(), act)


@pytest.mark.parametrize("act", MANDATE_ACTS + REPRESENTATION_ACTS)
def test_anonymous_and_deactivated_accounts_may_do_nothing(act):
    user, organisation, _ = _holder()
    assert not may_act(AnonymousUser(), organisation, act)
    user.is_active = False
    user.save()
    assert not may_act(user, organisation, act)


def test_the_latest_running_mandate_is_the_one_an_act_rests_on():
    user, organisation, older = _holder(kind=Mandate.Kind.SIGNATORY, valid_to=TODAY + dt.timedelta(days=5))
    newer = MandateFactory(
        representative=older.representative,
        kind=Mandate.Kind.BOARD,
        valid_from=TODAY - dt.timedelta(days=1),
        valid_to=TODAY + dt.timedelta(days=300),
    )
    assert mandate_for(user, organisation, "sign_agreement") == newer


def test_an_unknown_act_is_an_error_not_a_refusal():
    user, organisation, _ = _holder()
    with pytest.raises(KeyError):
        may_act(user, organisation, "sign_the_agrement")
