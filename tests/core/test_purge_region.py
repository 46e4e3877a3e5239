"""``manage.py purge_region``: a disabled region is exported (rows and files) and then removed with all
its rows, in an order its foreign keys allow; an active region is refused; other regions keep theirs."""

import json

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection, models
from django.test.utils import isolate_apps

from core.management.commands import purge_region
from core.models import Region, RegionalModel
from core.regions import all_regions, region_file_path, region_scope, regional_manager
from tests.factories import UserFactory

# Tables are made and dropped in the test: SQLite's schema editor works outside a transaction only.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def regional_tables(monkeypatch):
    """Two regional models of a test's own (a parent and a child that protects it, with a file), as
    every app's regional models are once merged: the command finds them as it finds those."""
    with isolate_apps("core"):

        class Notebook(RegionalModel):
            title = models.CharField(max_length=50)
            objects = regional_manager()

            class Meta:
                app_label = "core"

        class Page(RegionalModel):
            notebook = models.ForeignKey(Notebook, on_delete=models.PROTECT)
            attachment = models.FileField(upload_to="", blank=True)
            objects = regional_manager()

            class Meta:
                app_label = "core"

    with connection.schema_editor() as editor:
        editor.create_model(Notebook)
        editor.create_model(Page)
    # The parent first: its rows are protected until the child's are gone (the command waits a round).
    monkeypatch.setattr(purge_region, "regional_models", lambda: [Notebook, Page])
    yield Notebook, Page
    with connection.schema_editor() as editor:
        editor.delete_model(Page)
        editor.delete_model(Notebook)


def test_a_disabled_region_is_exported_then_deleted_and_the_other_region_keeps_its_rows(
    regional_tables, other_region, region, media_root, tmp_path
):
    Notebook, Page = regional_tables
    coordinator = UserFactory(is_staff=True, email="samordnare@halland.example.se")
    other_region.coordinators.add(coordinator)
    with region_scope(other_region):
        notebook = Notebook.objects.create(title="Dialogmöten Halmstad")
        page = Page(notebook=notebook)
        page.attachment.save(region_file_path(other_region, "pages", "protokoll.txt"), ContentFile(b"protokoll"))
    kept = Notebook.objects.create(title="Västernorrlands anteckningar")
    other_region.is_active = False
    other_region.save()

    call_command("purge_region", "halland", "--export", str(tmp_path / "export"), "--yes")

    [folder] = (tmp_path / "export").iterdir()
    exported = json.loads((folder / "region.json").read_text())
    assert exported["region"]["fields"]["name"] == "Region Halland"
    assert exported["hosts"] == [{"host": "halland.testserver", "is_primary": True}]
    assert exported["coordinators"] == ["samordnare@halland.example.se"]
    [row] = exported["rows"]["core.Notebook"]
    assert row["fields"]["title"] == "Dialogmöten Halmstad"
    [page_row] = exported["rows"]["core.Page"]
    assert (folder / "files" / page_row["fields"]["attachment"]).read_bytes() == b"protokoll"
    assert page_row["fields"]["attachment"].startswith(f"regions/{other_region.key}/")

    with all_regions():
        assert not Region.objects.filter(short_name="halland").exists()
        assert list(Notebook.objects.values_list("pk", flat=True)) == [kept.pk]
        assert not Page.objects.exists()
    assert not (media_root / page_row["fields"]["attachment"]).exists()
    assert coordinator.coordinated_regions.count() == 0


def test_an_active_region_is_refused_and_nothing_is_written(regional_tables, other_region, tmp_path):
    with region_scope(other_region):
        regional_tables[0].objects.create(title="kvar")
    with pytest.raises(CommandError, match="disable it first"):
        call_command("purge_region", "halland", "--export", str(tmp_path / "export"), "--yes")
    assert not (tmp_path / "export").exists()
    with region_scope(other_region):
        assert regional_tables[0].objects.count() == 1


def test_an_unknown_region_is_refused(tmp_path):
    with pytest.raises(CommandError, match="No region"):
        call_command("purge_region", "finns-inte", "--export", str(tmp_path), "--yes")


def test_models_that_point_to_others_come_first():
    with isolate_apps("core"):

        class Parent(RegionalModel):
            class Meta:
                app_label = "core"

        class Child(RegionalModel):
            parent = models.ForeignKey(Parent, on_delete=models.CASCADE)

            class Meta:
                app_label = "core"

    assert purge_region._dependants_first([Parent, Child]) == [Child, Parent]
