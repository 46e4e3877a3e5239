import http.client as http_client
from dataclasses import asdict

import csp.middleware
from csp import constants as csp_constants
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.utils import translation

from core.language import visitor_language


class SwedishFirstLocaleMiddleware:
    """Swedish for everyone until they choose English with the switcher.

    Django's LocaleMiddleware follows the browser's Accept-Language, which would show most
    visitors with an English-language browser an English portal. A Swedish public-sector site is
    Swedish first: only the language cookie set by the switcher (``set_language``) changes it.
    (A plain middleware, not a subclass of Django's: none of its URL-prefix work is used here, and
    every request would pay for its hooks.)
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        translation.activate(visitor_language(request))
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        # The view may have switched the language (the API's ?lang=en): the answer says which it is in.
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


class PermissionsPolicyMiddleware:
    """Send ``Permissions-Policy`` on every response, from ``settings.PERMISSIONS_POLICY``
    (feature → list of allowed origins; an empty list denies the feature everywhere)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(origins)})"
            for feature, origins in getattr(settings, "PERMISSIONS_POLICY", {}).items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


class PortalErrorPagesMiddleware:
    """With DEBUG on, the portal's own 404, 400 and 500 pages instead of Django's technical ones.

    Django shows its technical 404 (every URL pattern, in English) and its traceback page whenever
    ``DEBUG`` is on, and that is what someone trying the portal with ``make run`` would meet. This
    middleware steps in only while ``DEBUG`` is on and ``DEBUG_TECHNICAL_PAGES`` is off; with
    ``DEBUG`` off Django already uses ``handler404``/``handler500``. Tracebacks still go to the log
    (the dev server's console), so nothing is lost for a developer.

    Whatever ``DEBUG`` says, an empty 405 (Django's ``require_http_methods`` answers with no body:
    a blank page) gets the portal's own page, with the same ``Allow`` header. The API answers its
    405s in JSON itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def _active(self) -> bool:
        return settings.DEBUG and not settings.DEBUG_TECHNICAL_PAGES

    def __call__(self, request):
        if self._active():
            from django.urls import Resolver404, get_urlconf, resolve

            # An unknown URL fails in URL resolution, before any view or process_exception.
            try:
                resolve(request.path_info, getattr(request, "urlconf", None) or get_urlconf())
            except Resolver404 as exc:
                return self._not_found(request, exc)
        response = self.get_response(request)
        if response.status_code == 405 and not response.streaming and not response.content:
            return self._not_allowed(request, response)
        return response

    @staticmethod
    def _not_allowed(request, response):
        from django.shortcuts import render

        page = render(request, "405.html", status=405)
        if "Allow" in response:
            page["Allow"] = response["Allow"]
        return page

    def process_exception(self, request, exception):
        if not self._active():
            return None
        import logging

        from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
        from django.http import Http404
        from django.views import defaults

        if isinstance(exception, Http404):
            return self._not_found(request, exception)
        if isinstance(exception, PermissionDenied):
            return None  # Django uses handler403 whatever DEBUG says
        if isinstance(exception, BadRequest | SuspiciousOperation):
            logging.getLogger("django.request").warning("Bad request: %s", request.path, exc_info=exception)
            return defaults.bad_request(request, exception)
        logging.getLogger("django.request").error(
            "Internal Server Error: %s", request.path, exc_info=exception, extra={"status_code": 500}
        )
        from core.views import server_error

        return server_error(request, exception)

    @staticmethod
    def _not_found(request, exception):
        from core.views import page_not_found

        return page_not_found(request, exception)


# The policies built from the settings alone (no nonce, no per-view change), by report-only: one per
# process, dropped when a setting changes (tests).
_built_policies: dict[bool, str] = {}


def _forget_policies(**_kwargs) -> None:
    _built_policies.clear()


setting_changed.connect(_forget_policies, dispatch_uid="core.middleware.forget_policies")


class CSPMiddleware(csp.middleware.CSPMiddleware):
    """django-csp's middleware (4.0), with the header built once per process when the policy is the
    settings' own: the response changes nothing of it (no ``@csp_update``/``@csp_replace`` config) and the
    request used no nonce. That is the same string every time, and building it cost 95–240 µs per response
    (twice: the policy and the report-only one). Anything else is built per response, as django-csp does;
    ``process_response`` is django-csp's own, with ``_policy`` in place of ``build_policy``
    (``tests/core/test_csp_cache.py`` compares the headers with django-csp's for every case)."""

    def process_response(self, request, response):
        exempted_debug_codes = (http_client.INTERNAL_SERVER_ERROR, http_client.NOT_FOUND)
        if response.status_code in exempted_debug_codes and settings.DEBUG:
            return response
        for report_only, header, exempt, setting in (
            (False, csp_constants.HEADER, "_csp_exempt", "CONTENT_SECURITY_POLICY"),
            (True, csp_constants.HEADER_REPORT_ONLY, "_csp_exempt_ro", "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
        ):
            parts = self.get_policy_parts(request=request, response=response, report_only=report_only)
            policy = _policy(parts, report_only)
            if policy and header not in response and getattr(response, exempt, False) is False:
                prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES", None) or ()
                if not request.path_info.startswith(tuple(prefixes)):
                    response[header] = policy
        if getattr(request, "_csp_nonce", None) is None:
            request.csp_nonce = csp.middleware.CheckableLazyObject(self._csp_nonce_post_response)
        return response


def _policy(parts, report_only: bool) -> str:
    if parts.config is None and parts.update is None and parts.replace is None and parts.nonce is None:
        policy = _built_policies.get(report_only)
        if policy is None:
            policy = _built_policies[report_only] = build_policy(report_only=report_only)
        return policy
    return build_policy(**asdict(parts), report_only=report_only)
