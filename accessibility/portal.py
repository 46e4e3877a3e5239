from django.utils.translation import pgettext_lazy

from core.registry import portal
from outbox.kinds import register as register_email_kind

portal.register(
    "accessibility", demo="accessibility.demo.load", retention="accessibility.retention.purge", coordinator="manage"
)
portal.personal_data(
    "accessibility", export="accessibility.personal_data.export", erase="accessibility.personal_data.erase"
)
register_email_kind(
    "accessibility.report_notification", pgettext_lazy("e-mail kind", "Accessibility report (to coordinators)")
)
register_email_kind("accessibility.report_receipt", pgettext_lazy("e-mail kind", "Accessibility report received"))
