import logging
import sys

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template import loader
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject, empty
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.db import is_database_unavailable
from core.language import visitor_language
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


def _region_text(request, field: str) -> tuple[str, str] | None:
    """The region's own text for this page in the reader's language (its Swedish one, marked as Swedish,
    when it kept none in English), or None when it kept none: then the portal's text is shown."""
    region = getattr(request, "region", None)
    if region is None:
        return None
    language = "en" if (get_language() or "sv").startswith("en") else "sv"
    own = getattr(region, f"{field}_{language}", "").strip()
    if own:
        return own, language
    swedish = getattr(region, f"{field}_sv", "").strip()
    return (swedish, "sv") if swedish else None


def _page(request, template: str, field: str, title, context=None):
    text = _region_text(request, field)
    if text is not None:
        # Plain text with paragraphs (``linebreaks`` escapes it): a region's text never carries HTML.
        own = {"title": title, "text": text[0], "text_language": text[1]}
        return render(request, "core/region_text.html", {**(context or {}), **own})
    return render(request, _localised(template), context)


def privacy(request):
    context = {"retention": _retention_context(), "retention_rules": _retention_rules(request)}
    return _page(request, "core/privacy.html", "privacy_text", _("Personal data"), context)


def records(request):
    """ "Så hanterar vi handlingar": the region's public records, its case numbers, and each retention rule
    with what it removes and keeps, when, and the disposal decision it carries out."""
    from core.case_numbers import format_case_number

    region = getattr(request, "region", None)
    fmt = getattr(region, "case_number_format", "")
    example = format_case_number(fmt, year=timezone.localdate().year, number=123) if fmt else ""
    return render(
        request, "core/records.html", {"retention_rules": _retention_rules(request), "case_number_example": example}
    )


def _retention_rules(request):
    from core.retention import rule_rows

    return rule_rows(getattr(request, "region", None))


def region_css(request):
    """The region's colours as CSS custom properties (core/region_style.py): kept a year by browsers
    when asked with the current version (``?v=``), five minutes otherwise."""
    from core.region_style import region_css as build
    from core.region_style import style_version

    region = getattr(request, "region", None)
    if region is None:
        raise Http404
    response = HttpResponse(build(region), content_type="text/css; charset=utf-8")
    current = request.GET.get("v") == style_version(region)
    response["Cache-Control"] = "public, max-age=31536000, immutable" if current else "public, max-age=300"
    return response


def region_logo(request):
    """The region's logo (cleaned when uploaded: core/region_logo.py), with headers that keep it an image."""
    from core.region_logo import logo_content_type
    from core.region_style import style_version

    region = getattr(request, "region", None)
    if region is None or not region.logo:
        raise Http404
    try:
        with region.logo.open("rb") as handle:
            data = handle.read()
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = HttpResponse(data, content_type=logo_content_type(region.logo.name))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    current = request.GET.get("v") == style_version(region)
    response["Cache-Control"] = "public, max-age=31536000, immutable" if current else "public, max-age=300"
    return response


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


# How long a visitor (or a client of the API) is asked to wait when the database is away.
RETRY_AFTER_SECONDS = 30


def server_error(request, exception=None):
    """``handler500``: the portal's 500 page, or its 503 when the database is away (then the visitor
    is asked to try again shortly, with ``Retry-After``). Django calls it inside the ``except`` that
    caught the error, so ``sys.exc_info()`` names it."""
    exception = exception if exception is not None else sys.exc_info()[1]
    if is_database_unavailable(exception):
        return service_unavailable(request)
    return error_page(request, "500.html", status=500)


def service_unavailable(request):
    response = error_page(request, "503.html", status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


# Shown when even the error template cannot be rendered (a broken template, a missing translation file).
_BARE_ERROR_PAGE = """<!doctype html>
<html lang="sv">
<head><meta charset="utf-8"><title>Något gick fel – Samverkansportalen</title></head>
<body><main>
<h1>Något gick fel</h1>
<p>Ett oväntat fel inträffade. Försök igen om en stund. Det du skickade har inte sparats om du inte fick en
bekräftelse.</p>
<p lang="en">Something went wrong. Please try again in a while.</p>
<p><a href="/">Till startsidan</a></p>
</main></body>
</html>
"""


def error_page(request, template: str, *, status: int) -> HttpResponse:
    """An error page in the portal's layout and the visitor's language, rendered with nothing that needs
    the database: no context processors (the session, the user and the messages live there), only the
    region's settings, the navigation, the CSRF token (a cookie) and a user already loaded."""
    try:
        language = visitor_language(request)
        with translation.override(language):
            context = {
                **_layout_context(request),
                "request": request,
                "csrf_token": get_token(request),
                "user": _loaded_user(request),
            }
            html = loader.get_template(template).render(context)
    except Exception:
        logger.exception("error page %s could not be rendered", template)
        language, html = "sv", _BARE_ERROR_PAGE
    response = HttpResponse(html, status=status)
    response["Content-Language"] = language
    return response


def _layout_context(request) -> dict:
    from core.context_processors import site

    return site(request)  # settings and reverse() only


def _loaded_user(request):
    """The visitor's user when the request has already loaded it, else None (shown as logged out):
    loading it reads the session, which may be what failed."""
    user = getattr(request, "user", None)
    if isinstance(user, SimpleLazyObject):
        return None if user._wrapped is empty else user._wrapped
    return user
