"""The admin action "Exportera till e-arkiv" that the apps with archivable cases offer in their lists
(``portal.admin_action(app, model, "earchive.admin_actions.export_to_earchive")``)."""

from __future__ import annotations

import os

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.utils.translation import gettext_lazy as _

from . import services


@admin.action(description=_("Export to the e-archive"))
def export_to_earchive(modeladmin, request, queryset):
    """Download the e-archive package (ZIP) of the one selected case; refused for an open case."""
    selected = list(queryset[:2])
    if len(selected) != 1:
        modeladmin.message_user(
            request,
            _("Choose one case at a time. To deliver many cases, use the command export_earchive."),
            messages.WARNING,
        )
        return None
    try:
        package = services.case_export(obj=selected[0], user=request.user)
    except PermissionDenied:
        modeladmin.message_user(request, _("Only a coordinator of this region may export its cases."), messages.ERROR)
        return None
    except ValidationError as error:
        modeladmin.message_user(request, " ".join(error.messages), messages.ERROR)
        return None
    handle = open(package.path, "rb")  # noqa: SIM115 - FileResponse closes it when sent
    os.unlink(package.path)  # the open handle keeps the content until the response is sent
    response = FileResponse(handle, as_attachment=True, filename=package.filename, content_type="application/zip")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response
