"""The application form (no JavaScript: a fixed number of budget rows), the follow-up report form and the
coordinators' assessment form. Views hand what the forms cleaned to one service."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.files import ANY_DOCUMENT
from core.forms import HoneypotMixin, IdempotencyMixin

from .models import ANSWER_MAX, BUDGET_ROWS, SCORE_MAX, TEXT_MAX, Application, FollowUpReport

AMOUNT_MAX = 2_000_000_000  # fits the PositiveIntegerField columns


class ApplicationForm(HoneypotMixin, IdempotencyMixin, forms.Form):
    title = forms.CharField(label=_("Project title"), max_length=200, required=False)
    description = forms.CharField(
        label=_("What does the organisation want to do?"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Do not write personal data about anyone: the application is read by the region's assessors."),
    )
    amount_requested = forms.IntegerField(
        label=_("Amount applied for (SEK)"), min_value=0, max_value=AMOUNT_MAX, required=False
    )
    attachment = forms.FileField(
        label=_("Add an attachment (optional)"),
        required=False,
        validators=[ANY_DOCUMENT],
        help_text=_("A PDF, an office document or an image, for example the board's decision or a budget."),
    )
    attachment_title = forms.CharField(label=_("Name of the attachment"), max_length=200, required=False)
    remove_attachments = forms.MultipleChoiceField(
        label=_("Remove attachments"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, call, application: Application | None = None, **kwargs):
        self.call = call
        self.questions = list(call.questions.all())
        initial = kwargs.pop("initial", {}) or {}
        if application is not None and application.pk:
            initial.update(
                title=application.title,
                description=application.description,
                amount_requested=application.amount_requested,
            )
            for question in self.questions:
                initial[f"question_{question.pk}"] = application.answers.get(str(question.pk), "")
            for index, line in enumerate(application.budget_lines.all()[:BUDGET_ROWS]):
                initial[f"item_{index}"], initial[f"amount_{index}"] = line.item, line.amount
        super().__init__(*args, initial=initial, **kwargs)
        attachments = list(application.attachments.all()) if application is not None and application.pk else []
        self.fields["remove_attachments"].choices = [(str(a.pk), a.title) for a in attachments]
        for question in self.questions:
            self.fields[f"question_{question.pk}"] = forms.CharField(
                label=question.text,
                required=False,
                max_length=ANSWER_MAX,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text=_("Required to submit.") if question.required else "",
            )
        for index in range(BUDGET_ROWS):
            self.fields[f"item_{index}"] = forms.CharField(
                label=_("Cost item %(n)s") % {"n": index + 1}, max_length=200, required=False
            )
            self.fields[f"amount_{index}"] = forms.IntegerField(
                label=_("Amount %(n)s (SEK)") % {"n": index + 1}, min_value=0, max_value=AMOUNT_MAX, required=False
            )

    def question_fields(self):
        return [self[f"question_{q.pk}"] for q in self.questions]

    def budget_rows(self):
        return [(index + 1, self[f"item_{index}"], self[f"amount_{index}"]) for index in range(BUDGET_ROWS)]

    def clean(self):
        data = super().clean()
        for index in range(BUDGET_ROWS):
            item, amount = data.get(f"item_{index}"), data.get(f"amount_{index}")
            if item and amount is None and f"amount_{index}" not in self.errors:
                self.add_error(f"amount_{index}", _("Give the amount of this cost item."))
            if amount and not item:
                self.add_error(f"item_{index}", _("Say what this amount is for."))
        return data

    def answers(self) -> dict[str, str]:
        return {str(q.pk): self.cleaned_data.get(f"question_{q.pk}") or "" for q in self.questions}

    def budget(self) -> list[tuple[str, int]]:
        rows = []
        for index in range(BUDGET_ROWS):
            item, amount = self.cleaned_data.get(f"item_{index}"), self.cleaned_data.get(f"amount_{index}")
            if item:
                rows.append((item, amount or 0))
        return rows

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "description": data["description"],
            "answers": self.answers(),
            "amount_requested": data["amount_requested"],
            "budget": self.budget(),
            "attachment": data["attachment"],
            "attachment_title": data["attachment_title"],
            "remove_attachments": [int(pk) for pk in data["remove_attachments"]],
            "upload_key": data["idempotency_key"],
        }


class ReportForm(forms.Form):
    what_was_done = forms.CharField(
        label=_("What was done?"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 6})
    )
    money_used = forms.CharField(
        label=_("How was the money used?"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 5})
    )
    amount_used = forms.IntegerField(label=_("Amount used (SEK)"), min_value=0, max_value=AMOUNT_MAX, required=False)

    def __init__(self, *args, report: FollowUpReport | None = None, **kwargs):
        if report is not None and report.what_was_done:
            kwargs.setdefault(
                "initial",
                {
                    "what_was_done": report.what_was_done,
                    "money_used": report.money_used,
                    "amount_used": report.amount_used,
                },
            )
        super().__init__(*args, **kwargs)


SCORE_CHOICES = [("", "–")] + [(str(n), str(n)) for n in range(SCORE_MAX + 1)]


class AssessmentForm(forms.Form):
    """Admin: one assessor's scores, or their declared conflict of interest."""

    conflict_of_interest = forms.BooleanField(
        label=_("I have a conflict of interest and stay out of this application"), required=False
    )
    conflict_note = forms.CharField(label=_("About the conflict"), max_length=500, required=False)
    comment = forms.CharField(
        label=_("Overall comment"), max_length=TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    complete = forms.BooleanField(label=_("The assessment is complete"), required=False)

    def __init__(self, *args, criteria, assessment=None, **kwargs):
        self.criteria = list(criteria)
        initial = {}
        if assessment is not None:
            initial.update(comment=assessment.comment, complete=bool(assessment.completed_at))
            for score in assessment.scores.all():
                initial[f"score_{score.criterion_id}"] = str(score.score)
                initial[f"comment_{score.criterion_id}"] = score.comment
        super().__init__(*args, initial=initial, **kwargs)
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.ChoiceField(
                label=_("Score on %(criterion)s") % {"criterion": criterion.name}, choices=SCORE_CHOICES, required=False
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment on %(criterion)s") % {"criterion": criterion.name},
                max_length=ANSWER_MAX,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
            )

    def criterion_fields(self):
        return [(c, self[f"score_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]

    def scores(self) -> dict[int, tuple[int | None, str]]:
        data = self.cleaned_data
        return {
            c.pk: (int(data[f"score_{c.pk}"]) if data.get(f"score_{c.pk}") else None, data.get(f"comment_{c.pk}") or "")
            for c in self.criteria
        }
