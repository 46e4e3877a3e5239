"""The e-ID step-up before acts under a mandate (issue 23 item 3): accounts.assurance.stepup_required sends
the session's user through the region's e-ID login and back to the act, the POST replayed; an e-ID of
another account is refused and the session stays. The acts themselves call it (agreements, elections,
consultations); here a test-only act (tests/accounts/eid_stepup_urls.py)."""

import pytest
from allauth.socialaccount.models import SocialAccount

from accounts.assurance import EID_SESSION_KEY, STEPUP_WINDOW
from accounts.eid import person_number_hash
from tests.accounts.conftest import log_in
from tests.accounts.eid_stepup_urls import DONE
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.accounts.eid_stepup_urls")]

NUMBER = "199001012389"


@pytest.fixture(autouse=True)
def _no_acts_done():
    DONE.clear()


def _post_act(client, text="Vi skriver under"):
    return client.post("/test-act/", {"text": text})


def test_an_act_asks_for_e_id_then_is_done_with_what_was_typed(client, eid_region, member):
    eid_region.person("anna", level="EXTENDED", number=NUMBER)
    SocialAccount.objects.create(user=member, provider=eid_region.provider_id, uid=person_number_hash(NUMBER))
    log_in(client, member)

    response = _post_act(client)
    assert response.status_code == 302 and "process=redirect" in response["Location"]
    assert DONE == []
    page = client.get(response["Location"])
    assert "Bekräfta med e-legitimation" in page.content.decode()

    done = client.get(eid_region.authorize(eid_region.start(client, url=response["Location"]), "anna"))

    assert done.status_code == 200
    assert done.content.decode() == f"done: Vi skriver under by {member.email} (eid)"
    assert DONE == [(member.pk, "Vi skriver under")]
    # Within the window the next act goes straight through.
    assert _post_act(client, "igen").status_code == 200


def test_an_e_id_not_yet_linked_is_linked_by_the_step_up(client, eid_region, member):
    eid_region.person("anna", level="EXTENDED", number=NUMBER)
    log_in(client, member)
    location = _post_act(client)["Location"]

    done = client.get(eid_region.authorize(eid_region.start(client, url=location), "anna"))

    assert done.status_code == 200 and DONE == [(member.pk, "Vi skriver under")]
    assert SocialAccount.objects.get(user=member).uid == person_number_hash(NUMBER)


def test_an_e_id_of_another_account_neither_switches_the_session_nor_does_the_act(client, eid_region, member):
    other = UserFactory(email="bertil@example.se")
    SocialAccount.objects.create(user=other, provider=eid_region.provider_id, uid=person_number_hash(NUMBER))
    eid_region.person("bertil", level="PLUS", number=NUMBER)
    log_in(client, member)
    location = _post_act(client)["Location"]

    response = client.get(eid_region.authorize(eid_region.start(client, url=location), "bertil"))

    assert response.status_code == 401
    assert "hör till ett annat konto" in response.content.decode()
    assert DONE == []
    assert client.get("/mina-sidor/").wsgi_request.user == member
    assert _post_act(client).status_code == 302  # still no e-ID confirmation in this session


def test_a_level_below_the_requirement_does_not_confirm(client, eid_region, member):
    eid_region.person("anna", level="BASIC", number=NUMBER)
    SocialAccount.objects.create(user=member, provider=eid_region.provider_id, uid=person_number_hash(NUMBER))
    log_in(client, member)
    location = _post_act(client)["Location"]

    response = client.get(eid_region.authorize(eid_region.start(client, url=location), "anna"))

    assert response.status_code == 401 and DONE == []
    assert client.get("/mina-sidor/").wsgi_request.user == member


def test_the_confirmation_lasts_fifteen_minutes(client, eid_region, member):
    eid_region.person("anna", level="EXTENDED", number=NUMBER)
    log_in(client, member)
    location = _post_act(client)["Location"]
    client.get(eid_region.authorize(eid_region.start(client, url=location), "anna"))
    assert _post_act(client).status_code == 200

    session = client.session
    record = session[EID_SESSION_KEY]
    record["at"] -= STEPUP_WINDOW.total_seconds() + 1
    session[EID_SESSION_KEY] = record
    session.save()

    assert _post_act(client).status_code == 302


def test_an_anonymous_visitor_cannot_use_the_step_up_to_log_in(client, eid_region, member):
    SocialAccount.objects.create(user=member, provider=eid_region.provider_id, uid=person_number_hash(NUMBER))
    eid_region.person("anna", level="PLUS", number=NUMBER)

    response = eid_region.login(client, "anna", process="redirect", next="/mina-sidor/")

    assert response.status_code == 401
    assert not client.get("/mina-sidor/").wsgi_request.user.is_authenticated


def test_without_e_id_for_the_region_the_act_needs_no_step_up(client, member):
    log_in(client, member)
    assert _post_act(client).status_code == 200
