"""e-ID and mandates together (issue 23, items 3 and 4): with e-ID configured for the region (the local
provider), a representative with a verified mandate who logged in with a password submits the
organisation's answer through the e-ID step-up, the POST replayed; the answer names the mandate and the
e-ID login. A file chosen in the replayed POST is asked for again, nothing submitted."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.assurance import EID_SESSION_KEY, STEPUP_WINDOW
from consultations.models import Answer, Consultation
from organisations.models import Mandate
from tests.accounts.conftest import log_in
from tests.factories.consultations import ConsultationFactory, SectionFactory

pytestmark = pytest.mark.django_db

NUMBER = "199001012389"


@pytest.fixture
def open_now(organisation, other_organisation):
    """An open consultation at the real time (the e-ID provider's tokens are checked against it)."""
    now = timezone.now()
    consultation = ConsultationFactory(
        title="Remiss om handlingsplanen",
        slug="handlingsplanen-nu",
        invited=[organisation, other_organisation],
        status=Consultation.Status.OPEN,
        opens_at=now - dt.timedelta(days=7),
        closes_at=now + dt.timedelta(days=14),
    )
    for order, heading in enumerate(["Syfte", "Upphandling"], start=1):
        SectionFactory(consultation=consultation, order=order, heading=heading, text=f"Om {heading.lower()}.")
    return consultation


def _url(consultation, organisation):
    return reverse("consultations:answer", args=[consultation.slug]) + f"?organisation={organisation.pk}"


def _data(consultation, organisation, **extra):
    data = {"action": "submit", "organisation": organisation.pk, "understands_public": "on"}
    for section in consultation.sections.all():
        data[f"position_{section.pk}"] = "agree"
        data[f"comment_{section.pk}"] = "Vår hållning"
    return {**data, **extra}


def _step_up(client, eid_region, location, sub="rep"):
    return client.get(eid_region.authorize(eid_region.start(client, url=location), sub))


def test_a_password_login_submits_through_the_e_id_and_the_answer_records_it(
    client, eid_region, open_now, organisation, representative
):
    eid_region.person("rep", level="EXTENDED", number=NUMBER)
    log_in(client, representative)
    response = client.post(_url(open_now, organisation), _data(open_now, organisation))
    assert response.status_code == 302 and "process=redirect" in response["Location"]
    assert not Answer.objects.exists()

    before = timezone.now()
    done = _step_up(client, eid_region, response["Location"])

    assert done.status_code == 302
    answer = Answer.objects.get()
    assert answer.state == Answer.State.SUBMITTED
    assert answer.mandate == Mandate.objects.get(representative__user=representative)
    assert (answer.auth_method, answer.auth_level) == ("eid", "EXTENDED")
    assert before - dt.timedelta(seconds=5) <= answer.authenticated_at <= timezone.now()
    assert {row.comment for row in answer.sections.all()} == {"Vår hållning"}


def test_a_file_in_the_replayed_post_is_asked_for_again(
    client, eid_region, open_now, organisation, representative, pdf_upload
):
    eid_region.person("rep", level="EXTENDED", number=NUMBER)
    log_in(client, representative)
    response = client.post(_url(open_now, organisation), _data(open_now, organisation, attachment=pdf_upload))

    again = _step_up(client, eid_region, response["Location"])

    assert again.status_code == 400
    content = again.content.decode()
    assert 'id="error-summary"' in content and "Filen sparades inte" in content
    assert "Vår hållning" in content
    assert not Answer.objects.filter(state=Answer.State.SUBMITTED).exists()


def test_an_e_id_login_older_than_fifteen_minutes_is_asked_again(
    client, eid_region, open_now, organisation, representative
):
    eid_region.person("rep", level="EXTENDED", number=NUMBER)
    log_in(client, representative)
    draft = _data(open_now, organisation, action="save")
    client.post(_url(open_now, organisation), draft)
    _step_up(client, eid_region, eid_region.login_url + "?" + "process=redirect&next=" + _url(open_now, organisation))
    session = client.session
    record = session[EID_SESSION_KEY]
    record["at"] -= STEPUP_WINDOW.total_seconds() + 1
    session[EID_SESSION_KEY] = record
    session.save()

    response = client.post(_url(open_now, organisation), _data(open_now, organisation))

    assert response.status_code == 302 and "process=redirect" in response["Location"]
    assert Answer.objects.get().state == Answer.State.DRAFT


def test_a_level_below_the_requirement_is_refused_and_nothing_is_submitted(
    client, eid_region, open_now, organisation, representative
):
    eid_region.person("rep", level="BASIC", number=NUMBER)
    log_in(client, representative)
    response = client.post(_url(open_now, organisation), _data(open_now, organisation))

    refused = _step_up(client, eid_region, response["Location"])

    assert refused.status_code == 401
    assert not Answer.objects.filter(state=Answer.State.SUBMITTED).exists()
