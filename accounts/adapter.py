from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    """allauth's e-mails go through the outbox like every other e-mail the portal sends."""

    def send_mail(self, template_prefix, email, context):
        from outbox.services import email_queue_message

        ctx = {"email": email, "current_site": self.get_current_site(context.get("request") or self.request)}
        ctx.update(context)
        msg = self.render_mail(template_prefix, email, ctx)
        email_queue_message(message=msg, kind=f"allauth:{template_prefix.rsplit('/', 1)[-1]}")

    def get_from_email(self):
        return settings.DEFAULT_FROM_EMAIL
