"""A number typed into a query string or a form is an integer only when it is ASCII digits a column holds
(core.forms.parse_int): "²" and "٣" are digits to ``str.isdigit()``, but ``int("²")`` raises, and an id of
5,000 digits, or one past the column, is no id either. Every page, form, filter and view that reads an id or
a year answers such a value as a wrong value (a form error, a 400, a 404, no filter), never with a 500."""

import pytest
from django.urls import reverse

from agreements.models import Signatory
from core.forms import column_range, parse_id, parse_int
from core.idempotency import new_key as new_idempotency_key
from notifications.models import Follow, Notification, Preference
from notifications.services import schedule_of
from organisations.models import InterestSubmission
from tests.factories import (
    AgreementFactory,
    AgreementVersionFactory,
    AreaOfActivityFactory,
    MunicipalityFactory,
    OrganisationFactory,
    RepresentativeFactory,
    SignatoryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# Digits to str.isdigit() that int() refuses ("²", "¹"), or takes though they are no ASCII ("٣", "𝟙"); a
# number Python's int() refuses (past 4,300 digits); numbers past bigint and past a 32-bit column.
NOT_IDS = ["²", "1²", "٣", "𝟙", "9" * 5000, "9" * 20, "-" + "9" * 20]


@pytest.mark.parametrize("text", ["²", "٣", "𝟙", "1٣", " ", "", "+", "-", "1 2", "0x10", "1_000", "9" * 5000, "9" * 20])
def test_parse_int_takes_only_ascii_digits(text):
    assert parse_int(text) is None


def test_parse_int_keeps_to_the_range_it_is_given():
    assert parse_int(" 42 ") == 42
    assert parse_int("-7") == -7
    assert parse_int("+7") == 7
    assert parse_int(str(2**63 - 1)) == 2**63 - 1
    assert parse_int(str(2**63)) is None
    assert parse_int("7", maximum=6) is None
    assert parse_int("0", minimum=1) is None
    assert parse_id("0") is None and parse_id("-1") is None and parse_id("12") == 12
    assert parse_id(12) == 12
    assert parse_id(None) is None


def test_parse_id_keeps_to_the_range_of_the_column_on_postgresql_whatever_the_database():
    assert parse_id(str(2**31 - 1), internal_type="AutoField") == 2**31 - 1
    assert parse_id(str(2**31), internal_type="AutoField") is None  # SQLite holds it, PostgreSQL does not
    assert parse_int(str(2**15), maximum=column_range("SmallIntegerField")[1]) is None
    assert parse_id(str(2**63 - 1), internal_type="BigAutoField") == 2**63 - 1


def test_a_model_choice_by_a_narrower_integer_key_refuses_what_its_column_does_not_hold(django_assert_max_num_queries):
    from django import forms

    from agreements.models import AgreementVersion

    version = AgreementVersionFactory(number=3)

    class ByNumber(forms.Form):
        version = forms.ModelChoiceField(queryset=AgreementVersion.objects.all(), to_field_name="number")
        versions = forms.ModelMultipleChoiceField(queryset=AgreementVersion.objects.all(), to_field_name="number")

    for value in ["²", "٣", str(2**31), "-1"]:  # a PositiveIntegerField: 0 to 2**31 - 1 on PostgreSQL
        form = ByNumber({"version": value, "versions": [value]})
        with django_assert_max_num_queries(0):
            assert not form.is_valid()
        assert set(form.errors) == {"version", "versions"}
    form = ByNumber({"version": "3", "versions": ["3"]})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["version"] == version


@pytest.fixture
def agreement():
    agreement = AgreementFactory(slug="samverkan")
    SignatoryFactory(agreement=agreement, organisation=OrganisationFactory(name="Föreningen Gemenskap"))
    return agreement


@pytest.mark.parametrize("value", NOT_IDS)
@pytest.mark.parametrize(
    "path, key",
    [
        ("/organisationer/", "municipality"),
        ("/organisationer/", "area"),
        ("/utmaningar/", "municipality"),
        ("/utmaningar/", "area"),
        ("/overenskommelser/samverkan/undertecknare/", "area"),
        ("/overenskommelser/samverkan/undertecknare/", "municipality"),
        ("/sok/?q=x", "municipality"),
    ],
)
def test_a_public_filter_takes_a_digit_that_is_no_id_as_a_wrong_value(client, agreement, path, key, value):
    MunicipalityFactory()
    AreaOfActivityFactory()
    response = client.get(path, {key: value})
    assert response.status_code in (200, 400)


@pytest.mark.parametrize("value", NOT_IDS)
@pytest.mark.parametrize("key", ["municipality", "area"])
def test_the_api_answers_a_digit_that_is_no_id_with_a_400_naming_the_parameter(client, key, value):
    response = client.get("/api/v1/organisations/", {key: value})
    assert response.status_code == 400
    assert key in response.json()["errors"]


@pytest.mark.parametrize("value", NOT_IDS)
@pytest.mark.parametrize("field", ["municipality", "areas"])
def test_the_interest_form_takes_a_digit_that_is_no_id_as_a_form_error(client, field, value):
    MunicipalityFactory()
    AreaOfActivityFactory()
    data = {
        "organisation_name": "Nya föreningen",
        "legal_form": "ideell_forening",
        "contact_name": "Sofia Tungfelt",
        "contact_email": "sofia@example.se",
        "contact_role": "contact",
        "consent": "on",
        "idempotency_key": new_idempotency_key(),
        field: value,
    }
    response = client.post(reverse("organisations:interest"), data)
    assert response.status_code == 400  # the form again, with its errors
    assert response.context["form"].errors[field]
    assert not InterestSubmission.objects.exists()


@pytest.mark.parametrize("value", ["²", "٣", "9" * 5000, "0", "99999"])
def test_the_admin_year_filter_ignores_a_year_that_is_no_year(coordinator_client, agreement, value):
    response = coordinator_client.get(reverse("admin:agreements_signatory_changelist"), {"year": value})
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 1


def test_the_admin_year_filter_still_filters_by_year(coordinator_client, agreement):
    year = Signatory.objects.get().signed_on.year
    url = reverse("admin:agreements_signatory_changelist")
    assert len(coordinator_client.get(url, {"year": str(year)}).context["cl"].result_list) == 1
    assert len(coordinator_client.get(url, {"year": str(year + 1)}).context["cl"].result_list) == 0


# -- notifications: the forms of Mina sidor ----------------------------------------------------------------


@pytest.fixture
def person(client):
    person = UserFactory(email="foljare@example.se")
    client.force_login(person)
    return person


@pytest.mark.parametrize("value", NOT_IDS + ["24", "-1"])
@pytest.mark.parametrize("name", ["weekday", "hour"])
def test_the_digest_day_and_hour_refuse_a_number_that_is_none_with_the_forms_message(client, person, name, value):
    url = reverse("notifications:preference")
    client.post(url, {"email": "digest", "weekday": "2", "hour": "9"})
    data = {"email": "digest", "weekday": "2", "hour": "9", name: value}
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    assert "Välj en veckodag och en timme i listorna." in response.content.decode()
    assert schedule_of(person) == (2, 9)
    assert Preference.objects.get(user=person).email == "digest"


@pytest.mark.parametrize("value", NOT_IDS)
def test_marking_a_notification_read_by_an_id_that_is_none_marks_nothing(client, person, value):
    notification = Notification.objects.create(
        user=person, event="meetings.published", object_type="meetings.meeting", object_id=1, title="Nytt möte"
    )
    response = client.post(reverse("notifications:read"), {"id": value})
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is None
    client.post(reverse("notifications:read"), {"id": str(notification.pk)})
    notification.refresh_from_db()
    assert notification.read_at is not None


@pytest.mark.parametrize("value", NOT_IDS + ["0", "-1"])
def test_following_for_an_organisation_by_an_id_that_is_none_is_a_404(client, person, value):
    organisation = OrganisationFactory()
    RepresentativeFactory(user=person, organisation=organisation)
    AreaOfActivityFactory(slug="folkhalsa")
    data = {"kind": "organisations.area", "key": "folkhalsa", "for": value}
    assert client.post(reverse("notifications:follow"), data).status_code == 404
    assert not Follow.objects.exists()
    data["for"] = str(organisation.pk)
    assert client.post(reverse("notifications:follow"), data).status_code == 302
    assert Follow.objects.get().organisation_id == organisation.pk


@pytest.mark.parametrize("value", ["0001", "0000", "9999", "²⁰²⁴", "٢٠٢٤", "1899", "3000"])
def test_the_grants_page_takes_a_year_outside_the_years_as_no_filter(client, value):
    response = client.get("/bidrag/beviljade/", {"ar": value})
    assert response.status_code == 200
    assert response.context["year"] is None


def test_the_grants_page_still_filters_by_year(client):
    assert client.get("/bidrag/beviljade/", {"ar": "2024"}).context["year"] == 2024
