"""Admin pages reflow: no sideways page scroll at 1280 px (wide tables scroll in their own labelled region),
nothing lost at 320 px; the export page with axe-core, Swedish labels and a Swedish file name."""

import datetime as dt

import pytest
from django.utils import timezone

from agreements import services as agreement_services
from agreements.models import Signatory
from meetings.models import Meeting
from tests.e2e.conftest import axe_check, log_in
from tests.factories import (
    MeetingDocumentFactory,
    MeetingFactory,
    OrganisationFactory,
    ProgrammeItemFactory,
    RegistrationFactory,
    SignatoryFactory,
    SpeakerFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

LONG = "Samverkansöverenskommelsens uppföljningsgruppsmöte "


@pytest.fixture
def data(demo_coordinator):
    soon = (timezone.now() + dt.timedelta(days=3)).replace(second=0, microsecond=0)
    meeting = MeetingFactory(
        title="Hybridmöte om ungas hälsa " + LONG,
        slug="hybridmote-om-ungas-halsa",
        format=Meeting.Format.HYBRID,
        start=soon,
        end=soon + dt.timedelta(hours=2),
        capacity=40,
    )
    item = ProgrammeItemFactory(meeting=meeting, title=LONG * 3, description="Samtal om ungas hälsa " * 30)
    SpeakerFactory(programme_item=item, name="Fredrika Föreläsare", title=LONG, organisation=LONG)
    MeetingDocumentFactory(meeting=meeting, title=LONG * 2)
    RegistrationFactory(meeting=meeting, name="Anna Andersson", attendance="on_site", needs=LONG * 3)
    RegistrationFactory(meeting=meeting, name="Dina Digital", attendance="online")
    organisation = OrganisationFactory(name="Föreningen " + LONG)
    signatory = SignatoryFactory(organisation=organisation, status=Signatory.Status.PENDING, verified_at=None)
    agreement_services.signatory_verify(signatory=signatory, by=demo_coordinator)
    return {"meeting": meeting, "signatory": signatory}


PAGES = [
    "/admin/",
    "/admin/meetings/meeting/{meeting}/change/",
    "/admin/meetings/meeting/{meeting}/history/",
    "/admin/meetings/meeting/{meeting}/deltagarlista/",
    "/admin/meetings/meeting/{meeting}/incheckning/",
    "/admin/meetings/registration/",
    "/admin/meetings/registration/export/",
    "/admin/agreements/signatory/{signatory}/change/",
    "/admin/agreements/signatory/{signatory}/history/",
    "/admin/agreements/signatory/",
    "/admin/agreements/agreement/{agreement}/change/",
    "/admin/organisations/organisation/{organisation}/change/",
    "/admin/organisations/organisation/{organisation}/history/",
    "/admin/challenges/challenge/add/",  # a stacked inline with bilingual rows, indented inside its group
]

# Visible elements that lie left of the page (no scrolling reaches them) or are cut off by an ancestor that
# hides overflow: content lost. A scroll container (overflow auto/scroll) is reachable and not counted, nor is
# text meant for screen readers only (inside a 1 px clipped box such as the admin's `visually-hidden` table
# headers), which is hidden at every width by design.
LOST_CONTENT_JS = """
() => {
  const lost = [];
  for (const el of document.querySelectorAll('#content input, #content select, #content textarea, #content a, #content th, #content td, #content label, #content h1, #content h2, #content p')) {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || getComputedStyle(el).visibility === 'hidden') continue;
    if (r.left + window.scrollX < -1) { lost.push(el.tagName + ' ' + (el.id || el.name || el.textContent.trim().slice(0, 30))); continue; }
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (s.overflowX === 'hidden' || s.overflowX === 'clip') {
        const pr = p.getBoundingClientRect();
        if (pr.width <= 1 && pr.height <= 1) break;  /* screen-reader-only */
        if (r.right > pr.right + 1 || r.left < pr.left - 1) { lost.push(el.tagName + ' ' + (el.id || el.name || el.textContent.trim().slice(0, 30))); }
        break;
      }
    }
  }
  return lost;
}
"""


@pytest.mark.parametrize("path", PAGES)
def test_admin_page_has_no_sideways_scroll_at_1280_and_loses_nothing_at_320(
    page, live_server, demo_coordinator, data, path
):
    signatory = data["signatory"]
    url = path.format(
        meeting=data["meeting"].pk,
        signatory=signatory.pk,
        agreement=signatory.agreement_id,
        organisation=signatory.organisation_id,
    )
    log_in(page, live_server, demo_coordinator)
    page.set_viewport_size({"width": 1280, "height": 900})
    assert page.goto(url).status == 200
    axe_check(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1280, f"{path} is {width} px wide at 1280 px"
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(url)
    assert page.evaluate(LOST_CONTENT_JS) == [], f"{path} loses content at 320 px"


def test_export_page_is_labelled_in_swedish_and_downloads_a_swedish_file(
    page, live_server, demo_coordinator, data, monkeypatch
):
    # The live server runs in this process: the file's date is fixed here.
    monkeypatch.setattr("core.spreadsheets.export_date", lambda: dt.date(2026, 12, 6))
    meeting = data["meeting"]
    log_in(page, live_server, demo_coordinator)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/admin/meetings/registration/export/?meeting__id__exact={meeting.pk}")
    axe_check(page)
    # Each field's checkbox is named by its Swedish column header; "select all" is a labelled checkbox.
    assert page.get_by_label("Mötet börjar", exact=True).is_checked()
    assert page.get_by_label("Deltar", exact=True).is_checked()
    select_all = page.get_by_label("Markera alla", exact=True)
    select_all.uncheck()
    assert not page.get_by_label("Namn", exact=True).is_checked()
    select_all.check()
    page.get_by_label("Format").select_option(label="xlsx")
    with page.expect_download() as download:
        page.get_by_role("button", name="Skicka").click()
    assert download.value.suggested_filename == "anmalningar-hybridmote-om-ungas-halsa-2026-12-06.xlsx"


@pytest.mark.parametrize("width", [320, 1280])
def test_a_searched_change_list_passes_axe(page, live_server, demo_coordinator, data, width):
    """ "0 results (1 total)": its link to the whole list is told from the text around it without colour."""
    log_in(page, live_server, demo_coordinator)
    page.set_viewport_size({"width": width, "height": 800})
    assert page.goto("/admin/meetings/meeting/?q=zzzz").status == 200
    link = page.locator("#changelist-search .quiet a")
    assert link.count() == 1
    assert "underline" in link.evaluate("a => getComputedStyle(a).textDecorationLine")
    axe_check(page)
