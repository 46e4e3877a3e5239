"""Accessibility fixes for Django's admin that every app's ModelAdmin gets without asking.

- A date-and-time field is two inputs; Django labels neither (its field label points nowhere since
  Django 4). ``install()`` points the admin's split date/time widget at a template that renders a
  ``<label>`` for each ("Datum:", "Tid:"): every ModelAdmin and inline, of every app, gets it.
- Tabular inlines get a visually hidden label on every input: ``templates/admin/edit_inline/tabular.html``.
- Header, breadcrumbs and links in the region's colour with AA contrast: ``static/css/admin.css``.
"""

from django.contrib.admin import widgets

SPLIT_DATETIME_TEMPLATE = "core/admin/split_datetime.html"


def install() -> None:
    widgets.AdminSplitDateTime.template_name = SPLIT_DATETIME_TEMPLATE
