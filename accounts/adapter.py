"""allauth's adapter for the portal: its e-mails go through the outbox like every other e-mail."""

import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal import ratelimit
from django.conf import settings
from django.core import signing
from django.utils import translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from core.links import absolute_url, site_url

# Failed logins, counted so that a stranger cannot lock anyone out (all set in ACCOUNT_RATE_LIMITS):
#
# - "login_failed", per client address and account: one client guesses one account slowly.
# - "login_failed_ip", per client address over all accounts, generous: one address cannot spray
#   guesses over many accounts, and the few wrong passwords of people behind one shared address
#   (an office, a library) never lock each other out.
# - "login_failed_account", per account from everywhere: guessing from many addresses stays slow.
#
# The last two could be filled by a stranger, so they bind only clients that are strangers to the
# account. A browser in which the account's owner has logged in before carries a signed device
# cookie for that account (OWASP's "device cookies"); from it, failures are counted per device and
# account ("login_failed_device") instead, and nothing others do can lock it out.
LOGIN_FAILED_PER_IP = "login_failed_ip"
LOGIN_FAILED_PER_ACCOUNT = "login_failed_account"
LOGIN_FAILED_PER_DEVICE = "login_failed_device"
DEVICE_COOKIE = "samverkan_device"
DEVICE_COOKIE_MAX_AGE = 180 * 24 * 3600
DEVICE_COOKIE_ACCOUNTS = 5  # accounts one browser is trusted for (a shared computer at home)
_DEVICE_SALT = "accounts.adapter.device"


def _account_digest(login: str) -> str:
    """The account in the cookie without its e-mail address: a keyed hash only this server can make."""
    return salted_hmac(_DEVICE_SALT, login.strip().lower()).hexdigest()[:32]


def _device_entries(request) -> list[list[str]]:
    value = request.COOKIES.get(DEVICE_COOKIE)
    if not value:
        return []
    try:
        entries = signing.loads(value, salt=_DEVICE_SALT, max_age=DEVICE_COOKIE_MAX_AGE)
    except signing.BadSignature:
        return []
    if not isinstance(entries, list):
        return []
    return [entry for entry in entries if isinstance(entry, list) and len(entry) == 2][:DEVICE_COOKIE_ACCOUNTS]


def trusted_device(request, login: str) -> str | None:
    """The device's id when this browser has logged in to the account ``login`` before, else None."""
    if not login:
        return None
    digest = _account_digest(login)
    return next((nonce for account, nonce in _device_entries(request) if account == digest), None)


def remember_device(request, response, user) -> None:
    """After a complete login (password and any second factor): trust this browser for the account."""
    email = getattr(user, "email", "")
    if not email or response is None:
        return
    digest = _account_digest(email)
    others = [entry for entry in _device_entries(request) if entry[0] != digest]
    entries = [[digest, secrets.token_urlsafe(16)], *others][:DEVICE_COOKIE_ACCOUNTS]
    response.set_cookie(
        DEVICE_COOKIE,
        signing.dumps(entries, salt=_DEVICE_SALT),
        max_age=DEVICE_COOKIE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


@dataclass(frozen=True)
class PortalSite:
    """What allauth's e-mail templates call ``current_site``: the portal's name and public domain.

    Without django.contrib.sites allauth would use the request's host (e.g. ``127.0.0.1:8000``
    behind a proxy); the e-mails should name the portal and its public address instead.
    """

    name: str
    domain: str


def portal_site() -> PortalSite:
    return PortalSite(name=_("Samverkansportalen"), domain=urlsplit(site_url()).netloc or site_url())


def on_site_url(url: str) -> str:
    """allauth builds its links (confirm, reset, sign up) from the request's scheme and Host header and
    forces https when DEBUG is off; every other link of the portal is on ``SITE_URL`` (core.links).
    Keep the path and query, put them on ``SITE_URL``."""
    parts = urlsplit(url)
    return absolute_url(parts.path + (f"?{parts.query}" if parts.query else ""))


class AccountAdapter(DefaultAccountAdapter):
    """allauth's e-mails (verification, password reset, notices) are stored in the outbox and
    sent by its task, in the language of the request that caused them."""

    def send_mail(self, template_prefix, email, context):
        from outbox.services import email_queue_message

        ctx = {"email": email, "request": getattr(self, "request", None)}
        ctx.update(context)
        ctx["current_site"] = portal_site()
        for key, value in ctx.items():
            if key.endswith("_url") and isinstance(value, str):
                ctx[key] = on_site_url(value)
        msg = self.render_mail(template_prefix, email, ctx)
        email_queue_message(message=msg, kind=f"allauth:{template_prefix.rsplit('/', 1)[-1]}")

    def save_user(self, request, user, form, commit=True):
        """Remember the language the person signed up in, for e-mails sent outside a request
        (reminders, notices from coordinators)."""
        language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
        user.language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        return super().save_user(request, user, form, commit=commit)

    def get_client_ip(self, request):
        """The client's address for allauth's rate limits: the same proxy header as our own limits."""
        meta_key = getattr(settings, "RATELIMIT_IP_META_KEY", None)
        if isinstance(meta_key, str) and request.META.get(meta_key):
            return request.META[meta_key].split(",")[0].strip()
        return super().get_client_ip(request)

    def pre_authenticate(self, request, **credentials):
        """Count a login attempt before the password is checked; allauth rolls the count back when
        the password turns out right (``_rollback_login_failed_rl_usage``). See the top of this module
        for which counts apply to whom."""
        account_key = self._get_login_attempts_cache_key(request, **credentials)
        device = trusted_device(request, credentials.get("email", credentials.get("username", "")))
        if device is not None:
            checks = [(LOGIN_FAILED_PER_DEVICE, f"{device}|{account_key}")]
        else:
            checks = [
                ("login_failed", f"{ratelimit.get_ip(request)}|{account_key}"),
                (LOGIN_FAILED_PER_IP, None),
                (LOGIN_FAILED_PER_ACCOUNT, account_key),
            ]
        usages = []
        for action, key in checks:
            usage = ratelimit.consume(request, app="allauth.account", action=action, key=key)
            if not usage:
                for taken in usages:
                    taken.rollback()
                raise self.validation_error("too_many_login_attempts")
            usages.append(usage)
        self._login_failed_rl_usage = ratelimit.RateLimitUsage(usage=[one for usage in usages for one in usage.usage])

    def post_login(self, request, user, **kwargs):
        response = super().post_login(request, user, **kwargs)
        remember_device(request, response, user)
        sociallogin = (kwargs.get("signal_kwargs") or {}).get("sociallogin")
        if sociallogin is not None and "eid_level" in (sociallogin.state or {}):
            # An e-ID login: the level accounts/eid.py checked in the signed ID token (accounts/assurance.py).
            from .assurance import record_eid

            record_eid(request, provider_id=sociallogin.account.provider, level=sociallogin.state["eid_level"])
        return response

    def _delete_login_attempts_cached_email(self, request, **credentials):
        """After a password reset the account's failure counts start again (allauth clears only
        the key it knows; ours are per client and per account)."""
        account_key = self._get_login_attempts_cache_key(request, **credentials)
        super()._delete_login_attempts_cached_email(request, **credentials)
        ratelimit.clear(request, app="allauth.account", action=LOGIN_FAILED_PER_ACCOUNT, key=account_key)
        ratelimit.clear(
            request, app="allauth.account", action="login_failed", key=f"{ratelimit.get_ip(request)}|{account_key}"
        )

    def get_from_email(self):
        return settings.DEFAULT_FROM_EMAIL
