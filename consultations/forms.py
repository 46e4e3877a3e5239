"""The answer form (section by section) and the coordinators' compilation forms."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.files import PDF_ONLY
from core.forms import HoneypotMixin

from .models import COMMENT_MAX, GENERAL_COMMENT_MAX, RESPONSE_MAX, Answer, Position


class AnswerForm(HoneypotMixin, forms.Form):
    """One position and comment per section, a general comment and an optional PDF.

    The view saves the draft from every valid post; on "Submit" it then asks for the
    public-document notice (``require_public_notice``) and the service for a position per section.
    """

    general_comment = forms.CharField(
        label=_("General comment"),
        required=False,
        max_length=GENERAL_COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    attachment = forms.FileField(
        label=_("Attachment (optional)"),
        required=False,
        validators=[PDF_ONLY],
        help_text=_("A PDF file, for example the board's decision on the answer. It becomes public with the answer."),
        widget=forms.ClearableFileInput(attrs={"accept": PDF_ONLY.accept}),
    )
    remove_attachment = forms.BooleanField(label=_("Remove the attached file"), required=False)
    understands_public = forms.BooleanField(
        label=_("I understand that the answer becomes a public document once the deadline has passed."),
        required=False,
    )

    def __init__(self, *args, sections, answer: Answer | None = None, **kwargs):
        self.sections = list(sections)
        initial = kwargs.pop("initial", {}) or {}
        if answer is not None and answer.pk:
            initial.setdefault("general_comment", answer.general_comment)
            for row in answer.sections.all():
                initial.setdefault(f"position_{row.section_id}", row.position)
                initial.setdefault(f"comment_{row.section_id}", row.comment)
        super().__init__(*args, initial=initial, **kwargs)
        for section in self.sections:
            self.fields[f"position_{section.pk}"] = forms.ChoiceField(
                label=_("Position on %(heading)s") % {"heading": section.heading},
                choices=[(value, capfirst(label)) for value, label in Position.choices],
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"comment_{section.pk}"] = forms.CharField(
                label=_("Comment on %(heading)s") % {"heading": section.heading},
                required=False,
                max_length=COMMENT_MAX,
                widget=forms.Textarea(attrs={"rows": 4}),
            )

    def section_fields(self):
        """(section, position field, comment field) for the template: one fieldset per section."""
        return [(s, self[f"position_{s.pk}"], self[f"comment_{s.pk}"]) for s in self.sections]

    def require_public_notice(self) -> bool:
        """On submit: the representative must have confirmed the public-document notice."""
        if self.cleaned_data.get("understands_public"):
            return True
        self.add_error("understands_public", _("Confirm that you know the answer becomes public before you submit it."))
        return False

    def positions(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {s.pk: (data.get(f"position_{s.pk}") or "", data.get(f"comment_{s.pk}") or "") for s in self.sections}


class CompilationForm(forms.Form):
    """Admin: the region's response on each section, and the summary of the compilation."""

    compilation_summary = forms.CharField(
        label=_("Summary of the compilation"),
        required=False,
        max_length=RESPONSE_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
    )

    def __init__(self, *args, compilation, **kwargs):
        super().__init__(*args, **kwargs)
        self.compilation = compilation
        for item in compilation:
            self.fields[f"response_{item.section.pk}"] = forms.CharField(
                label=_("The region's response on %(heading)s") % {"heading": item.section.heading},
                required=False,
                max_length=RESPONSE_MAX,
                initial=item.response,
                widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
            )

    def items(self):
        return [(item, self[f"response_{item.section.pk}"]) for item in self.compilation]


class LateAnswerForm(forms.Form):
    """Admin: accept an answer after the deadline from one invited organisation."""

    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
