"""Checks of uploaded files: the board decision must really be a PDF, whatever its name says."""

from core.files import DocumentValidator

BOARD_DECISION_MAX_BYTES = 10 * 1024 * 1024


def validate_board_decision(upload) -> None:
    """Refuse files that are too large or whose content is not a PDF (checked by content, not by name)."""
    DocumentValidator(kinds=("pdf",), max_bytes=BOARD_DECISION_MAX_BYTES)(upload)
