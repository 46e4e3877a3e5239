"""Two regions in one installation: nothing of one region ever appears on the other's host.

Region Västernorrland (the test region, host ``testserver``) and Region Halland (``halland.testserver``)
each get the same small world, under the SAME slugs (so the same path exists on both hosts and the
markers show whose object was served), every title and name carrying the region's marker; each region
also has objects under slugs the other lacks. Then, for every URL the resolver knows (filled with the
slugs and ids of both worlds) and each kind of visitor (anonymous, a representative of an organisation
of the OTHER region, a coordinator of the other region, a superuser, a coordinator of the host's region,
all in production settings with the second factor where staff need it), a page on one host never
shows the other's marker: pages, feeds, ``.ics``, exports, files and the API alike. The admin: a
coordinator sees only the host's region in every changelist; an object id of the other region is a 404;
a coordinator of another region gets no admin at all.

The worlds are built once per module (like tests/test_access_matrix.py), inside a transaction rolled
back at the end.
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

HOSTS = {"a": "testserver", "b": "halland.testserver"}
MARKERS = {"a": "MARK-VNORR", "b": "MARK-HALL"}
OTHER = {"a": "b", "b": "a"}


def _pdf(marker: str) -> bytes:
    return f"%PDF-1.4\n% {marker}\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n".encode()


def _region_world(key: str) -> dict:
    """One region's world; call inside its region scope."""
    from challenges.models import ChallengeDocument
    from elections.models import SelectionRound
    from tests.factories.consultations import AnswerFactory, ConsultationFactory, SectionFactory

    mark = MARKERS[key]
    now = timezone.now()
    rep = UserFactory(email=f"rep.{key}@example.se", full_name=f"Rep {key.upper()}")  # a person, not a region
    organisation = OrganisationFactory(name=f"Föreningen {mark}", slug="foreningen")
    only_here = OrganisationFactory(name=f"Egen förening {mark}", slug=f"egen-{key}")
    link = RepresentativeFactory(user=rep, organisation=organisation)
    mandate = MandateFactory(representative=link, message=f"Mandat {mark}")
    mandate.evidence.save("protokoll.pdf", ContentFile(_pdf(f"{mark}-MANDAT")), save=True)

    agreement = AgreementFactory(slug="overenskommelsen", title=f"Överenskommelsen {mark}")
    version = AgreementVersionFactory(agreement=agreement, number=1)
    version.document.save("version.pdf", ContentFile(_pdf(f"{mark}-VERSION")), save=True)
    plan = ActionPlanFactory(agreement=agreement)
    plan.document.save("plan.pdf", ContentFile(_pdf(f"{mark}-PLAN")), save=True)
    signatory = SignatoryFactory(
        agreement=agreement, organisation=organisation, requested_by=rep, signed_by_name=f"Signerare {mark}"
    )

    meeting = MeetingFactory(slug="dialogmotet", title=f"Dialogmötet {mark}", topics=f"Ämne {mark}")
    own_meeting = MeetingFactory(slug=f"mote-{key}", title=f"Eget möte {mark}")
    document = MeetingDocumentFactory.build(meeting=meeting, title=f"Dokument {mark}", url="")
    document.file.save("dokument.pdf", ContentFile(_pdf(f"{mark}-DOC")), save=True)
    registration = RegistrationFactory(meeting=meeting, user=rep, email=rep.email, name=f"Deltagare {mark}")

    challenge = ChallengeFactory(slug="utmaningen", title=f"Utmaningen {mark}")
    challenge_doc = ChallengeDocument.objects.create(
        challenge=challenge, title=f"Bilaga {mark}", file=ContentFile(_pdf(f"{mark}-BILAGA"), name="bilaga.pdf")
    )

    consultation = ConsultationFactory(
        slug="remissen",
        title=f"Remissen {mark}",
        status="open",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=30),
        invited=[organisation],
    )
    SectionFactory(consultation=consultation, heading=f"Avsnitt {mark}")
    closed = ConsultationFactory(
        slug="stangd-remiss",
        title=f"Stängd remiss {mark}",
        status="closed",
        opens_at=now - dt.timedelta(days=30),
        closes_at=now - dt.timedelta(days=1),
    )
    SectionFactory(consultation=closed)
    answer = AnswerFactory(consultation=closed, organisation=organisation, general_comment=f"Svar {mark}")

    voting = SelectionRound.objects.create(
        agreement=agreement,
        title=f"Valet {mark}",
        slug="valet",
        seats=2,
        status=SelectionRound.Status.VOTING,
        nomination_opens=now - dt.timedelta(days=11),
        nomination_closes=now - dt.timedelta(days=5),
        voting_opens=now - dt.timedelta(days=4),
        voting_closes=now + dt.timedelta(days=20),
        term_start=dt.date(2027, 1, 1),
        term_end=dt.date(2030, 12, 31),
    )
    return {
        **_grants_world(mark, organisation, challenge, now),
        "rep": rep,
        "organisation": organisation,
        "only_here": only_here,
        "agreement": agreement,
        "plan": plan,
        "signatory": signatory,
        "meeting": meeting,
        "own_meeting": own_meeting,
        "document": document,
        "registration": registration,
        "challenge": challenge,
        "challenge_doc": challenge_doc,
        "consultation": consultation,
        "closed": closed,
        "answer": answer,
        "voting": voting,
        "mandate": mandate,
    }


def _grants_world(mark, organisation, challenge, now) -> dict:
    """Grants and partnerships (issue 28) under the same slugs in both regions: a call, a granted application
    (public) with an attachment, and a partnership with its agreement."""
    from partnerships.models import ApplicationAttachment
    from tests.factories.partnerships import ApplicationFactory, DecisionFactory, GrantCallFactory, PartnershipFactory

    call = GrantCallFactory(
        slug="bidraget", title=f"Bidraget {mark}", opens_on=dt.date(2020, 1, 1), closes_at=now + dt.timedelta(days=30)
    )
    call.challenges.add(challenge)
    application = ApplicationFactory(
        call=call, organisation=organisation, title=f"Projekt {mark}", status="granted", submitted_at=now
    )
    DecisionFactory(application=application, amount=1000, public_purpose=f"Ändamål {mark}", decided_at=now)
    attachment = ApplicationAttachment.objects.create(
        application=application, title=f"Bilaga {mark}", file=ContentFile(_pdf(f"{mark}-ANSOKAN"), name="a.pdf")
    )
    partnership = PartnershipFactory(slug="partnerskapet", title=f"Partnerskapet {mark}", partners=[organisation])
    partnership.challenges.add(challenge)
    partnership.agreement_document.save("iop.pdf", ContentFile(_pdf(f"{mark}-IOP")), save=True)
    return {"application": application, "application_attachment": attachment, "decision": application.decision}


def _values(worlds) -> dict:
    """Path parameters by the URL's namespace, from both worlds."""
    a, b = worlds["a"], worlds["b"]
    both = (a, b)
    return {
        "meetings": {
            "slug": ["dialogmotet", a["own_meeting"].slug, b["own_meeting"].slug],
            "pk": [w["document"].pk for w in both],
        },
        "agreements": {
            "slug": ["overenskommelsen"],
            "number": [1],
            "pk": sorted({*(w["plan"].pk for w in both), *(w["signatory"].pk for w in both)}),
        },
        "challenges": {"slug": ["utmaningen"], "pk": [w["challenge_doc"].pk for w in both]},
        "consultations": {"slug": ["remissen", "stangd-remiss"], "pk": [w["answer"].pk for w in both]},
        "grants": {
            "slug": ["bidraget"],
            "pk": [w["application"].pk for w in both],
            "attachment": [w["application_attachment"].pk for w in both],
        },
        "partnerships": {"slug": ["partnerskapet"]},
        "elections": {"slug": ["valet"], "organisation_id": [w["organisation"].pk for w in both], "token": ["x"]},
        "organisations": {
            "slug": ["foreningen", a["only_here"].slug, b["only_here"].slug],
            "pk": [w["mandate"].pk for w in both],
        },
        "api": {
            "slug": [
                "overenskommelsen",
                "dialogmotet",
                a["own_meeting"].slug,
                b["own_meeting"].slug,
                "utmaningen",
                "foreningen",
                a["only_here"].slug,
                b["only_here"].slug,
                "remissen",
                "valet",
                "bidraget",
                "partnerskapet",
            ],
            "agreement_slug": ["overenskommelsen"],
            "pk": sorted(
                {
                    *(w["signatory"].pk for w in both),
                    *(w["organisation"].municipality_id for w in both),
                    *(w["decision"].pk for w in both),
                }
            ),
        },
        "": {"key": ["x"], "uidb36": ["1"]},
    }


@pytest.fixture(scope="module")
def worlds(django_db_setup, django_db_blocker, tmp_path_factory):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.test.utils import override_settings

    from core.permissions import ensure_coordinator_group
    from core.regions import region_scope
    from tests.factories.regions import RegionFactory, ensure_test_region

    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        with django_db_blocker.unblock(), transaction.atomic():
            regions = {
                "a": ensure_test_region(),
                "b": RegionFactory(name="Region Halland", short_name="halland", hosts=[HOSTS["b"]]),
            }
            built = {}
            for key, region in regions.items():
                with region_scope(region.pk):
                    built[key] = _region_world(key)
            group = ensure_coordinator_group()
            people = {}
            for key, region in regions.items():
                coordinator = UserFactory(email=f"samordnare.{key}@example.se", full_name=f"Samordnare {key}")
                coordinator.is_staff = True
                coordinator.save()
                coordinator.groups.add(group)
                region.coordinators.add(coordinator)
                TOTP.activate(coordinator, generate_totp_secret())
                people[f"coordinator_{key}"] = coordinator
                people[f"rep_{key}"] = built[key]["rep"]
            superuser = UserFactory(email="system@example.se", full_name="System", is_staff=True, is_superuser=True)
            TOTP.activate(superuser, generate_totp_secret())
            people["superuser"] = superuser
            yield {"regions": regions, "worlds": built, "people": people, "values": _values(built)}
            transaction.set_rollback(True)


@pytest.fixture
def production(settings, worlds):
    settings.DEBUG = False
    settings.STAFF_REQUIRE_MFA = True
    settings.RATELIMIT_ENABLE = False
    return settings


def _paths(values) -> list[str]:
    paths = []
    for name, pattern in sorted(_named_patterns()):
        namespace = name.split(":", 1)[0] if ":" in name else ""
        combos = [{}]
        for param in pattern.pattern.regex.groupindex:
            choices = {**values[""], **values.get(namespace, {})}.get(param, ["x"])
            combos = [{**c, param: v} for c in combos for v in choices]
        for kwargs in combos:
            try:
                paths.append(reverse(name, kwargs=kwargs))
            except NoReverseMatch:
                continue
    return sorted(set(paths))


def _get(client, path, host):
    try:
        response = client.get(path, HTTP_HOST=host)
    except Exception as exc:  # a 500 in production; the test client raises it instead
        raise AssertionError(f"{host}{path} raised {exc!r}") from exc
    body = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    return response, body.decode("utf-8", errors="replace")


# Who visits each host: nobody, a representative and a coordinator of the OTHER region (global users:
# they may log in anywhere), the host's own coordinator, and a superuser.
VISITS = [
    (host_key, visitor)
    for host_key in ("a", "b")
    for visitor in (
        "anonymous",
        f"rep_{OTHER[host_key]}",
        f"coordinator_{OTHER[host_key]}",
        f"coordinator_{host_key}",
        "superuser",
    )
]


@pytest.mark.django_db
@pytest.mark.parametrize("host_key, visitor", VISITS)
def test_no_page_on_one_host_shows_anything_of_the_other_region(client, worlds, production, host_key, visitor):
    if visitor != "anonymous":
        client.force_login(worlds["people"][visitor])
    host, foreign = HOSTS[host_key], MARKERS[OTHER[host_key]]
    paths = _paths(worlds["values"])
    assert len(paths) > 60
    served_own = 0
    for path in paths:
        response, body = _get(client, path, host)
        assert response.status_code < 500, (host, path, response.status_code)
        assert foreign not in body, f"{visitor} on {host} sees the other region on {path}"
        served_own += MARKERS[host_key] in body
    assert served_own > 20  # the same paths do serve the host's own region


@pytest.mark.django_db
@pytest.mark.parametrize("host_key", ["a", "b"])
def test_the_other_regions_own_slugs_are_not_found(client, worlds, production, host_key):
    other = worlds["worlds"][OTHER[host_key]]
    for path in (
        reverse("meetings:detail", args=[other["own_meeting"].slug]),
        reverse("organisations:detail", args=[other["only_here"].slug]),
        other["document"].href,
        other["challenge_doc"].get_absolute_url(),
        reverse("consultations:answer_attachment", args=["stangd-remiss", other["answer"].pk]),
    ):
        assert _get(client, path, HOSTS[host_key])[0].status_code == 404, path


def _is_regional(model) -> bool:
    from core.models import RegionalModel

    return issubclass(model, RegionalModel)


@pytest.mark.django_db
@pytest.mark.parametrize("host_key", ["a", "b"])
@pytest.mark.parametrize("visitor", ["coordinator", "superuser"])
def test_the_admin_shows_only_the_hosts_region(client, worlds, production, host_key, visitor):
    from core.regions import region_scope

    person = worlds["people"][f"coordinator_{host_key}" if visitor == "coordinator" else "superuser"]
    client.force_login(person)
    host, foreign = HOSTS[host_key], MARKERS[OTHER[host_key]]
    other_region = worlds["regions"][OTHER[host_key]]
    models = [model for model in admin.site._registry if _is_regional(model)]
    assert len(models) > 10
    for model in models:
        info = model._meta.app_label, model._meta.model_name
        response, body = _get(client, reverse("admin:{}_{}_changelist".format(*info)), host)
        assert response.status_code in (200, 403), (info, response.status_code)
        assert foreign not in body, f"{visitor} on {host} sees the other region in the {info} changelist"
        with region_scope(other_region.pk):
            foreign_ids = list(model._default_manager.values_list("pk", flat=True)[:3])
        for pk in foreign_ids:
            response, body = _get(client, reverse("admin:{}_{}_change".format(*info), args=[pk]), host)
            assert response.status_code in (403, 404), (info, pk, response.status_code)
            assert foreign not in body


@pytest.mark.django_db
@pytest.mark.parametrize("host_key", ["a", "b"])
def test_a_coordinator_of_another_region_gets_no_admin(client, worlds, production, host_key):
    client.force_login(worlds["people"][f"coordinator_{OTHER[host_key]}"])
    response, body = _get(client, reverse("admin:index"), HOSTS[host_key])
    assert response.status_code in (302, 403, 404)
    assert MARKERS[host_key] not in body and MARKERS[OTHER[host_key]] not in body
