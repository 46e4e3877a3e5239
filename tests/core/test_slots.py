"""The registry's slot and periodic-task hooks (core/registry.py), and what the apps plug in with them."""

from datetime import timedelta

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from core.registry import AlreadyRegistered, PortalRegistry, portal
from samverkan.celery import app as celery_app
from tests.factories import (
    AgreementFactory,
    ChallengeFactory,
    MeetingFactory,
    OrganisationFactory,
    ParticipationFactory,
)

pytestmark = pytest.mark.django_db

# The schedule the settings held before the apps declared it: names (django-celery-beat's rows),
# tasks and intervals stay the same.
FORMER_SETTINGS_SCHEDULE = {
    "outbox-sweep": {"task": "outbox.tasks.sweep_outbox", "schedule": timedelta(seconds=60)},
    "meetings-plan-reminders": {"task": "meetings.tasks.plan_reminders", "schedule": timedelta(seconds=60)},
    "consultations-plan-reminders": {"task": "consultations.tasks.plan_reminders", "schedule": timedelta(minutes=5)},
    "purge-personal-data": {"task": "core.tasks.purge_personal_data", "schedule": timedelta(hours=24)},
    "elections-voting-reminders": {"task": "elections.tasks.send_voting_reminders", "schedule": timedelta(hours=1)},
    # The ballot tables rewritten again after a count that a long snapshot held back (issue 20's pairing).
    "elections-compact-ballots": {"task": "elections.tasks.compact_ballot_tables", "schedule": timedelta(hours=1)},
    # Added with mandates (issue 23), not a former setting.
    "organisations-mandate-expiry": {
        "task": "organisations.tasks.send_mandate_expiry_notices",
        "schedule": timedelta(hours=6),
    },
    # Added with follows (issue 25): the weekly digests.
    "notifications-digests": {"task": "notifications.tasks.send_digests", "schedule": timedelta(minutes=15)},
    # Added with webhooks (issue 25): due retries and lost attempts.
    "webhooks-sweep": {"task": "webhooks.tasks.sweep", "schedule": timedelta(minutes=1)},
    # Expired login sessions, deleted once a day (Django keeps them until told to).
    "clear-expired-sessions": {"task": "core.tasks.clear_expired_sessions", "schedule": timedelta(hours=24)},
    # Accounts whose address was never confirmed, deleted once a day.
    "purge-unconfirmed-accounts": {
        "task": "accounts.tasks.purge_unconfirmed_accounts",
        "schedule": timedelta(hours=24),
    },
    # Added with grants (issue 28): follow-up report reminders.
    "partnerships-report-reminders": {"task": "partnerships.tasks.remind_reports", "schedule": timedelta(hours=6)},
}


def test_the_beat_schedule_is_the_apps_periodic_tasks():
    assert portal.beat_schedule() == FORMER_SETTINGS_SCHEDULE
    assert dict(celery_app.conf.beat_schedule) == FORMER_SETTINGS_SCHEDULE
    assert {task.app_label for task in portal.periodic_tasks()} == {
        "core",
        "accounts",
        "outbox",
        "notifications",
        "webhooks",
        "meetings",
        "consultations",
        "elections",
        "organisations",
        "partnerships",
    }


def test_a_periodic_task_name_is_taken_once_and_needs_a_registered_app():
    registry = PortalRegistry()
    registry.register("meetings")
    registry.periodic("meetings-x", "meetings.tasks.plan_reminders", timedelta(minutes=1))
    with pytest.raises(AlreadyRegistered):
        registry.periodic("meetings-x", "meetings.tasks.plan_reminders", timedelta(minutes=2))
    with pytest.raises(LookupError):
        registry.periodic("outbox-y", "outbox.tasks.sweep_outbox", timedelta(minutes=1))


def test_a_slot_names_its_host_page_and_needs_a_registered_app():
    registry = PortalRegistry()
    with pytest.raises(LookupError):
        registry.slot("meetings:detail", "challenges/slots/meeting_challenges.html")
    registry.register("challenges")
    with pytest.raises(ValueError):
        registry.slot("meetings", "challenges/slots/meeting_challenges.html")
    registry.slot("meetings:detail", "challenges/x.html", caches=["challenges"], order=20)
    registry.slot("meetings:detail", "challenges/y.html", caches=["challenges", "meetings:registrations"], order=10)
    registry.slot("meetings:list", "challenges/z.html", caches=["elections"])
    assert [slot.template for slot in registry.slots("meetings:detail")] == ["challenges/y.html", "challenges/x.html"]
    assert registry.slot_caches("meetings:detail") == ["challenges", "meetings:registrations"]
    assert registry.slot_caches("meetings") == ["challenges", "elections", "meetings:registrations"]
    assert registry.slot_caches("organisations") == []


def test_the_host_pages_follow_their_slots_caches():
    from agreements.cache import pages as agreement_pages
    from meetings.selectors import pages as meeting_pages
    from organisations.cache import pages as organisation_pages

    assert "challenges:version" in meeting_pages._followed_keys()
    assert "challenges:version" in organisation_pages._followed_keys()
    assert "elections:version" in agreement_pages._followed_keys()


def test_portal_slot_renders_each_part_with_the_object_and_its_context():
    meeting = MeetingFactory(title="Dialogmöte i Härnösand")
    challenge = ChallengeFactory(title="Nära vård")
    challenge.meetings.add(meeting)
    html = Template('{% load portal %}{% portal_slot "meetings:detail" meeting %}').render(
        Context({"meeting": meeting, "request": RequestFactory().get("/")})
    )
    assert 'id="meeting-challenges-title"' in html and "Nära vård" in html
    empty = Template('{% load portal %}[{% portal_slot "meetings:nothing-here" %}]').render(Context({}))
    assert empty == "[]"


def test_an_admin_edit_of_a_challenge_shows_at_once_on_the_cached_meeting_and_organisation_pages(client, run_on_commit):
    """The challenges' cache moves on; the meeting and organisation pages follow it (no hand flush)."""
    with run_on_commit():  # the set-up's own bumps are done with before the edit
        meeting = MeetingFactory()
        organisation = OrganisationFactory()
        challenge = ChallengeFactory(title="Gammal rubrik")
        challenge.meetings.add(meeting)
        ParticipationFactory(challenge=challenge, organisation=organisation)
    assert "Gammal rubrik" in client.get(meeting.get_absolute_url()).content.decode()
    assert "Gammal rubrik" in client.get(organisation.get_absolute_url()).content.decode()
    challenge.title = "Ny rubrik"
    with run_on_commit():
        challenge.save()
    assert "Ny rubrik" in client.get(meeting.get_absolute_url()).content.decode()
    assert "Ny rubrik" in client.get(organisation.get_absolute_url()).content.decode()


def test_the_layout_and_start_page_carry_the_apps_links(client):
    home = client.get("/").content.decode()
    assert 'type="application/rss+xml"' in home and 'type="application/atom+xml"' in home
    for url in (reverse("meetings:rss"), reverse("meetings:atom"), reverse("meetings:feed")):
        assert f'href="{url}"' in home
    assert f'href="{reverse("opendata:documentation")}"' in home
    assert f'href="{reverse("organisations:interest")}"' in home
    agreement = AgreementFactory()
    assert f'href="{reverse("meetings:feed")}"' in client.get(agreement.get_absolute_url()).content.decode()


def test_a_new_selection_round_shows_at_once_on_the_cached_agreement_page(client, run_on_commit):
    """The elections' slot names the elections' cache; the agreement page follows it (no hand flush)."""
    from tests.elections.conftest import make_round

    with run_on_commit():
        agreement = AgreementFactory()
    assert "Val till arbetsgruppen" not in client.get(agreement.get_absolute_url()).content.decode()
    with run_on_commit():
        make_round(agreement, status="nominating")
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert 'id="round-title"' in page and "Val till arbetsgruppen" in page
