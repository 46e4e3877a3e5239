"""How strongly the person in this session was identified, and the step-up before acts under mandate.

The one place that answers two questions the acts under a mandate ask (issue 23):

``describe(request)``
    How the session's user was authenticated, for the audit trail of a signature, a cast record or a
    submitted answer: ``{"method": "password" | "eid" | ..., "level": <acr or "">, "at": <aware datetime>}``.
    The latest authentication in the session counts. The level is set only by the e-ID login, from
    what the provider's ID token said and the server checked (never from the login URL).

``stepup_required(request, region)``
    ``None`` when the act may go ahead; otherwise a response that sends the person through the region's
    e-ID login (``process=redirect``: the session's own user confirms; an e-ID of another account is
    refused and nothing changes) and back to the same URL. A POST is kept in the session
    (``STEPUP_SESSION_KEY``) and replayed when the person comes back, so nothing typed is lost; its files
    are not kept (``files_lost`` names them, and the form asks for them again). Without e-ID configured for the region the acts
    rest on the verified mandate alone, and this returns ``None``.

``stepup_page(request, region, ...)``
    The same, asked on the GET of a form (the signing form, whose PDF a replay would lose): a page with
    one button through the e-ID login and back to the form.

Which region has e-ID, and with which provider, is read from ``settings.EID_REGIONS``:
``{<region short_name>: {"provider_id": "...", ...}}`` (built from the environment in settings/auth.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.http import urlencode

#: How long an e-ID authentication lets a person act under a mandate (the "sudo" window).
STEPUP_WINDOW = dt.timedelta(minutes=15)

#: The session key under which the e-ID login keeps what the server checked of the last e-ID login.
EID_SESSION_KEY = "eid_assurance"

_ALLAUTH_RECORDS_KEY = "account_authentication_methods"

#: The session key of the request suspended by the step-up (a POST's fields), replayed after the e-ID login.
STEPUP_SESSION_KEY = "eid_stepup_request"


def eid_config(region) -> dict[str, Any] | None:
    """The e-ID configuration of ``region`` (a Region or None), or None when it has none."""
    if region is None:
        return None
    return getattr(settings, "EID_REGIONS", {}).get(getattr(region, "short_name", None))


def eid_provider_id(region) -> str | None:
    config = eid_config(region)
    return config.get("provider_id") if config else None


def record_eid(request: HttpRequest, *, provider_id: str, level: str) -> None:
    """Called by the e-ID login once the server has checked the level: what ``describe`` reports."""
    request.session[EID_SESSION_KEY] = {
        "provider_id": provider_id,
        "level": level,
        "at": timezone.now().timestamp(),
    }


def _latest_eid(request: HttpRequest) -> dict[str, Any] | None:
    record = request.session.get(EID_SESSION_KEY) if hasattr(request, "session") else None
    return record if isinstance(record, dict) and "at" in record else None


def describe(request: HttpRequest) -> dict[str, Any]:
    """How the session's user was last authenticated: method, level (e-ID only) and when."""
    session = getattr(request, "session", None)
    records = (session.get(_ALLAUTH_RECORDS_KEY) if session is not None else None) or []
    latest = max((r for r in records if isinstance(r, dict) and "at" in r), key=lambda r: r["at"], default=None)
    eid = _latest_eid(request)
    if eid and (latest is None or eid["at"] >= latest["at"] - 5):
        return {
            "method": "eid",
            "level": str(eid.get("level", "")),
            "at": dt.datetime.fromtimestamp(eid["at"], tz=dt.UTC),
        }
    if latest is None:
        return {"method": "", "level": "", "at": None}
    return {
        "method": str(latest.get("method", "")),
        "level": "",
        "at": dt.datetime.fromtimestamp(latest["at"], tz=dt.UTC),
    }


def eid_is_fresh(request: HttpRequest, region) -> bool:
    """True when the session was authenticated with the region's e-ID within ``STEPUP_WINDOW``."""
    eid = _latest_eid(request)
    provider_id = eid_provider_id(region)
    if not eid or not provider_id or eid.get("provider_id") != provider_id:
        return False
    at = dt.datetime.fromtimestamp(eid["at"], tz=dt.UTC)
    return timezone.now() - at < STEPUP_WINDOW


def stepup_required(request: HttpRequest, region) -> HttpResponse | None:
    """None when the act may go ahead; else the redirect through the region's e-ID login and back."""
    provider_id = eid_provider_id(region)
    if provider_id is None or eid_is_fresh(request, region):
        return None
    login_url = reverse("openid_connect_login", kwargs={"provider_id": provider_id})
    return suspend_for_stepup(request, login_url)


def stepup_page(request: HttpRequest, region, *, heading: str, back_url: str, text: str = "") -> HttpResponse | None:
    """Before a form whose POST is an act under mandate (a GET): None when the act could go ahead; else a
    page with the button "Confirm with e-ID" that goes through the region's e-ID login and back to the form.
    Asked before the form, so that its POST normally needs no replay (which keeps fields, never files)."""
    provider_id = eid_provider_id(region)
    if provider_id is None or eid_is_fresh(request, region):
        return None
    request.session.pop(STEPUP_SESSION_KEY, None)  # an older suspended POST is never replayed from here
    login_url = reverse("openid_connect_login", kwargs={"provider_id": provider_id})
    action = f"{login_url}?{urlencode({'process': 'redirect', 'next': request.get_full_path()})}"
    context = {
        "heading": heading,
        "back_url": back_url,
        "action": action,
        "text": text,
        "window": int(STEPUP_WINDOW.total_seconds() // 60),
    }
    return render(request, "accounts/stepup.html", context)


def files_lost(request: HttpRequest) -> tuple[str, ...]:
    """The names of the files a replayed POST had (the step-up keeps a POST's fields, not its files)."""
    return getattr(request, "stepup_files_lost", ())


def suspend_for_stepup(request: HttpRequest, login_url: str) -> HttpResponseRedirect:
    """Keep the request (a POST's fields) for after the e-ID login, and send the person there."""
    from allauth.core.internal.httpkit import serialize_request

    path = request.get_full_path()
    if request.method == "POST":
        # A POST's files cannot be kept in the session: their names are, so the form asks for them again.
        files = sorted(name for name, upload in request.FILES.items() if upload)
        request.session[STEPUP_SESSION_KEY] = {
            "path": request.path,
            "request": serialize_request(request),
            "files": files,
        }
    else:
        request.session.pop(STEPUP_SESSION_KEY, None)
    return HttpResponseRedirect(f"{login_url}?{urlencode({'process': 'redirect', 'next': path})}")


def resume_stepup(request: HttpRequest, next_url: str):
    """Back where the step-up began: a suspended POST to that path is replayed, else a redirect."""
    from allauth.core.internal.httpkit import deserialize_request

    suspended = request.session.pop(STEPUP_SESSION_KEY, None)
    if isinstance(suspended, dict) and suspended.get("path") == urlsplit(next_url).path:
        replayed = deserialize_request(suspended["request"], request)
        replayed._files = MultiValueDict()  # the files were not kept (see files_lost)
        replayed.stepup_files_lost = tuple(str(name) for name in suspended.get("files") or ())
        match = resolve(replayed.path_info)
        return match.func(replayed, *match.args, **match.kwargs)
    return HttpResponseRedirect(next_url)
