"""Input that looks valid never reaches the database as something it cannot store: over-long
e-mail addresses, NUL characters and numbers out of range get a clear message, never a 500."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from meetings.models import Registration
from organisations.models import Contact, InterestSubmission, Organisation
from tests.factories import MeetingFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

# 64 + 1 + 255 = 320 characters: syntactically an address, longer than any e-mail column (254).
LONG_EMAIL = "a" * 64 + "@" + ".".join(["b" * 63] * 3) + ".example.se"[: 255 - 3 * 64 + 1]
EMAIL_MESSAGE = "En e-postadress får vara högst 254 tecken lång"


def test_long_email_is_really_longer_than_the_columns():
    assert 255 <= len(LONG_EMAIL) <= 320


def _interest_data(**overrides):
    data = {
        "organisation_name": "Föreningen Lång",
        "organisation_number": "",
        "legal_form": Organisation.LegalForm.NON_PROFIT_ASSOCIATION,
        "contact_name": "Kim Lång",
        "contact_email": "kim@example.se",
        "contact_role": Contact.Role.CONTACT,
        "wants_dialogue_meetings": "on",
        "consent": "on",
    }
    data.update(overrides)
    return data


def _assert_form_error(response, *, field_text: str):
    assert response.status_code in (200, 400)  # the form again, with its message
    content = response.content.decode()
    assert field_text in content


def test_interest_form_rejects_an_address_longer_than_the_column(client):
    response = client.post(reverse("organisations:interest"), _interest_data(contact_email=LONG_EMAIL))
    _assert_form_error(response, field_text=EMAIL_MESSAGE)
    assert LONG_EMAIL in response.content.decode()  # what was typed is kept
    assert InterestSubmission.objects.count() == 0


def test_meeting_sign_up_rejects_an_address_longer_than_the_column(client):
    meeting = MeetingFactory()
    response = client.post(
        reverse("meetings:register", kwargs={"slug": meeting.slug}),
        {"name": "Kim Lång", "email": LONG_EMAIL, "consent": "on"},
    )
    _assert_form_error(response, field_text=EMAIL_MESSAGE)
    assert Registration.objects.count() == 0


@pytest.mark.parametrize(
    ("url_name", "data"),
    [
        ("account_signup", {"email": LONG_EMAIL, "password1": "Lång-lösen-123", "password2": "Lång-lösen-123"}),
        ("account_login", {"login": LONG_EMAIL, "password": "whatever-123"}),
        ("account_reset_password", {"email": LONG_EMAIL}),
    ],
)
def test_account_forms_reject_an_address_longer_than_the_column(client, url_name, data):
    response = client.post(reverse(url_name), data)
    assert response.status_code in (200, 400)
    assert EMAIL_MESSAGE in response.content.decode()
    assert not EmailAddress.objects.filter(email__iexact=LONG_EMAIL).exists()


def test_add_email_rejects_an_address_longer_than_the_column(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("account_email"), {"action_add": "", "email": LONG_EMAIL})
    assert response.status_code in (200, 400)
    assert EMAIL_MESSAGE in response.content.decode()
    assert not EmailAddress.objects.filter(email__iexact=LONG_EMAIL).exists()


def test_plain_forms_take_their_limits_from_the_columns():
    """Every hand-written form field that ends up in a column is no longer than that column."""
    from meetings.forms import RegistrationChangeForm, RegistrationForm
    from organisations.forms import InterestForm

    checks = [
        (
            InterestForm(),
            {
                "organisation_name": (Organisation, "name"),
                "contact_name": (Contact, "name"),
                "contact_email": (Contact, "email"),
                "contact_phone": (Contact, "phone"),
            },
        ),
        (
            RegistrationForm(meeting=None),
            {
                "name": (Registration, "name"),
                "email": (Registration, "email"),
                "phone": (Registration, "phone"),
                "organisation_name": (Registration, "organisation_name"),
                "role": (Registration, "role"),
            },
        ),
        (RegistrationChangeForm(meeting=None), {"name": (Registration, "name"), "phone": (Registration, "phone")}),
    ]
    for form, mapping in checks:
        for field_name, (model, column) in mapping.items():
            limit = model._meta.get_field(column).max_length
            assert form.fields[field_name].max_length is not None
            assert form.fields[field_name].max_length <= limit, (type(form).__name__, field_name)


@pytest.mark.postgres
def test_interest_form_answers_a_nul_character_with_a_message(client):
    response = client.post(
        reverse("organisations:interest"), _interest_data(organisation_name="Före\x00ningen", message="Hej\x00")
    )
    assert response.status_code == 400
    assert InterestSubmission.objects.count() == 0


@pytest.mark.postgres
def test_meeting_sign_up_answers_a_nul_character_with_a_message(client):
    meeting = MeetingFactory()
    response = client.post(
        reverse("meetings:register", kwargs={"slug": meeting.slug}),
        {"name": "Kim\x00", "email": "kim@example.se", "needs": "\x00", "consent": "on"},
    )
    assert response.status_code in (200, 400)
    assert "Null-tecken är inte tillåtna" in response.content.decode()
    assert Registration.objects.count() == 0


@pytest.mark.postgres
@pytest.mark.parametrize(
    "path",
    [
        "/organisationer/?q=%00",
        "/organisationer/?municipality=%00",
        "/organisationer/?municipality=99999999999999999999999",
        "/organisationer/?page=%00",
        "/moten/?page=99999999999999999999999",
        "/moten/?q=a%00b",
        "/?q=%00",
    ],
)
def test_query_strings_with_nul_or_huge_numbers_never_give_500(client, path):
    OrganisationFactory(status=Organisation.Status.VERIFIED, public_listing=True)
    response = client.get(path)
    assert response.status_code in (200, 400, 404)


@pytest.mark.postgres
def test_admin_search_with_a_nul_character_does_not_fail(admin_client):
    response = admin_client.get(reverse("admin:organisations_contact_changelist") + "?q=a%00b")
    assert response.status_code in (200, 400)


@pytest.mark.postgres
def test_login_with_a_nul_character_does_not_fail(client):
    response = client.post(reverse("account_login"), {"login": "a\x00@example.se", "password": "x\x00"})
    assert response.status_code in (200, 400)


@pytest.mark.postgres
def test_admin_form_refuses_a_number_larger_than_its_column(rf, admin_user):
    """A coordinator's typo of an enormous capacity is a message on the field, not a 500."""
    from django.contrib import admin

    from meetings.models import Meeting

    request = rf.get("/")
    request.user = admin_user
    form_class = admin.site._registry[Meeting].get_form(request)
    form = form_class(data={"capacity": "3000000000"})
    assert not form.is_valid()
    assert "capacity" in form.errors
