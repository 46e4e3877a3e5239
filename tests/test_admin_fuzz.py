"""Fuzzing the admin: no input makes any ModelAdmin's page answer 500, as a coordinator or as a superuser.

Every registered ModelAdmin (``admin.site._registry``) gets, as each of the two users:

- its change list with junk in the query string: each parameter of each list filter (as the change list's
  own filter specs name them: a field filter's ``__exact``, ``__gte``, ``__isnull``, ``__id__exact``…, a
  ``SimpleListFilter``'s ``parameter_name``), the date hierarchy's ``__year``/``__month``/``__day`` (years a
  date does not hold, the last day it holds), sort order (``o``), page (``p``), search (``q``: NUL bytes, 5,000
  characters, 2,500 words), ``e``, ``all``, ``_facets``, ``_popup``, ``_to_field``, ``_changelist_filters``,
  ``region``, lookups nobody offers (a regular expression, a year past 9999) and unknown parameters;
- its actions posted with ids that are no ids (text, 30 digits, a NUL byte), with another region's, and with a
  real one, and the confirmation page that may follow posted back with junk in its fields;
- its add form read (also with junk initial values in the query string) and posted with junk in every field
  at once (NUL bytes; 10,000 characters, 10**20, year 1, 30-digit ids; dates like 2026-02-30, "[[[…", text in
  number fields) and with another region's ids in its related fields;
- the change form of a real object of the region posted with one kind of junk at a time, the rest as served,
  so that what the form takes reaches the save (10,000 characters, -5, 9999-12-31, another region's ids, a
  file with an odd name, a NUL in JSON), and with junk everywhere;
- change, history, a history version and delete of made-up, junk and another region's ids, and of a real row;
- the views its ``get_urls`` adds (``<int:pk>`` views with a real, a made-up, a 30-digit and another
  region's id), read with junk in the query string and their forms posted with junk.

Besides, the admin's own views (index, app lists, autocomplete, "view on site", jsi18n, password change).

A 500 is an exception raised out of a view, which the test client raises: each request runs in a savepoint of
its own and one that raises is noted, so a failing test lists every 500 of its ModelAdmin (exception, where it
was raised, the request). Deterministic (fixed lists, no randomness) and bounded: the world is built once for
the module (in a transaction rolled back at the end, each test a savepoint in it), and junk that goes through
code every ModelAdmin shares (the admin's own views, core/admin_input.py) is shared out: between the two users
(each sends every other item, so every item reaches each ModelAdmin once), and the junk that only checks that
shared code, over the ModelAdmins as well. NUL bytes are refused by the database on SQLite as on PostgreSQL
(``postgres_nul_rule``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import traceback
import urllib.parse
from html.parser import HTMLParser

import pytest
from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.template.base import Template
from django.test.utils import _TestState
from django.urls import NoReverseMatch, URLPattern, reverse
from simple_history.utils import get_history_manager_for_model

ADMINS = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)
USERS = ["coordinator", "superuser"]

# -- junk --------------------------------------------------------------------------------------------------

NUL = "a\x00b"
LONG = "x" * 10_000
HUGE = "1" + "0" * 20  # 10**20: past bigint
DIGITS_30 = "9" * 30
# Values for each parameter of each list filter (two for each, one per user; a NUL byte is refused for the
# whole admin before any view: sent once with every parameter at once): no number to int() though
# str.isdigit() says it is one, a number past bigint, a negative one, a date past what a moment in UTC holds.
PARAM_JUNK = ["²", DIGITS_30, "-1", "0001-01-01"]
# The date hierarchy's parameters: years a date does not hold, and the last day it holds (Django adds a day,
# a month or a year to it).
DATE_HIERARCHY_JUNK = [
    {"year": "99999"},
    {"year": "0"},
    {"year": "abc"},
    {"year": DIGITS_30},
    {"year": "1", "month": "1", "day": "1"},
    {"year": "9999"},
    {"year": "9999", "month": "12"},
    {"year": "9999", "month": "12", "day": "31"},
    {"year": "2026", "month": "13"},
    {"year": "2026", "month": "2", "day": "30"},
    {"year": "2026", "month": "0", "day": "-1"},
    {"month": "1", "day": "1"},
]
# Read by Django without refusing the list (a sort order, a page, searches, the facets): several at once, each
# to every ModelAdmin (a search goes through its own search fields): 2,500 words; numbers past bigint, 5,000
# characters, quotes, wildcards and brackets.
SEARCHES = ["a " * 2500, f"{DIGITS_30} -{'9' * 25} {'x' * 5000} å' \"unbalanced % _ \\ {'[' * 3000}"]
CHANGELIST_JUNK = [
    {"o": "999", "p": "abc", "q": SEARCHES[0], "all": "1"},
    {"o": "-1.-2.0.x", "p": DIGITS_30, "q": SEARCHES[1], "e": "1"},
]
# Refused (each on its own, or the first would hide the others), or read the same way by every ModelAdmin:
# checks of code they all share, spread over them.
CHANGELIST_REFUSED = [
    {"o": DIGITS_30, "p": "99999", "_popup": "1", "_to_field": "id", "all": ""},
    {"_changelist_filters": "o=abc&p=-1&q=\x01&year=99999" + "x" * 5000},
    {"_to_field": "password"},
    {"_to_field": "abc\x01"},
    {"region": "abc"},
    {"region": DIGITS_30},
    {"region__id__exact": "-1"},
    {"unknown_parameter": "1"},
    {"id__in": f"1,{DIGITS_30}"},
    {"pk__gt": DIGITS_30},
    {"id__regex": "((("},
    {"created_at__year": "99999"},
    {"created_at__date": "9999-12-31"},
    {"created_at__gte": "0001-01-01"},
]
# Ids in a URL's object-id part (and another region's row's).
BAD_IDS = ["abc", DIGITS_30, "x" * 300]
# Ids posted as the selected objects of an action.
BAD_SELECTED = ["abc", DIGITS_30, "-1", "1.5", "²", "", "999999", NUL]
# Initial values of the add form in its query string.
INITIAL_JUNK = [NUL, DIGITS_30, "abc,-1", "9999-12-31"]

# -- the forms of a page -----------------------------------------------------------------------------------


class _Forms(HTMLParser):
    """Each form of a page: its method, action, id, and every field with its kind and what a browser would
    post for it as served (the checked boxes, the selected options, a textarea's text)."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self._form = self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {
                "id": attrs.get("id") or "",
                "method": (attrs.get("method") or "get").lower(),
                "action": attrs.get("action"),
                "fields": {},
                "served": {},
            }
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                return
            self._form["fields"].setdefault(name, kind)
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self._form["served"].setdefault(name, []).append(attrs.get("value") or "on")
            elif kind != "file":
                self._form["served"].setdefault(name, []).append(attrs.get("value") or "")
        elif tag == "select" and name:
            self._form["fields"].setdefault(name, "select")
            self._select = {"name": name, "multiple": "multiple" in attrs, "options": [], "selected": []}
        elif tag == "option" and self._select is not None:
            value = attrs.get("value") or ""
            self._select["options"].append(value)
            if "selected" in attrs:
                self._select["selected"].append(value)
        elif tag == "textarea" and name:
            self._form["fields"].setdefault(name, "textarea")
            self._textarea = name
            self._form["served"].setdefault(name, []).append("")

    def handle_data(self, data):
        if self._textarea is not None and self._form is not None:
            self._form["served"][self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select is not None and self._form is not None:
            select = self._select
            chosen = select["selected"] or ([] if select["multiple"] else select["options"][:1])
            if chosen:
                self._form["served"].setdefault(select["name"], []).extend(chosen)
            self._select = None


def _forms(response):
    if "html" not in response.get("Content-Type", ""):
        return []
    parser = _Forms()
    parser.feed(response.content.decode(errors="replace"))
    return parser.forms


def _admin_form(response, model):
    """The model's form on an admin add or change page (``<model>_form``), else None."""
    for form in _forms(response):
        if form["id"] == f"{model._meta.model_name}_form":
            return form
    return None


# -- what each field of an admin form is -------------------------------------------------------------------


def _kind(field: forms.Field) -> str:
    if isinstance(field, forms.FileField):
        return "file"
    if isinstance(field, forms.SplitDateTimeField | forms.DateTimeField):
        return "datetime"
    if isinstance(field, forms.DateField):
        return "date"
    if isinstance(field, forms.TimeField):
        return "time"
    if isinstance(field, forms.DurationField):
        return "number"
    if isinstance(field, forms.IntegerField):  # DecimalField and FloatField too
        return "number"
    if isinstance(field, forms.ModelMultipleChoiceField):
        return "fks"
    if isinstance(field, forms.ModelChoiceField):
        return "fk"
    if isinstance(field, forms.MultipleChoiceField | forms.ChoiceField):
        return "choice"
    if isinstance(field, forms.BooleanField | forms.NullBooleanField):
        return "bool"
    if isinstance(field, forms.JSONField):
        return "json"
    return "text"


def _field_map(response) -> dict[str, forms.Field]:
    """Each HTML name of the admin form and its inlines → the Django form field it is posted to."""
    found: dict[str, forms.Field] = {}
    context = response.context
    if context is None:
        return found
    form_list = []
    adminform = context.get("adminform")
    if adminform is not None:
        form_list.append(adminform.form)
    for inline in context.get("inline_admin_formsets") or []:
        form_list.extend(inline.formset.forms)
        form_list.append(inline.formset.empty_form)
    for form in form_list:
        for name, field in form.fields.items():
            found[form.add_prefix(name)] = field
    return found


def _field_of(name: str, fields: dict[str, forms.Field]):
    if name in fields:
        return fields[name]
    stripped = re.sub(r"_\d+$", "", name)  # a MultiWidget's parts: start_0, start_1
    return fields.get(stripped)


# One POST per round: a round gives each kind of field a value (None: as served). The "all-" rounds put junk in
# every field at once (each field is cleaned on its own: every field's cleaning sees it); the others change
# some kinds only, the rest as served, so that on the change form of a real row what the form takes is saved.
DATE_PARTS = {"0001-01-01": "00:00:00", "9999-12-31": "23:59:59", "2026-02-30": "12:00:00"}


def _file():
    return SimpleUploadedFile("å" * 200 + "\x01.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


ROUNDS = {
    "all-nul": {
        "text": NUL,
        "number": NUL,
        "date": "2026-02-30",
        "datetime": "2026-02-30",
        "time": NUL,
        "choice": NUL,
        "fk": NUL,
        "fks": NUL,
        "json": '"a\\u0000b"',
        "bool": NUL,
        "hidden": NUL,
    },
    "all-huge": {
        "text": LONG,
        "number": HUGE,
        "date": "0001-01-01",
        "datetime": "0001-01-01",
        "time": "25:61",
        "choice": "not-a-choice",
        "fk": DIGITS_30,
        "fks": DIGITS_30,
        "json": "[" * 5000,
        "hidden": DIGITS_30,
        "management": DIGITS_30,
    },
    "all-odd": {
        "text": "[" * 3000 + "\u202e\ufeff\U0001f600 <script>",
        "number": "abc ²",
        "date": "9999-12-31",
        "datetime": "9999-12-31",
        "time": "23:59:59.999999",
        "choice": "",
        "fk": "other",
        "fks": "other",
        "json": '{"a": ' * 100,
        "file": "file",
        "hidden": "-1",
        "management": "-1",
    },
    "save-odd": {"number": "-5", "json": '{"a": "\\u0000"}', "file": "file"},
    "fk-other-region": {"fk": "other", "fks": "other"},
}
ADD_ROUNDS = ["all-nul", "all-huge", "all-odd"]
CHANGE_ROUNDS = ["save-odd", "fk-other-region", "all-huge", "all-nul"]


def _post_data(form, fields, round_, other_ids):
    """What the form posts in this round: each field by its kind, the management forms as served."""
    values = ROUNDS[round_]
    data: dict[str, object] = {}
    for name, html_kind in form["fields"].items():
        if name == "csrfmiddlewaretoken":
            continue
        served = form["served"].get(name)
        field = _field_of(name, fields)
        if field is not None:
            kind = _kind(field)
        elif name.endswith("_FORMS"):  # an inline's management form
            kind = "management"
        else:
            kind = "hidden" if html_kind == "hidden" else ""
        value = values.get(kind)
        if value is None:
            if served is not None:
                data[name] = served
            continue
        if kind == "file":
            data[name] = _file()
        elif kind == "datetime" and name.endswith("_1"):
            data[name] = DATE_PARTS.get(value, value)
        elif value == "other":
            model = getattr(getattr(field, "queryset", None), "model", None)
            data[name] = [str(pk) for pk in other_ids.get(model) or ["999999998"]][:2]
        else:
            data[name] = value
    data["_save"] = "Spara"
    return data


# -- the world ---------------------------------------------------------------------------------------------


def _objects(suffix: str):
    """A few rows of each app, made by the factories, in the region in scope."""
    from elections.models import SelectionRound
    from tests.elections.conftest import make_round
    from tests.factories import (
        ActionFactory,
        ActionPlanFactory,
        AgreementFactory,
        AgreementVersionFactory,
        ChallengeFactory,
        ContactFactory,
        InterestSubmissionFactory,
        MandateFactory,
        MeetingDocumentFactory,
        MeetingFactory,
        OrganisationFactory,
        ProgrammeItemFactory,
        RegistrationFactory,
        RepresentativeFactory,
        SignatoryFactory,
        SpeakerFactory,
        UserFactory,
        WorkingGroupMemberFactory,
    )
    from tests.factories.consultations import ConsultationFactory, SectionAnswerFactory, SectionFactory
    from tests.factories.partnerships import (
        ApplicationFactory,
        DecisionFactory,
        GrantCallFactory,
        PartnershipFactory,
        QuestionFactory,
    )

    user = UserFactory(email=f"representant{suffix}@example.se", full_name="Rita Representant")
    organisation = OrganisationFactory(name=f"Föreningen Gemenskap{suffix}")
    RepresentativeFactory(user=user, organisation=organisation)
    ContactFactory(organisation=organisation)
    InterestSubmissionFactory()
    MandateFactory(representative__organisation=organisation)
    agreement = AgreementFactory(slug=f"samverkan{suffix.replace('.', '-')}")
    AgreementVersionFactory(agreement=agreement, number=1)
    plan = ActionPlanFactory(agreement=agreement)
    ActionFactory(action_plan=plan)
    SignatoryFactory(agreement=agreement, organisation=organisation)
    WorkingGroupMemberFactory(agreement=agreement)
    ChallengeFactory()
    meeting = MeetingFactory(capacity=5)
    SpeakerFactory(programme_item=ProgrammeItemFactory(meeting=meeting))
    MeetingDocumentFactory(meeting=meeting)
    RegistrationFactory(meeting=meeting, email=user.email, user=user)
    consultation = ConsultationFactory(invited=[organisation])
    section = SectionFactory(consultation=consultation)
    SectionAnswerFactory(section=section, answer__consultation=consultation, answer__organisation=organisation)
    call = GrantCallFactory(opens_on=dt.date(2020, 1, 1))
    QuestionFactory(call=call)
    ApplicationFactory(call=call, organisation=organisation)
    DecisionFactory(application__call=call)
    PartnershipFactory(partners=[organisation])
    make_round(agreement, status=SelectionRound.Status.NOMINATING, slug=f"val{suffix.replace('.', '-')}")


def _first_pks(limit=2):
    """The ids of a few rows of each registered model that the region in scope sees."""
    found = {}
    for model in admin.site._registry:
        found[model] = list(model._default_manager.order_by("pk").values_list("pk", flat=True)[:limit])
    return found


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Both regions' rows, the coordinator and a superuser, built once: inside a transaction rolled back at
    the end, each test's own transaction a savepoint in it (what one test's POSTs change is gone after it)."""
    from core.permissions import ensure_coordinator_group
    from core.regions import region_scope
    from tests.factories import UserFactory
    from tests.factories.regions import RegionFactory, ensure_test_region

    with django_db_blocker.unblock(), transaction.atomic():
        region = ensure_test_region()
        halland = RegionFactory(name="Region Halland", short_name="halland", hosts=["halland.testserver"])
        with region_scope(halland.pk):
            _objects(".h")
            other_ids = _first_pks()
        with region_scope(region.pk):
            _objects("")
            coordinator = UserFactory(is_staff=True, email="samordnare@example.se", full_name="Sara Samordnare")
            coordinator.groups.add(ensure_coordinator_group())
            region.coordinators.add(coordinator)
            superuser = UserFactory(is_staff=True, is_superuser=True, email="root@example.se")
            own_ids = _first_pks()
        yield {
            "users": {"coordinator": coordinator, "superuser": superuser},
            "own": own_ids,
            "other": {model: [pk for pk in pks if pk not in own_ids[model]] for model, pks in other_ids.items()},
        }
        transaction.set_rollback(True)


@pytest.fixture
def fuzz_settings(settings, media_root):
    settings.RATELIMIT_ENABLE = False
    return settings


# -- sending -----------------------------------------------------------------------------------------------


@contextlib.contextmanager
def _template_context(*, kept: bool):
    """Django's test setup makes each template rendered send a signal with which the test client keeps a copy of
    its context (``response.context``): a third of the time of an admin form's page. Kept only for the pages
    whose context the fuzzing reads (the change list's filters, the form's fields)."""
    if kept or not hasattr(_TestState, "saved_data"):
        yield
        return
    instrumented, Template._render = Template._render, _TestState.saved_data.template_render
    try:
        yield
    finally:
        Template._render = instrumented


class _Requests:
    """Sends a test's requests, each in a savepoint of its own: a request that raises is noted (the exception,
    where it was raised, the path and the junk) and the next one is sent, so that one run lists every 500; the
    test fails at the end with the list."""

    def __init__(self, client):
        self.client = client
        self.failures: list[str] = []

    def _send(self, method, path, data, *, context=False):
        try:
            with transaction.atomic(), _template_context(kept=context):
                response = getattr(self.client, method)(path, data or {})
        except Exception as exc:  # noqa: BLE001 - every exception out of a view is the defect looked for
            self.failures.append(
                f"{type(exc).__name__}: {str(exc)[:150]} at {_where(exc)} <- {method.upper()} {path} {_short(data)}"
            )
            return None
        if response.status_code >= 500:
            self.failures.append(f"{response.status_code} <- {method.upper()} {path} {_short(data)}")
            return None
        return response

    def get(self, path, params=None, *, context=False):
        return self._send("get", path, params, context=context)

    def post(self, path, data):
        return self._send("post", path, data)

    def check(self):
        assert not self.failures, f"{len(self.failures)} requests answered 500:\n" + "\n".join(self.failures)


class _Fuzzer(_Requests):
    """The requests of one ModelAdmin's fuzzing as one of the two users (``turn`` 0 or 1), with the region's
    real ids and another region's."""

    def __init__(self, client, model, model_admin, world, turn: int):
        super().__init__(client)
        self.model = model
        self.model_admin = model_admin
        self.turn = turn
        self.slot = turn + 2 * [m for m, _a in ADMINS].index(model)  # this test among all: user and ModelAdmin
        self.info = f"{model._meta.app_label}_{model._meta.model_name}"
        self.own = [str(pk) for pk in world["own"].get(model, [])]
        self.other = [str(pk) for pk in world["other"].get(model, [])]
        self.other_ids = world["other"]

    def url(self, view, *args):
        return reverse(f"admin:{self.info}_{view}", args=args)

    def mine(self, items, *, offset: int = 0, spread: int = 2) -> list:
        """This test's share of ``items``: every other one (``spread=2``: each item reaches each ModelAdmin once,
        as one of the two users), or every ``spread``-th, with the ModelAdmins taking turns (junk that checks
        code they all share)."""
        return [item for index, item in enumerate(items) if (index + offset + self.slot) % spread == 0]


def _where(exc) -> str:
    """Where the exception was raised: the innermost frame, and the innermost one of the portal's own code."""
    frames = traceback.extract_tb(exc.__traceback__)
    own = [frame for frame in frames if "/.venv/" not in frame.filename and "/tests/" not in frame.filename]
    return " / ".join(
        f"{frame.filename.rsplit('site-packages/', 1)[-1]}:{frame.lineno}" for frame in frames[-1:] + own[-1:]
    )


def _short(data):
    """The junk of a request, shortened for the test's message."""
    if not data:
        return ""
    return repr({key: (value[:40] if isinstance(value, str) else value) for key, value in dict(data).items()})[:400]


# -- the admin's pages -------------------------------------------------------------------------------------


def _filter_parameters(changelist) -> list[str]:
    """The parameters of the change list's filters, as its own filter specs name them, and its date hierarchy's."""
    cl = changelist.context.get("cl") if changelist.context is not None else None
    if cl is None:
        return []
    names = [name for spec in cl.filter_specs for name in spec.expected_parameters()]
    if cl.date_hierarchy:
        names += [f"{cl.date_hierarchy}__{part}" for part in ("year", "month", "day")]
    return sorted(set(names))


def _fuzz_changelist(fuzzer: _Fuzzer):
    url = fuzzer.url("changelist")
    first = fuzzer.get(url, context=True)
    if first is None or first.status_code != 200:
        return None
    parameters = _filter_parameters(first)
    # A NUL byte in every parameter at once: refused before the view (core/admin_input.py).
    for params in fuzzer.mine([{name: NUL for name in parameters} | {"q": NUL}]):
        fuzzer.get(url, params)
    for position, name in enumerate(parameters):
        # Two of the values for each parameter (one per user), the next two for the next parameter (and ModelAdmin).
        fuzzer.get(url, {name: PARAM_JUNK[(2 * position + fuzzer.slot) % len(PARAM_JUNK)]})
    # Every parameter at once: with a long value, or with another region's id (each filter applied at once).
    every = [
        {name: "x" * 5000 for name in parameters},
        {name: (fuzzer.other or ["1"])[0] for name in parameters} | {"_facets": "1"},
    ]
    cl = first.context["cl"]
    hierarchy = [
        {f"{cl.date_hierarchy}__{part}": value for part, value in parts.items()}
        for parts in (DATE_HIERARCHY_JUNK if cl.date_hierarchy else [])
    ]
    for params in fuzzer.mine(every) + fuzzer.mine(CHANGELIST_JUNK) + fuzzer.mine(hierarchy, spread=4):
        fuzzer.get(url, params)
    for params in fuzzer.mine(CHANGELIST_REFUSED, spread=12):
        fuzzer.get(url, params)
    return first


def _posted_back(form, junk) -> dict:
    """A form of a page posted back: its hidden fields as served, the others ``junk`` (a file for a file input)."""
    data = {name: served for name, served in form["served"].items() if name != "csrfmiddlewaretoken"}
    for name, kind in form["fields"].items():
        if kind != "hidden" and name != "csrfmiddlewaretoken":
            data[name] = _file() if kind == "file" else junk
    return data


def _own_forms(page, path):
    """The forms a page posts (not the header's log-out), each with the path it posts to."""
    for form in _forms(page) if page is not None else []:
        if form["method"] != "post" or "logout" in (form["action"] or "") or form["id"] == "logout-form":
            continue
        yield form, urllib.parse.urljoin(path, form["action"]) if form["action"] else path


def _fuzz_actions(fuzzer: _Fuzzer, changelist):
    """Each action, as one of the two users (they take turns): posted with ids that are no ids and another
    region's, and with a real one, and the confirmation page that may follow posted back with junk in its
    fields, and in its hidden ones."""
    url = fuzzer.url("changelist")
    action_form = changelist.context.get("action_form") if changelist.context else None
    if action_form is None:
        return
    actions = [name for name, _label in action_form.fields["action"].choices if name]
    posts = [
        {"action": "no_such_action", "index": "0", "_selected_action": BAD_SELECTED},
        {"action": NUL, "index": DIGITS_30, "_selected_action": fuzzer.own[:1] or ["1"]},
    ]
    for data in fuzzer.mine(posts, spread=4):
        fuzzer.post(url, data)
    for position, action in enumerate(actions):
        if (position + fuzzer.turn) % 2 and len(actions) > 1:
            continue
        selected = BAD_SELECTED + fuzzer.other[:1] if (position + fuzzer.slot) % 4 < 2 else fuzzer.other or ["9"]
        fuzzer.post(url, {"action": action, "index": "0", "_selected_action": selected})
        if not fuzzer.own:
            continue
        page = fuzzer.post(url, {"action": action, "index": "0", "_selected_action": fuzzer.own[:1]})
        for form, target in _own_forms(page, url):
            fuzzer.post(target, _posted_back(form, [NUL, HUGE, "9999-12-31"][(position + fuzzer.slot) % 3]))
            # The hidden ones too (the selected ids, the action): junk.
            fuzzer.post(target, {name: "abc" for name in form["fields"] if name != "csrfmiddlewaretoken"})


def _fuzz_form(fuzzer: _Fuzzer, path, rounds, *, initial=False):
    page = fuzzer.get(path, context=True)
    if page is None or page.status_code != 200:
        return
    form = _admin_form(page, fuzzer.model)
    if form is None:
        return
    fields = _field_map(page)
    if initial:  # junk initial values in the query string (the add form takes a field's initial value from it)
        names = [name for name in fields if "-" not in name]
        for value in fuzzer.mine(INITIAL_JUNK, spread=4):
            fuzzer.get(path, {name: value for name in names})
    for round_ in fuzzer.mine(rounds):
        fuzzer.post(path, _post_data(form, fields, round_, fuzzer.other_ids))


def _history_version_url(fuzzer: _Fuzzer) -> str | None:
    """django-simple-history's page of one earlier version, as a template, if the ModelAdmin has it."""
    try:
        path = reverse(f"admin:{fuzzer.info}_simple_history", args=["OBJECT", "VERSION"])
    except NoReverseMatch:
        return None
    return path.replace("OBJECT", "{object_id}").replace("VERSION", "{version}")


def _fuzz_objects(fuzzer: _Fuzzer):
    """Change, history, a history version and delete of made-up, junk and another region's ids, and of a real
    row (its change form is fuzzed on its own)."""
    ids = BAD_IDS + (fuzzer.other[:1] or ["999999"])
    pairs = [(object_id, view) for object_id in ids for view in ("change", "history", "delete")]
    for object_id, view in fuzzer.mine(pairs, spread=6):
        fuzzer.get(fuzzer.url(view, "OBJECT").replace("OBJECT", urllib.parse.quote(object_id, safe="")))
    version_url = _history_version_url(fuzzer)
    real = (fuzzer.own or ["1"])[0]
    if version_url:
        versions = [("999999", "1"), ("abc", "abc"), (DIGITS_30, DIGITS_30), (real, "-1")]
        for object_id, version in fuzzer.mine(versions, spread=4):
            fuzzer.get(version_url.format(object_id=object_id, version=version))
        if fuzzer.turn:
            fuzzer.post(version_url.format(object_id=real, version="1"), {"name": NUL})
    for object_id in fuzzer.own[:1]:
        fuzzer.get(fuzzer.url(("history", "delete")[fuzzer.turn], object_id))
        if version_url and not fuzzer.turn:
            versions = get_history_manager_for_model(fuzzer.model).filter(**{fuzzer.model._meta.pk.attname: object_id})
            for version in versions.values_list("history_id", flat=True)[:1]:
                fuzzer.get(version_url.format(object_id=object_id, version=version))


STANDARD_VIEWS = ("changelist", "add", "history", "delete", "change", "autocomplete", "simple_history")


def _fuzz_extra_views(fuzzer: _Fuzzer):
    """The views the ModelAdmin's ``get_urls`` adds: read with a real, a made-up, a 30-digit and another region's
    id and junk in the query string, and their forms posted with junk."""
    for pattern in fuzzer.model_admin.get_urls():
        if not isinstance(pattern, URLPattern) or not pattern.name:
            continue
        if pattern.name.removeprefix(f"{fuzzer.info}_") in STANDARD_VIEWS:
            continue
        params = list(pattern.pattern.regex.groupindex)
        values = fuzzer.own[:1] + fuzzer.mine(["999999", DIGITS_30] + fuzzer.other[:1]) if params else [None]
        for value in values:
            try:
                path = reverse(f"admin:{pattern.name}", kwargs=dict.fromkeys(params, value))
            except NoReverseMatch:
                continue
            page = fuzzer.get(path)
            if page is None:
                continue
            for junk in fuzzer.mine(
                [{"format": "abc", "q": "a " * 2500}, {"format": DIGITS_30, "page": "-1", "o": "abc"}]
            ):
                fuzzer.get(path, junk)
            for form, target in _own_forms(page, path):
                for junk in fuzzer.mine([NUL, HUGE, "abc", "../../etc/passwd"], spread=4):
                    data = {name: junk for name in form["fields"] if name != "csrfmiddlewaretoken"}
                    fuzzer.post(
                        target, {name: _file() if form["fields"][name] == "file" else v for name, v in data.items()}
                    )
                fuzzer.post(target, _posted_back(form, (NUL, DIGITS_30)[fuzzer.turn]))
            if fuzzer.turn:
                fuzzer.post(path, {"format": NUL, "export_items": BAD_SELECTED, "resource": "abc"})


# -- the tests ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("as_user", USERS)
@pytest.mark.parametrize(("model", "model_admin"), ADMINS, ids=[model._meta.label for model, _ in ADMINS])
def test_no_input_makes_an_admin_page_answer_500(
    client, model, model_admin, as_user, world, fuzz_settings, postgres_nul_rule
):
    client.force_login(world["users"][as_user])
    fuzzer = _Fuzzer(client, model, model_admin, world, turn=USERS.index(as_user))
    changelist = _fuzz_changelist(fuzzer)
    _fuzz_form(fuzzer, fuzzer.url("add"), ADD_ROUNDS, initial=True)
    _fuzz_objects(fuzzer)
    _fuzz_extra_views(fuzzer)
    for object_id in fuzzer.own[:1]:
        _fuzz_form(fuzzer, fuzzer.url("change", object_id), CHANGE_ROUNDS)
    if changelist is not None:
        _fuzz_actions(fuzzer, changelist)
    fuzzer.check()


@pytest.mark.django_db
@pytest.mark.parametrize("as_user", USERS)
def test_no_input_makes_the_admin_site_answer_500(client, as_user, world, fuzz_settings, postgres_nul_rule):
    client.force_login(world["users"][as_user])
    requests = _Requests(client)
    get = requests.get

    get(reverse("admin:index"), {"q": NUL, "x": LONG})
    for app_label in sorted({model._meta.app_label for model in admin.site._registry}):
        get(reverse("admin:app_list", args=[app_label]), {"o": "abc"})
    get("/admin/no_such_app/")
    get("/admin/accounts/no_such_model/")
    get(reverse("admin:jsi18n"), {"language": NUL})
    autocomplete = reverse("admin:autocomplete")
    for model, model_admin in ADMINS:
        for field in model_admin.autocomplete_fields:
            base = {"app_label": model._meta.app_label, "model_name": model._meta.model_name, "field_name": field}
            for junk in ({"term": "x" * 5000}, {"term": "a " * 2500}, {"page": "-1"}, {"page": DIGITS_30}):
                get(autocomplete, base | junk)
    for junk in (
        {"app_label": NUL},
        {"app_label": "accounts", "model_name": "user", "field_name": "password"},
        {"app_label": "x" * 5000, "model_name": "y", "field_name": "z", "term": "a"},
        {"app_label": "core", "model_name": "region", "field_name": "coordinators", "term": "a"},
    ):
        get(autocomplete, junk)
    for content_type, object_id in (("abc", "1"), (DIGITS_30, DIGITS_30), ("1", "abc"), ("999999", "1")):
        get(f"/admin/r/{content_type}/{object_id}/")
    get(reverse("admin:password_change"))
    requests.post(reverse("admin:password_change"), {"old_password": NUL, "new_password1": LONG, "new_password2": NUL})
    requests.check()
