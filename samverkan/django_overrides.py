"""Django's own messages whose Swedish we word better (``locale/sv`` comes before Django's catalogue).

Never imported: this module only puts the msgids into ``locale/sv/LC_MESSAGES/django.po`` when
``makemessages`` runs, so that they survive it. Keep the msgids exactly as Django writes them.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

# django.core.validators.MaxLengthValidator / MinLengthValidator: Django's Swedish reads
# "Säkerställ att detta värde har som mest 5000 tecken (den har 6000)".
MAX_LENGTH = ngettext_lazy(
    "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
    "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
    "limit_value",
)
MIN_LENGTH = ngettext_lazy(
    "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
    "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
    "limit_value",
)
# django.forms.fields.Field: "Detta fält måste fyllas i." also for a checkbox; ours fits both.
REQUIRED = gettext_noop("This field is required.")
# django.core.validators.EmailValidator: Django REST framework's catalogue (merged with Django's) says
# "mejladress"; the portal writes "e-postadress" everywhere.
INVALID_EMAIL = gettext_noop("Enter a valid email address.")
