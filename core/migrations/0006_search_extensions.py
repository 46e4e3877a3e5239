"""The portal's search (core/search) on PostgreSQL: the ``unaccent`` and ``pg_trgm`` extensions and the
IMMUTABLE ``immutable_unaccent(text)`` the search folds with. A no-op on SQLite, where core.search.folding
registers a Python function of that name on every connection.

The organisations' directory made the same (organisations 0005); both are idempotent, and going back
drops nothing, since the other still uses them."""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

CREATE_FUNCTION = """
CREATE OR REPLACE FUNCTION immutable_unaccent(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$
"""


class KeptUnaccentExtension(UnaccentExtension):
    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass  # the organisations' directory uses it too


class KeptTrigramExtension(TrigramExtension):
    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass


def create_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_FUNCTION)


class Migration(migrations.Migration):
    dependencies = [("core", "0005_public_records")]

    operations = [
        KeptUnaccentExtension(),
        KeptTrigramExtension(),
        migrations.RunPython(create_function, migrations.RunPython.noop, elidable=False),
    ]
