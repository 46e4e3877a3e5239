"""Browser harness: Playwright drives Debian's Chromium against Django's live server.

Every page a test visits should be checked with ``axe_check(page)``, which fails the test on
any serious or critical axe-core violation. Without /usr/bin/chromium the tests are skipped
with the command that installs it.
"""

import os
import shutil

import pytest

from tests.eid_provider import eid_provider, eid_region  # noqa: F401 - the local e-ID provider (tests/e2e/test_eid.py)

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test
# body are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)
            if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
                item.add_marker(
                    pytest.mark.skip(
                        reason="Chromium is missing: run `sudo apt-get update && sudo apt-get install -y chromium`"
                    )
                )


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium"), args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, settings):
    # Links in e-mails are built on the region's primary host with SITE_URL's scheme and port (never on the
    # request's host): here, the live server's, so that a link opened in the browser keeps its session.
    settings.SITE_URL = live_server.url
    _primary_host_of_the_live_server(live_server)
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", timezone_id="Europe/Stockholm")
    # Generous bounds: every wait ends as soon as its condition holds, and on a machine whose two
    # cores are busy with other work a page with axe-core took more than the former 10 s.
    context.set_default_timeout(60_000)
    context.set_default_navigation_timeout(60_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def demo_coordinator(settings):
    """The demo's coordinator of the test region (``core.demo``), let into the admin without a second factor."""
    from core.demo import load

    settings.STAFF_REQUIRE_MFA = False
    return load()


def log_in(page, live_server, user) -> None:
    """Log ``user`` in in the page's browser context: the session cookie of a test client's login, for the live
    server's host."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}])


def _primary_host_of_the_live_server(live_server):
    from urllib.parse import urlsplit

    from core.models import RegionHost
    from core.region_state import current_region
    from core.regions import host_map

    host = urlsplit(live_server.url).hostname
    region = current_region()
    RegionHost.objects.filter(region=region).update(is_primary=False)
    RegionHost.objects.update_or_create(host=host, defaults={"region": region, "is_primary": True})
    host_map.load()


@pytest.fixture(autouse=True)
def _e2e_settings(settings):
    # The live server runs in this process: e-mails land in django.core.mail.outbox.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DEBUG = False


_axe = None


def _record(page, response) -> None:
    """With AXE_RESULTS_FILE set, append what axe found on this page as one JSON line (every impact), for
    ``manage.py record_accessibility_check`` to store as the portal's last automated check."""
    target = os.environ.get("AXE_RESULTS_FILE")
    if not target:
        return
    import datetime as dt
    import json
    from urllib.parse import urlsplit

    line = {
        "url": urlsplit(page.url).path,
        "checked_at": dt.datetime.now(dt.UTC).isoformat(),
        "tool": f"axe-core {response.get('testEngine', {}).get('version', '')}".strip(),
        "violations": [
            {
                "id": v["id"],
                "impact": v.get("impact") or "",
                "help": v.get("help", ""),
                "nodes": len(v.get("nodes", [])),
            }
            for v in response.get("violations", [])
        ],
    }
    with open(target, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(line, ensure_ascii=False) + "\n")


def axe_check(page, *, context=None):
    """Run axe-core on the current page; fail on any serious or critical violation."""
    global _axe
    from axe_playwright_python.sync_playwright import Axe

    if _axe is None:
        _axe = Axe()
    # A colour still fading (a hover's transition after a click) would be measured half-way: wait for every
    # finite CSS transition and animation to end first.
    page.evaluate(
        """() => Promise.all(document.getAnimations()
              .filter(a => a.effect && a.effect.getComputedTiming().iterations !== Infinity)
              .map(a => a.finished.catch(() => null)))"""
    )
    results = _axe.run(page, context=context)
    _record(page, results.response)
    violations = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    if violations:
        lines = []
        for v in violations:
            targets = ", ".join(str(n.get("target")) for n in v.get("nodes", [])[:5])
            lines.append(f"{v['impact']}: {v['id']} – {v['help']} ({targets})")
        pytest.fail(f"axe-core on {page.url}:\n" + "\n".join(lines))
    return results
