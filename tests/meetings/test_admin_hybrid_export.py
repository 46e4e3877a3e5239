"""Hybrid meetings at the door and in the export, and the export page itself: on site or online everywhere a
coordinator looks, Swedish field labels, a labelled "select all", a Swedish file name, real dates in XLSX."""

import csv
import datetime as dt
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from meetings.models import Meeting, Registration
from tests.factories import MeetingFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

ONLINE, ON_SITE = Registration.Attendance.ONLINE, Registration.Attendance.ON_SITE


@pytest.fixture
def hybrid():
    start = (timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)
    meeting = MeetingFactory(
        title="Hybridmöte om hälsa",
        slug="hybridmote-om-halsa",
        format=Meeting.Format.HYBRID,
        start=start,
        end=start + timedelta(hours=2),
    )
    RegistrationFactory(meeting=meeting, name="Petra Platsson", attendance=ON_SITE)
    RegistrationFactory(meeting=meeting, name="Dina Digital", attendance=ONLINE)
    RegistrationFactory(meeting=meeting, name="Olle Ovald", attendance="")  # counted on site
    return meeting


def _row_of(html, name):
    return html.split(name, 1)[1].split("</tr>", 1)[0]


def test_door_list_of_a_hybrid_meeting_says_who_comes_on_site_and_who_online(coordinator_client, hybrid):
    html = coordinator_client.get(reverse("admin:meetings_meeting_participants", args=[hybrid.pk])).content.decode()
    assert "På plats: 2 · Digitalt: 1" in html
    assert "Digitalt" in _row_of(html, "Dina Digital")
    assert "På plats" in _row_of(html, "Petra Platsson")
    assert "På plats" in _row_of(html, "Olle Ovald")


def test_door_list_filters_on_site_without_script(coordinator_client, hybrid):
    url = reverse("admin:meetings_meeting_participants", args=[hybrid.pk])
    html = coordinator_client.get(url, {"deltar": "on_site"}).content.decode()
    assert "Petra Platsson" in html and "Olle Ovald" in html
    assert "Dina Digital" not in html
    assert 'aria-current="page"' in html
    online = coordinator_client.get(url, {"deltar": "online"}).content.decode()
    assert "Dina Digital" in online and "Petra Platsson" not in online
    # A made-up value shows everyone instead of failing.
    assert "Dina Digital" in coordinator_client.get(url, {"deltar": "x"}).content.decode()


def test_check_in_of_a_hybrid_meeting_shows_and_filters_attendance(coordinator_client, hybrid):
    url = reverse("admin:meetings_meeting_check_in", args=[hybrid.pk])
    html = coordinator_client.get(url).content.decode()
    assert "På plats: 2 · Digitalt: 1" in html
    dina = html.split("Dina Digital", 1)[1].split("</li>", 1)[0]
    assert "Digitalt" in dina
    on_site = coordinator_client.get(url, {"deltar": "on_site"}).content.decode()
    assert "Dina Digital" not in on_site and "Petra Platsson" in on_site
    assert 'name="deltar" value="on_site"' in on_site  # the search keeps the filter


def test_door_list_of_a_one_format_meeting_has_no_attendance_column(coordinator_client):
    meeting = MeetingFactory(format=Meeting.Format.PHYSICAL)
    RegistrationFactory(meeting=meeting, name="Frida Fysisk")
    html = coordinator_client.get(reverse("admin:meetings_meeting_participants", args=[meeting.pk])).content.decode()
    assert "Frida Fysisk" in html
    assert "Digitalt:" not in html and '<th scope="col">Deltar</th>' not in html


def test_registration_list_filters_by_attendance(coordinator_client, hybrid):
    url = reverse("admin:meetings_registration_changelist")
    html = coordinator_client.get(url, {"deltar": "online"}).content.decode()
    results = html.split('id="result_list"', 1)[1]
    assert "Dina Digital" in results and "Petra Platsson" not in results


def _export(client, fmt, fields, **params):
    url = reverse("admin:meetings_registration_export")
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return client.post(url, {"format": fmt, "resource": "0", **{f"registrationresource_{f}": "on" for f in fields}})


def test_export_says_who_takes_part_on_site_or_online(coordinator_client, hybrid):
    response = _export(coordinator_client, "0", ("name", "attendance"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Namn", "Deltar"]
    assert sorted(rows[1:]) == [
        ["Dina Digital", "Digitalt"],
        ["Olle Ovald", "På plats"],
        ["Petra Platsson", "På plats"],
    ]


@pytest.fixture
def export_day(monkeypatch):
    monkeypatch.setattr("core.spreadsheets.export_date", lambda: dt.date(2026, 12, 6))


def test_export_file_has_a_swedish_name_with_the_meeting(coordinator_client, hybrid, export_day):
    response = _export(coordinator_client, "0", ("name",), meeting__id__exact=hybrid.pk)
    assert response["Content-Disposition"] == 'attachment; filename="anmalningar-hybridmote-om-halsa-2026-12-06.csv"'


def test_export_of_several_meetings_is_named_without_a_meeting(coordinator_client, hybrid, export_day):
    RegistrationFactory()
    response = _export(coordinator_client, "1", ("name",))
    assert response["Content-Disposition"] == 'attachment; filename="anmalningar-2026-12-06.xlsx"'


def test_export_page_labels_fields_in_swedish_and_labels_select_all(coordinator_client, hybrid):
    html = coordinator_client.get(reverse("admin:meetings_registration_export")).content.decode()
    label = html.split('for="id_registrationresource_meeting_start"', 1)[1].split("</label>", 1)[0]
    assert "Mötet börjar" in label and "Meeting Start" not in label
    assert "Email" not in html.split('for="id_registrationresource_email"', 1)[1].split("</label>", 1)[0]
    # The "select all" box has an id its label points at (axe: form elements must have labels).
    assert 'id="select-all-toggle"' in html
    assert 'for="select-all-toggle"' in html
    assert "onchange=" not in html  # an inline handler, blocked by the Content-Security-Policy
    assert "js/admin_export.js" in html


def test_xlsx_export_has_date_cells_fitted_columns_and_a_frozen_bold_header(coordinator_client, hybrid):
    fields = ("meeting", "meeting_start", "name", "created_at")
    sheet = load_workbook(io.BytesIO(_export(coordinator_client, "1", fields).content)).active
    header = [cell.value for cell in sheet[1]]
    assert header == ["Möte", "Mötet börjar", "Namn", "Anmäld"]
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    start = sheet.cell(row=2, column=2)
    assert isinstance(start.value, dt.datetime)
    assert start.value == timezone.localtime(hybrid.start).replace(tzinfo=None)
    assert start.number_format == "yyyy-mm-dd hh:mm"
    assert sheet.column_dimensions["A"].width >= len("Hybridmöte om hälsa")
    assert sheet.column_dimensions["B"].width >= len("yyyy-mm-dd hh:mm")


def test_csv_export_writes_dates_as_local_text_without_seconds(coordinator_client, hybrid):
    response = _export(coordinator_client, "0", ("meeting_start",))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][0] == timezone.localtime(hybrid.start).strftime("%Y-%m-%d %H:%M")


def test_export_follows_the_attendance_filter_of_the_list(coordinator_client, hybrid):
    response = _export(coordinator_client, "0", ("name", "attendance"), deltar="online")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1:] == [["Dina Digital", "Digitalt"]]


def test_xlsx_export_sheet_has_a_swedish_name(coordinator_client, hybrid):
    workbook = load_workbook(io.BytesIO(_export(coordinator_client, "1", ("name",)).content))
    assert workbook.sheetnames == ["Blad1"]
