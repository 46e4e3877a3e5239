"""One confirmation page for every admin action that changes a status, mails people or publishes.

An action calls ``confirm_action``: the first post (from the change list) shows, per selected object,
what the step will do, how many e-mails it queues, what cannot be taken back, why it cannot be done
now and which explicit choices it needs; nothing happens. Only the second post, which carries the
``confirm`` field, performs the step (like Django's delete confirmation, and without JavaScript).

What a step will do is computed by the app's service (a ``*_preview`` function next to the service
that performs it, counting the recipients the service would mail), never by a second query in the
admin, so the page and the step cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

CONFIRM_FIELD = "confirm"


@dataclass(frozen=True)
class Choice:
    """A decision the coordinator must make explicitly (an unticked box on the confirmation page)."""

    name: str
    label: str
    help_text: str = ""


@dataclass
class Preview:
    """What a state change of one object will do, computed by the service that does it."""

    obj: Any
    effects: list[str] = field(default_factory=list)
    recipients: int = 0
    irreversible: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    choices: list[Choice] = field(default_factory=list)

    @property
    def possible(self) -> bool:
        return not self.problems


def choice_field_name(choice: Choice, obj) -> str:
    return f"{choice.name}-{obj.pk}"


def chosen(request, preview: Preview) -> dict[str, bool]:
    """The choices the coordinator ticked for one object (each unticked one is False)."""
    return {c.name: request.POST.get(choice_field_name(c, preview.obj)) == "on" for c in preview.choices}


def confirm_action(
    modeladmin,
    request,
    queryset,
    *,
    title: str,
    preview: Callable[[Any], Preview],
    perform: Callable[..., str],
    button: str,
    form_class=None,
    intro: str = "",
    action: str | None = None,
    form_url: str = "",
):
    """Show the confirmation page, or, when the post carries ``confirm``, perform the step per object.

    ``perform(obj, choices=..., data=...)`` calls the service and returns the success message; a
    ``ValidationError`` or ``PermissionDenied`` from it becomes an error message for that object.
    ``form_class`` adds fields the step needs (a reason, an outcome), validated before anything runs.
    A page of its own (not the change list) shows the confirmation with ``action`` (the change list's
    action that performs the step) and ``form_url`` (the change list) to post the confirmation to.
    """
    objects = list(queryset)
    confirmed = request.method == "POST" and request.POST.get(CONFIRM_FIELD) == "yes"
    form = None
    if form_class is not None:
        form = form_class(request.POST if confirmed else None)
    if confirmed and (form is None or form.is_valid()):
        data = form.cleaned_data if form is not None else {}
        for obj in objects:
            # The choices offered are the ones the page showed: recomputed from the same service.
            choices = chosen(request, preview(obj))
            try:
                done = perform(obj, choices=choices, data=data)
            except ValidationError as exc:
                modeladmin.message_user(request, f"{obj}: {' '.join(exc.messages)}", messages.ERROR)
            except PermissionDenied:
                modeladmin.message_user(request, _("You may not do this."), messages.ERROR)
                return None
            else:
                modeladmin.message_user(request, f"{obj}: {done}", messages.SUCCESS)
        return None
    previews = [preview(obj) for obj in objects]
    for item in previews:
        item.fields = [(c, choice_field_name(c, item.obj)) for c in item.choices]
    opts = modeladmin.model._meta
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "intro": intro,
        "opts": opts,
        "previews": previews,
        "possible": any(p.possible for p in previews),
        "recipients": sum(p.recipients for p in previews if p.possible),
        "form": form,
        "button": button,
        "action": action or request.POST.get("action", ""),
        "form_url": form_url,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "confirm_field": CONFIRM_FIELD,
        "media": modeladmin.media,
    }
    return TemplateResponse(request, "admin/confirm_action.html", context)
