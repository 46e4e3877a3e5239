"""Decisions in and out of the admin (django-import-export), in the columns a municipal grant system reads:
one row per decision, Swedish headings, amounts in whole kronor, dates as YYYY-MM-DD. Every exported cell is
neutralised (``core.spreadsheets.SafeResource``).

Import: earlier decisions, so that the register starts full. Each row names the organisation by its
organisation number (it must be registered), the grant form (the call, made as a closed call when it is not
there), the outcome ("Beviljat" or "Avslag"), the amount and the date; the application and decision are
created or, for the same organisation and call, updated. A sheet with a bad row imports nothing.
"""

import datetime as dt
import math

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from import_export import fields

from core.forms import column_range
from core.spreadsheets import SafeResource
from organisations.models import Organisation
from organisations.validators import normalise_orgnr

from .models import Application, Decision, GrantCall

OUTCOMES = {"beviljat": Decision.Outcome.GRANTED, "avslag": Decision.Outcome.REFUSED}
OUTCOME_LABELS = {Decision.Outcome.GRANTED: "Beviljat", Decision.Outcome.REFUSED: "Avslag"}
# Every amount lands in a PositiveIntegerField (the decision's, the application's, the call's ceiling).
AMOUNT_MAX = column_range("PositiveIntegerField")[1]


class DecisionResource(SafeResource):
    case_number = fields.Field(attribute="case_number", column_name="Diarienummer")
    organisation_number = fields.Field(column_name="Organisationsnummer")
    organisation = fields.Field(column_name="Organisation")
    grant_form = fields.Field(column_name="Bidragsform")
    purpose = fields.Field(column_name="Ändamål")
    outcome = fields.Field(column_name="Beslut")
    amount = fields.Field(attribute="amount", column_name="Beviljat belopp")
    requested = fields.Field(column_name="Sökt belopp")
    decided_on = fields.Field(column_name="Beslutsdatum")
    report_due_on = fields.Field(column_name="Återrapport senast")
    reason = fields.Field(attribute="reason", column_name="Motivering")

    class Meta:
        model = Decision
        fields = (
            "case_number",
            "organisation_number",
            "organisation",
            "grant_form",
            "purpose",
            "outcome",
            "amount",
            "requested",
            "decided_on",
            "report_due_on",
            "reason",
        )
        export_order = fields
        import_id_fields = ()
        use_transactions = True

    def export(self, queryset=None, **kwargs):
        """Only announced decisions, whatever the admin's list held."""
        queryset = Decision.objects.all() if queryset is None else queryset
        queryset = queryset.announced().select_related("application__organisation", "application__call")
        return super().export(queryset=queryset, **kwargs)

    def import_data(self, dataset, **kwargs):
        kwargs.setdefault("rollback_on_validation_errors", True)
        return super().import_data(dataset, **kwargs)

    # Export --------------------------------------------------------------------------------------------

    def dehydrate_organisation_number(self, decision):
        return decision.application.organisation.organisation_number

    def dehydrate_organisation(self, decision):
        return decision.application.organisation.name

    def dehydrate_grant_form(self, decision):
        return decision.application.call.title

    def dehydrate_purpose(self, decision):
        return decision.purpose

    def dehydrate_outcome(self, decision):
        return OUTCOME_LABELS.get(decision.outcome, decision.outcome)

    def dehydrate_requested(self, decision):
        return decision.application.amount_requested

    def dehydrate_decided_on(self, decision):
        return timezone.localdate(decision.decided_at).isoformat() if decision.decided_at else ""

    def dehydrate_report_due_on(self, decision):
        return decision.report_due_on.isoformat() if decision.report_due_on else ""

    # Import --------------------------------------------------------------------------------------------

    def get_instance(self, instance_loader, row):
        organisation, call = self._organisation(row), self._call(row, create=False)
        if call is None:
            return None
        return Decision.objects.filter(application__call=call, application__organisation=organisation).first()

    def import_instance(self, instance, row, **kwargs):
        outcome = OUTCOMES.get(str(row.get("Beslut") or "").strip().lower())
        if outcome is None:
            raise ValidationError({"outcome": _("“Beslut” must be “Beviljat” or “Avslag”.")})
        decided_on = _date(row.get("Beslutsdatum"), "decided_on", required=True)
        amount = _amount(row.get("Beviljat belopp"), "amount") if outcome == Decision.Outcome.GRANTED else None
        if outcome == Decision.Outcome.GRANTED and not amount:
            raise ValidationError({"amount": _("A grant needs an amount above zero.")})
        decided_at = timezone.make_aware(dt.datetime.combine(decided_on, dt.time(12)))
        organisation, call = self._organisation(row), self._call(row, create=True, amount=amount, on=decided_at)
        application, _created = Application.objects.get_or_create(
            call=call, organisation=organisation, defaults={"submitted_at": decided_at}
        )
        application.status = Application.Status.GRANTED if amount else Application.Status.REFUSED
        application.submitted_at = application.submitted_at or decided_at
        application.title = str(row.get("Ändamål") or "").strip()[:200] or application.title
        application.amount_requested = _amount(row.get("Sökt belopp"), "requested") or amount
        application.save()
        instance.application = application
        instance.outcome, instance.amount = outcome, amount
        instance.reason = str(row.get("Motivering") or "").strip()
        instance.public_purpose = str(row.get("Ändamål") or "").strip()[:300]
        instance.case_number = str(row.get("Diarienummer") or "").strip()[:50]
        instance.decided_at = decided_at
        instance.report_due_on = _date(row.get("Återrapport senast"), "report_due_on", required=False)

    def _organisation(self, row) -> Organisation:
        try:
            number = normalise_orgnr(str(row.get("Organisationsnummer") or "").strip())
        except ValidationError as exc:
            raise ValidationError({"organisation_number": exc.messages}) from None
        organisation = Organisation.objects.filter(organisation_number=number).first()
        if organisation is None:
            raise ValidationError(
                {
                    "organisation_number": _("No organisation with the number %(number)s is registered.")
                    % {"number": number}
                }
            )
        return organisation

    def _call(self, row, *, create: bool, amount=None, on=None) -> GrantCall | None:
        title = str(row.get("Bidragsform") or "").strip()[:250]
        if not title:
            raise ValidationError({"grant_form": _("Name the grant form (the call).")})
        call = GrantCall.objects.filter(title=title).first()
        if call is None and create:
            # An earlier call the portal never had: kept as a closed call, so its grants are listed.
            call = GrantCall.objects.create(
                title=title,
                slug=slugify(title)[:120] or "bidrag",
                purpose=title,
                who_may_apply="–",
                amount_available=0,
                ceiling=max(amount or 0, 1),
                opens_on=timezone.localdate(on),
                closes_at=on,
                status=GrantCall.Status.CLOSED,
            )
        return call


def _amount(value, field: str) -> int | None:
    text = str(value if value is not None else "").replace(" ", "").replace("\u00a0", "").strip()
    if not text:
        return None
    try:
        number = float(text.replace(",", "."))  # "1e309" and 5,000 nines are infinity, "NaN" is no number
    except ValueError:
        raise ValidationError({field: _("An amount is a whole number of kronor.")}) from None
    if not math.isfinite(number) or number < 0:
        raise ValidationError({field: _("An amount is a whole number of kronor.")})
    if number > AMOUNT_MAX:  # more than the column holds: a database error, failing every later row
        raise ValidationError(
            {field: _("An amount is at most %(maximum)s kronor.") % {"maximum": f"{AMOUNT_MAX:,}".replace(",", " ")}}
        )
    return int(number)


def _date(value, field: str, *, required: bool):
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    if not text:
        if required:
            raise ValidationError({field: _("Give the date as YYYY-MM-DD.")})
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise ValidationError({field: _("Give the date as YYYY-MM-DD.")}) from None
