"""What waits for coordinators in grants and partnerships on the admin's start page: applications to assess and
to decide, reports to review, and the partnerships whose yearly follow-up of last year is missing — each count
linking to a list that shows exactly those rows."""

import datetime as dt

import pytest
from django.urls import reverse

from partnerships.models import Application, FollowUpReport, Partnership, PartnershipFollowUp
from tests.factories.partnerships import NOW, ApplicationFactory, DecisionFactory, PartnershipFactory

pytestmark = pytest.mark.django_db

LAST_YEAR = NOW.year - 1  # the clock's year is 2030: the start page asks for the follow-ups of 2029


def _work(response):
    html = response.content.decode()
    start = html.index('class="module work-waiting"')
    return html[start : html.index("</section>", start)]


def _count(html, label):
    marker = f'<span class="work-label">{label}'
    before = html[: html.index(marker)]
    return int(before[before.rindex('<span class="work-count">') :].split(">")[1].split("<")[0])


@pytest.fixture
def partnerships():
    def make(title, starts, ends, status=Partnership.Status.IN_FORCE, follow_up_years=()):
        partnership = PartnershipFactory(title=title, starts_on=starts, ends_on=ends, status=status)
        for year in follow_up_years:
            PartnershipFollowUp.objects.create(partnership=partnership, year=year, text="Så gick året.")
        return partnership

    make("Saknar uppföljning", dt.date(2027, 1, 1), dt.date(2032, 12, 31))
    make("Har uppföljning", dt.date(2027, 1, 1), dt.date(2032, 12, 31), follow_up_years=[LAST_YEAR])
    make("Bara äldre uppföljning", dt.date(2027, 1, 1), dt.date(2032, 12, 31), follow_up_years=[LAST_YEAR - 1])
    make("Avslutad under året", dt.date(2026, 1, 1), dt.date(LAST_YEAR, 6, 30), status=Partnership.Status.ENDED)
    make("Började i år", dt.date(NOW.year, 1, 1), dt.date(2033, 12, 31))
    make("Förbereds", dt.date(2027, 1, 1), dt.date(2032, 12, 31), status=Partnership.Status.PREPARING)


def test_the_start_page_counts_grants_and_partnerships_work_in_swedish(clock, coordinator_client, partnerships):
    ApplicationFactory.create_batch(2, status=Application.Status.SUBMITTED, submitted_at=NOW)
    ApplicationFactory(status=Application.Status.ASSESSED, submitted_at=NOW)
    ApplicationFactory(status=Application.Status.DRAFT)
    for review in (FollowUpReport.Review.SUBMITTED, FollowUpReport.Review.DUE, FollowUpReport.Review.APPROVED):
        FollowUpReport.objects.create(
            application=DecisionFactory().application, due_on=dt.date(2030, 6, 30), review_status=review
        )

    html = _work(coordinator_client.get(reverse("admin:index")))

    assert _count(html, "Bidragsansökningar att bedöma") == 2
    assert _count(html, "Bedömda bidragsansökningar att besluta om") == 1
    assert _count(html, "Återrapporter att granska") == 1
    assert _count(html, f"Partnerskap utan årlig uppföljning för {LAST_YEAR}") == 3
    changelist = reverse("admin:partnerships_partnership_changelist")
    assert f"{changelist}?follow_up_missing={LAST_YEAR}" in html
    assert f"{reverse('admin:partnerships_application_changelist')}?status__exact=submitted" in html


def test_the_link_lists_exactly_the_partnerships_counted(clock, coordinator_client, partnerships):
    changelist = reverse("admin:partnerships_partnership_changelist")
    html = coordinator_client.get(f"{changelist}?follow_up_missing={LAST_YEAR}").content.decode()
    for listed in ("Saknar uppföljning", "Bara äldre uppföljning", "Avslutad under året"):
        assert listed in html
    for left_out in ("Har uppföljning", "Började i år", "Förbereds"):
        assert left_out not in html
    assert f"Saknas för {LAST_YEAR}" in html  # the filter in the side bar


@pytest.mark.parametrize("value", ["x", "-1", "99999999999999999999", "2029\x00"])
def test_a_bad_year_in_the_filter_lists_nothing_and_never_fails(clock, coordinator_client, partnerships, value):
    changelist = reverse("admin:partnerships_partnership_changelist")
    response = coordinator_client.get(changelist, {"follow_up_missing": value})
    assert response.status_code in (200, 400)  # 400: a NUL byte in the admin's query string (core/admin_input.py)
    assert "Saknar uppföljning" not in response.content.decode()


def test_a_follow_up_written_takes_the_partnership_off_the_count(clock, coordinator_client, partnerships):
    missing = Partnership.objects.get(title="Saknar uppföljning")
    PartnershipFollowUp.objects.create(partnership=missing, year=LAST_YEAR, text="Nu skriven.")
    html = _work(coordinator_client.get(reverse("admin:index")))
    assert _count(html, f"Partnerskap utan årlig uppföljning för {LAST_YEAR}") == 2
