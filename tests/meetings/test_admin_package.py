"""The meetings admin as a package (issue 21): the same admin pages, URLs, actions and permissions as the
single module had."""

import pytest
from django.contrib import admin
from django.urls import reverse

from meetings.models import Meeting, MeetingDocument, ProgrammeItem, Registration, Reminder, Speaker, Topic
from tests.factories import MeetingFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def test_every_meetings_model_keeps_its_admin():
    registered = {model for model in admin.site._registry if model._meta.app_label == "meetings"}
    assert registered == {Meeting, ProgrammeItem, Speaker, MeetingDocument, Registration, Reminder, Topic}


def test_door_list_and_check_in_keep_their_addresses():
    assert reverse("admin:meetings_meeting_participants", args=[7]) == "/admin/meetings/meeting/7/deltagarlista/"
    assert reverse("admin:meetings_meeting_check_in", args=[7]) == "/admin/meetings/meeting/7/incheckning/"


def _actions(client, url):
    html = client.get(url).content.decode()
    select = html.split('name="action"', 1)[1].split("</select>", 1)[0]
    return [part.split('"', 1)[0] for part in select.split('value="')[1:] if part.split('"', 1)[0]]


def test_meeting_list_offers_the_same_actions(coordinator_client):
    MeetingFactory()
    actions = _actions(coordinator_client, reverse("admin:meetings_meeting_changelist"))
    assert set(actions) >= {"message_participants", "send_documentation", "copy_meeting"}


def test_registration_list_offers_the_same_actions(coordinator_client):
    RegistrationFactory()
    actions = _actions(coordinator_client, reverse("admin:meetings_registration_changelist"))
    assert set(actions) >= {"export_admin_action", "mark_attended", "mark_not_attended", "cancel_registrations"}


def test_door_list_and_check_in_keep_their_templates(coordinator_client):
    meeting = MeetingFactory()
    participants = coordinator_client.get(reverse("admin:meetings_meeting_participants", args=[meeting.pk]))
    check_in = coordinator_client.get(reverse("admin:meetings_meeting_check_in", args=[meeting.pk]))
    assert [t.name for t in participants.templates][0] == "admin/meetings/meeting/participants.html"
    assert [t.name for t in check_in.templates][0] == "admin/meetings/meeting/check_in.html"
