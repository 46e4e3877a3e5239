"""Rate limits fail open when the cache (Redis) is away: the public forms and allauth's account forms go on,
unlimited meanwhile, with a warning in the log instead of a 500."""

import logging
import uuid

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient
from django.test import RequestFactory
from django.urls import reverse
from django_ratelimit.core import is_ratelimited
from redis.exceptions import RedisError

from core.cache import RedisCacheClient
from meetings.models import Registration
from organisations.models import InterestSubmission
from samverkan.settings.cache import redis_cache
from tests.factories import MeetingFactory, UserFactory

pytestmark = pytest.mark.django_db

DEAD_REDIS = "redis://127.0.0.1:1/1"  # nothing listens on port 1: every connection is refused
PASSWORD = "korrekt-hast-batteri"


@pytest.fixture
def redis_down(settings):
    """The production cache's settings, on a Redis that refuses every connection."""
    settings.CACHES = {"default": redis_cache(DEAD_REDIS)}


def _warned(caplog) -> bool:
    return any(r.name == "core.cache" and r.levelno == logging.WARNING for r in caplog.records)


def test_a_login_goes_on(client, redis_down, caplog):
    user = UserFactory(email="rita@example.se", password=PASSWORD)
    response = client.post("/konto/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)
    assert _warned(caplog)


def test_a_signup_goes_on(client, redis_down, caplog):
    data = {"email": "ny@example.se", "password1": "Lång-lösen-123", "password2": "Lång-lösen-123"}
    response = client.post("/konto/signup/", data)
    assert response.status_code == 302
    assert _warned(caplog)


def test_the_interest_form_goes_on(client, redis_down, caplog):
    data = {
        "organisation_name": "Nya föreningen",
        "legal_form": "ideell_forening",
        "contact_name": "Sofia Tungfelt",
        "contact_email": "sofia@example.se",
        "contact_role": "contact",
        "wants_dialogue_meetings": "on",
        "consent": "on",
    }
    response = client.post(reverse("organisations:interest"), data)
    assert response.status_code == 302
    assert InterestSubmission.objects.count() == 1
    assert _warned(caplog)


def test_a_meeting_sign_up_goes_on(client, redis_down, caplog):
    meeting = MeetingFactory()
    response = client.post(
        reverse("meetings:register", kwargs={"slug": meeting.slug}),
        {"name": "Kim Berg", "email": "kim@example.se", "consent": "on"},
    )
    assert response.status_code == 302
    assert Registration.objects.count() == 1
    assert _warned(caplog)


def test_a_password_reset_and_the_account_forms_of_a_logged_in_member_go_on(client, redis_down):
    user = UserFactory(email="rita@example.se", password=PASSWORD)
    assert client.post("/konto/password/reset/", {"email": user.email}).status_code == 302
    client.force_login(user)
    new = "Nytt-lösenord-456"
    response = client.post("/konto/password/change/", {"oldpassword": PASSWORD, "password1": new, "password2": new})
    assert response.status_code == 302
    response = client.post("/konto/email/", {"action_add": "", "email": "rita.ny@example.se"})
    assert response.status_code == 302


# --- The backend: which keys fail open, and how often the outage is logged --------------------------------


def test_only_the_rate_limit_keys_fail_open(redis_down):
    # The outbox's drain signal and the page cache see the error as before and decide for themselves.
    with pytest.raises(RedisError):
        cache.add("outbox:drain", 1)
    with pytest.raises(RedisError):
        cache.get("pages:version")
    # The counters answer as an empty cache that keeps nothing.
    assert cache.add("allauth:rl:lock", True) is True
    assert cache.get("allauth:rl:history", []) == []
    assert cache.set("allauth:rl:history", [1.0]) is None
    assert cache.delete("allauth:rl:lock") is False
    with pytest.raises(ValueError):
        cache.incr("rl:count")
    assert cache.get("throttle_api_192.0.2.1", []) == []  # the API's throttle (api/throttling.py)


def test_an_outage_is_logged_once_not_per_request(redis_down, caplog):
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.1")
    for _ in range(20):
        assert is_ratelimited(request, group="test", key="ip", rate="1/m", increment=True) is False
    warnings = [r for r in caplog.records if r.name == "core.cache" and r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "192.0.2.1" not in warnings[0].getMessage()


def test_after_a_failure_the_counters_leave_redis_alone_for_a_while(redis_down, monkeypatch):
    # A Redis that hangs costs one timeout per process, not one per counter of every request.
    tries = []
    real = RedisCacheClient.get_client
    monkeypatch.setattr(RedisCacheClient, "get_client", lambda self, *a, **kw: tries.append(1) or real(self, *a, **kw))
    for _ in range(5):
        assert cache.add("rl:count", 1) is True
    assert len(tries) == 1


def test_a_count_that_cannot_be_raised_lets_the_request_through(redis_down, monkeypatch):
    """django-ratelimit's own switch: the key was there (``add`` refused), then ``incr`` meets the outage."""
    monkeypatch.setattr(DjangoRedisCacheClient, "add", lambda *args, **kwargs: False)
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.1")
    assert is_ratelimited(request, group="test", key="ip", rate="1/m", increment=True) is False


@pytest.mark.redis
def test_with_redis_up_the_limits_count_as_before(settings):
    settings.CACHES = {"default": redis_cache(settings.CACHE_URL, key_prefix=f"test-{uuid.uuid4().hex}")}
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.1")
    limited = [is_ratelimited(request, group="test", key="ip", rate="2/m", increment=True) for _ in range(3)]
    assert limited == [False, False, True]
    cache.clear()
