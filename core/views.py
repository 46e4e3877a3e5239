import logging

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.pagecache import VersionedCache
from core.registry import portal

logger = logging.getLogger(__name__)

# The home page is made of the apps' sections: cached whole, it follows the versions they name
# (portal.section(..., caches=[...])); the timeout is the backstop for what time alone changes.
home_pages = VersionedCache("home", timeout=60, follows=lambda: portal.section_caches("home"))


def home(request):
    return home_pages.cached_page(request, page="home", build=lambda request: render(request, "core/home.html"))


def _localised(template: str) -> list[str]:
    """Long prose pages are written per language (core/<page>_<lang>.html), Swedish as fallback."""
    return [template.replace(".html", f"_{get_language() or 'sv'}.html"), template.replace(".html", "_sv.html")]


def accessibility(request):
    return render(request, _localised("core/accessibility.html"))


def privacy(request):
    return render(request, _localised("core/privacy.html"), {"retention": _retention_context()})


def _retention_context():
    return {"policy_version": settings.PRIVACY_POLICY_VERSION}


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_redis():
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    finally:
        client.close()


@never_cache
@require_GET
def healthz(request):
    """State of the database and, when configured, Redis (broker and cache).

    200 when every configured dependency answers, 503 naming what is down. Error details
    stay in the log (they can hold host names); the response names only the component.
    """
    checks = {"database": _check_database}
    if settings.REDIS_URL:
        checks["redis"] = _check_redis
    results = {}
    for name, check in checks.items():
        try:
            check()
        except Exception:
            logger.warning("healthz: %s is down", name, exc_info=True)
            results[name] = "down"
        else:
            results[name] = "ok"
    down = [name for name, state in results.items() if state != "ok"]
    body = {"status": "ok" if not down else "down", "checks": results}
    if down:
        body["down"] = down
    return JsonResponse(body, status=503 if down else 200)


def bad_request(request, exception):
    """The portal's own 400 (a bad Host header, a malformed request), in the visitor's language."""
    return render(request, "400.html", status=400)


def permission_denied(request, exception):
    return render(request, "403.html", status=403)


def csrf_failure(request, reason=""):
    """A form without a valid CSRF token: the portal's page with what to do, never Django's
    technical one (which names the reason and settings in English). The reason is not shown."""
    return render(request, "403_csrf.html", status=403)


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
