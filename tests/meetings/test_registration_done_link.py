"""The page after signing up promises the link to join online only when the confirmation e-mail carries one
(``online_link_visible``): a digital meeting whose link is not set yet makes no such promise."""

import pytest

from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db

PROMISE = "Länken för att ansluta digitalt finns i e-postmeddelandet."


def _sign_up(client, meeting) -> str:
    data = {"name": "Anna Andersson", "email": "anna@example.se", "consent": "on"}
    response = client.post(f"/moten/{meeting.slug}/anmalan/", data, follow=True)
    assert response.status_code == 200
    assert "Tack för din anmälan" in response.content.decode()
    return response.content.decode()


def test_done_page_promises_the_online_link_when_the_e_mail_has_it(client):
    assert PROMISE in _sign_up(client, MeetingFactory(digital=True))


def test_done_page_promises_the_join_link_even_before_the_meeting_has_one(client):
    """Issue 24: the e-mail carries the personal join link, which opens whatever link the meeting gets."""
    assert PROMISE in _sign_up(client, MeetingFactory(digital=True, online_link=""))
