"""The cached public pages and downloads: cached for repeat visits, and an edit (through a service
or the admin) shows at once."""

import datetime as dt

import pytest
from django.template import engines
from django.test import Client
from django.urls import reverse

from agreements import services
from tests.factories import OrganisationFactory, SignatoryFactory, WorkingGroupMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def visitor():
    """An anonymous visitor (``coordinator_client`` logs in the shared ``client``)."""
    return Client()


def _url(name, agreement, **query):
    url = reverse(f"agreements:{name}", args=[agreement.slug])
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def _text(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


def _admin_post_data(response) -> dict:
    """The data the admin change form would post back unchanged (main form and inlines)."""

    def add(form, data):
        for name in form.fields:
            bound = form[name]
            value = bound.value()
            if value is None or value is False:
                continue
            if value is True:
                value = "on"
            if isinstance(value, (list, tuple)):
                data[bound.html_name] = [str(v) for v in value]
            elif isinstance(value, dt.date):
                data[bound.html_name] = value.isoformat()
            else:
                data[bound.html_name] = str(value)

    data = {}
    add(response.context["adminform"].form, data)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        add(formset.management_form, data)
        for form in formset.initial_forms:
            add(form, data)
    return data


def test_repeat_visits_are_served_from_the_cache(client, agreement, django_assert_max_num_queries):
    SignatoryFactory(agreement=agreement)
    for url in (
        reverse("agreements:list"),
        agreement.get_absolute_url(),
        _url("signatories", agreement),
        _url("signatories_csv", agreement),
        _url("signatories_json", agreement),
    ):
        _text(client.get(url))
        with django_assert_max_num_queries(0):
            assert client.get(url).status_code == 200


def test_list_shows_a_title_changed_in_the_admin_at_once(visitor, coordinator_client, agreement, run_on_commit):
    assert "Överenskommelse om samverkan" in visitor.get(reverse("agreements:list")).content.decode()
    change_url = reverse("admin:agreements_agreement_change", args=[agreement.pk])
    data = _admin_post_data(coordinator_client.get(change_url))
    data["title"] = "Ny rubrik på överenskommelsen"
    with run_on_commit():
        response = coordinator_client.post(change_url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert "Ny rubrik på överenskommelsen" in visitor.get(reverse("agreements:list")).content.decode()


def test_agreement_page_shows_a_working_group_edit_in_the_admin_at_once(
    visitor, coordinator_client, agreement, run_on_commit
):
    member = WorkingGroupMemberFactory(agreement=agreement, name="Anna Andersson")
    assert "Anna Andersson" in visitor.get(agreement.get_absolute_url()).content.decode()
    change_url = reverse("admin:agreements_workinggroupmember_change", args=[member.pk])
    data = _admin_post_data(coordinator_client.get(change_url))
    data["name"] = "Berit Bengtsson"
    with run_on_commit():
        response = coordinator_client.post(change_url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    content = visitor.get(agreement.get_absolute_url()).content.decode()
    assert "Berit Bengtsson" in content
    assert "Anna Andersson" not in content


def test_signatory_list_chart_and_filters_show_a_verification_at_once(client, agreement, coordinator, run_on_commit):
    organisation = OrganisationFactory(name="Nyverifierade föreningen")
    pending = SignatoryFactory(agreement=agreement, organisation=organisation, status="pending", verified_at=None)
    url = _url("signatories", agreement)
    before = client.get(url).content.decode()
    assert "Nyverifierade föreningen" not in before
    with run_on_commit():
        services.signatory_verify(signatory=pending, by=coordinator)
    after = client.get(url).content.decode()
    assert "Nyverifierade föreningen" in after
    if organisation.municipality:
        assert organisation.municipality.name in after  # the filter options


def test_signatory_list_with_a_query_string_shows_a_withdrawal_at_once(client, agreement, coordinator, run_on_commit):
    signatory = SignatoryFactory(agreement=agreement, organisation__name="Scoutkåren Norr")
    url = _url("signatories", agreement, q="scout")
    assert "Scoutkåren Norr" in client.get(url).content.decode()
    with run_on_commit():
        services.signatory_withdraw(signatory=signatory, by=coordinator, reason="Upphört")
    assert "Scoutkåren Norr" not in client.get(url).content.decode()


def test_csv_shows_a_verification_at_once(client, agreement, coordinator, run_on_commit):
    pending = SignatoryFactory(
        agreement=agreement, organisation__name="Fotbollsklubben", status="pending", verified_at=None
    )
    assert "Fotbollsklubben" not in _text(client.get(_url("signatories_csv", agreement)))
    with run_on_commit():
        services.signatory_verify(signatory=pending, by=coordinator)
    assert "Fotbollsklubben" in _text(client.get(_url("signatories_csv", agreement)))


def test_json_shows_a_withdrawal_at_once(client, agreement, coordinator, run_on_commit):
    signatory = SignatoryFactory(agreement=agreement)
    assert client.get(_url("signatories_json", agreement)).json()["count"] == 1
    with run_on_commit():
        services.signatory_withdraw(signatory=signatory, by=coordinator)
    assert client.get(_url("signatories_json", agreement)).json()["count"] == 0


def test_csv_and_json_are_cached_per_filters(client, agreement):
    SignatoryFactory(agreement=agreement, organisation__name="Scoutkåren")
    SignatoryFactory(agreement=agreement, organisation__name="Schackklubben")
    assert "Schackklubben" in _text(client.get(_url("signatories_csv", agreement)))
    assert "Schackklubben" not in _text(client.get(_url("signatories_csv", agreement, q="scout")))
    assert client.get(_url("signatories_json", agreement, q="scout")).json()["count"] == 1
    assert client.get(_url("signatories_json", agreement)).json()["count"] == 2


def test_home_count_shows_a_verification_at_once(agreement, coordinator, run_on_commit, django_assert_max_num_queries):
    template = engines["django"].from_string("{% include 'agreements/_home.html' %}")
    pending = SignatoryFactory(agreement=agreement, status="pending", verified_at=None)
    SignatoryFactory(agreement=agreement)
    assert '<p class="display-6 mb-1">1</p>' in template.render({})
    with django_assert_max_num_queries(0):
        template.render({})
    with run_on_commit():
        services.signatory_verify(signatory=pending, by=coordinator)
    assert '<p class="display-6 mb-1">2</p>' in template.render({})


def test_pages_are_cached_per_language(client, agreement):
    sv = client.get(reverse("agreements:list"), headers={"accept-language": "sv"}).content.decode()
    en = client.get(reverse("agreements:list"), headers={"accept-language": "en"}).content.decode()
    assert sv != en
