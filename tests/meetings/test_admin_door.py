"""The coordinator's meeting tools: upcoming first, who is coming, the printable list, check-in at the door,
reminder choices, copying, cancellation by a coordinator, and the Swedish export."""

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from meetings import services
from meetings.admin import MeetingAdminForm
from meetings.models import Meeting, Registration
from tests.factories import MeetingFactory, ProgrammeItemFactory, RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _meeting_in(days, **kwargs):
    start = timezone.now() + timedelta(days=days)
    return MeetingFactory(start=start, end=start + timedelta(hours=2), **kwargs)


def test_meeting_list_shows_upcoming_first_soonest_on_top_then_the_past(coordinator_client):
    _meeting_in(-30, title="Förra månaden")
    _meeting_in(20, title="Om tre veckor")
    _meeting_in(-2, title="I förrgår")
    _meeting_in(2, title="I övermorgon")
    html = coordinator_client.get(reverse("admin:meetings_meeting_changelist")).content.decode()
    table = html.split('id="result_list"', 1)[1]
    order = sorted(["Förra månaden", "Om tre veckor", "I förrgår", "I övermorgon"], key=table.index)
    assert order == ["I övermorgon", "Om tre veckor", "I förrgår", "Förra månaden"]


def test_meeting_page_lists_its_registrations(coordinator_client):
    meeting = _meeting_in(5)
    RegistrationFactory(meeting=meeting, name="Anna Andersson", needs="Vegetarisk kost")
    RegistrationFactory(meeting=meeting, name="Bo Berg", status=Registration.Status.WAITLISTED)
    html = coordinator_client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk])).content.decode()
    assert "Anna Andersson" in html and "Vegetarisk kost" in html and "Bo Berg" in html
    assert reverse("admin:meetings_meeting_participants", args=[meeting.pk]) in html
    assert reverse("admin:meetings_meeting_check_in", args=[meeting.pk]) in html


def test_participant_list_has_confirmed_by_name_then_the_waitlist_and_no_cancelled(coordinator_client):
    meeting = _meeting_in(5, capacity=2)
    RegistrationFactory(meeting=meeting, name="Örjan Öst")
    RegistrationFactory(meeting=meeting, name="Anna Andersson")
    RegistrationFactory(meeting=meeting, name="Kim Kö", status=Registration.Status.WAITLISTED)
    RegistrationFactory(meeting=meeting, name="Avbokad Person", status=Registration.Status.CANCELLED)
    response = coordinator_client.get(reverse("admin:meetings_meeting_participants", args=[meeting.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Anna Andersson") < html.index("Örjan Öst") < html.index("Väntelista") < html.index("Kim Kö")
    assert "Avbokad Person" not in html
    assert "2 bekräftade deltagare" in html


def test_check_in_marks_one_person_per_tap_and_can_be_undone(coordinator_client):
    meeting = _meeting_in(0)
    anna = RegistrationFactory(meeting=meeting, name="Anna Andersson")
    bo = RegistrationFactory(meeting=meeting, name="Bo Berg")
    url = reverse("admin:meetings_meeting_check_in", args=[meeting.pk])
    page = coordinator_client.get(url).content.decode()
    assert "0 av 2 incheckade" in page

    response = coordinator_client.post(url, {"registration": anna.pk, "attended": "yes", "next": url})
    assert response.status_code == 302 and response["Location"].endswith(f"#registration-{anna.pk}")
    anna.refresh_from_db()
    bo.refresh_from_db()
    assert anna.attended is True and bo.attended is None
    page = coordinator_client.get(url).content.decode()
    assert "1 av 2 incheckade" in page and "Anna Andersson är incheckad." in page

    coordinator_client.post(url, {"registration": anna.pk, "attended": "no"})
    anna.refresh_from_db()
    assert anna.attended is False


def test_check_in_search_and_refusals(coordinator_client, client):
    meeting = _meeting_in(0)
    RegistrationFactory(meeting=meeting, name="Anna Andersson")
    RegistrationFactory(meeting=meeting, name="Bo Berg")
    other = RegistrationFactory(meeting=_meeting_in(3))
    url = reverse("admin:meetings_meeting_check_in", args=[meeting.pk])
    found = coordinator_client.get(url, {"q": "anna"}).content.decode()
    assert "Anna Andersson" in found and "Bo Berg" not in found
    # Someone registered for another meeting cannot be checked in here; an outside "next" is ignored.
    assert coordinator_client.post(url, {"registration": other.pk, "attended": "yes"}).status_code == 404
    response = coordinator_client.post(
        url, {"registration": meeting.registrations.first().pk, "attended": "yes", "next": "https://evil.example/"}
    )
    assert response["Location"].startswith(url)
    # A region's staff without the coordinators' rights: no list, no check-in.
    from core.region_state import current_region

    staff = UserFactory(is_staff=True)
    current_region().coordinators.add(staff)
    client.force_login(staff)
    assert client.get(url).status_code == 403
    assert client.get(reverse("admin:meetings_meeting_participants", args=[meeting.pk])).status_code == 403


def test_reminders_are_chosen_as_days_or_hours_before():
    form = MeetingAdminForm(instance=_meeting_in(10, reminder_before=timedelta(days=2)))
    field = form.fields["reminder_before"]
    labels = dict(field.choices)
    assert labels[str(2 * 86400)] == "2 dagar före"
    assert labels["3600"] == "1 timme före"
    assert labels[""] == "Ingen påminnelse"
    assert field.clean(str(86400)) == timedelta(days=1)
    assert field.clean("") is None
    assert "selected>2 dagar före" in str(form["reminder_before"]) or (
        f'value="{2 * 86400}" selected' in str(form["reminder_before"])
    )
    # An offset set before the list existed stays selectable with a readable name.
    odd = MeetingAdminForm(instance=_meeting_in(10, reminder_before=timedelta(hours=5)))
    assert dict(odd.fields["reminder_before"].choices)[str(5 * 3600)] == "5 timmar före"


def test_copy_meeting_opens_the_copy_with_empty_dates(coordinator_client):
    meeting = _meeting_in(10, title="Dialogmöte")
    ProgrammeItemFactory(meeting=meeting, title="Välkommen")
    response = coordinator_client.post(
        reverse("admin:meetings_meeting_changelist"),
        {"action": "copy_meeting", "_selected_action": [meeting.pk]},
        follow=True,
    )
    copy = Meeting.objects.exclude(pk=meeting.pk).get()
    assert response.redirect_chain[-1][0] == reverse("admin:meetings_meeting_change", args=[copy.pk]) + "?copied=1"
    form = response.context["adminform"].form
    assert form["start"].value() is None and form["end"].value() is None
    assert copy.status == Meeting.Status.DRAFT
    assert copy.programme_items.get().title == "Välkommen"
    assert "Välj datum och tid för det nya mötet" in response.content.decode()


def test_coordinator_cancelling_a_registration_tells_the_person(coordinator_client, run_on_commit):
    registration = RegistrationFactory(meeting=_meeting_in(5, title="Dialogmöte om hälsa"), email="anna@example.se")
    with run_on_commit():
        coordinator_client.post(
            reverse("admin:meetings_registration_changelist"),
            {"action": "cancel_registrations", "_selected_action": [registration.pk]},
        )
    message = mail.outbox[-1]
    assert message.to == ["anna@example.se"]
    assert message.subject.endswith("Din anmälan är avbokad: Dialogmöte om hälsa")
    assert "En samordnare har avbokat din anmälan" in message.body


def test_person_cancelling_gets_a_receipt_in_their_language(run_on_commit):
    registration = RegistrationFactory(meeting=_meeting_in(5, title="Health dialogue"), language="en")
    with run_on_commit():
        services.registration_cancel(registration=registration)
    message = mail.outbox[-1]
    assert "Your registration is cancelled: Health dialogue" in message.subject
    assert "You have cancelled your registration" in message.body
    # Cancelling twice sends nothing more.
    with run_on_commit():
        services.registration_cancel(registration=registration)
    assert len(mail.outbox) == 1


def _export(client, fmt, fields):
    return client.post(
        reverse("admin:meetings_registration_export"),
        {"format": fmt, "resource": "0", **{f"registrationresource_{f}": "on" for f in fields}},
    )


def test_registration_export_has_swedish_headers_and_values(coordinator_client):
    meeting = _meeting_in(5, title="Dialogmöte")
    RegistrationFactory(meeting=meeting, name="Åsa Öberg", attended=True, present_example=False)
    fields = ("meeting", "name", "status", "attended", "present_example")
    response = _export(coordinator_client, "0", fields)
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Möte", "Namn", "Vill presentera ett gott exempel", "Status", "Deltog"]
    assert rows[1] == ["Dialogmöte", "Åsa Öberg", "Nej", "Bekräftad", "Ja"]
    sheet = load_workbook(io.BytesIO(_export(coordinator_client, "1", fields).content)).active
    assert [c.value for c in next(sheet.iter_rows(min_row=2, max_row=2))] == [
        "Dialogmöte",
        "Åsa Öberg",
        "Nej",
        "Bekräftad",
        "Ja",
    ]


def test_registration_list_says_meeting_in_swedish(coordinator_client):
    RegistrationFactory()
    html = coordinator_client.get(reverse("admin:meetings_registration_changelist")).content.decode()
    assert "meeting" not in html.split('id="changelist-filter"', 1)[1].split("</nav>", 1)[0].lower().replace(
        "meeting__id__exact", ""
    ).replace("meetings", "")
    assert "Möte" in html
