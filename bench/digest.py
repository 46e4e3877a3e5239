"""The weekly digest for ``make bench`` (issue 25): N people follow one area of activity, a meeting is
published in it, and the beat builds every digest and hands it to the outbox.

Two figures, both in this process on the bench database (PostgreSQL) with the broker on Redis:

- **event → notifications**: the notifications subscriber (``notifications.events.on_event``) makes one
  notification per follower of the area (one ``bulk_create``);
- **digests built and handed to the outbox**: ``notifications.services.digests_build`` at the next
  slot builds one digest per person (the window, its items, the e-mail rendered and stored as an
  outbox row, the row's send task published on commit). Sending is the worker's and is measured by
  the fan-out; here the time ends when the last row is stored and its task published.

Rate = digests ÷ seconds. The rows are marked ``bench-digest-…`` and deleted afterwards, with their
tasks' queue. Alone (without the rest of the bench, on a queue of its own)::

    DATABASE_URL=postgres://… REDIS_URL=redis://… BENCH=true .venv/bin/python -m bench.digest --followers 1000
"""

import argparse
import os
import time
from datetime import timedelta

from bench.common import log

PREFIX = "bench-digest-"


def _people(count: int, run_id: str) -> list:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    User = get_user_model()
    unusable = make_password(None)  # nobody logs in as them
    User.objects.bulk_create(
        [
            User(email=f"{PREFIX}{run_id}-{i}@example.se", full_name=f"Följare {i}", password=unusable)
            for i in range(count)
        ],
        batch_size=2000,
    )
    return list(User.objects.filter(email__startswith=f"{PREFIX}{run_id}-").values_list("pk", flat=True))


def _area(run_id: str):
    from organisations.models import AreaOfActivity

    return AreaOfActivity.objects.create(name=f"Bench digest {run_id}", slug=f"{PREFIX}{run_id}")


def bench_digest(count: int, run_id: str) -> dict:
    """Figures for ``count`` followers of one area; everything made is deleted again."""
    from django.utils import timezone

    from core.events import Event
    from core.regions import current_region_id
    from notifications.events import on_event
    from notifications.models import Follow
    from notifications.services import digests_build
    from outbox.models import OutgoingEmail

    area = _area(run_id)
    user_ids = _people(count, run_id)
    try:
        Follow.objects.bulk_create(
            [Follow(user_id=pk, kind="organisations.area", object_id=area.pk, label=area.name) for pk in user_ids],
            batch_size=2000,
        )
        log(f"  digest: {count} people follow {area.name}; a meeting is published in it")
        event = Event(
            name="meetings.published",
            object_type="meetings.meeting",
            object_id=10**12 + int(run_id[-6:]),
            title="Bench: dialogmöte om folkhälsa",
            url="/moten/bench-digest/",
            targets=(("organisations.area", area.pk),),
            region_id=current_region_id(),
            at=timezone.now(),
        )
        started = time.perf_counter()
        made = on_event(event)
        notify_seconds = time.perf_counter() - started
        # The beat at the next weekly slot (at least a day after the notifications were made).
        started = time.perf_counter()
        built = digests_build(now=timezone.now() + timedelta(days=8))["built"]
        build_seconds = time.perf_counter() - started
        rows = OutgoingEmail.objects.filter(to__startswith=f"{PREFIX}{run_id}-", kind="notifications.digest").count()
        result = {
            "followers": count,
            "notifications": made,
            "notify_seconds": round(notify_seconds, 2),
            "digests": built,
            "outbox_rows": rows,
            "seconds": round(build_seconds, 2),
            "digests_per_s": round(built / build_seconds, 1) if build_seconds else None,
        }
        log(
            f"  digest: {made} notifications in {notify_seconds:.2f} s; {built} digests built and handed to the "
            f"outbox in {build_seconds:.2f} s ({result['digests_per_s']}/s), {rows} outbox rows"
        )
        return result
    finally:
        _delete(run_id, area)


def _delete(run_id: str, area) -> None:
    from django.contrib.auth import get_user_model

    from outbox.models import OutgoingEmail

    OutgoingEmail.objects.filter(to__startswith=f"{PREFIX}{run_id}-").delete()
    get_user_model().objects.filter(email__startswith=f"{PREFIX}{run_id}-").delete()  # follows, notifications, digests
    area.delete()


def main():
    """Run the digest figure alone, its send tasks on a queue of its own that is deleted afterwards."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--followers", type=int, default=10_000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
    os.environ.setdefault("BENCH", "true")
    import django

    django.setup()
    from datetime import UTC, datetime

    from bench.common import enter_first_region
    from samverkan.celery import app

    enter_first_region()
    run_id = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    queue = f"{PREFIX}{run_id}"
    app.conf.task_default_queue = queue
    try:
        print(bench_digest(args.followers, run_id))
    finally:
        with app.connection_for_write() as connection:
            connection.default_channel.queue_delete(queue)


if __name__ == "__main__":
    main()
