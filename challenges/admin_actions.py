"""The admin action on interest submissions ("Gör till utmaning"), offered in the organisations' admin
through the registry (``challenges/portal.py``); it calls ``challenges.services.challenge_from_interest``."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


@admin.action(description=_("Make a proposed challenge of each selected submission"), permissions=["change"])
def make_challenges(modeladmin, request, queryset):
    from .services import challenge_from_interest

    created, skipped, handled = [], 0, 0
    for submission in queryset.select_related("organisation"):
        try:
            created.append(challenge_from_interest(submission=submission, by=request.user))
        except ValidationError as error:
            if error.code == "handled":
                handled += 1
            else:
                skipped += 1
    if created:
        links = format_html(
            ", ".join('<a href="{}">{}</a>' for _c in created),
            *[part for c in created for part in (reverse("admin:challenges_challenge_change", args=[c.pk]), c.title)],
        )
        modeladmin.message_user(
            request,
            format_html(
                "{} {}",
                ngettext(
                    "%(count)d proposed challenge was created:",
                    "%(count)d proposed challenges were created:",
                    len(created),
                )
                % {"count": len(created)},
                links,
            ),
            messages.SUCCESS,
        )
    if skipped:
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d submission does not wish to raise a challenge and was skipped.",
                "%(count)d submissions do not wish to raise a challenge and were skipped.",
                skipped,
            )
            % {"count": skipped},
            messages.WARNING,
        )
    if handled:
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d submission had already been handled and was skipped.",
                "%(count)d submissions had already been handled and were skipped.",
                handled,
            )
            % {"count": handled},
            messages.WARNING,
        )
