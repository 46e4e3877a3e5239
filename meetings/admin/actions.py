"""The meeting list's actions: copy a meeting, send its documentation, message its confirmed participants."""

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin_confirm import confirm_action
from outbox.services import render_email

from .. import services
from ..models import Registration
from .forms import MessageForm


class MeetingActionsMixin:
    """The actions named in ``MeetingAdmin.actions``; each goes through a service in ``meetings.services``."""

    @admin.action(description=_("Copy meeting (new draft with the programme)"), permissions=["add"])
    def copy_meeting(self, request, queryset):
        if queryset.count() == 1:
            copy = services.meeting_copy(meeting=queryset.get())
            self.message_user(
                request,
                _("This is a copy, saved as a draft. Choose the date and time of the new meeting and save."),
                messages.WARNING,
            )
            return redirect(reverse("admin:meetings_meeting_change", args=[copy.pk]) + "?copied=1")
        for meeting in queryset:
            copy = services.meeting_copy(meeting=meeting)
            self.message_user(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    _("Copied to a new draft:"),
                    reverse("admin:meetings_meeting_change", args=[copy.pk]),
                    copy.title,
                ),
                messages.SUCCESS,
            )

    @admin.action(description=_("Send the documentation to the participants"))
    def send_documentation(self, request, queryset):
        # The first post shows how many will be mailed (core/admin_confirm.py); the confirming post sends.
        def perform(meeting, *, choices, data):
            problems = services.meeting_send_documentation_preview(meeting=meeting).problems
            if problems:
                raise ValidationError([_("nothing sent (no documents or no participants)."), *problems])
            count = services.meeting_send_documentation(meeting=meeting)
            return ngettext(
                "documentation queued for %(n)d participant.", "documentation queued for %(n)d participants.", count
            ) % {"n": count}

        return confirm_action(
            self,
            request,
            queryset.prefetch_related("documents"),
            title=_("Send the documentation to the participants"),
            preview=lambda meeting: services.meeting_send_documentation_preview(meeting=meeting),
            perform=perform,
            button=_("Yes, send the documentation"),
        )

    @admin.action(description=_("Send the evaluation to those who attended (once each)"))
    def send_evaluation(self, request, queryset):
        for meeting in queryset:
            try:
                count = services.meeting_send_evaluation(meeting=meeting)
            except ValidationError as exc:
                self.message_user(request, f"{meeting.title}: {' '.join(exc.messages)}", messages.ERROR)
                continue
            self.message_user(
                request,
                ngettext(
                    "%(title)s: the evaluation is queued for %(n)d attendee.",
                    "%(title)s: the evaluation is queued for %(n)d attendees.",
                    count,
                )
                % {"title": meeting.title, "n": count},
                messages.SUCCESS,
            )

    @admin.action(description=_("Send the speakers their confirmation (those with an e-mail, once each)"))
    def send_speaker_confirmations(self, request, queryset):
        for meeting in queryset:
            count = services.speakers_send_confirmations(meeting=meeting)
            self.message_user(
                request,
                ngettext(
                    "%(title)s: %(n)d speaker confirmation queued.",
                    "%(title)s: %(n)d speaker confirmations queued.",
                    count,
                )
                % {"title": meeting.title, "n": count},
                messages.SUCCESS,
            )

    @admin.action(description=_("Message all confirmed participants"))
    def message_participants(self, request, queryset):
        """Step 1: write; step 2: preview (rendered as participants will see it); step 3: send."""
        queryset = queryset.annotate(
            n_confirmed=Count("registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED))
        )
        bound = any(key in request.POST for key in ("preview", "send", "edit"))
        form = MessageForm(request.POST if bound else None)
        preview = None
        if bound and "edit" not in request.POST and form.is_valid():
            if "send" in request.POST:
                self._send_message(request, queryset, form.cleaned_data)
                return redirect(request.get_full_path())
            preview = self._message_preview(queryset.first(), form.cleaned_data)
        return TemplateResponse(
            request,
            "admin/meetings/message_participants.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Message all confirmed participants"),
                "opts": self.model._meta,
                "meetings": queryset,
                "form": form,
                "preview": preview,
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
                "recipients": sum(m.n_confirmed for m in queryset),
            },
        )

    def _send_message(self, request, meetings, data):
        total = 0
        for meeting in meetings:
            total += services.meeting_message_participants(meeting=meeting, subject=data["subject"], body=data["body"])
        self.message_user(
            request,
            ngettext(
                "The message is queued for %(n)d participant.",
                "The message is queued for %(n)d participants.",
                total,
            )
            % {"n": total},
            messages.SUCCESS,
        )

    @staticmethod
    def _message_preview(meeting, data) -> dict:
        """The message as the first meeting's participants will read it (subject and text part)."""
        subject, text, _html = render_email(
            template="meetings/message",
            context={
                "meeting": meeting,
                "subject": data["subject"],
                "body": data["body"],
                "meeting_url": meeting.get_absolute_url(),
            },
        )
        return {"subject": subject, "text": text}
