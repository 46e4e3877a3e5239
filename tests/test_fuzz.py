"""Property-based fuzzing: no public page, form, query string or download answers 500.

The URLs come from the URL resolver (everything but the admin), filled in from a small
demo-like world built with the factories; the fields come from the forms on each page as it
is served. Hypothesis then sends nasty values (NUL bytes, very long strings, unicode,
negative and huge numbers, impossible dates, repeated parameters) as GET query strings and
as POSTs, as an anonymous visitor and as a representative of an organisation. A 500 is an
uncaught exception, which the test client raises, so Hypothesis shrinks it to a minimal case.

Deterministic (``derandomize=True``, no example database) and bounded (a few examples per
URL and user) so that the whole file runs in well under a minute. A NUL byte in every parameter and
field is sent to every page besides, and refused by the database as PostgreSQL does whatever the
database (``postgres_nul_rule``).
"""

import datetime as dt
import urllib.parse
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import (
    ActionPlanFactory,
    AgreementFactory,
    AgreementVersionFactory,
    MeetingFactory,
    OrganisationFactory,
    RegistrationFactory,
    RepresentativeFactory,
    SignatoryFactory,
    UserFactory,
)

EXAMPLES = 10


def _named_patterns(patterns=None, namespace=""):
    """(name, pattern) of every named URL except the admin's, walking include()s."""
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _named_patterns(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


# allauth's OpenID Connect URLs are answered by accounts/eid.py's patterns at the same paths, mounted first
# (named eid_login / eid_callback, fuzzed under those names); allauth's own names have the provider id in
# their include()'s prefix, which the world cannot fill in.
SHADOWED = {"openid_connect_login", "openid_connect_callback"}
URL_NAMES = sorted({name for name, _ in _named_patterns()} - SHADOWED)


# -- a small world to fill the URL parameters from ------------------------------------------


def _world(suffix: str = ""):
    representative = UserFactory(email=f"representant{suffix}@example.se", full_name="Rita Representant")
    organisation = OrganisationFactory(name="Föreningen Gemenskap")
    RepresentativeFactory(user=representative, organisation=organisation)
    # A second organisation that has not signed yet, so that the signing form is served.
    RepresentativeFactory(user=representative, organisation__name="Föreningen Osignerad")
    agreement = AgreementFactory(slug="samverkan")
    version = AgreementVersionFactory(agreement=agreement, number=1)
    plan = ActionPlanFactory(agreement=agreement)
    signatory = SignatoryFactory(agreement=agreement, organisation=organisation)
    SignatoryFactory(agreement=agreement, organisation__name="Annan förening", signed_on=dt.date(2019, 5, 1))
    meeting = MeetingFactory(capacity=2)
    MeetingFactory(digital=True, capacity=None)
    MeetingFactory(past=True)
    registration = RegistrationFactory(meeting=meeting, email=representative.email, user=representative)
    from elections.models import SelectionRound
    from meetings.tokens import registration_token
    from tests.elections.conftest import make_round

    # A round open for votes: the representative's organisation has signed, so it may vote.
    selection = make_round(agreement, status=SelectionRound.Status.VOTING, phase="voting")
    # A consultation open for answers (the organisation is invited) and a closed one with a public answer.
    from tests.factories.consultations import AnswerFactory, ConsultationFactory, SectionFactory

    now = dt.datetime.now(dt.UTC)
    remiss = ConsultationFactory(
        slug="remiss-oppen", status="open", opens_at=now, closes_at=now + dt.timedelta(days=7), invited=[organisation]
    )
    SectionFactory(consultation=remiss)
    closed = ConsultationFactory(slug="remiss-stangd", status="closed", closes_at=now - dt.timedelta(days=1))
    SectionFactory(consultation=closed)
    answer = AnswerFactory(consultation=closed, organisation=organisation)
    # Grants and partnerships (issue 28): an open call with a question, and a partnership in force.
    from tests.factories.partnerships import GrantCallFactory, PartnershipFactory, QuestionFactory

    grant_call = GrantCallFactory(
        slug="bidrag-oppet", opens_on=dt.date(2020, 1, 1), closes_at=now + dt.timedelta(days=7)
    )
    QuestionFactory(call=grant_call)
    partnership = PartnershipFactory(slug="iop", partners=[organisation])
    # Something followed and a notification, so that Mina sidor serves its forms to /foljer/* (stop
    # following, mark as read, the e-mail choice), fuzzed with their own fields on those URLs.
    from notifications import services as notifications
    from notifications.models import Notification

    notifications.follow(user=representative, kind="meetings.meeting", obj=meeting, organisation_id=None)
    Notification.objects.create(
        user=representative,
        event="meetings.published",
        object_type="meetings.meeting",
        object_id=meeting.pk,
        title=meeting.title,
        url=meeting.get_absolute_url(),
    )

    named = {"meeting": meeting.slug}
    values = {
        "slug": [
            agreement.slug,
            meeting.slug,
            organisation.slug,
            selection.slug,
            remiss.slug,
            closed.slug,
            grant_call.slug,
            partnership.slug,
        ],
        "token": [registration_token(registration), "not-a-token"],
        "pk": [signatory.pk, plan.pk, answer.pk],
        "number": [version.number],
        "organisation_id": [organisation.pk],
        "key": ["x"],
        "uidb36": ["1"],
        "provider_id": ["eid-vasternorrland", "x"],
    }
    return representative, values, named


def _candidates(name, values):
    """Paths for a URL name, one per combination of world values that reverses."""
    pattern = dict(_named_patterns())[name]
    params = list(pattern.pattern.regex.groupindex)
    combos = [{}]
    for param in params:
        # A parameter the world does not know (a new app's) gets a value of each kind.
        combos = [{**c, param: v} for c in combos for v in values.get(param, ["x", 1])]
    paths = []
    for kwargs in combos:
        try:
            paths.append(reverse(name, kwargs=kwargs))
        except NoReverseMatch:
            continue
    return paths


# -- forms as served -------------------------------------------------------------------------


class _Forms(HTMLParser):
    """The forms of a page: method, action, each field's kind and the value it is served with (a hidden
    input's, a select's first option), so that a field behind others (``for`` behind a valid ``kind`` and
    ``key``) is reached too."""

    def __init__(self):
        super().__init__()
        self.forms, self.loose = [], set()
        self._current, self._select = None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._current = {
                "method": (attrs.get("method") or "get").lower(),
                "action": attrs.get("action"),
                "fields": {},
                "served": {},
            }
            self.forms.append(self._current)
        elif tag in ("input", "select", "textarea", "button") and attrs.get("name"):
            kind = attrs.get("type", tag).lower()
            if self._current is not None:
                self._current["fields"][attrs["name"]] = kind
                if attrs.get("value") is not None and kind not in ("file", "submit", "button"):
                    self._current["served"].setdefault(attrs["name"], attrs["value"])
                self._select = attrs["name"] if tag == "select" else None
            else:
                self.loose.add(attrs["name"])
        elif tag == "option" and self._current is not None and self._select and attrs.get("value") is not None:
            self._current["served"].setdefault(self._select, attrs["value"])
        elif tag == "a" and attrs.get("href", "").startswith("?"):
            self.loose.update(urllib.parse.parse_qs(attrs["href"][1:]).keys())

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None
        elif tag == "select":
            self._select = None


def _forms(response):
    if "html" not in response.get("Content-Type", ""):
        return [], set()
    parser = _Forms()
    parser.feed(response.content.decode(errors="replace"))
    return parser.forms, parser.loose


# -- nasty values ------------------------------------------------------------------------------

NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "x" * 5000,
    "å" * 300,
    "-1",
    "0",
    "-99999999999999999999",
    "99999999999999999999",
    "9" * 5000,
    "1" + "0" * 4999,
    # Digits to str.isdigit() that int() refuses ("²") or reads though they are no ASCII ("٣", "𝟙").
    "²",
    "1²",
    "٣",
    "𝟙",
    "1e309",
    "NaN",
    "2026-02-30",
    "0000-00-00",
    "9999-12-31",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-14:00",
    "31/12/2026",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "%00",
    "on",
    "true",
    "sv",
    "en",
    "name",
    "-date",
    "\u202e\ufeff\U0001f600",
    "http://example.com/",
    "//evil.example",
]
values_strategy = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.dates(min_value=dt.date(1, 1, 1)).map(str),
)
# Numbers no database column holds: past bigint (19 digits), and past Python's 4,300-digit int() limit; and
# a digit to str.isdigit() that int() refuses.
HUGE_NUMBERS = ["9" * 5000, "-" + "9" * 30, "9" * 20, "²"]
# Moments whose year, moved to UTC, is past what Python's datetime holds (a 500 on SQLite when queried).
EDGE_MOMENTS = ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"]
DATE_KEYS = ["modified_since", "start_from", "start_to"]
COMMON_KEYS = [
    "page",
    "sort",
    "q",
    "search",
    "municipality",
    "area",
    "format",
    "year",
    "next",
    "language",
    "status",
    *DATE_KEYS,
]


def _query(pairs):
    return urllib.parse.urlencode(pairs)


def _post_data(form, draw):
    data = {}
    for name, kind in form["fields"].items():
        if name == "csrfmiddlewaretoken" or draw(st.booleans()) is False and draw(st.booleans()):
            continue
        if kind == "file":
            content = draw(st.one_of(st.binary(max_size=300), st.just(b"%PDF-1.4\n%%EOF\n")))
            data[name] = SimpleUploadedFile(
                draw(st.sampled_from(["a.pdf", "x\x00.pdf", "å" * 200 + ".pdf", ""])) or "f", content
            )
        elif name in form["served"] and draw(st.booleans()):
            data[name] = form["served"][name]  # as served: the view reads on to the fields behind it
        else:
            data[name] = draw(st.lists(values_strategy, min_size=1, max_size=3))
    return data


# The honeypot (core.forms.HoneypotMixin): filled, the form is dropped as a bot's before any field is cleaned.
HONEYPOT = "website_address"


def _each_field(form, value, *, keep_hidden=False):
    """``value`` in every field of ``form`` (hidden ones too: ids) but the honeypot; ``keep_hidden``: hidden
    fields keep the value they are served with, so that a view reaches the visible fields behind them."""
    return {
        field: form["served"][field] if keep_hidden and kind == "hidden" and field in form["served"] else value
        for field, kind in form["fields"].items()
        if kind != "file" and field not in ("csrfmiddlewaretoken", HONEYPOT)
    }


def _behind_hidden(form) -> bool:
    """Whether the form has visible fields behind hidden ones it is served with (a follow button's ``for``)."""
    fields = [(field, kind) for field, kind in form["fields"].items() if field != "csrfmiddlewaretoken"]
    hidden = any(kind == "hidden" and field in form["served"] for field, kind in fields)
    return hidden and any(kind not in ("hidden", "file", "submit", "button") for _field, kind in fields)


# Pages whose forms post elsewhere (Mina sidor to /foljer/installningar/, /foljer/notiser/last/, a meeting's
# follow button to /foljer/): read once per host as the representative, so that a URL only posted to is
# fuzzed with the fields of the forms that post to it, not with made-up ones.
FORM_SOURCES = [("accounts:mypages", {}), ("meetings:detail", {"slug": "meeting"})]
_FORMS_POSTING_TO: dict[str, dict[str, list]] = {}


def _forms_posting_to(host, world_values, representative) -> dict[str, list]:
    if host not in _FORMS_POSTING_TO:
        from django.test import Client

        reader = Client(HTTP_HOST=host)
        reader.force_login(representative)
        found: dict[str, list] = {}
        for name, kwargs in FORM_SOURCES:
            path = reverse(name, kwargs={key: world_values[value] for key, value in kwargs.items()})
            for form in _forms(reader.get(path))[0]:
                if form["method"] == "post":
                    found.setdefault(_target(path, form), []).append(form)
        _FORMS_POSTING_TO[host] = found
    return _FORMS_POSTING_TO[host]


def _target(path, form):
    target = urllib.parse.urljoin(path, form["action"]) if form["action"] else path
    return urllib.parse.urlsplit(target).path


# -- the property ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The world, built once for the tests of this module that run in one process, in two regions (the
    test region on "testserver", Region Halland on "halland.testserver"): inside a transaction that is
    rolled back at the end, each test's own transaction a savepoint in it (so what one test's POSTs
    change is gone before the next)."""
    from core.regions import region_scope
    from tests.factories.regions import RegionFactory, ensure_test_region

    with django_db_blocker.unblock(), transaction.atomic():
        halland = RegionFactory(name="Region Halland", short_name="halland", hosts=["halland.testserver"])
        built = {}
        for host, region, suffix in (("testserver", ensure_test_region(), ""), ("halland.testserver", halland, ".h")):
            with region_scope(region.pk):
                built[host] = _world(suffix)
        yield built
        transaction.set_rollback(True)


# Both hosts; the second region's host with the representative (who sees the most forms), to keep the
# suite's time: every URL name is fuzzed on each host.
VISITS = [("testserver", "anonymous"), ("testserver", "representative"), ("halland.testserver", "representative")]


@pytest.mark.django_db
@pytest.mark.parametrize("host, as_user", VISITS)
@pytest.mark.parametrize("name", URL_NAMES)
def test_no_input_makes_a_page_answer_500(client, name, host, as_user, settings_override, postgres_nul_rule, world):
    representative, values, named = world[host]
    client.defaults["HTTP_HOST"] = host
    paths = _candidates(name, values)
    assert paths, f"{name}: no path could be built from the world"

    def login():
        if as_user == "representative":
            client.force_login(representative)

    login()
    # The first path of the world that exists (slugs of another app 404), else the first.
    pages = [(path, client.get(path)) for path in paths]
    path, first = next(((p, r) for p, r in pages if r.status_code != 404), pages[0])
    assert first.status_code < 500
    forms, loose = _forms(first)
    keys = sorted(set(COMMON_KEYS) | loose | {f for form in forms if form["method"] == "get" for f in form["fields"]})
    posts = [form for form in forms if form["method"] == "post"]
    # The page's own forms, else those other pages post to it (a URL only posted to); the language switcher
    # and logout on every page are fuzzed on their own URLs.
    own = [form for form in posts if _target(path, form) == path]
    own = own or _forms_posting_to(host, named, representative).get(path, [])
    fallback = {"action": None, "fields": {"x": "text", "next": "text", "language": "text"}, "served": {}}
    posts = own or posts or [fallback]
    # Not left to chance: a NUL byte in every parameter at once, and in every field of every form
    # (PostgreSQL refuses it in a query; postgres_nul_rule makes SQLite refuse it too).
    nul_response = client.get(f"{path}?{_query([(key, 'a' + chr(0)) for key in keys])}")
    assert nul_response.status_code < 500
    if "json" in nul_response.get("Content-Type", "") and "parameters" in nul_response.json():
        # The API answers a parameter it does not read with a 400 listing those it does: fuzz those, or
        # every request stops at that 400 before any filter runs.
        keys = sorted(set(nul_response.json()["parameters"]))
        # A moment past Python's datetime once in UTC fails only in the query, so only when every other
        # filter is valid: each date parameter alone.
        for key in sorted(set(keys) & set(DATE_KEYS)):
            for moment in EDGE_MOMENTS:
                assert client.get(path, {key: moment}).status_code < 500, (path, key, moment)
    for form in posts:
        nul = {field: "a" + chr(0) for field, kind in form["fields"].items() if kind not in ("file", "hidden")}
        assert client.post(_target(path, form), nul).status_code < 500
    # Nor this: a number no column holds (or "²", no number to int()) in every parameter, and in every field
    # of every form (ids in hidden fields, selects and checkboxes included); each field is cleaned on its
    # own, so one POST per number reaches every field's cleaning. A form with visible fields behind hidden
    # ones it is served with (a follow button: ``kind``, ``key``, then ``for``) also gets the number in
    # those only, or the view would stop at the hidden ones.
    for number in HUGE_NUMBERS:
        response = client.get(f"{path}?{_query([(key, number) for key in keys])}")
        assert response.status_code < 500, (path, number[:30])
        for form in posts:
            response = client.post(_target(path, form), _each_field(form, number))
            assert response.status_code < 500, (path, form["action"], number[:30])
            if _behind_hidden(form):
                response = client.post(_target(path, form), _each_field(form, number, keep_hidden=True))
                assert response.status_code < 500, (path, form["action"], number[:30], "hidden kept")

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def fuzz(data):
        login()
        # Every parameter the page reads gets none, one or repeated nasty values, plus an unknown one.
        pairs = [(key, value) for key in keys for value in data.draw(st.lists(values_strategy, max_size=2))]
        pairs += data.draw(st.lists(st.tuples(st.text(max_size=10), values_strategy), max_size=1))
        response = client.get(f"{path}?{_query(pairs)}" if pairs else path)
        assert response.status_code < 500
        form = data.draw(st.sampled_from(posts))
        response = client.post(_target(path, form), _post_data(form, data.draw))
        assert response.status_code < 500

    fuzz()


@pytest.fixture
def settings_override(settings, media_root):
    # Every request comes from one address: per-IP limits would answer 429 long before the fuzzing ends.
    settings.RATELIMIT_ENABLE = False
    return settings
