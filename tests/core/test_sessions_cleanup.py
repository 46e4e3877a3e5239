"""Expired login sessions are deleted once a day (``core.tasks.clear_expired_sessions``, in the beat): Django keeps
them in the database until told to, and a session names its person."""

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from core.regions import no_region
from core.tasks import clear_expired_sessions
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _session(user, *, expires_in):
    store = SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store.create()
    Session.objects.filter(session_key=store.session_key).update(expire_date=timezone.now() + expires_in)
    return store.session_key


def test_expired_sessions_go_and_live_ones_stay_whatever_the_region():
    user = UserFactory()
    expired = _session(user, expires_in=-timedelta(minutes=1))
    live = _session(user, expires_in=timedelta(days=1))
    with no_region():  # the beat runs it once for the installation, outside any region
        clear_expired_sessions.apply()
    assert list(Session.objects.values_list("session_key", flat=True)) == [live]
    assert not Session.objects.filter(session_key=expired).exists()
