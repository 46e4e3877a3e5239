"""Personal data through the registry (``portal.personal_data``): every app says what it holds about a
person, "download my data" collects it from every app, and deleting the account erases it everywhere.

The generic tests walk every model Django knows, so an app added later that holds a link to accounts
or an address and forgets to declare it fails here."""

import datetime as dt
import json

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from accounts.models import User
from accounts.selectors import user_data_export
from accounts.services import user_delete
from challenges import services as challenges_services
from core.personal_data import user_fields
from core.registry import portal
from tests.accounts.conftest import activate_totp
from tests.factories import (
    AgreementFactory,
    ChallengeFactory,
    ContactFactory,
    InterestSubmissionFactory,
    MeetingFactory,
    OrganisationFactory,
    RegistrationFactory,
    RepresentativeFactory,
    SignatoryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ADDRESS = "anna.andersson@example.se"
OTHER_ADDRESS = "anna.privat@example.se"  # a second, verified address of hers

# Models that link to accounts or hold addresses but are not a person's data to export, and why.
NOT_EXPORTED = {
    "admin.LogEntry": "the admin's audit trail of staff actions (scrubbed of the person's address on erasure)",
    "meetings.Meeting": "contact_email is the region's contact address for the meeting",
    "core.Region": "contact_email and sender_email are the region's own addresses",
}


def _is_history(model) -> bool:
    return model.__name__.startswith("Historical") and hasattr(model, "history_id")


def _personal_models():
    """Models with a link to the user model or an e-mail column (not history, not the user itself)."""
    for model in apps.get_models():
        label = model._meta.label
        if label == settings.AUTH_USER_MODEL or _is_history(model) or model._meta.proxy:
            continue
        has_email = any(isinstance(f, models.EmailField) for f in model._meta.concrete_fields)
        if user_fields(model) or has_email:
            yield label


def test_every_model_that_holds_a_person_is_exported_by_its_app(member):
    sections = set(user_data_export(user=member))
    missing = sorted(set(_personal_models()) - sections - set(NOT_EXPORTED))
    assert missing == [], f"declare these in the app's portal.personal_data export: {missing}"


def test_every_app_with_models_declares_personal_data():
    declared = {provider.app_label for provider in portal.personal_data_providers()}
    owners = {label.split(".")[0] for label in _personal_models()} - {"admin", "account", "mfa", "socialaccount"}
    owners -= {label.split(".")[0] for label in NOT_EXPORTED}
    assert owners <= declared


def test_two_apps_may_not_claim_one_section(member, monkeypatch):
    from core.registry import PersonalDataProvider

    twice = [
        PersonalDataProvider(app_label="a", export=lambda user: {"x.Y": []}),
        PersonalDataProvider(app_label="b", export=lambda user: {"x.Y": []}),
    ]
    monkeypatch.setattr(portal, "personal_data_providers", lambda: twice)
    with pytest.raises(ValueError, match="x.Y"):
        user_data_export(user=member)


# -- a person with data in every app -------------------------------------------------------------


@pytest.fixture
def anna(db):
    from allauth.account.models import EmailAddress

    person = UserFactory(email=ADDRESS, full_name="Anna Andersson")
    EmailAddress.objects.create(user=person, email=OTHER_ADDRESS, verified=True, primary=False)
    return person


@pytest.fixture
def everything(anna, coordinator, media_root):
    """Anna's traces in every app, made as the portal makes them where it matters (services, history)."""
    from challenges.models import EmailPreference, Participation
    from consultations.models import Answer
    from elections.models import BallotCast, Nomination, SelectionRound
    from outbox.models import OutgoingEmail
    from tests.elections.conftest import make_round
    from tests.factories.consultations import AnswerFactory, ConsultationFactory

    organisation = OrganisationFactory(name="Föreningen Anna")
    RepresentativeFactory(user=anna, organisation=organisation)
    contact = ContactFactory(organisation=organisation, email=ADDRESS.upper(), name="Anna Andersson")
    InterestSubmissionFactory(organisation=organisation, contact=contact, message=f"Svara till {OTHER_ADDRESS}")
    # A coordinator made a proposed challenge of her wish to raise one: its description is her message.
    wish = InterestSubmissionFactory(
        organisation=organisation, contact=contact, wants_raise_challenge=True, message=f"Ensamhet\nTill {ADDRESS}"
    )
    challenges_services.challenge_from_interest(submission=wish, by=coordinator)
    upcoming = MeetingFactory(capacity=1)
    RegistrationFactory(meeting=upcoming, user=anna, email=ADDRESS, name="Anna Andersson")
    waiting = RegistrationFactory(meeting=upcoming, email="nasta@example.se", status="waitlisted")
    RegistrationFactory(meeting=MeetingFactory(past=True), user=None, email=OTHER_ADDRESS, name="Anna A")
    agreement = AgreementFactory()
    signatory = SignatoryFactory(agreement=agreement, organisation=organisation, requested_by=anna)
    signatory.signed_by_name = "Anna Andersson"
    signatory.save()  # a second historical copy, made by her
    # Raised by her (one link) with her as the contact too (a second link of the same model to her):
    # the export lists both challenges, the second once.
    raised = ChallengeFactory(proposed=True, raising_organisation=organisation, raised_by_user=anna, title="Vår")
    both = ChallengeFactory(raised_by_user=anna, contact_coordinator=anna, title="Båda")
    Participation.objects.create(challenge=both, organisation=organisation, joined_by=anna)
    EmailPreference.objects.create(user=anna, updates=False)
    now = dt.datetime.now(dt.UTC)
    consultation = ConsultationFactory(status="open", opens_at=now, closes_at=now + dt.timedelta(days=7))
    AnswerFactory(consultation=consultation, organisation=organisation, created_by=anna, submitted_by=anna)
    selection = make_round(agreement, status=SelectionRound.Status.VOTING, phase="voting")
    Nomination.objects.create(
        round=selection,
        nominating_organisation=organisation,
        nominated_by=anna,
        candidate_name="Anna Andersson",
        candidate_organisation=organisation,
        presentation="Jag vill bidra.",
        candidate_email=ADDRESS,
        status=Nomination.Status.PENDING,
    )
    BallotCast.objects.create(round=selection, organisation=organisation, cast_by=anna)
    sent = _mail(ADDRESS, "Din utmaning", "Hej Anna!")
    OutgoingEmail.objects.filter(pk=sent.pk).update(status="sent", sent_at=timezone.now())
    _mail(OTHER_ADDRESS, "Påminnelse", "Hej igen!")  # queued, not sent yet
    _mail(
        coordinator.email,
        f"Ny anmälan från {ADDRESS}",
        f"Anmäld av {ADDRESS}.",
        reply_to=[ADDRESS],
        headers={"X-Anmald-Av": ADDRESS},
    )
    LogEntry.objects.create(
        user=coordinator,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(anna.pk),
        object_repr=ADDRESS,
        action_flag=CHANGE,
        change_message=f"Ändrade adress till {ADDRESS}",
    )
    activate_totp(anna)
    return {"raised": raised, "both": both, "waiting": waiting, "answer": Answer.objects.get()}


def _mail(to, subject, body, **extra):
    from django.core.mail import EmailMessage

    from outbox.services import email_queue_message

    [email] = email_queue_message(message=EmailMessage(subject, body, to=[to], **extra), kind="test")
    return email


# -- export ------------------------------------------------------------------------------------------


def test_export_holds_every_apps_data(anna, everything):
    data = json.loads(json.dumps(user_data_export(user=anna), default=str))
    assert data["account"]["email"] == ADDRESS
    assert {row["email"] for row in data["account.EmailAddress"]} == {ADDRESS, OTHER_ADDRESS}
    assert [row["name"] for row in data["organisations.Organisation"]] == []  # verified by nobody she is
    assert [row["organisation"] for row in data["organisations.Representative"]] == ["Föreningen Anna"]
    assert [row["name"] for row in data["organisations.Contact"]] == ["Anna Andersson"]
    assert sorted(row["message"] for row in data["organisations.InterestSubmission"]) == [
        f"Ensamhet\nTill {ADDRESS}",
        f"Svara till {OTHER_ADDRESS}",
    ]
    assert sorted(row["name"] for row in data["meetings.Registration"]) == ["Anna A", "Anna Andersson"]
    assert [row["linked_as"] for row in data["agreements.Signatory"]] == [["requested_by"]]
    assert data["consultations.Answer"][0]["linked_as"] == ["created_by", "submitted_by"]
    assert [row["candidate_name"] for row in data["elections.Nomination"]] == ["Anna Andersson"]
    assert len(data["elections.BallotCast"]) == 1
    assert len(data["challenges.Participation"]) == 1
    assert data["challenges.EmailPreference"][0]["updates"] is False
    assert {row["to"] for row in data["outbox.OutgoingEmail"]} == {ADDRESS, OTHER_ADDRESS}
    assert {row["subject"] for row in data["outbox.OutgoingEmail"]} == {"Din utmaning", "Påminnelse"}
    # Texts carry working keys (a password reset link): never in a downloaded file.
    assert all("body_text" not in row and "headers" not in row for row in data["outbox.OutgoingEmail"])
    assert all("data" not in row for row in data["mfa.Authenticator"])


def test_a_challenge_linked_to_her_twice_is_exported_once_and_both_challenges_are(anna, everything):
    """The bug: with two links from one model to the person, only the last link's rows were kept."""
    rows = user_data_export(user=anna)["challenges.Challenge"]
    assert sorted(row["title"] for row in rows) == ["Båda", "Vår"]
    both = next(row for row in rows if row["title"] == "Båda")
    assert both["linked_as"] == ["raised_by_user", "contact_coordinator"]


def test_export_never_names_other_accounts(anna, everything, coordinator):
    everything["answer"].submitted_by = coordinator
    everything["answer"].save()
    text = json.dumps(user_data_export(user=anna), default=str)
    assert coordinator.email not in text and coordinator.full_name not in text


def test_export_holds_nothing_of_another_person(anna, everything):
    other = UserFactory(email="bertil@example.se")
    data = user_data_export(user=other)
    assert all(
        rows == [] for section, rows in data.items() if section not in ("region", "account", "account.EmailAddress")
    )


# -- erasure -------------------------------------------------------------------------------------------


def _text_columns(model):
    return [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField | models.JSONField)
    ]


def _rows_mentioning(addresses):
    """Every row of every table (history and third-party apps included) with one of ``addresses`` in a
    text or JSON column, as (model, pk, column)."""
    found = []
    for model in apps.get_models():
        for name in _text_columns(model):
            for obj in model._default_manager.all().only("pk", name):
                text = json.dumps(getattr(obj, name), default=str).lower()
                found += [(model._meta.label, obj.pk, name) for a in addresses if a.lower() in text]
    return found


def _rows_linking(user_id):
    """Every row of every table whose link to the user model (history's copies included) holds ``user_id``."""
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.ForeignKey) and field.related_model._meta.label == settings.AUTH_USER_MODEL:
                if model._default_manager.filter(**{field.attname: user_id}).exists():
                    found.append((model._meta.label, field.name))
    return found


def test_setup_leaves_her_address_in_many_tables(anna, everything):
    """The erasure test below would prove nothing if the world held no trace of her."""
    tables = {label for label, _pk, _column in _rows_mentioning([ADDRESS, OTHER_ADDRESS])}
    assert {
        "organisations.Contact",
        "organisations.InterestSubmission",
        "meetings.Registration",
        "elections.Nomination",
        "elections.HistoricalNomination",
        "outbox.OutgoingEmail",
        "admin.LogEntry",
    } <= tables
    assert ("agreements.HistoricalSignatory", "requested_by") in _rows_linking(anna.pk)


def test_after_deletion_no_table_holds_her_address_or_a_link_to_her(
    anna, everything, django_capture_on_commit_callbacks
):
    user_id = anna.pk
    with django_capture_on_commit_callbacks(execute=True):
        user_delete(user=anna)
    assert _rows_mentioning([ADDRESS, OTHER_ADDRESS]) == []
    assert _rows_linking(user_id) == []


def test_deletion_keeps_the_organisations_records_without_her(anna, everything):
    from agreements.models import Signatory
    from challenges.models import Challenge
    from consultations.models import Answer
    from elections.models import BallotCast, Nomination
    from meetings.models import Registration
    from outbox.models import OutgoingEmail

    user_delete(user=anna)
    assert Signatory.objects.get().requested_by is None
    assert set(Challenge.objects.values_list("title", flat=True)) == {"Vår", "Båda", "Ensamhet"}
    assert Challenge.objects.get(title="Ensamhet").description == "Ensamhet\nTill [raderad adress]"
    assert Answer.objects.get().submitted_by is None
    assert BallotCast.objects.get().cast_by is None
    assert Nomination.objects.get().candidate_name == "–"  # never accepted: not a public candidate
    assert Registration.objects.filter(name="–").count() == 2
    # The sent e-mail stays as a record without address or content; the unsent one is never sent.
    assert list(OutgoingEmail.objects.filter(subject="–").values_list("status", flat=True)) == ["sent"]
    assert not OutgoingEmail.objects.filter(to__in=[ADDRESS, OTHER_ADDRESS]).exists()
    assert OutgoingEmail.objects.filter(to="samordnare@example.se").exists()  # the coordinator's, scrubbed


def test_deleting_frees_her_place_for_the_waitlist(anna, everything):
    from meetings.models import Registration

    user_delete(user=anna)
    assert Registration.objects.get(pk=everything["waiting"].pk).status == Registration.Status.CONFIRMED


def test_an_accepted_candidate_keeps_her_public_name_but_not_her_address(anna, everything):
    from elections.models import Nomination

    Nomination.objects.update(status=Nomination.Status.ACCEPTED)
    user_delete(user=anna)
    nomination = Nomination.objects.get()
    assert nomination.candidate_name == "Anna Andersson"
    assert ADDRESS not in nomination.candidate_email


def test_deletion_leaves_other_peoples_data(anna, everything):
    from meetings.models import Registration

    other = UserFactory(email="bertil@example.se")
    RegistrationFactory(user=other, email=other.email, name="Bertil")
    user_delete(user=anna)
    assert Registration.objects.get(user=other).email == "bertil@example.se"


def test_an_unverified_address_on_her_account_erases_nothing_of_its_owner(anna):
    """Anyone can type another person's address into their account: only verified ones are theirs."""
    from allauth.account.models import EmailAddress

    from meetings.models import Registration

    EmailAddress.objects.create(user=anna, email="inte.hennes@example.se", verified=False)
    RegistrationFactory(email="inte.hennes@example.se", name="Någon annan")
    user_delete(user=anna)
    assert Registration.objects.get().name == "Någon annan"


def test_an_app_that_fails_to_erase_leaves_everything_as_it_was(anna, everything, monkeypatch):
    from core.registry import PersonalDataProvider

    def broken(user):
        raise RuntimeError("erase failed")

    providers = portal.personal_data_erasers() + [PersonalDataProvider(app_label="x", export=dict, erase=broken)]
    monkeypatch.setattr(portal, "personal_data_erasers", lambda: providers)
    with pytest.raises(RuntimeError):
        user_delete(user=anna)
    assert User.objects.filter(pk=anna.pk).exists()
    assert _rows_mentioning([ADDRESS])


def test_outbox_erases_last():
    assert portal.personal_data_erasers()[-1].app_label == "outbox"
