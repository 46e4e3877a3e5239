"""The database: SQLite in the project by default, PostgreSQL (optionally behind PgBouncer) from ``DATABASE_URL``."""

from .base import BASE_DIR, env

# Database: SQLite file in the project unless DATABASE_URL says otherwise.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Behind PgBouncer in transaction mode (several web nodes and workers sharing PostgreSQL's
    # connections) a session lasts one transaction: no server-side cursors (a cursor would outlive
    # its transaction) and no prepared statements (psycopg prepares a query run five times, on a
    # server connection the next transaction may not get). PgBouncer itself restores TimeZone.
    if env.bool("DATABASE_TRANSACTION_POOLING", default=False):
        DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
        DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = None
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default is written by two processes (web and the periodic jobs). WAL lets pages read
    # while a writer works; IMMEDIATE takes the write lock when a transaction begins, where the busy
    # timeout waits for it (a deferred transaction that reads, then writes, fails at once with "database
    # is locked" when another process wrote in between); synchronous=NORMAL is safe with WAL.
    SQLITE_BUSY_TIMEOUT = env.float("SQLITE_BUSY_TIMEOUT", default=10.0)
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                f"PRAGMA busy_timeout={int(SQLITE_BUSY_TIMEOUT * 1000)}"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": SQLITE_BUSY_TIMEOUT,
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
