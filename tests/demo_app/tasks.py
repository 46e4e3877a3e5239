from celery import shared_task

from . import state


@shared_task(name="demo_app.tasks.tidy")
def tidy() -> None:
    state.tidied.append("tidied")
