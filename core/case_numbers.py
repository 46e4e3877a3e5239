"""Case numbers (diarienummer): the number a region registers a case under, in the region's own format.

A region keeps one *format* (``Region.case_number_format``), e.g. ``RS {year}/{number}`` or
``RS {year}-{number:5}`` (``{number:5}``: at least five digits, zero-padded). The same format both checks
a number a coordinator types (``case_number_regex`` derives the validation pattern from it, so the two can
never disagree) and writes the numbers the region's counter hands out (``format_case_number``). A region
without a format accepts any number its coordinators type and has no counter.

A model that carries a case number adopts ``CaseNumbered`` (the field and its validation) and adds
``unique_case_number()`` to its constraints (unique in the region when given; blanks ignored). The admin
offers ``assign_case_numbers`` ("Tilldela diarienummer", core/admin_case_numbers.py), which takes the next number of the region's
counter for the year through ``case_number_assign``; the counter is a row per (region, year)
(``core.models.CaseNumberCounter``) locked while it is counted, so two coordinators never get one number.
"""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.case_number_format import (  # noqa: F401 - the format's names are importable from here too
    MAX_LENGTH,
    case_number_regex,
    format_case_number,
    format_errors,
    normalise_case_number,
    validate_case_number,
    validate_case_number_format,
)

# The field on a model --------------------------------------------------------------------------------


class CaseNumbered(models.Model):
    """A record the region registers: ``case_number`` (blank until it has one), checked against the
    region's format when a form cleans it."""

    case_number = models.CharField(
        _("case number"),
        max_length=MAX_LENGTH,
        blank=True,
        help_text=_("The region's case number (diarienummer), in the region's format; or assign the next one."),
    )

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None):
        errors = {}
        if not exclude or "case_number" not in exclude:
            self.case_number = normalise_case_number(self.case_number)
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if (not exclude or "case_number" not in exclude) and "case_number" not in errors:
            try:
                validate_case_number(self.case_number, region=self._case_number_region())
            except ValidationError as error:
                errors.setdefault("case_number", []).extend(error.error_list)
        if errors:
            raise ValidationError(errors)

    def _case_number_region(self):
        from core.region_state import current_region

        return self.region if getattr(self, "region_id", None) else current_region()


# Listed after the model's own fields (before the time stamps), wherever a model adopts it.
CaseNumbered._meta.get_field("case_number").creation_counter = 10**9 - 1


def unique_case_number() -> models.UniqueConstraint:
    """For the ``constraints`` of a ``CaseNumbered`` model: one record per case number in a region (blank
    ones do not count)."""
    return models.UniqueConstraint(
        fields=["region", "case_number"],
        condition=~models.Q(case_number=""),
        name="%(app_label)s_%(class)s_case_number_per_region",
        violation_error_message=_("This case number is already used in the region: give another one."),
    )


def case_numbered_models() -> list[type[models.Model]]:
    return [model for model in apps.get_models() if issubclass(model, CaseNumbered)]


# The public lists' filter: ``?diarienummer=`` (a list with a search of its own searches case numbers too).
CASE_NUMBER_PARAM = "diarienummer"


def case_number_filtered(request, records):
    """``records`` whose case number contains the list's ``?diarienummer=``, and the context of the filter's
    form (``core/_case_number_filter.html``)."""
    # A query string may hold anything: control characters (a NUL byte, which PostgreSQL refuses in a query)
    # are dropped before the words are compared.
    raw = "".join(ch for ch in request.GET.get(CASE_NUMBER_PARAM, "") if ch.isprintable())
    query = normalise_case_number(raw)[:MAX_LENGTH]
    if not query:
        return records, {"case_number_query": ""}
    if isinstance(records, models.QuerySet):
        records = records.filter(case_number__icontains=query)
        return records, {"case_number_query": query, "case_number_hits": records.count()}
    records = [record for record in records if query.casefold() in record.case_number.casefold()]
    return records, {"case_number_query": query, "case_number_hits": len(records)}


# The counter -----------------------------------------------------------------------------------------


class CaseNumberError(Exception):
    """The record cannot be given a number (it has one, or its region has no format)."""


def _taken(region, number: str) -> bool:
    return any(
        model._base_manager.filter(region=region, case_number=number).exists() for model in case_numbered_models()
    )


def case_number_next(*, region, year: int) -> str:
    """The next case number of ``region`` in ``year`` from its counter; numbers already registered by
    hand (on any record) are passed over. Two callers at once wait for each other on the counter's row."""
    from core.models import CaseNumberCounter

    fmt = region.case_number_format
    if not fmt or format_errors(fmt):
        raise CaseNumberError(gettext("The region has no format for case numbers: a system administrator sets it."))
    with transaction.atomic():
        CaseNumberCounter.objects.with_scope(region=region.pk).get_or_create(region=region, year=year)
        counter = (
            CaseNumberCounter.objects.with_scope(region=region.pk).select_for_update().get(region=region, year=year)
        )
        while True:
            counter.last_number += 1
            number = format_case_number(fmt, year=year, number=counter.last_number)
            if not _taken(region, number):
                break
        counter.save(update_fields=["last_number"])
    return number


def case_number_assign(*, record: CaseNumbered, today=None) -> str:
    """Give ``record`` the next case number of its region for this year (``today``'s, in Sweden)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        record = type(record)._base_manager.select_for_update().get(pk=record.pk)
        if record.case_number:
            raise CaseNumberError(
                gettext("%(record)s already has the case number %(number)s.")
                % {"record": record, "number": record.case_number}
            )
        record.case_number = case_number_next(region=record.region, year=today.year)
        record.save(update_fields=["case_number"])
    return record.case_number
