"""The region's disposal decisions in the admin: coordinators record the decision each retention rule
carries out (core/retention.py); the list says which rules still lack one (they do not run in production)."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import DisposalDecision
from .registry import portal


def _decision_choices(current: str = "") -> list[tuple[str, str]]:
    choices = {}
    for rule in portal.retention_rules():
        label = f"{rule.decision} – {rule.title}" if rule.title else rule.decision
        choices.setdefault(rule.decision, label)
    if current and current not in choices:
        choices[current] = current
    return sorted(choices.items())


class DisposalDecisionForm(forms.ModelForm):
    class Meta:
        model = DisposalDecision
        fields = ["key", "reference", "decided_on", "decided_by", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["key"]
        self.fields["key"] = forms.ChoiceField(
            label=field.label,
            help_text=field.help_text,
            choices=[("", "---------"), *_decision_choices(self.instance.key)],
        )


@admin.register(DisposalDecision)
class DisposalDecisionAdmin(admin.ModelAdmin):
    form = DisposalDecisionForm
    list_display = ["key", "rules", "reference", "decided_on", "decided_by"]
    search_fields = ["key", "reference", "decided_by", "note"]
    list_filter = ["decided_by"]
    date_hierarchy = "decided_on"

    @admin.display(description=_("retention rules"))
    def rules(self, obj):
        return ", ".join(str(rule.title or rule.name) for rule in portal.retention_rules() if rule.decision == obj.key)

    def changelist_view(self, request, extra_context=None):
        from .retention import rules_without_decision

        missing = rules_without_decision()
        if missing and request.method == "GET":
            messages.warning(
                request,
                gettext("These retention rules have no decision and do not run: %(rules)s.")
                % {"rules": ", ".join(f"{rule.title or rule.name} ({rule.decision})" for rule in missing)},
            )
        return super().changelist_view(request, extra_context)
