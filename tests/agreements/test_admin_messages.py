"""Admin action messages and history pages of the signatories: the numbers a coordinator reads are right."""

import pytest
from django.urls import reverse

from tests.factories import SignatoryFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:agreements_signatory_changelist"


def _messages(response):
    return [str(message) for message in response.context["messages"]]


def test_verify_from_the_pending_filter_reports_no_negative_skipped(coordinator_client, agreement):
    # The start page's work item links to the changelist filtered on "pending"; verifying there once
    # said "-1 väntade inte…", because the filtered selection was counted again after verifying.
    pending = SignatoryFactory(agreement=agreement, status="pending", verified_at=None)
    url = reverse(CHANGELIST) + "?status__exact=pending"
    response = coordinator_client.post(
        url, {"action": "verify_selected", "_selected_action": [pending.pk], "confirm": "yes"}, follow=True
    )
    assert _messages(response) == [f"{pending}: verifierad; företrädarna har fått besked."]


def test_verify_reports_each_one_left_as_it_was(coordinator_client, agreement):
    pending = SignatoryFactory(agreement=agreement, status="pending", verified_at=None)
    verified = SignatoryFactory.create_batch(2, agreement=agreement)
    response = coordinator_client.post(
        reverse(CHANGELIST),
        {"action": "verify_selected", "_selected_action": [pending.pk, *(s.pk for s in verified)], "confirm": "yes"},
        follow=True,
    )
    skipped = "Bara en underskrift som väntar på verifiering kan verifieras."
    assert sorted(_messages(response)) == sorted(
        [f"{pending}: verifierad; företrädarna har fått besked.", *(f"{s}: {skipped}" for s in verified)]
    )


def test_history_page_shows_no_raw_none(coordinator_client, agreement):
    # A signature entered without a change reason, by no user (an import or a shell): the history page
    # once showed Python's "None" in the reason column and an untranslated "None" as the author.
    signatory = SignatoryFactory(agreement=agreement, status="pending", verified_at=None)
    html = coordinator_client.get(reverse("admin:agreements_signatory_history", args=[signatory.pk])).content.decode()
    table = html.split('id="change-history"', 1)[1].split("</table>", 1)[0]
    assert "None" not in table
    assert "Ingen" in table or "–" in table


def test_history_table_scrolls_in_its_own_labelled_region(coordinator_client, agreement):
    signatory = SignatoryFactory(agreement=agreement)
    html = coordinator_client.get(reverse("admin:agreements_signatory_history", args=[signatory.pk])).content.decode()
    before_table = html.split('id="change-history"', 1)[0]
    wrapper = before_table.rsplit("<div", 1)[1]
    assert 'class="table-scroll"' in wrapper
    assert 'role="region"' in wrapper and 'tabindex="0"' in wrapper and "aria-label" in wrapper


def test_replaced_by_is_a_plain_select_that_works_without_script(coordinator_client, agreement):
    from tests.factories import AgreementFactory

    newer = AgreementFactory(title="Ny överenskommelse 2027", slug="ny-2027")
    html = coordinator_client.get(reverse("admin:agreements_agreement_change", args=[agreement.pk])).content.decode()
    select = html.split('name="replaced_by"', 1)[1].split("</select>", 1)[0]
    assert "admin-autocomplete" not in html.split('name="replaced_by"', 1)[0].rsplit("<select", 1)[1]
    assert f'value="{newer.pk}"' in select and "Ny överenskommelse 2027" in select
