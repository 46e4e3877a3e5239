"""The door list on a phone: its table scrolls inside a named, keyboard-reachable region (WCAG 1.4.10,
axe scrollable-region-focusable) instead of widening the page."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import MeetingFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def test_door_list_table_scrolls_in_a_labelled_region(coordinator_client):
    start = timezone.now() + timedelta(days=5)
    meeting = MeetingFactory(start=start, end=start + timedelta(hours=2))
    RegistrationFactory(meeting=meeting, name="Anna Andersson")
    html = coordinator_client.get(reverse("admin:meetings_meeting_participants", args=[meeting.pk])).content.decode()
    region = re.search(
        r'<div class="table-scroll" role="region" tabindex="0" aria-labelledby="([^"]+)">\s*<table', html
    )
    assert region, "the door list's table is not inside a scrolling region"
    assert re.search(rf'<caption[^>]*id="{region.group(1)}"[^>]*>Bekräftade deltagare</caption>', html)
    assert html.index("Anna Andersson") > region.start()
