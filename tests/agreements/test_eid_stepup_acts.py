"""e-ID and mandates together (issue 23, items 3 and 4): with e-ID configured for the region (the local
provider, tests/eid_provider.py), a representative with a verified mandate who logged in with a password
signs the agreement through the e-ID step-up; the signature records the mandate and the e-ID login. The
signing form asks for the e-ID before it is shown, so its PDF is never lost; when the window ends while the
form is filled in, the replayed POST keeps the typed fields and the form asks for the file again."""

import datetime as dt
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.assurance import EID_SESSION_KEY, STEPUP_WINDOW
from agreements.models import Signatory
from organisations.models import Mandate
from tests.accounts.conftest import log_in

pytestmark = pytest.mark.django_db

NUMBER = "199001012389"


def _url(agreement):
    return reverse("agreements:sign", args=[agreement.slug])


def _form(organisation, **extra):
    return {
        "organisation": organisation.pk,
        "signed_by_name": "Anna Ordförande",
        "signed_by_title": "Ordförande",
        "confirms_authority": "on",
        "public": "on",
        **extra,
    }


@pytest.fixture
def person(eid_region, representative):
    """The representative's e-ID at the provider (level EXTENDED, as the region requires); logged in with the password."""
    eid_region.person("rita", level="EXTENDED", number=NUMBER)
    return representative


def _step_up(client, eid_region, location, sub="rita"):
    """Through the e-ID login from ``location`` (the login URL the portal sent the person to): its answer."""
    return client.get(eid_region.authorize(eid_region.start(client, url=location), sub))


def _confirm_on_get(client, eid_region, agreement, sub="rita"):
    page = client.get(_url(agreement))
    action = html.unescape(
        re.search(r'<form method="post" action="([^"]*process=redirect[^"]*)"', page.content.decode()).group(1)
    )
    return _step_up(client, eid_region, action, sub)


def test_a_password_login_signs_through_the_e_id_and_the_signature_records_it(
    client, eid_region, person, agreement, organisation
):
    log_in(client, person)
    response = client.post(_url(agreement), _form(organisation))
    assert response.status_code == 302 and "process=redirect" in response["Location"]
    assert not Signatory.objects.exists()

    before = timezone.now()
    done = _step_up(client, eid_region, response["Location"])

    assert done.status_code == 302 and done["Location"] == reverse("accounts:mypages")
    signatory = Signatory.objects.get()
    assert signatory.signed_by_name == "Anna Ordförande"  # the replayed POST
    assert signatory.mandate == Mandate.objects.get(representative__user=person)
    assert (signatory.auth_method, signatory.auth_level) == ("eid", "EXTENDED")
    assert before - dt.timedelta(seconds=5) <= signatory.authenticated_at <= timezone.now()


def test_the_form_asks_for_the_e_id_first_and_then_keeps_the_pdf(
    client, eid_region, person, agreement, organisation, pdf_upload
):
    log_in(client, person)
    page = client.get(_url(agreement))
    content = page.content.decode()
    assert page.status_code == 200
    assert "Bekräfta med e-legitimation" in content and 'name="signed_by_name"' not in content

    back = _confirm_on_get(client, eid_region, agreement)
    assert back.status_code == 302 and back["Location"] == _url(agreement)
    assert 'name="signed_by_name"' in client.get(back["Location"]).content.decode()

    response = client.post(_url(agreement), _form(organisation, board_decision=pdf_upload))

    assert response.status_code == 302
    signatory = Signatory.objects.get()
    assert signatory.board_decision and signatory.auth_method == "eid"


def test_a_pdf_posted_after_the_window_ended_is_asked_for_again_with_the_fields_kept(
    client, eid_region, person, agreement, organisation, pdf_upload
):
    log_in(client, person)
    response = client.post(_url(agreement), _form(organisation, board_decision=pdf_upload))
    assert response.status_code == 302

    again = _step_up(client, eid_region, response["Location"])

    assert again.status_code == 400
    content = again.content.decode()
    assert 'id="error-summary"' in content
    assert "Filen sparades inte medan du bekräftade med e-legitimation" in content
    assert 'value="Anna Ordförande"' in content
    assert not Signatory.objects.exists()
    pdf_upload.seek(0)
    assert client.post(_url(agreement), _form(organisation, board_decision=pdf_upload)).status_code == 302
    assert Signatory.objects.get().board_decision


def test_an_e_id_login_older_than_fifteen_minutes_is_asked_again(client, eid_region, person, agreement, organisation):
    log_in(client, person)
    _confirm_on_get(client, eid_region, agreement)
    session = client.session
    record = session[EID_SESSION_KEY]
    record["at"] -= STEPUP_WINDOW.total_seconds() + 1
    session[EID_SESSION_KEY] = record
    session.save()

    assert "Bekräfta med e-legitimation" in client.get(_url(agreement)).content.decode()
    response = client.post(_url(agreement), _form(organisation))
    assert response.status_code == 302 and "process=redirect" in response["Location"]
    assert not Signatory.objects.exists()


def test_a_level_below_the_requirement_is_refused_and_nothing_is_signed(
    client, eid_region, representative, agreement, organisation
):
    eid_region.person("rita", level="BASIC", number=NUMBER)
    log_in(client, representative)
    response = client.post(_url(agreement), _form(organisation))

    refused = _step_up(client, eid_region, response["Location"])

    assert refused.status_code == 401 and "BASIC" in refused.content.decode()
    assert not Signatory.objects.exists()
    assert client.post(_url(agreement), _form(organisation)).status_code == 302  # still asks
    assert not Signatory.objects.exists()


def test_a_stale_suspended_post_is_not_replayed_by_the_confirmation_before_the_form(
    client, eid_region, person, agreement, organisation
):
    log_in(client, person)
    client.post(_url(agreement), _form(organisation))  # abandoned at the e-ID page

    back = _confirm_on_get(client, eid_region, agreement)

    assert back.status_code == 302 and not Signatory.objects.exists()


def test_without_e_id_the_form_is_shown_at_once(client, representative, agreement):
    log_in(client, representative)
    assert 'name="signed_by_name"' in client.get(_url(agreement)).content.decode()
