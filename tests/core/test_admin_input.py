"""Junk in the admin's query strings and autocomplete fields gets an answer, never a 500, in every
app's ModelAdmin (core/admin_input.py). NUL bytes are refused by the database as PostgreSQL does
whatever the database (``postgres_nul_rule``)."""

import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db

ADMINS = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)
IDS = [model._meta.label for model, _ in ADMINS]


def _changelist(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


@pytest.mark.parametrize(("model", "model_admin"), ADMINS, ids=IDS)
def test_a_nul_byte_in_any_changelist_query_is_a_bad_request(admin_client, postgres_nul_rule, model, model_admin):
    params = {"q": "a\x00b", "status": "\x00", "status__exact": "\x00", "o": "1"}
    for list_filter in model_admin.list_filter:
        name = list_filter if isinstance(list_filter, str) else getattr(list_filter, "parameter_name", None)
        if isinstance(name, str):
            params[f"{name}__exact"] = "\x00"
            params[name] = "\x00"
    response = admin_client.get(_changelist(model), params)
    assert response.status_code == 400


def test_the_autocomplete_view_refuses_a_nul_term(admin_client, postgres_nul_rule):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"term": "a\x00b", "app_label": "challenges", "model_name": "challenge", "field_name": "raising_organisation"},
    )
    assert response.status_code == 400


def test_a_year_filter_too_large_for_a_date_lists_everything(admin_client):
    from tests.factories import SignatoryFactory

    SignatoryFactory()
    response = admin_client.get(reverse("admin:agreements_signatory_changelist"), {"year": "9" * 30})
    assert response.status_code == 200


WITH_AUTOCOMPLETE = [(model, model_admin) for model, model_admin in ADMINS if model_admin.autocomplete_fields]


@pytest.mark.parametrize(
    ("model", "model_admin"), WITH_AUTOCOMPLETE, ids=[model._meta.label for model, _ in WITH_AUTOCOMPLETE]
)
@pytest.mark.parametrize("junk", ["1.5", "abc", "9" * 40, "{}"])
def test_an_autocomplete_value_that_is_no_key_gives_a_form_error(admin_client, model, model_admin, junk):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    page = admin_client.get(url)
    assert page.status_code == 200
    data = {name: junk for name in model_admin.autocomplete_fields}
    response = admin_client.post(url, data)
    assert response.status_code == 200  # the form again, with its errors


@pytest.mark.django_db
def test_an_admin_object_id_that_names_nothing_is_a_404_not_a_redirect_that_confirms_the_url(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get("/admin/accounts/user/987654/change/")
    assert response.status_code == 404


@pytest.mark.parametrize(("model", "model_admin"), ADMINS, ids=IDS)
def test_a_bad_lookup_beside_the_error_flag_lists_from_the_start_with_a_message(admin_client, model, model_admin):
    """Django's own answer to ``?e=1`` with a lookup it cannot use was its "Database error" page."""
    response = admin_client.get(_changelist(model), {"e": "1", "pk__in": "x,y", "nonsense__exact": "1"})
    assert response.status_code == 200
    assert response.context["cl"].get_filters_params() == {}
    text = response.content.decode()
    assert "invalid_setup" not in [t.name for t in response.templates]
    assert "Database error" not in text and "Databasfel" not in text
    assert [str(m) for m in response.context["messages"]]


WITH_CHOICES = [
    (model, model_admin, field.name)
    for model, model_admin in ADMINS
    for field in model._meta.concrete_fields
    if field.choices and field.name in [f if isinstance(f, str) else None for f in model_admin.list_filter]
]


@pytest.mark.parametrize(
    ("model", "model_admin", "name"), WITH_CHOICES, ids=[f"{m._meta.label}.{n}" for m, _a, n in WITH_CHOICES]
)
def test_a_choice_filter_with_a_value_that_is_no_choice_says_so(admin_client, model, model_admin, name):
    """``?status=nonsense`` listed nothing and said nothing: now the list from the start, with the message."""
    response = admin_client.get(_changelist(model), {f"{name}__exact": "nonsense"}, follow=True)
    assert response.status_code == 200
    assert response.context["cl"].get_filters_params() == {}
    assert [str(m) for m in response.context["messages"]]
    choice = str(model._meta.get_field(name).flatchoices[0][0])
    valid = admin_client.get(_changelist(model), {f"{name}__exact": choice})
    assert valid.status_code == 200 and valid.context["cl"].get_filters_params() == {f"{name}__exact": [choice]}
