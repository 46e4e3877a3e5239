"""Checks of uploaded files: the board decision must really be a PDF, whatever its name says."""

import filetype
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

BOARD_DECISION_MAX_BYTES = 10 * 1024 * 1024


def validate_board_decision(upload) -> None:
    """Refuse files that are too large or whose content is not a PDF (checked by magic bytes, not by name)."""
    if upload.size > BOARD_DECISION_MAX_BYTES:
        raise ValidationError(
            _("The file is too large (%(size)s). The board decision may be at most %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(BOARD_DECISION_MAX_BYTES)},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(262)
    upload.seek(0)
    kind = filetype.guess(head)
    if not head.startswith(b"%PDF-") or kind is None or kind.mime != "application/pdf":
        raise ValidationError(
            _("The file is not a PDF. Save the board decision as a PDF and upload that file."),
            code="not_pdf",
        )
