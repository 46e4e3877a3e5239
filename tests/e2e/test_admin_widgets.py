"""The admin's JavaScript widgets with a screen reader's eyes (static/js/admin_widgets.js): the autocomplete's
combobox and search fields are named by the field's label, the two-list selector's icons may carry their
label, axe-core finds nothing serious with a dropdown open, and choosing with the keyboard still works."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_check, log_in
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _two_organisations_and_log_in(page, live_server, user):
    OrganisationFactory(name="Röda Korset Sundsvall")
    OrganisationFactory(name="Friluftsfrämjandet Härnösand")
    log_in(page, live_server, user)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_autocomplete_is_named_by_its_label_and_chooses_an_organisation(page, live_server, demo_coordinator):
    _two_organisations_and_log_in(page, live_server, demo_coordinator)
    page.goto("/admin/consultations/consultation/add/")
    axe_check(page)

    # Select2 draws a combobox instead of the <select>: the label names it.
    agreement = page.get_by_role("combobox", name="Överenskommelse")
    expect(agreement).to_be_visible()
    invited = page.get_by_role("searchbox", name="Inbjudna organisationer")
    invited.click()
    expect(page.get_by_role("option", name="Röda Korset Sundsvall")).to_be_visible()
    axe_check(page)  # with the dropdown and its results open
    invited.fill("Röda")
    expect(page.get_by_role("option", name="Friluftsfrämjandet Härnösand")).to_have_count(0)
    invited.press("Enter")
    # Select2 rebuilds its search field after a choice: the new one is named too.
    expect(page.get_by_role("searchbox", name="Inbjudna organisationer")).to_be_visible()
    chosen = page.locator("#id_invited_organisations option:checked")
    expect(chosen).to_have_text(["Röda Korset Sundsvall"])
    axe_check(page)


def test_the_two_list_selector_passes_axe_and_filters_by_its_labelled_field(page, live_server, demo_coordinator):
    _two_organisations_and_log_in(page, live_server, demo_coordinator)
    page.goto("/admin/partnerships/partnership/add/")
    axe_check(page)
    page.locator("#id_organisations_input").press_sequentially("Frilufts")
    expect(page.locator("#id_organisations_from option")).to_have_text(["Friluftsfrämjandet Härnösand"])
