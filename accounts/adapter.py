"""allauth's adapter for the portal: its e-mails go through the outbox like every other e-mail."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _


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

    def get_from_email(self):
        return settings.DEFAULT_FROM_EMAIL
