import logging

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django_ratelimit.decorators import ratelimit

from core.permissions import is_region_staff

from . import selectors, services
from .forms import ReportForm

logger = logging.getLogger(__name__)

THANKS_SESSION_KEY = "accessibility_report_thanks"
DIGG_REPORT_URL = "https://www.digg.se/tdosanmalan"


def _language() -> str:
    return "en" if (translation.get_language() or "sv").startswith("en") else "sv"


def _region_text(request) -> tuple[str, str] | None:
    """The region's own free text about the site (``Region.accessibility_statement_<lang>``), shown first:
    in the reader's language, or its Swedish one marked as Swedish."""
    region = getattr(request, "region", None)
    if region is None:
        return None
    own = getattr(region, f"accessibility_statement_{_language()}", "").strip()
    if own:
        return own, _language()
    swedish = region.accessibility_statement_sv.strip()
    return (swedish, "sv") if swedish else None


def statement(request):
    """The accessibility statement in DIGG's model, in the reader's language."""
    coordinator = is_region_staff(request.user)
    context = {
        "statement": selectors.statement_for(_language()),
        "region_text": _region_text(request),
        "digg_url": DIGG_REPORT_URL,
        # Beside the statement, for the region's coordinators only: what the last automated check found.
        "show_check": coordinator,
        "last_check": selectors.last_check() if coordinator else None,
    }
    return render(request, "accessibility/statement.html", context)


def report_rate(group, request):
    """POSTs per minute and client IP on the report form, as on the other public forms."""
    return settings.ACCESSIBILITY_REPORT_RATE


@ratelimit(key="ip", rate=report_rate, method="POST", block=False)
def report(request):
    """Report a shortcoming or ask for content in another form; works without JavaScript."""
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if getattr(request, "limited", False):
            messages.error(
                request,
                _(
                    "Too many messages from your connection in a short time. Wait a minute and send again. Everything you typed is kept."
                ),
            )
            status = 429
        elif form.is_bot():
            logger.info("accessibility report: honeypot filled, dropped")
            return redirect("accessibility:thanks")
        elif form.is_valid():
            data = form.cleaned_data
            sent = services.accessibility_report_submit(
                message=data["message"],
                page=data["page"],
                wants_other_format=data["wants_other_format"],
                name=data["name"],
                email=data["email"],
                language=_language(),
                idempotency_key=data["idempotency_key"],
            )
            request.session[THANKS_SESSION_KEY] = {"email": sent.email}
            return redirect("accessibility:thanks")
        else:
            status = 400
    return render(request, "accessibility/report_form.html", {"form": form}, status=status)


def thanks(request):
    return render(request, "accessibility/report_thanks.html", {"sent": request.session.pop(THANKS_SESSION_KEY, None)})
