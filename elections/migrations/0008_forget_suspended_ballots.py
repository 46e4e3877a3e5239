"""Until this release a ballot POSTed without a recent e-ID login (in a region with e-ID) was kept in the
person's session, to be replayed after the login: the chosen candidates and the organisation's id beside the
person's id, in the session table, which Django signs but does not encrypt. The vote page now asks for the
e-ID before it shows the ballot and keeps no ballot (elections/views.py). This removes every such kept ballot
and, on PostgreSQL, rewrites the tables that held them (and the ballot tables, whose deleted rows may still
carry the transaction ids of the casts: migration 0003 deleted plain ballots) so no deleted row is left in
their files."""

from django.db import migrations

KEY = "eid_stepup_request"  # accounts.assurance.STEPUP_SESSION_KEY
TABLES = ["elections_sealedballot", "elections_ballot", "elections_ballotchoice"]


def _is_ballot(suspended) -> bool:
    return isinstance(suspended, dict) and "/rosta/" in str(suspended.get("path", ""))


def forget_suspended_ballots(apps, schema_editor):
    from django.contrib.sessions.backends.db import SessionStore

    Session = apps.get_model("sessions", "Session")
    store = SessionStore()
    forgotten = 0
    for session in Session.objects.filter(session_data__isnull=False).iterator(chunk_size=500):
        data = store.decode(session.session_data)
        if _is_ballot(data.get(KEY)):
            del data[KEY]
            Session.objects.filter(pk=session.pk).update(session_data=store.encode(data))
            forgotten += 1
    connection = schema_editor.connection
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    tables = TABLES + (["django_session"] if forgotten else [])
    with connection.cursor() as cursor:
        cursor.execute("VACUUM FULL " + ", ".join(connection.ops.quote_name(table) for table in tables))


class Migration(migrations.Migration):
    atomic = False  # VACUUM cannot run in a transaction

    dependencies = [
        ("elections", "0007_bilingual_texts"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(forget_suspended_ballots, migrations.RunPython.noop, elidable=True)]
