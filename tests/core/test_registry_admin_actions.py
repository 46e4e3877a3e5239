"""An app offers an admin action on another app's model through the registry (``portal.admin_action``),
so the app that owns the model imports nothing of it (organisations' admin and challenges' action)."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from core.registry import portal
from organisations.models import InterestSubmission
from tests.factories import InterestSubmissionFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:organisations_interestsubmission_changelist"


def _actions(user) -> dict:
    request = RequestFactory().get("/admin/")
    request.user = user
    return admin.site._registry[InterestSubmission].get_actions(request)


def test_the_interest_submissions_admin_offers_the_challenges_action_from_the_registry(coordinator):
    actions = _actions(coordinator)
    assert {"mark_handled", "verify_organisations", "make_challenges"} <= set(actions)
    assert actions["make_challenges"][0].__module__ == "challenges.admin_actions"


@admin.action(description="Plugged action")
def plugged_action(modeladmin, request, queryset):
    plugged_action.seen.extend(queryset.values_list("pk", flat=True))


@pytest.fixture
def plugged():
    plugged_action.seen = []
    portal.register("sessions")  # "sessions" stands in for a new app
    portal.admin_action("sessions", "organisations.InterestSubmission", plugged_action)
    yield plugged_action
    portal.unregister("sessions")


def test_an_app_adds_an_action_to_another_apps_admin_and_it_runs(plugged, coordinator_client, coordinator):
    submission = InterestSubmissionFactory()
    page = coordinator_client.get(reverse(CHANGELIST)).content.decode()
    assert 'value="plugged_action"' in page and "Plugged action" in page
    coordinator_client.post(reverse(CHANGELIST), {"action": "plugged_action", "_selected_action": [submission.pk]})
    assert plugged.seen == [submission.pk]
    portal.unregister("sessions")
    assert "plugged_action" not in _actions(coordinator)
    assert "make_challenges" in _actions(coordinator)


def test_an_action_for_a_model_that_does_not_exist_is_refused_at_start_up(plugged):
    with pytest.raises(LookupError):
        portal.admin_action("sessions", "organisations.nosuchmodel", plugged_action)


def test_an_app_must_be_registered_before_it_adds_actions():
    with pytest.raises(LookupError, match="portal.register"):
        portal.admin_action("not_registered", "organisations.interestsubmission", plugged_action)
