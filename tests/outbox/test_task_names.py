"""The outbox's tasks keep their registered names wherever their code lives (``services.py`` owns them,
``tasks.py`` is what Celery's autodiscovery imports): messages already on the broker and beat's
``outbox-sweep`` entry name them, so a rename would leave e-mails unsent."""

from outbox import services, tasks
from samverkan.celery import app

NAMES = [
    "outbox.tasks.send_email",
    "outbox.tasks.send_email_batch",
    "outbox.tasks.send_queued",
    "outbox.tasks.sweep_outbox",
]


def test_the_tasks_are_registered_under_their_old_names():
    app.loader.import_default_modules()  # what a worker does at start-up: autodiscovery of <app>.tasks
    assert set(NAMES) <= set(app.tasks)
    assert [
        tasks.send_email.name,
        tasks.send_email_batch.name,
        tasks.send_queued.name,
        tasks.sweep_outbox.name,
    ] == NAMES
    assert tasks.send_email is services.send_email
