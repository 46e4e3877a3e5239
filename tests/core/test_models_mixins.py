"""The shared abstract models: the same columns as before, and one ``display_name`` for bilingual names."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation

from agreements.models import Agreement, Signatory
from core.models import BilingualNameModel, TimeStampedModel, in_active_language
from meetings.models import Topic
from organisations.models import AreaOfActivity, Organisation
from organisations.selectors import area_options

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [Organisation, Agreement, Signatory])
def test_time_stamped_models_keep_their_columns(model):
    assert issubclass(model, TimeStampedModel)
    created = model._meta.get_field("created_at")
    updated = model._meta.get_field("updated_at")
    with translation.override("en"):
        assert (created.auto_now_add, created.auto_now, str(created.verbose_name)) == (True, False, "created")
        assert (updated.auto_now, str(updated.verbose_name)) == (True, "updated")
    assert created.column == "created_at" and updated.column == "updated_at"


@pytest.mark.parametrize("model", [Organisation, Agreement, Signatory])
def test_time_stamps_stay_the_last_columns(model):
    """Where the models declared them: exports that list every field keep their order."""
    names = [field.name for field in model._meta.concrete_fields]
    assert names[-2:] == ["created_at", "updated_at"]


def test_adopting_the_mixins_needs_no_migration():
    """The shared definitions are the ones the models had: the database stays as it is."""
    out = StringIO()
    call_command("makemigrations", "meetings", "organisations", "agreements", check=True, dry_run=True, stdout=out)
    assert "No changes detected" in out.getvalue()


def test_updated_at_moves_on_save_and_created_at_stays():
    area = AreaOfActivity.objects.create(name="Idrott", slug="idrott")
    organisation = Organisation.objects.create(name="Förening", organisation_number="802000-0001")
    organisation.areas.add(area)
    created, updated = organisation.created_at, organisation.updated_at
    organisation.name = "Föreningen"
    organisation.save()
    organisation.refresh_from_db()
    assert organisation.created_at == created
    assert organisation.updated_at >= updated


@pytest.mark.parametrize("model", [Topic, AreaOfActivity])
def test_bilingual_models_share_one_display_name(model):
    assert issubclass(model, BilingualNameModel)
    obj = model(name="Folkhälsa", name_en="Public health", slug="folkhalsa")
    with translation.override("sv"):
        assert obj.display_name == "Folkhälsa"
    with translation.override("en"):
        assert obj.display_name == "Public health"
    assert not obj.is_swedish_only


@pytest.mark.parametrize("model", [Topic, AreaOfActivity])
def test_english_pages_fall_back_to_the_swedish_name(model):
    obj = model(name="Folkhälsa", name_en="", slug="folkhalsa")
    with translation.override("en"):
        assert obj.display_name == "Folkhälsa"
    assert obj.is_swedish_only


def test_area_of_activity_keeps_its_help_text_for_the_english_name():
    with translation.override("en"):
        assert "English pages" in str(AreaOfActivity._meta.get_field("name_en").help_text)
    assert Topic._meta.get_field("name_en").help_text == ""


def test_in_active_language_serves_rows_read_as_values():
    with translation.override("en"):
        assert in_active_language("Kultur", "Culture") == "Culture"
        assert in_active_language("Kultur", "") == "Kultur"
    with translation.override("sv"):
        assert in_active_language("Kultur", "Culture") == "Kultur"


def test_directory_area_filter_uses_the_shared_rule():
    AreaOfActivity.objects.create(name="Kultur", name_en="Culture", slug="kultur")
    AreaOfActivity.objects.create(name="Idrott", name_en="", slug="idrott")
    with translation.override("en"):
        assert [label for _pk, label in area_options()] == ["Culture", "Idrott"]
    with translation.override("sv"):
        assert [label for _pk, label in area_options()] == ["Idrott", "Kultur"]
