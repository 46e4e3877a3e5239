"""allauth's adapter for the portal: its e-mails go through the outbox like every other e-mail."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal import ratelimit
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

# allauth's "login_failed" limit counts per account (the e-mail typed) from everywhere: five wrong
# passwords from a stranger would lock the owner out too. Here "login_failed" counts per client
# and account, and this second, larger limit per account alone keeps guessing from many
# clients slow. Both are set in ACCOUNT_RATE_LIMITS.
LOGIN_FAILED_PER_ACCOUNT = "login_failed_account"


@dataclass(frozen=True)
class PortalSite:
    """What allauth's e-mail templates call ``current_site``: the portal's name and public domain.

    Without django.contrib.sites allauth would use the request's host (e.g. ``127.0.0.1:8000``
    behind a proxy); the e-mails should name the portal and its public address instead.
    """

    name: str
    domain: str


def portal_site() -> PortalSite:
    return PortalSite(name=_("Samverkansportalen"), domain=urlsplit(settings.SITE_URL).netloc or settings.SITE_URL)


class AccountAdapter(DefaultAccountAdapter):
    """allauth's e-mails (verification, password reset, notices) are stored in the outbox and
    sent by its task, in the language of the request that caused them."""

    def send_mail(self, template_prefix, email, context):
        from outbox.services import email_queue_message

        ctx = {"email": email, "request": getattr(self, "request", None)}
        ctx.update(context)
        ctx["current_site"] = portal_site()
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
        """Count a login attempt per (client, account) and per account; allauth rolls the count
        back when the password turns out right (``_rollback_login_failed_rl_usage``)."""
        account_key = self._get_login_attempts_cache_key(request, **credentials)
        client_key = f"{ratelimit.get_ip(request)}|{account_key}"
        per_client = ratelimit.consume(request, app="allauth.account", action="login_failed", key=client_key)
        if not per_client:
            raise self.validation_error("too_many_login_attempts")
        per_account = ratelimit.consume(
            request, app="allauth.account", action=LOGIN_FAILED_PER_ACCOUNT, key=account_key
        )
        if not per_account:
            per_client.rollback()
            raise self.validation_error("too_many_login_attempts")
        self._login_failed_rl_usage = ratelimit.RateLimitUsage(usage=[*per_client.usage, *per_account.usage])

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
