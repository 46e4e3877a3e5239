"""How a step's problems are raised and shown, and a time as the pages show it."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format


def when(value) -> str:
    """A time as the consultation's pages show it (local time, the language's format)."""
    return date_format(timezone.localtime(value), "DATETIME_FORMAT")


def raise_problems(problems: list[ValidationError]) -> None:
    """One problem is raised as it is (with its code); several together, so the coordinator sees them all."""
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise ValidationError(problems)


def texts(problems: list[ValidationError]) -> list[str]:
    """The messages a confirmation page lists for these problems."""
    return [message for problem in problems for message in problem.messages]
