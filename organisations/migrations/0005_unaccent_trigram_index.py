"""Accent-insensitive name search on PostgreSQL: the ``unaccent`` extension, an IMMUTABLE wrapper and a
trigram index over ``immutable_unaccent(lower(name))`` (organisations.search.Folded). A no-op on SQLite,
where organisations.search registers a Python function of the same name on every connection.

``unaccent(text)`` is only STABLE (it reads the dictionary through the search path), so it cannot be used
in an index; the two-argument form with the dictionary named, wrapped in an IMMUTABLE SQL function, can.
"""

from django.db import migrations

INDEX = "organisation_name_unaccent_trgm"

CREATE_FUNCTION = """
CREATE OR REPLACE FUNCTION immutable_unaccent(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("organisations", "Organisation")._meta.db_table)
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public")
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(CREATE_FUNCTION)
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON {table} USING gin (immutable_unaccent(lower(name)) gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute("DROP FUNCTION IF EXISTS immutable_unaccent(text)")


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0004_contact_confirmed_unique_email"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
