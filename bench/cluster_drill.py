"""The cluster drill (``make drills DRILLS_ARGS="--only cluster"``): a web node dies under load.

On the cluster of ``bench/cluster.py`` (nginx, three gunicorn nodes, PgBouncer, two workers, one beat,
moto S3, an SMTP sink), before the load:

- a login on node 1 is used on nodes 2 and 3 (sessions in the database, not in a node);
- a document uploaded through the admin of node 1 (to S3: no node has a shared disk) is listed at once on
  the meeting page of nodes 2 and 3, which had cached that page before (page versions in Redis), and
  downloads byte for byte through node 3;
- 25 sign-ups from one client address spread over the three nodes directly: the limit of 10 a minute
  holds across them (django-ratelimit's counters in Redis), so some are refused (429).

Then page readers and sign-up writers (threads, ``http.client``, every request timed and counted) run
through nginx while node 2 is SIGKILLed (process group) and started again, and while the beat is
SIGKILLed and a replacement started from another folder. Counted: requests and errors (inside and
outside the window when node 2 was down), sign-ups accepted, stored, lost (accepted, not stored) and
duplicated (one address stored twice, or a confirmation delivered twice), and the drill's 3-second
periodic job: sent by which beat, when; a tick sent twice (two sends closer than half the interval) is a
duplicate. The drill fails (exit status 1) when anything was lost or duplicated or a check failed.
"""

import json
import re
import threading
import time
import urllib.parse
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from bench import browser, common
from bench.cluster import Cluster, missing_requirements
from bench.common import HOST, log
from bench.drill_common import drill_meeting, outbox_done, registration_emails, wait_until

TICK_SECONDS = 3
TICK_NAME = "cluster-drill-tick"


def _one_page_pdf() -> bytes:
    """A real one-page PDF (the upload check parses what it is given), written by pypdf."""
    import io

    from pypdf import PdfWriter

    writer, buffer = PdfWriter(), io.BytesIO()
    writer.add_blank_page(200, 200)
    writer.write(buffer)
    return buffer.getvalue()


PDF = _one_page_pdf()


# ---------------------------------------------------------------- HTTP helpers


def _request(port, method, path, *, host=HOST, body=None, headers=None, cookies=None, timeout=30.0):
    import http.client

    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        all_headers = {"Host": f"{host}:{port}", **(headers or {})}
        if cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        conn.request(method, path, body=body, headers=all_headers)
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        conn.close()


def _hidden_inputs(html: str) -> dict:
    fields = {}
    for tag in re.findall(r"<input[^>]*>", html):
        if 'type="hidden"' in tag:
            name = re.search(r'name="([^"]+)"', tag)
            value = re.search(r'value="([^"]*)"', tag)
            if name:
                fields[name.group(1)] = value.group(1) if value else ""
    return fields


def login(port, email, password) -> dict:
    """allauth's login form on one node, like a browser; the cookies of the logged-in session."""
    from django.urls import reverse

    path = reverse("account_login")
    status, headers, body = _request(port, "GET", path)
    cookies = browser.cookies_from(headers)
    form = _hidden_inputs(body.decode())
    form.update({"login": email, "password": password})
    origin = {"Origin": f"http://{HOST}:{port}", "Content-Type": "application/x-www-form-urlencoded"}
    status, headers, _ = _request(
        port, "POST", path, body=urllib.parse.urlencode(form), headers=origin, cookies=cookies
    )
    cookies.update(browser.cookies_from(headers))
    if status not in (302, 303) or "sessionid" not in cookies:
        raise RuntimeError(f"login on :{port} answered {status}")
    return cookies


def admin_upload_document(port, cookies, meeting, title) -> int:
    """Add a MeetingDocument with a PDF through the admin of one node; its new id."""
    from meetings.models import MeetingDocument

    path = "/admin/meetings/meetingdocument/add/"
    status, headers, body = _request(port, "GET", path, cookies=cookies)
    if status != 200:
        raise RuntimeError(f"admin add form on :{port} answered {status}")
    cookies = {**cookies, **browser.cookies_from(headers)}
    fields = _hidden_inputs(body.decode())
    fields.update({"meeting": str(meeting.pk), "kind": "minutes", "title": title, "url": "", "order": "0"})
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="protokoll.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n".encode()
        + PDF
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}", "Origin": f"http://{HOST}:{port}"}
    status, _, body = _request(port, "POST", path, body=b"".join(parts), headers=headers, cookies=cookies)
    if status not in (302, 303):
        errors = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', body.decode(errors="replace"), re.S)
        raise RuntimeError(f"admin upload on :{port} answered {status}: {errors or body[:300]!r}")
    return MeetingDocument.objects.get(meeting=meeting, title=title).pk


# ---------------------------------------------------------------- the drill


def _staff_user(run_id):
    from allauth.account.models import EmailAddress

    from accounts.models import User

    email = f"cluster.drill.{run_id}@example.se"
    password = f"drill-{uuid.uuid4().hex}"
    user = User.objects.create_user(email=email, password=password, is_staff=True, is_superuser=True)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user, password


def _drill_tick():
    """A periodic job every TICK_SECONDS for the beat (Celery's own no-op backend_cleanup)."""
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    schedule, _ = IntervalSchedule.objects.get_or_create(every=TICK_SECONDS, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.update_or_create(
        name=TICK_NAME, defaults={"task": "celery.backend_cleanup", "interval": schedule, "enabled": True}
    )


def _beat_sends(cluster) -> list[tuple[float, str]]:
    """(time, beat) of every send of the drill's tick, from the beats' JSON logs."""
    sends = []
    for path in sorted(cluster.workdir.glob("beat*.log")):
        for line in path.read_text(errors="replace").splitlines():
            if TICK_NAME not in line or not line.startswith("{"):
                continue
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if "Sending due task" in record.get("message", ""):
                sends.append((datetime.fromisoformat(record["timestamp"]).timestamp(), path.stem))
    return sorted(sends)


def drill_cluster(ctx, args):
    """The drill: checks across nodes, then load while node 2 and the beat are killed, then the count."""
    from django_celery_beat.models import PeriodicTask

    database_url, redis_url = ctx["database_url"], ctx["redis_url"]
    problems = missing_requirements(database_url, redis_url)
    if problems:
        raise RuntimeError("; ".join(problems))
    run_id = ctx["run_id"]
    seconds = 30 if args.quick else 60
    kill_at, down_for = (6, 6) if args.quick else (10, 10)
    meeting = drill_meeting("bench-drill-cluster")
    sites = _sites(meeting)
    user, password = _staff_user(run_id)
    _drill_tick()
    cluster = Cluster(database_url=database_url, redis_url=redis_url, extra_env={"EMAIL_TIMEOUT": "5"})
    result = {}
    try:
        cluster.start(trust_forwarded=True)
        log(
            f"cluster drill: nginx {cluster.url}, nodes {cluster.node_ports}; {seconds} s of load, node 2 killed at {kill_at} s"
        )
        checks = _shared_state_checks(cluster, meeting, user, password, run_id)
        checks.update(_shared_ratelimit_check(cluster, meeting, run_id))
        load = _Load(cluster, sites, run_id)
        load.run(seconds=seconds, kill_at=kill_at, down_for=down_for, threads=3 if args.quick else 4)
        result = _count(cluster, sites, run_id, seconds, checks, load)
    finally:
        cluster.stop()
        PeriodicTask.objects.filter(name=TICK_NAME).delete()
        user.delete()
    return result


class _Site:
    """One region as the load sees it: its host, its name, its drill meeting (the same slug in both)."""

    def __init__(self, host, region, meeting):
        from django.urls import reverse

        self.host, self.region_id, self.name, self.meeting = host, region.pk, region.name, meeting
        self.page = reverse("meetings:detail", kwargs={"slug": meeting.slug})
        self.list_page = reverse("meetings:list")
        self.form_path = reverse("meetings:register", kwargs={"slug": meeting.slug})


def _sites(meeting) -> list[_Site]:
    """The two regions of the drill: the first (127.0.0.1) and the bench's second (``halland.localhost``),
    each with a drill meeting under the same path: readers and writers go to both through nginx."""
    from core.models import Region
    from core.regions import all_regions, region_scope

    second = common.ensure_second_region()
    with all_regions():
        first = Region.objects.order_by("pk").first()
    with region_scope(second.pk):
        other_meeting = drill_meeting(meeting.slug)
    return [_Site(HOST, first, meeting), _Site(second.hosts.get(is_primary=True).host, second, other_meeting)]


def _shared_state_checks(cluster, meeting, user, password, run_id) -> dict:
    """1. A session made on node 1 works on nodes 2 and 3. 2. The meeting page cached on nodes 2 and 3,
    a document uploaded through the admin of node 1, then the page and the file through the others."""
    from django.urls import reverse

    from meetings.models import MeetingDocument

    nodes = cluster.node_ports
    page = reverse("meetings:detail", kwargs={"slug": meeting.slug})
    cookies = login(nodes[0], user.email, password)
    mypages = reverse("accounts:mypages")
    session_ok = [_request(p, "GET", mypages, cookies=cookies)[0] == 200 for p in nodes]
    log(f"  login on node 1; My pages on nodes 1–3: {session_ok}")

    for port in nodes[1:]:
        _request(port, "GET", page)
    title = f"Protokoll {run_id}"
    document_id = admin_upload_document(nodes[0], cookies, meeting, title)
    shown = [title in _request(p, "GET", page)[2].decode() for p in nodes[1:]]
    document = MeetingDocument.objects.get(pk=document_id)
    download_path = reverse("meetings:document", kwargs={"slug": meeting.slug, "pk": document_id})
    status, _, content = _request(nodes[2], "GET", download_path)
    in_bucket = any(
        item["Key"] == document.file.name
        for item in cluster.s3.list_objects_v2(Bucket="samverkan-dokument").get("Contents", [])
    )
    on_local_disk = [str(p) for p in cluster.workdir.glob("*/media/**/*") if p.is_file() and p.name.endswith(".pdf")]
    file_ok = status == 200 and content == PDF and in_bucket and not on_local_disk
    log(
        f"  upload on node 1 → listed on nodes 2, 3 at once: {shown}; download via node 3: {status}, "
        f"{'same bytes' if content == PDF else 'different bytes'}; in S3: {in_bucket}; on a node's disk: {len(on_local_disk)}"
    )
    return {"session_ok": session_ok, "shown": shown, "file_ok": file_ok}


def _shared_ratelimit_check(cluster, meeting, run_id) -> dict:
    """3. One client, 25 sign-ups spread over the nodes: the shared limit (10/minute) refuses some."""
    from django.urls import reverse

    nodes = cluster.node_ports
    form_path = reverse("meetings:register", kwargs={"slug": meeting.slug})
    limit_statuses = Counter()
    limited_on = set()
    for i in range(25):
        port = nodes[i % 3]
        client = {"X-Real-IP": "198.51.100.77"}
        status, headers, body = _request(port, "GET", form_path, headers=client)
        data = browser.registration_form_data(body.decode(), form_path)
        post_headers = {**client, "Content-Type": "application/x-www-form-urlencoded"}
        post_headers["Origin"] = f"http://{HOST}:{port}"
        status, _, _ = _request(
            port,
            "POST",
            form_path,
            body=browser.fill(data, f"limit.{run_id}.{i}@example.se"),
            headers=post_headers,
            cookies=browser.cookies_from(headers),
        )
        limit_statuses[status] += 1
        if status == 429:
            limited_on.add(i % 3)
    accepted_one_client = limit_statuses.get(302, 0)
    # Per-node counters would let all 25 through (8–9 a node); shared ones refuse from the 11th on
    # (at most 20 when a minute's window turns during the burst).
    ratelimit_ok = limit_statuses.get(429, 0) > 0 and accepted_one_client <= 20
    log(f"  25 sign-ups from one address over 3 nodes: {dict(limit_statuses)}; refused on nodes {sorted(limited_on)}")
    return {"limit_statuses": limit_statuses, "ratelimit_ok": ratelimit_ok}


class _Load:
    """4. Load through nginx (page readers, sign-up writers; every request timed and counted) while node 2
    is SIGKILLed and started again and the beat is killed and replaced."""

    def __init__(self, cluster, sites, run_id):
        self.cluster, self.sites, self.run_id = cluster, sites, run_id
        self.records = []  # (t, kind, status)
        self.accepted = set()
        self.answered_error = set()
        self.stop = threading.Event()
        self.events = {}
        self.started = time.monotonic()

    def now(self) -> float:
        return time.monotonic() - self.started

    def reader(self, n):
        """Pages of both regions in turn; a page that names the other region is an error of its own."""
        while not self.stop.is_set():
            site = self.sites[n % len(self.sites)]
            path = ["/", site.list_page, site.page][(n // len(self.sites)) % 3]
            n += 1
            t = self.now()
            try:
                status, _, body = _request(self.cluster.port, "GET", path, host=site.host, timeout=30)
                if any(other.name.encode() in body for other in self.sites if other is not site):
                    status = "other region's page"
            except Exception as exc:  # noqa: BLE001 - every failure is a figure here
                status = type(exc).__name__
            self.records.append((t, "page", status))

    def writer(self, n):
        i = 0
        while not self.stop.is_set():
            i += 1
            email = f"cluster.{self.run_id}.{n}.{i}@example.se"
            # A client of its own (behind another proxy): the load is not one client to the limiter.
            client = {"X-Forwarded-For": f"10.{n}.{(i // 250) % 250}.{i % 250 + 1}"}
            t = self.now()
            try:
                status = self._sign_up(self.sites[(n + i) % len(self.sites)], email, client)
            except Exception as exc:  # noqa: BLE001
                status = type(exc).__name__
            self.records.append((t, "signup", status))
            (self.accepted if status in (302, 303) else self.answered_error).add(email)

    def _sign_up(self, site, email, client):
        port, form_path = self.cluster.port, site.form_path
        status, headers, body = _request(port, "GET", form_path, host=site.host, headers=client)
        data = browser.registration_form_data(body.decode(), form_path)
        post_headers = {**client, "Content-Type": "application/x-www-form-urlencoded"}
        post_headers["Origin"] = f"http://{site.host}:{port}"
        return _request(
            port,
            "POST",
            form_path,
            host=site.host,
            body=browser.fill(data, email),
            headers=post_headers,
            cookies=browser.cookies_from(headers),
            timeout=60,
        )[0]

    def chaos(self, kill_at, down_for):
        cluster, events = self.cluster, self.events
        time.sleep(kill_at)
        events["node_down"] = self.now()
        log(f"  kill -KILL node 2 (pid {cluster.services.procs['node2'].pid} and its workers)")
        cluster.kill("node2")
        time.sleep(down_for)
        events["node_restart"] = self.now()
        cluster.start_node(1)
        events["node_up"] = self.now()
        log(f"  node 2 started again, healthy {events['node_up'] - events['node_restart']:.1f} s later")
        time.sleep(max(0.0, kill_at + down_for + 4 - self.now()))
        events["beat_down"] = self.now()
        log("  kill -KILL the beat; a replacement from another folder once it is gone")
        cluster.kill("beat")
        cluster.start_beat("beat-replacement")
        events["beat_up"] = self.now()

    def run(self, *, seconds, kill_at, down_for, threads):
        """``threads`` readers and as many writers for ``seconds``, the kills on their own thread."""
        self.started = time.monotonic()
        chaos_thread = threading.Thread(target=self.chaos, args=(kill_at, down_for))
        with ThreadPoolExecutor(2 * threads) as pool:
            for n in range(threads):
                pool.submit(self.reader, n)
            for n in range(threads):
                pool.submit(self.writer, n)
            chaos_thread.start()
            time.sleep(seconds)
            self.stop.set()
        chaos_thread.join()
        # A few ticks of the replacement beat.
        wait_until(lambda: len([s for s in _beat_sends(self.cluster) if s[1] == "beat-replacement"]) >= 3, timeout=30)


def _nginx_retries(cluster) -> list[str]:
    """nginx's own account: requests it passed to a second node ("upstream=a, b") because the first failed."""
    access_log = cluster.workdir / "nginx" / "access.log"
    upstream_lines = [line for line in access_log.read_text(errors="replace").splitlines() if "upstream=" in line]
    return [line for line in upstream_lines if "," in line.split("upstream=", 1)[1].split(" ", 1)[0]]


def _beat_figures(cluster) -> dict:
    """The drill's periodic job: its sends, by which beat; two sends closer than half the interval are a double tick."""
    sends = _beat_sends(cluster)
    gaps = [b[0] - a[0] for a, b in zip(sends, sends[1:], strict=False)]
    return {
        "beat_ticks": len(sends),
        "beat_processes_seen": sorted({s[1] for s in sends}),
        "beat_double_ticks": sum(1 for g in gaps if g < TICK_SECONDS / 2),
        "beat_min_gap_seconds": round(min(gaps), 2) if gaps else None,
    }


def _signup_figures(sites, run_id, load, sink) -> dict:
    """Sign-ups accepted, stored (each in its own region), lost and doubled, and their confirmations delivered."""
    from core.regions import region_scope
    from meetings.models import Registration

    stored, per_email, message_ids, drained = set(), Counter(), [], True
    for site in sites:
        with region_scope(site.region_id):
            drill_emails = Registration.objects.filter(meeting=site.meeting, email__startswith=f"cluster.{run_id}.")
            emails = list(drill_emails.values_list("email", flat=True))
            stored.update(emails)
            per_email.update(emails)
            drained &= wait_until(lambda s=site: outbox_done(lambda: registration_emails(s.meeting)[1]), timeout=120)
            message_ids += registration_emails(site.meeting)[1].values_list("message_id", flat=True)
    return {
        "signups_accepted": len(load.accepted),
        "signups_stored": len(stored),
        "error_but_stored": len(load.answered_error & stored),
        "lost": len(load.accepted - stored),
        "duplicate_signups": sum(c - 1 for c in per_email.values() if c > 1),
        "emails": common.delivery_report(message_ids, sink.counts()),
        "emails_drained": drained,
    }


def _count(cluster, sites, run_id, seconds, checks, load) -> dict:
    """5. Count: requests and errors (inside and outside the window when node 2 was down), sign-ups,
    e-mails, the beat's ticks, and the verdict."""
    records, events = load.records, load.events
    down, up = events["node_down"], events["node_up"]
    ok = {"page": (200,), "signup": (302, 303)}
    errors = [r for r in records if r[2] not in ok[r[1]]]
    in_window = [r for r in errors if down - 1 <= r[0] <= up + 1]
    status_counts = Counter(f"{r[1]} {r[2]}" for r in records)
    retried = _nginx_retries(cluster)
    signups = _signup_figures(sites, run_id, load, cluster.sink)
    beat = _beat_figures(cluster)
    result = {
        "seconds": seconds,
        "nodes": len(cluster.node_ports),
        "regions": [f"{site.name} ({site.host})" for site in sites],
        "other_regions_pages": sum(1 for r in records if r[2] == "other region's page"),
        "requests": len(records),
        "pages": sum(1 for r in records if r[1] == "page"),
        "signups": sum(1 for r in records if r[1] == "signup"),
        "requests_per_second": round(len(records) / seconds, 1),
        "statuses": dict(status_counts),
        "errors": len(errors),
        "page_errors": sum(1 for r in errors if r[1] == "page"),
        "signup_errors": sum(1 for r in errors if r[1] == "signup"),
        "errors_while_node_down": len(in_window),
        "errors_outside_window": len(errors) - len(in_window),
        "node_down_seconds": round(up - down, 1),
        "retried_by_nginx": len(retried),
        "retried_posts": sum(1 for line in retried if '"POST ' in line),
        **signups,
        "session_on_every_node": all(checks["session_ok"]),
        "upload_listed_on_other_nodes": all(checks["shown"]),
        "file_through_other_node": checks["file_ok"],
        "ratelimit_one_client": dict(checks["limit_statuses"]),
        "ratelimit_shared": checks["ratelimit_ok"],
        **beat,
    }
    result["duplicates"] = signups["duplicate_signups"] + signups["emails"]["duplicates"] + beat["beat_double_ticks"]
    result["lost"] = signups["lost"] + signups["emails"]["lost"]
    result["passed"] = (
        result["lost"] == 0
        and result["other_regions_pages"] == 0
        and result["duplicates"] == 0
        and result["session_on_every_node"]
        and result["upload_listed_on_other_nodes"]
        and result["file_through_other_node"]
        and checks["ratelimit_ok"]
        and "beat-replacement" in beat["beat_processes_seen"]
    )
    _log_count(result, len(retried))
    return result


def _log_count(result, retried: int) -> None:
    log(
        f"  cluster drill: {result['requests']} requests ({result['requests_per_second']}/s), {result['errors']} errors "
        f"({result['page_errors']} pages, {result['signup_errors']} sign-ups; {result['errors_while_node_down']} "
        f"while node 2 was down for {result['node_down_seconds']} s; {retried} passed on to another node by nginx); "
        f"sign-ups {result['signups_accepted']} accepted, {result['signups_stored']} stored, {result['lost']} lost, "
        f"{result['duplicates']} duplicates; beat: {result['beat_ticks']} ticks by {result['beat_processes_seen']}, "
        f"min gap {result['beat_min_gap_seconds']} s; two regions {result['regions']}: a page of the other region "
        f"{result['other_regions_pages']} times → {'PASS' if result['passed'] else 'FAIL'}"
    )
    if result["errors"]:
        log(f"  statuses: {result['statuses']}")
