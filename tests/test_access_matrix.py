"""Authorization over every URL, in production settings (DEBUG off, the second factor required).

Eight kinds of visitor (anonymous, a plain user, a representative of organisation A with a verified
mandate, one of A without a mandate, one of B without a mandate, a coordinator without the second
factor, one with it, a superuser with it) open every URL the resolver
knows, its parameters filled from a small world with public and non-public objects of each kind (a
draft meeting, agreement, consultation and round, an unpublished challenge, an organisation not
listed, private files; A's draft answer and ballot page). The matrix:

- no answer is a 5xx, for anyone, anywhere (the test client raises what a 500 would hide);
- what is not public (each carries a marker in its title or file) reaches only staff with the second
  factor, and the owners where there are some; nobody else ever sees a marker, on any page, feed,
  download or API answer, and a coordinator without the second factor gets 404 for each of it;
- A's private pages (its edit page, its answer, its ballot page) are A's: B never gets them;
- a person's name and address reach only that person and staff with the second factor;
- the admin opens only for staff with the second factor; without it, staff are sent to set it up;
- the acts under a mandate (signing the agreement, casting the ballot, submitting the answer) are done
  by the representative with a verified mandate only: a representative without one gets 403 (the page
  that says a mandate is needed) and nothing is done.

The world is built once per module (as tests/test_fuzz.py does), inside a transaction rolled back at
the end; each test is a savepoint in it. Deterministic: fixed names, no clock-dependent outcome.
"""

import datetime as dt

import pytest
from django.contrib import admin
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from tests.factories import (
    ActionPlanFactory,
    AgreementFactory,
    AgreementVersionFactory,
    ChallengeFactory,
    MandateFactory,
    MeetingDocumentFactory,
    MeetingFactory,
    OrganisationFactory,
    RegistrationFactory,
    RepresentativeFactory,
    SignatoryFactory,
    UserFactory,
)
from tests.test_fuzz import _named_patterns

VISITORS = ["anonymous", "plain", "rep_a", "rep_a_no_mandate", "rep_b", "staff_no_mfa", "staff_mfa", "superuser"]
# Who acts for organisation A (with a mandate or not), and who holds A's mandate.
REPS_OF_A = {"rep_a", "rep_a_no_mandate"}
WITH_SECOND_FACTOR = {"staff_mfa", "superuser"}


def _pdf(marker: str) -> bytes:
    return f"%PDF-1.4\n% {marker}\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n".encode()


# -- the world ------------------------------------------------------------------------------------


def _round(agreement, *, slug, title, status, voting_now):
    from elections.models import SelectionRound

    now = timezone.now()
    offset = dt.timedelta(days=10) if voting_now else dt.timedelta(days=0)
    return SelectionRound.objects.create(
        agreement=agreement,
        title=title,
        slug=slug,
        seats=2,
        status=status,
        nomination_opens=now - dt.timedelta(days=1) - offset,
        nomination_closes=now + dt.timedelta(days=5) - offset,
        voting_opens=now + dt.timedelta(days=6) - offset,
        voting_closes=now + dt.timedelta(days=20),
        term_start=dt.date(2027, 1, 1),
        term_end=dt.date(2030, 12, 31),
    )


def _world():
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from challenges.models import ChallengeDocument
    from core.permissions import ensure_coordinator_group
    from elections.models import SelectionRound
    from meetings.models import Meeting
    from meetings.tokens import registration_token
    from tests.factories.consultations import AnswerFactory, ConsultationFactory, SectionFactory

    group = ensure_coordinator_group()
    users = {
        "plain": UserFactory(email="vanlig@example.se", full_name="Vera Vanlig"),
        "rep_a": UserFactory(email="rep.a@example.se", full_name="Rita Arvidsson"),
        "rep_a_no_mandate": UserFactory(email="rep.a2@example.se", full_name="Nils Utanmandat"),
        "rep_b": UserFactory(email="rep.b@example.se", full_name="Bo Bengtsson"),
        "staff_no_mfa": UserFactory(email="samordnare.utan@example.se", full_name="Sam Utan", is_staff=True),
        "staff_mfa": UserFactory(email="samordnare.med@example.se", full_name="Sam Med", is_staff=True),
        "superuser": UserFactory(email="admin@example.se", full_name="Ada Admin", is_staff=True, is_superuser=True),
    }
    from core.region_state import current_region

    for name in ("staff_no_mfa", "staff_mfa"):
        users[name].groups.add(group)
        current_region().coordinators.add(users[name])
    for name in ("staff_mfa", "superuser"):
        TOTP.activate(users[name], generate_totp_secret())

    org_a = OrganisationFactory(name="Föreningen Alfa", slug="alfa")
    org_b = OrganisationFactory(name="Föreningen Beta", slug="beta")
    unlisted = OrganisationFactory(name="HEMLIG-ORG-OLISTAD", slug="olistad", public_listing=False)
    unverified = OrganisationFactory(name="HEMLIG-ORG-OGRANSKAD", slug="ogranskad", status="submitted")
    link_a = RepresentativeFactory(user=users["rep_a"], organisation=org_a)
    mandate_a = MandateFactory(representative=link_a)
    mandate_a.evidence.save("protokoll.pdf", ContentFile(_pdf("HEMLIG-MANDAT-FIL")), save=True)
    RepresentativeFactory(user=users["rep_a_no_mandate"], organisation=org_a)
    RepresentativeFactory(user=users["rep_b"], organisation=org_b)

    agreement = AgreementFactory(slug="samverkan", title="Överenskommelsen")
    draft_agreement = AgreementFactory(slug="utkast", title="HEMLIG-AGREEMENT", status="draft")
    versions, plans = [], []
    for item, marker in ((agreement, "PUBLIC-VERSION"), (draft_agreement, "HEMLIG-VERSION-FIL")):
        version = AgreementVersionFactory(agreement=item, number=1)
        version.document.save("version.pdf", ContentFile(_pdf(marker)), save=True)
        plan = ActionPlanFactory(agreement=item)
        plan.document.save("plan.pdf", ContentFile(_pdf(marker.replace("VERSION", "PLAN"))), save=True)
        versions.append(version)
        plans.append(plan)
    signatory_a = SignatoryFactory(
        agreement=agreement, organisation=org_a, requested_by=users["rep_a"], signed_by_name="Rita Arvidsson"
    )
    signatory_a.board_decision.save("beslut.pdf", ContentFile(_pdf("HEMLIG-STYRELSEBESLUT")), save=True)
    signatory_b = SignatoryFactory(agreement=agreement, organisation=org_b, signed_by_name="Bo Bengtsson")

    meeting = MeetingFactory(slug="dialogmote", title="Dialogmötet", capacity=5)
    draft_meeting = MeetingFactory(slug="utkast-mote", title="HEMLIG-MEETING", status=Meeting.Status.DRAFT)
    meeting_docs = []
    for item, marker in ((meeting, "PUBLIC-MEETING-DOC"), (draft_meeting, "HEMLIG-MEETING-DOC")):
        document = MeetingDocumentFactory.build(meeting=item, title="Dokument", url="")
        document.file.save("dokument.pdf", ContentFile(_pdf(marker)), save=True)
        meeting_docs.append(document)
    registration = RegistrationFactory(
        meeting=meeting, user=users["rep_a"], email=users["rep_a"].email, name="Rita Arvidsson"
    )

    challenge = ChallengeFactory(slug="utmaning", title="Utmaningen")
    hidden_challenge = ChallengeFactory(
        slug="foreslagen", title="HEMLIG-CHALLENGE", proposed=True, raising_organisation=org_a
    )
    challenge_docs = [
        ChallengeDocument.objects.create(
            challenge=item, title="Bilaga", file=ContentFile(_pdf(marker), name="bilaga.pdf")
        )
        for item, marker in ((challenge, "PUBLIC-CHALLENGE-DOC"), (hidden_challenge, "HEMLIG-CHALLENGE-DOC"))
    ]

    now = dt.datetime.now(dt.UTC)
    open_consultation = ConsultationFactory(
        slug="remiss-oppen",
        status="open",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=30),
        invited=[org_a, org_b],
    )
    SectionFactory(consultation=open_consultation)
    draft_answer = AnswerFactory(
        consultation=open_consultation,
        organisation=org_a,
        state="draft",
        submitted_at=None,
        general_comment="HEMLIG-ANSWER-A",
        created_by=users["rep_a"],
    )
    draft_answer.attachment.save("svar.pdf", ContentFile(_pdf("HEMLIG-ANSWER-FILE")), save=True)
    closed = ConsultationFactory(
        slug="remiss-stangd",
        status="closed",
        opens_at=now - dt.timedelta(days=30),
        closes_at=now - dt.timedelta(days=1),
    )
    SectionFactory(consultation=closed)
    public_answer = AnswerFactory(consultation=closed, organisation=org_b, general_comment="Ett offentligt svar.")
    draft_consultation = ConsultationFactory(slug="remiss-utkast", title="HEMLIG-CONSULTATION", status="draft")
    draft_consultation.document.save("remiss.pdf", ContentFile(_pdf("HEMLIG-CONSULTATION-DOC")), save=True)

    voting = _round(agreement, slug="val", title="Valet", status=SelectionRound.Status.VOTING, voting_now=True)
    _round(agreement, slug="val-utkast", title="HEMLIG-ROUND", status=SelectionRound.Status.DRAFT, voting_now=False)

    objects = {
        "org_a": org_a,
        "org_b": org_b,
        "unlisted": unlisted,
        "unverified": unverified,
        "draft_agreement": draft_agreement,
        "draft_version": versions[1],
        "draft_plan": plans[1],
        "signatory_a": signatory_a,
        "draft_meeting": draft_meeting,
        "draft_meeting_doc": meeting_docs[1],
        "hidden_challenge": hidden_challenge,
        "hidden_challenge_doc": challenge_docs[1],
        "open_consultation": open_consultation,
        "draft_answer": draft_answer,
        "draft_consultation": draft_consultation,
        "voting": voting,
        "mandate_a": mandate_a,
        "token": registration_token(registration),
    }
    # Path parameters by the URL's namespace: each app's own objects (slugs of another app would only 404).
    values = {
        "meetings": {
            "slug": [meeting.slug, draft_meeting.slug],
            "pk": [d.pk for d in meeting_docs],
            "token": [registration_token(registration), "x"],
        },
        "agreements": {
            "slug": [agreement.slug, draft_agreement.slug],
            "number": [1],
            "pk": sorted({*(p.pk for p in plans), signatory_a.pk, signatory_b.pk}),
        },
        "challenges": {"slug": [challenge.slug, hidden_challenge.slug], "pk": [d.pk for d in challenge_docs]},
        "consultations": {
            "slug": [open_consultation.slug, closed.slug, draft_consultation.slug],
            "pk": [draft_answer.pk, public_answer.pk],
        },
        "elections": {"slug": ["val", "val-utkast"], "organisation_id": [org_a.pk, org_b.pk], "token": ["x"]},
        "organisations": {"slug": [org_a.slug, org_b.slug, unlisted.slug, unverified.slug], "pk": [mandate_a.pk]},
        "api": {
            "slug": [
                agreement.slug,
                draft_agreement.slug,
                meeting.slug,
                draft_meeting.slug,
                challenge.slug,
                hidden_challenge.slug,
                org_a.slug,
                unlisted.slug,
                unverified.slug,
                open_consultation.slug,
                draft_consultation.slug,
                "val",
                "val-utkast",
            ],
            "agreement_slug": [agreement.slug, draft_agreement.slug],
            "pk": [signatory_a.pk, org_a.municipality_id],
        },
        "": {"key": ["x"], "uidb36": ["1"]},
        # Follows (issue 25): rep_b's follow (only hers to stop) and plain's unsubscribe link (no login).
        "notifications": _notifications_values(users),
    }
    grant_objects, grant_values = _partnerships_world(org_a, org_b, users, challenge)
    objects.update(grant_objects)
    values.update(grant_values)
    values["api"]["slug"] += grant_values["partnerships"]["slug"] + grant_values["grants"]["slug"]
    values["api"]["pk"] += [grant_objects["grant_b"].pk, grant_objects["prepared_decision"].pk]
    return users, objects, values


def _partnerships_world(org_a, org_b, users, challenge):
    """Grants and partnerships (issue 28): an open and a draft call, A's draft application with a private
    attachment, B's granted application (public) with its report, a prepared decision not yet announced, a
    partnership in force and one being prepared (with its agreement)."""
    from partnerships.models import ApplicationAttachment, FollowUpReport
    from tests.factories.partnerships import ApplicationFactory, DecisionFactory, GrantCallFactory, PartnershipFactory

    now = dt.datetime.now(dt.UTC)
    open_call = GrantCallFactory(
        slug="bidrag-oppet", opens_on=dt.date(2020, 1, 1), closes_at=now + dt.timedelta(days=30)
    )
    draft_call = GrantCallFactory(slug="bidrag-utkast", title="HEMLIG-CALL", status="draft")
    application_a = ApplicationFactory(
        call=open_call,
        organisation=org_a,
        title="HEMLIG-APPLICATION-A",
        created_by=users["rep_a"],
        amount_requested=1000,
    )
    attachment = ApplicationAttachment.objects.create(
        application=application_a, title="Bilaga", file=ContentFile(_pdf("HEMLIG-APPLICATION-FILE"), name="b.pdf")
    )
    application_b = ApplicationFactory(
        call=open_call,
        organisation=org_b,
        title="Beviljat projekt",
        status="granted",
        submitted_at=now,
        submitted_by=users["rep_b"],
    )
    grant_b = DecisionFactory(application=application_b, amount=9000, decided_at=now)
    FollowUpReport.objects.create(application=application_b, due_on=dt.date(2031, 1, 1))
    other = OrganisationFactory(name="Föreningen Gamma", slug="gamma")
    prepared = DecisionFactory(
        application=ApplicationFactory(call=open_call, organisation=other, status="assessed", submitted_at=now),
        public_purpose="HEMLIG-DECISION",
        decided_at=None,
    )
    in_force = PartnershipFactory(slug="iop", title="IOP i kraft", partners=[org_b])
    in_force.challenges.add(challenge)
    hidden = PartnershipFactory(slug="iop-forbereds", title="HEMLIG-IOP", status="preparing", partners=[org_a])
    hidden.agreement_document.save("iop.pdf", ContentFile(_pdf("HEMLIG-IOP-DOC")), save=True)
    objects = {
        "open_call": open_call,
        "draft_call": draft_call,
        "application_a": application_a,
        "application_attachment": attachment,
        "grant_b": grant_b,
        "prepared_decision": prepared,
        "hidden_partnership": hidden,
    }
    values = {
        "grants": {
            "slug": [open_call.slug, draft_call.slug],
            "pk": [application_a.pk, application_b.pk],
            "attachment": [attachment.pk],
        },
        "partnerships": {"slug": [in_force.slug, hidden.slug]},
    }
    return objects, values


def _notifications_values(users) -> dict:
    from notifications.services import follow, unsubscribe_token
    from tests.factories.organisations import AreaOfActivityFactory

    followed = follow(user=users["rep_b"], kind="organisations.area", obj=AreaOfActivityFactory(slug="foljt-omrade"))
    return {"pk": [followed.pk], "token": [unsubscribe_token(users["plain"], "digest"), "x"]}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for this module's tests in one process, in a transaction rolled back at the end, in the
    test region (the ``region`` fixture is per test: the world is built before it)."""
    from django.test.utils import override_settings

    from core.regions import region_scope
    from tests.factories.regions import ensure_test_region

    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        with django_db_blocker.unblock(), transaction.atomic():
            with region_scope(ensure_test_region().pk):
                built = _world()
            yield built
            transaction.set_rollback(True)


@pytest.fixture
def production(settings, world):
    settings.DEBUG = False
    settings.STAFF_REQUIRE_MFA = True
    settings.RATELIMIT_ENABLE = False
    return settings


# -- what may be seen ---------------------------------------------------------------------------------

# Markers of what is not public, and who besides staff with the second factor may see each.
SECRETS = {
    "HEMLIG-ORG-OLISTAD": set(),
    "HEMLIG-ORG-OGRANSKAD": set(),
    "HEMLIG-AGREEMENT": set(),
    "HEMLIG-VERSION-FIL": set(),
    "HEMLIG-PLAN-FIL": set(),
    "HEMLIG-STYRELSEBESLUT": set(),
    "HEMLIG-MEETING": set(),
    "HEMLIG-CHALLENGE": REPS_OF_A,  # raised by A: its representatives follow it before it is public
    "HEMLIG-CONSULTATION": set(),
    "HEMLIG-ROUND": set(),
    "HEMLIG-ANSWER-A": REPS_OF_A,
    "HEMLIG-ANSWER-FILE": REPS_OF_A,
    "HEMLIG-MANDAT-FIL": {"rep_a"},  # the evidence of A's mandate: its holder's
    # Grants and partnerships (issue 28): a draft call, A's draft application and its attachment, a decision
    # prepared but not announced, a partnership being prepared and its agreement.
    "HEMLIG-CALL": set(),
    "HEMLIG-APPLICATION-A": REPS_OF_A,
    "HEMLIG-APPLICATION-FILE": REPS_OF_A,
    "HEMLIG-DECISION": set(),
    "HEMLIG-IOP": set(),
    # People: their name and address reach themselves (and staff with the second factor) only.
    "rep.a@example.se": {"rep_a"},
    "Rita Arvidsson": {"rep_a"},
    "rep.a2@example.se": {"rep_a_no_mandate"},
    "Nils Utanmandat": {"rep_a_no_mandate"},
    "rep.b@example.se": {"rep_b"},
    "Bo Bengtsson": {"rep_b"},
    "vanlig@example.se": {"plain"},
    "Vera Vanlig": {"plain"},
}


def _paths():
    """Every named URL but the admin's, each with every combination of its namespace's world values."""
    paths = []
    for name, pattern in sorted(_named_patterns()):
        namespace = name.split(":", 1)[0] if ":" in name else ""
        params = list(pattern.pattern.regex.groupindex)
        combos = [{}]
        for param in params:
            combos = [{**c, param: v} for c in combos for v in VALUES[namespace].get(param, ["x"])]
        for kwargs in combos:
            try:
                paths.append(reverse(name, kwargs=kwargs))
            except NoReverseMatch:
                continue
    return sorted(set(paths))


VALUES: dict = {}


def _get(client, path):
    try:
        response = client.get(path)
    except Exception as exc:  # a 500 in production; the test client raises it instead
        raise AssertionError(f"{path} raised {exc!r}") from exc
    if getattr(response, "streaming", False):
        # Reading it to the end closes it, as the test client arranges (a second close would send
        # request_finished with close_old_connections on, closing the connection inside the world's
        # transaction on PostgreSQL).
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    return response, body.decode("utf-8", errors="replace")


@pytest.fixture
def visit(client, world):
    users, _objects, values = world
    VALUES.clear()
    VALUES.update({key: {**values[""], **value} for key, value in values.items()})

    def _as(visitor):
        client.logout()
        if visitor != "anonymous":
            client.force_login(users[visitor])
        return client

    return _as


@pytest.mark.django_db
@pytest.mark.parametrize("visitor", VISITORS)
def test_every_url_answers_without_error_and_shows_nothing_it_may_not(visit, visitor, world, production):
    _users, objects, _values = world
    client = visit(visitor)
    may_see_all = visitor in WITH_SECOND_FACTOR
    hidden = [marker for marker, owners in SECRETS.items() if not may_see_all and visitor not in owners]
    paths = _paths()
    assert len(paths) > 80
    for path in paths:
        response, body = _get(client, path)
        assert response.status_code < 500, (path, response.status_code)
        # The link from her sign-up e-mail is her key: whoever holds it sees her sign-up.
        holds_key = objects["token"] in path
        leaked = [m for m in hidden if m in body and not (holds_key and m in ("rep.a@example.se", "Rita Arvidsson"))]
        assert not leaked, f"{visitor} sees {leaked} on {path}"


def _gated(objects):
    """The non-public content and who (besides staff with the second factor) may open it."""
    from django.urls import reverse as r

    return {
        r("organisations:detail", args=[objects["unlisted"].slug]): set(),
        r("organisations:detail", args=[objects["unverified"].slug]): set(),
        r("challenges:detail", args=[objects["hidden_challenge"].slug]): REPS_OF_A,
        objects["hidden_challenge_doc"].get_absolute_url(): REPS_OF_A,
        objects["draft_meeting_doc"].href: set(),
        r("agreements:version_document", args=[objects["draft_agreement"].slug, 1]): set(),
        r("agreements:action_plan_document", args=[objects["draft_agreement"].slug, objects["draft_plan"].pk]): set(),
        r("consultations:document", args=[objects["draft_consultation"].slug]): set(),
        r(
            "consultations:answer_attachment", args=[objects["open_consultation"].slug, objects["draft_answer"].pk]
        ): REPS_OF_A,
        r("organisations:mandate_evidence", args=[objects["mandate_a"].pk]): {"rep_a"},
        objects["application_attachment"].get_absolute_url(): REPS_OF_A,
        r("partnerships:document", args=[objects["hidden_partnership"].slug]): set(),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("visitor", VISITORS)
def test_non_public_content_only_for_staff_with_the_second_factor_and_owners(visit, visitor, world, production):
    _users, objects, _values = world
    client = visit(visitor)
    for path, owners in _gated(objects).items():
        response, _body = _get(client, path)
        if visitor in WITH_SECOND_FACTOR or visitor in owners:
            assert response.status_code == 200, (visitor, path, response.status_code)
        else:
            assert response.status_code == 404, (visitor, path, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("visitor", VISITORS)
def test_drafts_without_a_preview_are_404_for_everyone(visit, visitor, world, production):
    """Draft meetings, agreements, consultations and rounds have no public page yet (the admin shows them)."""
    _users, objects, _values = world
    client = visit(visitor)
    for path in (
        reverse("meetings:detail", args=[objects["draft_meeting"].slug]),
        reverse("agreements:detail", args=[objects["draft_agreement"].slug]),
        reverse("consultations:detail", args=[objects["draft_consultation"].slug]),
        reverse("elections:detail", args=["val-utkast"]),
        reverse("grants:call", args=[objects["draft_call"].slug]),
        reverse("partnerships:detail", args=[objects["hidden_partnership"].slug]),
    ):
        assert _get(client, path)[0].status_code == 404, (visitor, path)


@pytest.mark.django_db
@pytest.mark.parametrize("visitor", VISITORS)
def test_organisation_as_private_pages_are_as_own(visit, visitor, world, production):
    _users, objects, _values = world
    org_a = objects["org_a"]
    client = visit(visitor)
    pages = {
        reverse("organisations:edit", args=[org_a.slug]): REPS_OF_A,
        reverse("organisations:mandate_request", args=[org_a.slug]): REPS_OF_A,
        # Casting A's ballot needs A's mandate: without one, 403 (the page that says so).
        reverse("elections:vote", args=["val", org_a.pk]): {"rep_a"},
        reverse("agreements:board_decision", args=[objects["signatory_a"].pk]): WITH_SECOND_FACTOR,
    }
    for path, allowed in pages.items():
        response, _body = _get(client, path)
        if visitor in allowed:
            assert response.status_code == 200, (visitor, path, response.status_code)
        elif visitor == "anonymous":
            assert "/konto/login/" in response.get("Location", ""), (path, response.status_code)
        elif visitor == "staff_no_mfa" and allowed == WITH_SECOND_FACTOR:
            assert response["Location"].startswith(reverse("mfa_activate_totp")), (path, response.status_code)
        else:
            assert response.status_code in (403, 404), (visitor, path, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("visitor", VISITORS)
def test_as_draft_answer_is_as_own(visit, visitor, world, production):
    """B answers for B: asking for A's answer form shows B's own choice, never A's draft."""
    _users, objects, _values = world
    client = visit(visitor)
    path = reverse("consultations:answer", args=[objects["open_consultation"].slug])
    response, body = _get(client, f"{path}?organisation={objects['org_a'].pk}")
    assert ("HEMLIG-ANSWER-A" in body) == (visitor in REPS_OF_A), (visitor, response.status_code)


def _admin_paths(world):
    """The admin's index, and for every registered model its list, add page and first object's pages."""
    paths = [reverse("admin:index")]
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        paths.append(reverse("admin:{}_{}_changelist".format(*info)))
        paths.append(reverse("admin:{}_{}_add".format(*info)))
        first = model._default_manager.order_by("pk").first()
        if model is type(world[0]["staff_mfa"]):  # users: one the region's coordinators see (its own)
            first = world[0]["staff_mfa"]
        if first is not None:
            paths.append(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
            paths.append(reverse("admin:{}_{}_history".format(*info), args=[first.pk]))
    return paths


@pytest.mark.django_db
@pytest.mark.parametrize("visitor", VISITORS)
def test_the_admin_opens_only_for_staff_with_the_second_factor(visit, visitor, world, production):
    client = visit(visitor)
    paths = _admin_paths(world)
    opened = 0
    for path in paths:
        response, _body = _get(client, path)
        assert response.status_code < 500, (path, response.status_code)
        if visitor in WITH_SECOND_FACTOR:
            opened += response.status_code == 200
            assert response.status_code in (200, 302, 403), (visitor, path, response.status_code)
            if visitor == "superuser" and not path.endswith("/add/"):  # some models are never added by hand
                assert response.status_code in (200, 302), (path, response.status_code)
        elif visitor == "staff_no_mfa":
            assert response.status_code == 302 and response["Location"].startswith(reverse("mfa_activate_totp"))
        else:
            assert response.status_code in (302, 403), (visitor, path, response.status_code)
            assert response.status_code == 403 or "/login/" in response["Location"]
    if visitor in WITH_SECOND_FACTOR:
        assert opened > len(paths) // 2


# -- the acts under a mandate (issue 23) --------------------------------------------------------------

# Who may do each act for A: the representative with A's verified mandate, nobody else.
MAY_ACT_FOR_A = {"rep_a"}


def _refused(visitor, response):
    """Refused as each visitor should be: anonymous to the login, everyone else 403 (a representative
    without a mandate: the page that says one is needed)."""
    if visitor == "anonymous":
        return response.status_code == 302 and "/konto/login/" in response["Location"]
    if visitor == "staff_no_mfa":
        return response.status_code in (302, 403)
    return response.status_code == 403


def _post(client, path, data):
    try:
        return client.post(path, data)
    except Exception as exc:  # a 500 in production; the test client raises it instead
        raise AssertionError(f"{path} raised {exc!r}") from exc


@pytest.mark.django_db
@pytest.mark.parametrize("visitor", VISITORS)
def test_only_a_representative_with_a_mandate_signs(visit, visitor, world, production):
    from agreements.models import Signatory

    _users, objects, _values = world
    org_a = objects["org_a"]
    agreement = AgreementFactory(slug="ny-overenskommelse", title="Den nya överenskommelsen")
    path = reverse("agreements:sign", args=[agreement.slug])
    client = visit(visitor)
    page, body = _get(client, path)
    if visitor in MAY_ACT_FOR_A:
        assert page.status_code == 200 and 'name="signed_by_name"' in body
    else:
        assert _refused(visitor, page), (visitor, page.status_code)
        assert 'name="signed_by_name"' not in body
    if visitor in ("rep_a_no_mandate", "rep_b"):
        assert "Du behöver ett mandat" in body
    data = {
        "organisation": org_a.pk,
        "signed_by_name": "Rita Arvidsson",
        "signed_by_title": "Ordförande",
        "confirms_authority": "on",
        "public": "on",
    }
    response = _post(client, path, data)
    signed = Signatory.objects.filter(agreement=agreement, organisation=org_a)
    if visitor in MAY_ACT_FOR_A:
        assert response.status_code == 302, response.status_code
        assert signed.get().mandate == objects["mandate_a"]
    else:
        assert _refused(visitor, response), (visitor, response.status_code)
        assert not signed.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("visitor", VISITORS)
def test_only_a_representative_with_a_mandate_casts_the_ballot(visit, visitor, world, production):
    from elections.models import BallotCast, Nomination

    users, objects, _values = world
    org_a, voting = objects["org_a"], objects["voting"]
    candidate = Nomination.objects.create(
        round=voting,
        nominating_organisation=org_a,
        nominated_by=users["rep_a"],
        candidate_name="Kandidat Ett",
        candidate_organisation=objects["org_b"],
        candidate_email="kandidat@example.se",
        status=Nomination.Status.ACCEPTED,
    )
    client = visit(visitor)
    response = _post(client, reverse("elections:vote", args=[voting.slug, org_a.pk]), {"candidates": [candidate.pk]})
    cast = BallotCast.objects.filter(round=voting, organisation=org_a)
    if visitor in MAY_ACT_FOR_A:
        assert response.status_code == 302, response.status_code
        assert cast.get().mandate == objects["mandate_a"]
    else:
        assert _refused(visitor, response), (visitor, response.status_code)
        assert not cast.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("visitor", VISITORS)
def test_only_a_representative_with_a_mandate_submits_the_answer(visit, visitor, world, production):
    from consultations.models import Answer

    _users, objects, _values = world
    consultation, org_a = objects["open_consultation"], objects["org_a"]
    data = {"action": "submit", "organisation": org_a.pk, "understands_public": "on", "general_comment": "Svar"}
    for section in consultation.sections.all():
        data[f"position_{section.pk}"] = "agree"
    client = visit(visitor)
    path = reverse("consultations:answer", args=[consultation.slug]) + f"?organisation={org_a.pk}"
    response = _post(client, path, data)
    answer = Answer.objects.get(pk=objects["draft_answer"].pk)
    if visitor in MAY_ACT_FOR_A:
        assert response.status_code == 302, response.status_code
        assert answer.state == Answer.State.SUBMITTED and answer.mandate == objects["mandate_a"]
    else:
        # B's representative answers for B only: A's answer is not theirs to touch (B's choice or 403).
        assert visitor == "rep_b" or _refused(visitor, response), (visitor, response.status_code)
        assert answer.state == Answer.State.DRAFT and answer.general_comment == "HEMLIG-ANSWER-A"


@pytest.mark.django_db
@pytest.mark.parametrize("visitor", VISITORS)
def test_only_a_representative_with_a_mandate_submits_the_grant_application(visit, visitor, world, production):
    """Issue 28: A's application is submitted by A's representative with a mandate only; B's representative
    applies for B (never touching A's), the others are refused, and A's draft stays as it was."""
    from partnerships.models import Application, BudgetLine

    _users, objects, _values = world
    application, org_a = objects["application_a"], objects["org_a"]
    BudgetLine.objects.get_or_create(application=application, item="Lokal", amount=1000)
    question_fields = {f"question_{q.pk}": "Svar" for q in application.call.questions.all()}
    data = {
        "action": "submit",
        "organisation": org_a.pk,
        "title": "HEMLIG-APPLICATION-A",
        "description": "Beskrivning",
        "item_0": "Lokal",
        "amount_0": "1000",
        "amount_requested": "1000",
        **question_fields,
    }
    client = visit(visitor)
    path = reverse("grants:apply", args=[application.call.slug]) + f"?organisation={org_a.pk}"
    response = _post(client, path, data)
    application.refresh_from_db()
    if visitor in MAY_ACT_FOR_A:
        assert response.status_code == 302, response.status_code
        assert application.status == Application.Status.SUBMITTED and application.mandate == objects["mandate_a"]
    else:
        assert visitor == "rep_b" or _refused(visitor, response), (visitor, response.status_code)
        assert application.status == Application.Status.DRAFT
