"""The questions of a meeting's sign-up form (inline on the meeting) and the answers (on the registration)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..models import RegistrationAnswer, RegistrationQuestion


class RegistrationQuestionInline(admin.StackedInline):
    model = RegistrationQuestion
    extra = 0
    fields = (("order", "kind", "required"), "text", "text_en", "choices", "choices_en", "answer_count")
    readonly_fields = ("answer_count",)
    verbose_name = _("question at sign-up")
    verbose_name_plural = _("questions at sign-up (the answers given keep the question as it was then)")

    @admin.display(description=pgettext_lazy("sign-up question", "answers"))
    def answer_count(self, obj):
        return obj.answers.count() if obj.pk else 0


class RegistrationAnswerInline(admin.TabularInline):
    """The answers as given: the question's text as it was when the person signed up."""

    model = RegistrationAnswer
    extra = 0
    max_num = 0
    can_delete = False
    fields = ("question_text", "value")
    readonly_fields = fields
    verbose_name_plural = _("answers to the questions at sign-up")
