"""A trigram index for the directory's name search on PostgreSQL (a no-op on SQLite).

The search is ``name__icontains``, which PostgreSQL runs as ``UPPER("name"::text) LIKE UPPER(%s)``;
a GIN index over ``UPPER(name)`` with ``gin_trgm_ops`` serves that ``LIKE '%…%'`` with a bitmap
index scan instead of a sequential scan. The index is not declared on the model because SQLite
cannot build it; this migration creates it only when the database is PostgreSQL.
"""

from django.db import migrations

INDEX = "organisation_name_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("organisations", "Organisation")._meta.db_table)
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON {table} USING gin (UPPER(name) gin_trgm_ops)")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0002_interest_submission_snapshot"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
