"""The header encoding kept per value (outbox/mime.py) gives the bytes Django's own gives, keeps only the
headers that repeat, and still refuses a header with a line break."""

import pytest
from django.core.mail import BadHeaderError, EmailMultiAlternatives
from django.core.mail import message as django_message

from outbox import mime

SENDER = "Samverkansportalen – Region Västernorrland <no-reply@example.se>"
SUBJECT = "Anmälan bekräftad: Dialogmöte om psykisk hälsa i Härnösand, våren 2027 – välkommen"


def _headers(message) -> bytes:
    raw = message.message().as_bytes()
    return b"\n".join(line for line in raw.split(b"\n") if not line.startswith((b"Date:", b"Message-ID:")))[:600]


def test_kept_encoding_gives_djangos_bytes(monkeypatch):
    def build():
        return EmailMultiAlternatives(subject=SUBJECT, body="Hej", from_email=SENDER, to=["åsa@example.se"])

    assert django_message.forbid_multi_line_headers is mime.forbid_multi_line_headers  # installed at start-up
    kept = _headers(build())
    monkeypatch.setattr(django_message, "forbid_multi_line_headers", mime._original)
    assert kept == _headers(build())
    assert b"Subject: \n =?utf-8?b?" in kept and b"_=E2=80=93_Region_V=C3=A4sternorrland?=" in kept


def test_only_repeating_headers_are_kept():
    mime._kept.cache_clear()
    EmailMultiAlternatives(subject=SUBJECT, body="Hej", from_email=SENDER, to=["person@example.se"]).message()
    assert mime._kept.cache_info().currsize == 2  # Subject and From
    # The recipient goes through Django's function every time and is never kept.
    EmailMultiAlternatives(subject=SUBJECT, body="Hej", from_email=SENDER, to=["annan@example.se"]).message()
    assert mime._kept.cache_info().currsize == 2 and mime._kept.cache_info().hits == 2


def test_a_line_break_is_still_refused_every_time():
    for _ in range(2):
        with pytest.raises(BadHeaderError):
            EmailMultiAlternatives(subject="Hej\nBcc: x@example.se", body="", to=["a@example.se"]).message()
