"""Bad input in the admin gets an answer, never a 500, for every app's ModelAdmin without asking.

- The admin's views hand their query string (list filters, ``date_hierarchy``, custom filters, the
  autocomplete's term) to the database as it comes. PostgreSQL refuses a NUL byte in a text
  parameter (``DataError``), so a query string with one gets the portal's 400 page instead.
- An autocomplete select re-rendered after a failed save looks up the submitted values with a filter
  on the related primary key; a value that is no key ("1.5", "abc", 40 digits) raised ``ValueError``
  or ``OverflowError`` there. Such
  values are dropped from the lookup (the form already says the choice is not valid).
- An object id that names nothing the coordinator may see (deleted, or another region's: the admin's
  querysets are scoped to the host's region) is a 404, not Django's redirect to the start page with
  "… doesn't exist. Perhaps it was deleted?" — which would confirm to a guesser that the URL exists.
- simple_history's history page reads the history table, which no scoped manager guards: it reads only
  the history rows of the host's region (another region's id shows an empty history, or a 404 above).
- The admin's "view on site" (``admin/r/<type>/<id>/``) is Django's contenttypes shortcut, which reads through
  the model's base manager, past the region's scope: ``view_on_site`` (mounted before the admin in the root
  URLconf) reads through the scoped manager, for a coordinator who may view that model.
- A file the storage will not take in an admin form is a message and the form again, not a 500.
- A change list's query string is checked before any query is made (``_checked_lookups``): a value no
  column of its field holds (an id past bigint, "abc" for a number, a date outside ``YEAR_MIN``..``YEAR_MAX``,
  the date hierarchy's ``year=9999``, which Django turned into year 10000), and a regular expression
  lookup (which the database may refuse to compile), are the admin's "incorrect lookup": the list again,
  from the start, with a message saying why (also for a page that does not exist or a filter Django
  refuses). The same for an export's filters (django-import-export builds the change list's query).
- A search of more than ``SEARCH_WORDS`` words searches the first ones, with a message: each word is a
  condition on every search field, and thousands of them are a query SQLite refuses ("Expression tree is
  too large") and PostgreSQL plans for long.
- The ids of an action's selected objects (``_selected_action``) that are no key of the model ("abc", 30
  digits) are dropped before the action's query; none left is Django's "Items must be selected".
- A date or time the add form takes as its initial value from the query string (``?start=abc``) that is no
  date is left out: Django's split date/time widget could not show it.
"""

import functools

from django import forms
from django.contrib import messages
from django.contrib.admin import AdminSite, ModelAdmin, SimpleListFilter
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ERROR_FLAG, ChangeList
from django.contrib.admin.widgets import AutocompleteMixin
from django.core.exceptions import BadRequest, FieldDoesNotExist, FieldError, PermissionDenied, ValidationError
from django.db import models
from django.db.models.constants import LOOKUP_SEP
from django.http import Http404, HttpResponseRedirect, QueryDict
from django.urls import reverse
from django.utils.text import smart_split
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.forms import INTEGER_COLUMNS, YEAR_MAX, YEAR_MIN, column_range, parse_int

# Said above the change list when its query string could not be used (see ``_checked_lookups``).
BAD_LOOKUP = _(
    "The list could not be shown as its address asked (a filter, sort order or page in it is not valid): "
    "it is shown from the start."
)
# The words of a search that are searched for (see ``_searching_some_words``).
SEARCH_WORDS = 20


def _has_nul(query) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in query.lists())


def _guard_admin_view(admin_view):
    def admin_view_refusing_nul(self, view, cacheable=False):
        def view_refusing_nul(request, *args, **kwargs):
            if _has_nul(request.GET):
                raise BadRequest("NUL byte in the admin's query string")
            return view(request, *args, **kwargs)

        return admin_view(self, functools.wraps(view)(view_refusing_nul), cacheable)

    admin_view_refusing_nul.portal_guard = True
    return admin_view_refusing_nul


def _column(field):
    """The column a model field's values are compared with: a relation's target field, else the field."""
    for _hop in range(5):
        if not field.is_relation:
            break
        try:
            field = field.target_field
        except (AttributeError, FieldError):  # a relation on several columns: no one column to check
            break
    return field


def _is_key(field, value) -> bool:
    """Whether ``value`` (from a URL or a form) is a value the key column ``field`` holds: of its type, and for an
    integer column within its range on every database (``core.forms.column_range``)."""
    field = _column(field)
    if value is None or "\x00" in str(value):
        return False
    try:
        python = field.to_python(value)
        field.run_validators(python)
    except (ValidationError, ValueError, TypeError):
        return False
    if python is None:
        return False
    internal_type = field.get_internal_type()
    if internal_type in INTEGER_COLUMNS:
        low, high = column_range(internal_type)
        return low <= python <= high
    return True


def _guard_optgroups(optgroups):
    def optgroups_of_valid_keys(self, name, value, attr=None):
        remote = self.field.remote_field
        target = remote.model._meta.get_field(getattr(remote, "field_name", None) or remote.model._meta.pk.name)
        valid = [item for item in value if _is_key(target, item)]  # a key, in the column's range
        return optgroups(self, name, valid, attr)

    optgroups_of_valid_keys.portal_guard = True
    return optgroups_of_valid_keys


def _not_found(self, request, opts, object_id):
    raise Http404("no such object in this region")


_not_found.portal_guard = True


def _history_of_the_region(get_history_queryset):
    def history_of_the_region(self, request, history_manager, pk_name, object_id):
        from core.region_state import current_region_id

        if not _is_key(self.model._meta.pk, object_id):  # "abc" or 30 digits: no row's history
            raise Http404("no such object in this region")
        queryset = get_history_queryset(self, request, history_manager, pk_name, object_id)
        if any(field.name == "region" for field in queryset.model._meta.fields):
            queryset = queryset.filter(region_id=current_region_id())
        return queryset

    history_of_the_region.portal_guard = True
    return history_of_the_region


def _history_version_of_the_region(history_form_view):
    def history_version_of_the_region(self, request, object_id, version_id, extra_context=None):
        from core.region_state import current_region_id

        history = getattr(self.model, self.model._meta.simple_history_manager_attribute).model
        if any(field.name == "region" for field in history._meta.fields):
            lookup = {self.model._meta.pk.attname: object_id, "history_id": version_id}
            try:
                found = history.objects.filter(**lookup, region_id=current_region_id()).exists()
            except (ValueError, TypeError, ValidationError):
                found = False
            if not found:
                raise Http404("no such version in this region")
        if request.method != "GET":
            # django-simple-history saves the whole old row on a POST here, whatever the admin keeps read-only
            # and whatever state the services moved it to since: a version is shown, never written back.
            raise PermissionDenied("an earlier version is not written back")
        return history_form_view(self, request, object_id, version_id, extra_context=extra_context)

    history_version_of_the_region.portal_guard = True
    return history_version_of_the_region


def _storing_files(changeform_view):
    """An admin form whose file the storage will not take (full, unwritable, the bucket refusing): the
    transaction of the admin's save is rolled back, the coordinator is sent back to the form with a message,
    and the error logged without its text (core/storage_errors.py), instead of a 500."""

    def changeform_view_storing_files(self, request, object_id=None, form_url="", extra_context=None):
        from django.contrib import messages

        from core.storage_errors import MESSAGE, STORAGE_ERRORS, log_storage_error

        try:
            return changeform_view(self, request, object_id, form_url, extra_context)
        except STORAGE_ERRORS as exc:
            if request.method != "POST":
                raise
            log_storage_error(exc, where=f"admin:{self.opts.label_lower}")
            messages.error(request, MESSAGE)
            return HttpResponseRedirect(request.get_full_path())

    changeform_view_storing_files.portal_guard = True
    return changeform_view_storing_files


# The parts of a date a lookup may take (``start__year``, ``start__month``...) and the values each holds.
_DATE_PARTS = {
    "year": (YEAR_MIN, YEAR_MAX),
    "iso_year": (YEAR_MIN, YEAR_MAX),
    "month": (1, 12),
    "day": (1, 31),
    "week": (1, 53),
    "week_day": (1, 7),
    "iso_week_day": (1, 7),
    "quarter": (1, 4),
    "hour": (0, 23),
    "minute": (0, 59),
    "second": (0, 59),
}
# Lookups whose value the database compiles (a regular expression): a wrong one is a database error.
_REFUSED_LOOKUPS = {"regex", "iregex"}
# Lookups that compare a column with the value as the column's type.
_COMPARISONS = {"exact", "iexact", "gt", "gte", "lt", "lte", "in", "range"}


def _date_in_range(field, value) -> bool:
    try:
        moment = field.to_python(value)
    except (ValidationError, ValueError, TypeError, OverflowError):
        return False
    return moment is None or YEAR_MIN <= moment.year <= YEAR_MAX


def _lookup_is_usable(model, key: str, values) -> bool:
    """Whether a change list's ``key=value`` lookups can be asked of the database: ``False`` for a value its
    column cannot hold (which the database refuses when the query runs, past Django's checks). A key that
    names no field is left to Django (its own "incorrect lookup")."""
    opts, field, rest = model._meta, None, key.split(LOOKUP_SEP)
    while rest:
        try:
            found = opts.pk if rest[0] == "pk" else opts.get_field(rest[0])
        except FieldDoesNotExist:
            break
        field, rest = found, rest[1:]
        if not (found.is_relation and found.related_model is not None and rest):
            break
        opts = found.related_model._meta
    if field is None:
        return True
    if _REFUSED_LOOKUPS & set(rest):
        return False
    column = _column(field)
    lookup = rest[-1] if rest else "exact"
    if lookup == "isnull":
        return True
    if lookup in _COMPARISONS:
        rest = rest[:-1]
    texts = [part for value in values for part in (str(value).split(",") if lookup in ("in", "range") else [value])]
    if rest:  # a transform: a part of a date, or the date of a moment
        if rest == ["date"] and isinstance(column, models.DateTimeField):
            return all(_date_in_range(models.DateField(), text) for text in texts)
        if len(rest) == 1 and rest[0] in _DATE_PARTS and isinstance(column, models.DateField | models.TimeField):
            low, high = _DATE_PARTS[rest[0]]
            return all(parse_int(text, minimum=low, maximum=high) is not None for text in texts)
        return True
    if lookup not in _COMPARISONS:
        return True
    if column.choices and lookup in ("exact", "in"):  # a status, a kind: one of its choices (or blank)
        keys = {str(key) for key, _label in column.flatchoices} | {""}
        if not all(str(text) in keys for text in texts):
            return False
    if column.get_internal_type() in INTEGER_COLUMNS:
        low, high = column_range(column.get_internal_type())
        return all(parse_int(text, minimum=low, maximum=high) is not None for text in texts)
    if isinstance(column, models.DateField):  # DateTimeField too
        return all(_date_in_range(column, text) for text in texts)
    return True


def _checked_lookups(get_filters):
    """A change list's lookups are checked before Django turns them into a query (``_lookup_is_usable``); the
    parameters of a ``SimpleListFilter`` are its own to read."""

    def get_filters_of_usable_lookups(self, request):
        own = {
            spec.parameter_name
            for spec in self.list_filter
            if isinstance(spec, type) and issubclass(spec, SimpleListFilter)
        }
        for key, values in self.get_filters_params().items():
            if key not in own and not _lookup_is_usable(self.model, key, values):
                raise IncorrectLookupParameters(f"no value of its column: {key}")
        return get_filters(self, request)

    get_filters_of_usable_lookups.portal_guard = True
    return get_filters_of_usable_lookups


def _telling_bad_lookups(get_changelist_instance):
    """Django answers lookups it cannot use with the change list from the start (``?e=1``) and no word why:
    a message says it. Lookups it cannot use beside ``e=1`` (typed, or a link kept from such a page) got
    Django's "Database error" page: the change list from the start here too, with the message."""

    def get_changelist_instance_telling(self, request):
        try:
            return get_changelist_instance(self, request)
        except IncorrectLookupParameters:
            messages.warning(request, BAD_LOOKUP)
            if ERROR_FLAG not in request.GET or set(request.GET) == {ERROR_FLAG}:
                raise
            request.GET = QueryDict(f"{ERROR_FLAG}=1")
            return get_changelist_instance(self, request)

    get_changelist_instance_telling.portal_guard = True
    return get_changelist_instance_telling


def _exporting_usable_lookups(export_action):
    """django-import-export's export reads the change list's filters from its own query string and let
    ``IncorrectLookupParameters`` out (a 500): the change list from the start instead, with the message."""

    def export_action_of_usable_lookups(self, request):
        try:
            return export_action(self, request)
        except IncorrectLookupParameters:
            messages.warning(request, BAD_LOOKUP)
            changelist = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
            return HttpResponseRedirect(f"{changelist}?{ERROR_FLAG}=1")

    export_action_of_usable_lookups.portal_guard = True
    return export_action_of_usable_lookups


def _searching_some_words(get_search_results):
    """A search of more than ``SEARCH_WORDS`` words searches the first ones, with a message on the change list."""

    def get_search_results_of_some_words(self, request, queryset, search_term):
        words = list(smart_split(search_term or ""))
        if len(words) > SEARCH_WORDS:
            search_term = " ".join(words[:SEARCH_WORDS])
            match = getattr(request, "resolver_match", None)
            if match is not None and match.url_name != "autocomplete" and not getattr(request, "_search_cut", False):
                request._search_cut = True  # the facets search again, once per filter
                messages.warning(
                    request,
                    ngettext(
                        "Only the first %(count)d word of the search was searched for.",
                        "Only the first %(count)d words of the search were searched for.",
                        SEARCH_WORDS,
                    )
                    % {"count": SEARCH_WORDS},
                )
        return get_search_results(self, request, queryset, search_term)

    get_search_results_of_some_words.portal_guard = True
    return get_search_results_of_some_words


def _selecting_keys(changelist_view):
    """The selected objects of an action that are no key of the model are dropped before the action's query
    (``pk__in=["abc"]`` raised ``ValueError``, 30 digits overflowed the column when the query ran)."""

    def changelist_view_selecting_keys(self, request, extra_context=None):
        if request.method == "POST" and ACTION_CHECKBOX_NAME in request.POST:
            selected = request.POST.getlist(ACTION_CHECKBOX_NAME)
            keys = [value for value in selected if _is_key(self.opts.pk, value)]
            if keys != selected:
                post = request.POST.copy()
                post.setlist(ACTION_CHECKBOX_NAME, keys)
                request.POST = post
        return changelist_view(self, request, extra_context)

    changelist_view_selecting_keys.portal_guard = True
    return changelist_view_selecting_keys


_TEMPORAL_FORM_FIELDS = [
    (models.DateTimeField, forms.DateTimeField),
    (models.DateField, forms.DateField),
    (models.TimeField, forms.TimeField),
]


def _initial_dates_that_are_dates(get_changeform_initial_data):
    """The add form takes initial values from the query string as text; a date or time field's widget shows a
    date (the split date/time widget raised ``AttributeError`` on text): one that is none is left out."""

    def get_changeform_initial_data_of_dates(self, request):
        initial = get_changeform_initial_data(self, request)
        for name, value in list(initial.items()):
            try:
                field = self.opts.get_field(name)
            except FieldDoesNotExist:
                continue
            form_field = next((form for model, form in _TEMPORAL_FORM_FIELDS if isinstance(field, model)), None)
            if form_field is None or not isinstance(value, str):
                continue
            try:
                initial[name] = form_field().to_python(value)
            except (ValidationError, ValueError, OverflowError):
                del initial[name]
                continue
            if (
                initial[name] is not None
                and hasattr(initial[name], "year")
                and not YEAR_MIN <= initial[name].year <= YEAR_MAX
            ):
                del initial[name]
        return initial

    get_changeform_initial_data_of_dates.portal_guard = True
    return get_changeform_initial_data_of_dates


def _clean_after_field_errors(clean):
    """A form's ``clean()`` that reads ``cleaned_data[name]`` of a field which failed its own cleaning (a
    ``KeyError``): the form already shows that field's error."""

    def clean_after_field_errors(self):
        try:
            return clean(self)
        except KeyError:
            if self._errors:
                return self.cleaned_data
            raise

    clean_after_field_errors.portal_guard = True
    return clean_after_field_errors


def _json_within_depth(clean_json):
    """A JSON text nested deeper than Python's recursion limit (``[[[[…``) is no valid JSON, not a 500."""

    def clean_json_within_depth(self, field):
        try:
            return clean_json(self, field)
        except RecursionError:
            raise ValidationError(forms.JSONField.default_error_messages["invalid"], code="invalid") from None

    clean_json_within_depth.portal_guard = True
    return clean_json_within_depth


def _install_third_party() -> None:
    """The same for the admins of installed packages: django-import-export's export, django-celery-beat's
    periodic task form (its ``clean()`` and its JSON fields)."""
    from django_celery_beat.admin import PeriodicTaskForm
    from import_export.admin import ExportMixin

    if not getattr(ExportMixin.export_action, "portal_guard", False):
        ExportMixin.export_action = _exporting_usable_lookups(ExportMixin.export_action)
    if not getattr(PeriodicTaskForm.clean, "portal_guard", False):
        PeriodicTaskForm.clean = _clean_after_field_errors(PeriodicTaskForm.clean)
    if not getattr(PeriodicTaskForm._clean_json, "portal_guard", False):
        PeriodicTaskForm._clean_json = _json_within_depth(PeriodicTaskForm._clean_json)


def install() -> None:
    """Called once from ``CoreConfig.ready``; idempotent."""
    from simple_history.admin import SimpleHistoryAdmin

    if not getattr(ModelAdmin._get_obj_does_not_exist_redirect, "portal_guard", False):
        ModelAdmin._get_obj_does_not_exist_redirect = _not_found
    for owner, name, guard in (
        (SimpleHistoryAdmin, "history_form_view", _history_version_of_the_region),
        (SimpleHistoryAdmin, "get_history_queryset", _history_of_the_region),
        (AdminSite, "admin_view", _guard_admin_view),
        (ModelAdmin, "changeform_view", _storing_files),
        (AutocompleteMixin, "optgroups", _guard_optgroups),
        (ChangeList, "get_filters", _checked_lookups),
        (ModelAdmin, "get_changelist_instance", _telling_bad_lookups),
        (ModelAdmin, "get_search_results", _searching_some_words),
        (ModelAdmin, "changelist_view", _selecting_keys),
        (ModelAdmin, "get_changeform_initial_data", _initial_dates_that_are_dates),
    ):
        if not getattr(getattr(owner, name), "portal_guard", False):
            setattr(owner, name, guard(getattr(owner, name)))
    _install_third_party()


def view_on_site(request, content_type_id, object_id):
    """The admin's "view on site" link: the object's public page, for a coordinator who may view its model, read
    through the model's default (region-scoped) manager, so another region's object is a 404 like any other."""
    from django.contrib.contenttypes.models import ContentType

    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist:
        model = None
    if model is None or not hasattr(model, "get_absolute_url"):
        raise Http404("nothing to show on the site")
    if not request.user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}"):
        raise PermissionDenied
    try:
        obj = model._default_manager.filter(pk=object_id).first()
    except (ValueError, TypeError, ValidationError, OverflowError):
        obj = None
    if obj is None:
        raise Http404("no such object here")
    url = obj.get_absolute_url()
    if not url:
        raise Http404("nothing to show on the site")
    return HttpResponseRedirect(url)
