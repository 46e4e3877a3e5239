"""The meeting change form's reminder choices, and the form of the "message the participants" action."""

from datetime import timedelta

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from ..models import Meeting


class MessageForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 10, "cols": 80}))


def _days(n):
    return ngettext_lazy("%(n)d day before", "%(n)d days before", n) % {"n": n}


def _hours(n):
    return ngettext_lazy("%(n)d hour before", "%(n)d hours before", n) % {"n": n}


def _minutes(n):
    return ngettext_lazy("%(n)d minute before", "%(n)d minutes before", n) % {"n": n}


REMINDER_OFFSETS = [
    (timedelta(minutes=15), _minutes(15)),
    (timedelta(minutes=30), _minutes(30)),
    (timedelta(hours=1), _hours(1)),
    (timedelta(hours=2), _hours(2)),
    (timedelta(hours=3), _hours(3)),
    (timedelta(days=1), _days(1)),
    (timedelta(days=2), _days(2)),
    (timedelta(days=3), _days(3)),
    (timedelta(days=7), _days(7)),
    (timedelta(days=14), _days(14)),
]


def offset_label(value: timedelta):
    for offset, label in REMINDER_OFFSETS:
        if offset == value:
            return label
    seconds = int(value.total_seconds())
    if seconds % 86400 == 0:
        return _days(seconds // 86400)
    if seconds % 3600 == 0:
        return _hours(seconds // 3600)
    return _minutes(seconds // 60)


class ReminderOffsetField(forms.TypedChoiceField):
    """ "2 dagar före", "1 timme före" instead of typing "2 days, 0:00:00"; empty: no reminder."""

    def __init__(self, *, label, help_text="", initial=None, current=None, **kwargs):
        choices = [("", _("No reminder"))] + [(str(int(o.total_seconds())), lbl) for o, lbl in REMINDER_OFFSETS]
        if current and current not in dict(REMINDER_OFFSETS):
            choices.append((str(int(current.total_seconds())), offset_label(current)))
        super().__init__(
            label=label,
            help_text=help_text,
            choices=choices,
            coerce=lambda seconds: timedelta(seconds=int(seconds)),
            empty_value=None,
            required=False,
            initial=initial,
        )

    def prepare_value(self, value):
        if isinstance(value, timedelta):
            return str(int(value.total_seconds()))
        return value


class MeetingAdminForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["reminder_before", "reminder_before_online"]  # the admin adds the rest from its fieldsets

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        for name, help_text in (
            ("reminder_before", _("Sent to everyone registered.")),
            ("reminder_before_online", _("Only for digital and hybrid meetings, with the link to join.")),
        ):
            if name in self.fields:
                model_field = Meeting._meta.get_field(name)
                self.fields[name] = ReminderOffsetField(
                    label=self.fields[name].label,
                    help_text=help_text,
                    initial=self.fields[name].initial,
                    current=getattr(instance, name, None) if instance.pk else model_field.default,
                )
