"""The coordinator's start page (/admin/): each app's work waiting, through portal.work in core/registry.py."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.models import Signatory
from core.registry import WorkItem, portal
from organisations.models import Organisation
from outbox.models import OutgoingEmail
from tests.factories import (
    ContactFactory,
    InterestSubmissionFactory,
    MeetingFactory,
    OrganisationFactory,
    RegistrationFactory,
    SignatoryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _items(response):
    html = response.content.decode()
    start = html.index('class="module work-waiting"')
    return html[start : html.index("</section>", start)]


def test_start_page_counts_each_kind_of_work_and_links_to_the_filtered_list(coordinator_client):
    organisation = OrganisationFactory(status=Organisation.Status.SUBMITTED)
    ContactFactory(organisation=organisation, confirmed=False)
    ContactFactory(organisation=organisation, confirmed=True)
    InterestSubmissionFactory(organisation=organisation)
    InterestSubmissionFactory(organisation=organisation, handled=True)
    SignatoryFactory(status=Signatory.Status.PENDING)
    SignatoryFactory(status=Signatory.Status.PENDING)
    SignatoryFactory(withdrawal_requested_at=timezone.now())
    OutgoingEmail.objects.create(
        to="a@example.se", subject="x", body_text="x", message_id="<f@x>", status=OutgoingEmail.Status.FAILED
    )
    OutgoingEmail.objects.create(to="a@example.se", subject="x", body_text="x", message_id="<s@x>", status="sent")

    html = _items(coordinator_client.get(reverse("admin:index")))

    assert '<span class="work-count">2</span> <span class="work-label">Underskrifter att verifiera' in html
    assert '<span class="work-count">1</span> <span class="work-label">Begäran om utträde' in html
    assert '<span class="work-count">1</span> <span class="work-label">Nya intresseanmälningar' in html
    assert '<span class="work-count">1</span> <span class="work-label">Kontaktpersoner att bekräfta' in html
    assert '<span class="work-count">1</span> <span class="work-label">Organisationer att verifiera' in html
    assert '<span class="work-count">1</span> <span class="work-label">Misslyckade e-postmeddelanden' in html
    assert f"{reverse('admin:agreements_signatory_changelist')}?status__exact=pending" in html
    assert f"{reverse('admin:organisations_contact_changelist')}?confirmed__exact=0" in html


def test_each_link_opens_a_list_with_exactly_the_rows_counted(coordinator_client):
    ContactFactory(name="Ej bekräftad", confirmed=False)
    ContactFactory(name="Redan bekräftad", confirmed=True)
    SignatoryFactory(status=Signatory.Status.PENDING, organisation=OrganisationFactory(name="Väntar"))
    SignatoryFactory(organisation=OrganisationFactory(name="Klar"))
    contacts = coordinator_client.get(f"{reverse('admin:organisations_contact_changelist')}?confirmed__exact=0")
    assert "Ej bekräftad" in contacts.content.decode() and "Redan bekräftad" not in contacts.content.decode()
    signatories = coordinator_client.get(f"{reverse('admin:agreements_signatory_changelist')}?status__exact=pending")
    assert "Väntar" in signatories.content.decode() and "Klar" not in signatories.content.decode()


def test_meetings_in_the_next_fortnight_with_fill_level(coordinator_client):
    soon = timezone.now() + dt.timedelta(days=3)
    meeting = MeetingFactory(title="Snart möte", start=soon, end=soon + dt.timedelta(hours=2), capacity=10)
    RegistrationFactory.create_batch(3, meeting=meeting)
    later = timezone.now() + dt.timedelta(days=30)
    MeetingFactory(title="Senare möte", start=later, end=later + dt.timedelta(hours=2))

    response = coordinator_client.get(reverse("admin:index"))
    html = _items(response)
    assert "Snart möte" in html and "Senare möte" not in html
    assert "3 av 10" in html and "(30 %)" in html
    assert '<meter min="0" max="10" value="3"' in html
    listed = coordinator_client.get(_link(html, "Möten de närmaste 14 dagarna"))
    assert "Snart möte" in listed.content.decode() and "Senare möte" not in listed.content.decode()


def _link(html, label):
    before = html[: html.index(label)]
    return before[before.rindex('href="') + 6 :].split('"', 1)[0].replace("&amp;", "&")


def test_an_app_added_later_contributes_its_own_work(coordinator_client):
    """How challenges/, consultations/ and elections/ put theirs on the page: one call in portal.py."""
    portal.register("sessions")
    portal.work("sessions", lambda request: [WorkItem("Valomgångar att granska", 4, "/admin/")], order=15)
    try:
        html = _items(coordinator_client.get(reverse("admin:index")))
    finally:
        portal.unregister("sessions")
    assert '<span class="work-count">4</span> <span class="work-label">Valomgångar att granska' in html
    # In the given order: agreements (10), the new app (15), organisations (20).
    assert html.index("Begäran om utträde") < html.index("Valomgångar") < html.index("Nya intresseanmälningar")


def test_work_needs_registration_and_shows_only_what_the_user_may_act_on(client):
    with pytest.raises(LookupError):
        portal.work("no_such_app", lambda request: [])
    reader = UserFactory(is_staff=True)
    client.force_login(reader)
    response = client.get(reverse("admin:index"))
    assert 'class="module work-waiting"' not in response.content.decode()


def test_start_page_query_count_does_not_grow_with_meetings(coordinator_client, django_assert_max_num_queries):
    soon = timezone.now() + dt.timedelta(days=2)
    for n in range(8):
        meeting = MeetingFactory(start=soon + dt.timedelta(hours=n), end=soon + dt.timedelta(hours=n + 1))
        RegistrationFactory(meeting=meeting)
    # About one query per app's work item (meetings, agreements, challenges, consultations, grants …), the same
    # with 8 meetings as with one.
    with django_assert_max_num_queries(25):
        response = coordinator_client.get(reverse("admin:index"))
    assert response.status_code == 200


def test_challenges_and_consultations_contribute_their_own_work(coordinator_client):
    html = _items(coordinator_client.get(reverse("admin:index")))
    assert "Utmaningar att moderera" in html
    assert coordinator_client.get(_link(html, "Utmaningar att moderera")).status_code == 200
    assert "Inkomna remissvar" in html and "Stängda remisser att sammanställa" in html
    assert coordinator_client.get(_link(html, "Inkomna remissvar")).status_code == 200
    assert coordinator_client.get(_link(html, "Stängda remisser att sammanställa")).status_code == 200
