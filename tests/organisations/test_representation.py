"""Who acts for an organisation, and who is mailed on its behalf (organisations/representation.py)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from organisations.models import Representative
from organisations.representation import (
    acts_for,
    merge_recipients,
    organisations_of,
    recipients_by_organisation,
    recipients_for,
    representation,
    user_recipients,
)
from tests.factories import (
    ContactFactory,
    InterestSubmissionFactory,
    OrganisationFactory,
    RepresentativeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return OrganisationFactory()


def _represent(organisation, **user_fields):
    user = UserFactory(**user_fields)
    RepresentativeFactory(user=user, organisation=organisation)
    return user


# --- acts_for, organisations_of, representation --------------------------------------------------------


def test_a_representative_acts_for_the_organisation_and_no_other(organisation):
    user = _represent(organisation)
    other = OrganisationFactory()
    assert acts_for(user, organisation)
    assert acts_for(user, organisation.pk)  # an id will do (a challenge's raising_organisation_id)
    assert not acts_for(user, other)
    assert list(organisations_of(user)) == [organisation]


def test_anonymous_visitors_and_strangers_act_for_nobody(organisation):
    _represent(organisation)
    assert not acts_for(AnonymousUser(), organisation)
    assert not acts_for(UserFactory(), organisation)
    assert not acts_for(None, organisation)
    assert list(organisations_of(AnonymousUser())) == []


def test_a_deactivated_account_acts_for_nobody(organisation):
    user = _represent(organisation)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert not acts_for(user, organisation)
    assert list(organisations_of(user)) == []
    assert representation(user, organisation) is None


def test_representation_is_the_link_a_mandate_will_hang_on(organisation):
    user = _represent(organisation)
    link = representation(user, organisation)
    assert isinstance(link, Representative)
    assert (link.user, link.organisation) == (user, organisation)
    assert representation(UserFactory(), organisation) is None


# --- recipients_for ----------------------------------------------------------------------------------


def test_recipients_are_the_active_representatives_in_their_language(organisation):
    _represent(organisation, email="anna@example.se", language="en")
    _represent(organisation, email="bo@example.se", language="sv")
    gone = _represent(organisation, email="slutat@example.se")
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    assert recipients_for([organisation], include_contacts=False) == [
        ("anna@example.se", "en"),
        ("bo@example.se", "sv"),
    ]


def test_an_address_is_mailed_once_however_it_is_written(organisation):
    other = OrganisationFactory()
    person = UserFactory(email="Rita@Example.se")
    RepresentativeFactory(user=person, organisation=organisation)
    RepresentativeFactory(user=person, organisation=other)
    ContactFactory(organisation=organisation, email="rita@example.SE")
    ContactFactory(organisation=other, email="RITA@example.se")
    assert recipients_for([organisation, other], include_contacts=True) == [("Rita@Example.se", "sv")]


def test_contact_persons_are_mailed_only_when_the_caller_says_so(organisation):
    _represent(organisation, email="rep@example.se")
    ContactFactory(organisation=organisation, email="kontakt@example.se")
    assert [a for a, _ in recipients_for([organisation], include_contacts=False)] == ["rep@example.se"]
    assert [a for a, _ in recipients_for([organisation], include_contacts=True)] == [
        "rep@example.se",
        "kontakt@example.se",
    ]


def test_include_contacts_has_no_default(organisation):
    with pytest.raises(TypeError):
        recipients_for([organisation])


def test_an_unconfirmed_contact_person_is_never_mailed(organisation):
    """Anyone can name a known organisation number on the public form: that contact waits for a coordinator."""
    ContactFactory(organisation=organisation, email="okand@example.se", confirmed=False)
    assert recipients_for([organisation], include_contacts=True) == []


def test_a_contact_person_is_mailed_in_the_language_of_their_latest_submission(organisation):
    contact = ContactFactory(organisation=organisation, email="kontakt@example.se")
    InterestSubmissionFactory(organisation=organisation, contact=contact, language="sv")
    InterestSubmissionFactory(organisation=organisation, contact=contact, language="en")
    quiet = ContactFactory(organisation=organisation, email="tyst@example.se")
    assert sorted(recipients_for([organisation], include_contacts=True)) == [
        ("kontakt@example.se", "en"),
        ("tyst@example.se", "sv"),
    ]
    assert quiet.interest_submissions.count() == 0


def test_an_account_without_address_and_an_organisation_without_anyone_give_nobody(organisation):
    _represent(organisation, email="")
    assert recipients_for([organisation, OrganisationFactory()], include_contacts=True) == []
    assert recipients_for([], include_contacts=True) == []


def test_per_organisation_each_keeps_its_own_list(organisation):
    """A consultation writes to each organisation in its name: a person who represents two gets both."""
    other = OrganisationFactory()
    person = UserFactory(email="bada@example.se")
    RepresentativeFactory(user=person, organisation=organisation)
    RepresentativeFactory(user=person, organisation=other)
    found = recipients_by_organisation([organisation, other], include_contacts=False)
    assert found == {organisation.pk: [("bada@example.se", "sv")], other.pk: [("bada@example.se", "sv")]}


def test_accounts_that_turned_the_mail_off_are_left_out(organisation):
    from django.contrib.auth import get_user_model

    keep = _represent(organisation, email="ja@example.se")
    leave = _represent(organisation, email="nej@example.se")
    opted_out = get_user_model().objects.filter(pk=leave.pk)
    assert recipients_for([organisation], include_contacts=False, exclude_users=opted_out) == [(keep.email, "sv")]


def test_the_order_is_stable(organisation):
    for address in ("c@example.se", "a@example.se", "b@example.se"):
        _represent(organisation, email=address)
    first = recipients_for([organisation], include_contacts=False)
    assert first == recipients_for([organisation], include_contacts=False)
    assert [a for a, _ in first] == ["a@example.se", "b@example.se", "c@example.se"]


def test_merging_keeps_the_first_spelling_and_fills_a_missing_language():
    assert merge_recipients([("Ann@x.se", "en"), ("", "sv")], [("ann@X.SE", "sv"), ("bo@x.se", None)]) == [
        ("Ann@x.se", "en"),
        ("bo@x.se", "sv"),
    ]


def test_user_recipients_skip_deactivated_accounts():
    active = UserFactory(email="aktiv@example.se", language="en")
    inactive = UserFactory(email="inaktiv@example.se", is_active=False)
    assert user_recipients([active, inactive, None]) == [("aktiv@example.se", "en")]


# --- One home --------------------------------------------------------------------------------------

# Who may write Representative rows or read them for their own purpose (not "does this person act
# for it"): creating the link, the admin's uniqueness check, deleting an account, the demo data.
ALLOWED = {"organisations/representation.py", "organisations/services.py", "organisations/admin.py"}
ALLOWED_NAMES = {"demo.py", "personal_data.py"}
ASKING_BY_HAND = ("Representative.objects", "representative_links__user", "user.organisations.")


def test_no_app_asks_who_acts_for_an_organisation_by_hand():
    """Every "does this person act for it" and "who is mailed for it" goes through representation.py,
    so the mandate (issue 21) changes one module."""
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.BASE_DIR)
    skipped = {".venv", ".git", "tests", "bench", "node_modules", "static", "media"}
    apps = [d for d in root.iterdir() if d.is_dir() and not d.is_symlink() and d.name not in skipped]
    offenders = []
    for path in (p for app in apps for p in app.rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if "/migrations/" in relative or relative in ALLOWED or path.name in ALLOWED_NAMES:
            continue
        text = path.read_text(encoding="utf-8")
        offenders += [f"{relative}: {needle}" for needle in ASKING_BY_HAND if needle in text]
    assert offenders == []
