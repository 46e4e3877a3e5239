"""Every public form shares one layout (core.forms.FormRenderer + templates/forms/field.html).

What a screen-reader user relies on: each input names its help text and its error through
aria-describedby, ids that exist on the page exactly once; an input with an error says so with
aria-invalid; the error summary links to the inputs. What a sighted user sees: Bootstrap's classes.
"""

from collections import Counter
from html.parser import HTMLParser

import pytest

from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


class Page(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.controls: list[dict] = []
        self.fieldsets: list[dict] = []
        self.ids: Counter = Counter()
        self.summary_links: list[str] = []
        self._in_summary = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids[attrs["id"]] += 1
        if attrs.get("id") == "error-summary":
            self._in_summary = True
        if self._in_summary and tag == "a":
            self.summary_links.append(attrs["href"].removeprefix("#"))
        if tag in ("input", "select", "textarea") and attrs.get("type") not in ("hidden", "submit"):
            self.controls.append({"tag": tag, **attrs})
        if tag == "fieldset":
            self.fieldsets.append(attrs)

    def handle_endtag(self, tag):
        if tag == "div" and self._in_summary and self.summary_links:
            self._in_summary = False


def check_accessible(html: str) -> Page:
    page = Page(html)
    duplicated = [i for i, n in page.ids.items() if n > 1]
    assert not duplicated, f"ids used twice: {duplicated}"
    for element in [*page.controls, *page.fieldsets]:
        for ref in element.get("aria-describedby", "").split():
            assert page.ids[ref] == 1, f"{element.get('name') or element}: aria-describedby names a missing #{ref}"
    for ref in page.summary_links:
        assert page.ids[ref] == 1, f"the error summary links to a missing #{ref}"
    return page


def by_name(page: Page, name: str) -> dict:
    return next(c for c in page.controls if c.get("name") == name)


def test_interest_form_ties_errors_and_help_to_the_inputs(client):
    response = client.post("/organisationer/anmal-intresse/", {"organisation_name": "", "organisation_number": "12"})
    assert response.status_code == 400  # the form again, with its errors
    page = check_accessible(response.content.decode())
    number = by_name(page, "organisation_number")
    assert number["aria-invalid"] == "true"
    assert number["aria-describedby"].split() == ["id_organisation_number_helptext", "id_organisation_number_error"]
    assert number["value"] == "12"  # what was typed is kept
    consent = by_name(page, "consent")
    assert consent["aria-invalid"] == "true" and "id_consent_error" in consent["aria-describedby"].split()
    assert "id_consent_helptext" in consent["aria-describedby"].split()  # the explanation and privacy link
    assert {"id_organisation_name", "id_organisation_number", "id_consent"} <= set(page.summary_links)


def test_interest_form_widgets_carry_bootstrap_classes_and_required_marks(client):
    html = client.get("/organisationer/anmal-intresse/").content.decode()
    page = check_accessible(html)
    assert "form-control" in by_name(page, "organisation_name")["class"]
    assert "form-select" in by_name(page, "legal_form")["class"]
    assert "form-check-input" in by_name(page, "consent")["class"]
    assert "form-check-input" in by_name(page, "contact_role")["class"]
    assert "(obligatoriskt)" in html


def test_meeting_registration_form_uses_the_same_layout(client):
    meeting = MeetingFactory()
    response = client.post(f"/moten/{meeting.slug}/anmalan/", {"name": "", "email": "inte-en-adress"})
    assert response.status_code == 200
    page = check_accessible(response.content.decode())
    email = by_name(page, "email")
    assert email["aria-invalid"] == "true" and email["aria-describedby"] == "id_email_error"
    assert "form-control" in email["class"]
    assert email["value"] == "inte-en-adress"
    assert {"id_name", "id_email", "id_consent"} <= set(page.summary_links)
