"""The webhook drill (``make drills``, ``--only webhooks``): a few hundred events delivered by the Celery
worker to a partner's receiver on 127.0.0.1 (``bench/webhook_receiver.py``), which is SIGKILLed in the middle
of the run and started again after ``--receiver-down`` seconds. Counted from the receiver's log and the
deliveries' rows: every event received (none lost), every request's signature good, and a second copy of an
event only as a retry (another attempt with another delivery id, the same event id), never one attempt twice.

The drill's own sweeper thread plays beat's ``webhooks-sweep`` every second (retries after 2, 4, 8, 15 and 30 s:
``DRILL_ENV``), so that the drill takes a minute, not hours."""

import json
import os
import signal
import threading
import time
from collections import Counter

from bench import common
from bench.common import log
from bench.drill_common import drill_meeting, wait_until

SECRET = "whsec_drill-secret"  # noqa: S105 - the drill's own receiver


class Sweeper(threading.Thread):
    """Plays beat's webhook sweep in the region of the drill, every ``every`` seconds."""

    def __init__(self, region_id, every=1.0):
        super().__init__(daemon=True)
        self.region_id, self.every = region_id, every
        self.stopped = threading.Event()
        self.queued = 0

    def run(self):
        from django.db import connection

        from core.regions import region_scope
        from webhooks.delivery import deliveries_sweep

        while not self.stopped.wait(self.every):
            try:
                with region_scope(self.region_id):
                    self.queued += deliveries_sweep()["queued"]
            except Exception as exc:  # noqa: BLE001 - counted, the drill goes on
                log(f"    (webhook sweep failed: {type(exc).__name__})")
            finally:
                connection.close()

    def stop(self):
        self.stopped.set()
        self.join(5)


def _start_receiver(services, port, path):
    env = {**os.environ, "WEBHOOK_SECRET": SECRET}
    services.start(
        "receiver",
        [common.PY, str(common.BENCH / "webhook_receiver.py"), "--port", str(port), "--log", str(path)],
        env=env,
    )
    common.wait_for_port(port)


def _received(path):
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def _endpoint(run_id, port):
    from webhooks.models import Endpoint
    from webhooks.services import endpoint_save

    Endpoint.objects.filter(name__startswith="Drill ").update(is_active=False)  # earlier runs' endpoints
    endpoint = Endpoint(
        name=f"Drill {run_id}", url=f"http://127.0.0.1:{port}/hook", events=["meetings.published"], is_active=True
    )
    endpoint_save(endpoint=endpoint)
    Endpoint.objects.filter(pk=endpoint.pk).update(secret=SECRET)
    return endpoint


def _count(endpoint, lines):
    from webhooks.models import Delivery

    rows = Delivery.objects.filter(endpoint=endpoint)
    events = set(str(u) for u in rows.values_list("event__uuid", flat=True).distinct())
    delivered = set(str(u) for u in rows.filter(status="succeeded").values_list("event__uuid", flat=True))
    per_event = Counter(line["event"] for line in lines)
    per_attempt = Counter(line["delivery"] for line in lines)
    duplicates = {event: n for event, n in per_event.items() if n > 1}
    return {
        "events": len(events),
        "received_events": len(set(per_event) & events),
        "lost": len(events - set(per_event)),
        "not_delivered_in_db": len(events - delivered),
        "requests": len(lines),
        "duplicate_events": len(duplicates),
        "duplicate_copies": sum(n - 1 for n in duplicates.values()),
        "same_attempt_twice": sum(1 for n in per_attempt.values() if n > 1),
        "bad_signatures": sum(1 for line in lines if not line["signature_ok"]),
        "attempts": dict(sorted(Counter(rows.values_list("attempt", flat=True)).items())),
        "statuses": dict(Counter(rows.values_list("status", flat=True))),
    }


def _emit_with_outage(services, args, *, count, port, path, meeting):
    """Emit ``count`` events; SIGKILL the receiver at ~30 % received, start it again after the outage.
    Returns how many requests the receiver had logged when it was killed."""
    from core.events import emit

    killed_at, down_since = None, None
    for i in range(count):
        emit("meetings.published", obj=meeting, title=meeting.title, url=meeting.get_absolute_url())
        if killed_at is None and len(_received(path)) >= count * 0.3:
            killed_at = len(_received(path))
            log(f"  kill -KILL the receiver with {killed_at}/{count} received ({i + 1} emitted)")
            services.stop("receiver", sig=signal.SIGKILL)
            down_since = time.monotonic()
        if down_since is not None and "receiver" not in services.procs:
            if time.monotonic() - down_since > args.receiver_down:
                _start_receiver(services, port, path)
                log("  receiver started again")
        time.sleep(args.webhook_interval)
    if "receiver" not in services.procs:
        time.sleep(max(0.0, args.receiver_down - (time.monotonic() - down_since)))
        _start_receiver(services, port, path)
        log("  receiver started again (after the last event)")
    return killed_at


def drill_webhooks(ctx, args):
    """Kill the receiver mid-run, start it again: every event received, duplicates only as retries?"""
    from core.region_state import current_region_id
    from webhooks.models import Delivery

    services, count = ctx["services"], args.webhooks
    port = common.free_port()
    path = common.tempdir("webhooks-") / "received.jsonl"
    _start_receiver(services, port, path)
    endpoint = _endpoint(ctx["run_id"], port)
    meeting = drill_meeting("bench-drill-webhooks")
    sweeper = Sweeper(current_region_id())
    sweeper.start()
    log(
        f"webhooks drill: {count} events to a receiver on :{port}; SIGKILL it at ~30 % received, down {args.receiver_down} s"
    )
    began = time.monotonic()
    killed_at = _emit_with_outage(services, args, count=count, port=port, path=path, meeting=meeting)

    def settled():
        return not Delivery.objects.filter(endpoint=endpoint, status__in=["pending", "sending"]).exists()

    drained = wait_until(settled, timeout=240, every=1.0)
    seconds = time.monotonic() - began
    sweeper.stop()
    services.stop("receiver")
    result = {
        "sent_at_kill": killed_at,
        "receiver_down_seconds": args.receiver_down,
        "drained": drained,
        "seconds": round(seconds, 1),
        "sweeper_queued": sweeper.queued,
        **_count(endpoint, _received(path)),
    }
    checks = [result["lost"], result["not_delivered_in_db"], result["same_attempt_twice"], result["bad_signatures"]]
    result["passed"] = bool(drained and killed_at is not None and result["events"] == count and not any(checks))
    log(
        f"  webhooks drill: {result['received_events']}/{result['events']} events received in {seconds:.0f} s, "
        f"{result['lost']} lost, {result['duplicate_copies']} duplicate copies (all retries: "
        f"{result['same_attempt_twice'] == 0}), attempts {result['attempts']}, "
        f"{result['bad_signatures']} bad signatures → {'PASS' if result['passed'] else 'FAIL'}"
    )
    return result
