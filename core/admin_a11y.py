"""Accessibility fixes for Django's admin that every app's ModelAdmin gets without asking.

- A date-and-time field is two inputs; Django labels neither (its field label points nowhere since
  Django 4). ``install()`` points the admin's split date/time widget at a template that renders a
  ``<label>`` for each ("Datum:", "Tid:"): every ModelAdmin and inline, of every app, gets it.
- Tabular inlines get a visually hidden label on every input: ``templates/admin/edit_inline/tabular.html``.
- Header, breadcrumbs and links in the region's colour with AA contrast: ``static/css/admin.css``.
- A yes/no icon in a list or a read-only field says "Ja", "Nej" or "Okänt" to a screen reader; Django's
  says "True", "False" or "None" in every language (``boolean_icon``).
- The changelist's search field is named in the page's language (``templates/admin/search_form.html``;
  Django's says "Search"). Wide tables (history, inlines) scroll in a labelled region of their own.
"""

from django.contrib.admin import widgets
from django.contrib.admin.templatetags import admin_list
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext

SPLIT_DATETIME_TEMPLATE = "core/admin/split_datetime.html"


def boolean_icon(field_val):
    """Django's yes/no/unknown icon with a translated text alternative."""
    name, text = {True: ("yes", gettext("Yes")), False: ("no", gettext("No")), None: ("unknown", gettext("Unknown"))}[
        field_val
    ]
    return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{name}.svg"), text)


def install() -> None:
    widgets.AdminSplitDateTime.template_name = SPLIT_DATETIME_TEMPLATE
    # Every caller (changelist cells, read-only fields, display_for_value) imports it from this module when called.
    admin_list._boolean_icon = boolean_icon
