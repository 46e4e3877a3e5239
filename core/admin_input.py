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
"""

import functools

from django.contrib.admin import AdminSite, ModelAdmin
from django.contrib.admin.widgets import AutocompleteMixin
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect


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


def _guard_optgroups(optgroups):
    def optgroups_of_valid_keys(self, name, value, attr=None):
        remote = self.field.remote_field
        target = remote.model._meta.get_field(getattr(remote, "field_name", None) or remote.model._meta.pk.name)
        valid = []
        for item in value:
            try:
                target.run_validators(target.to_python(item))  # a key, in the column's range
            except ValidationError:
                continue
            valid.append(item)
        return optgroups(self, name, valid, attr)

    optgroups_of_valid_keys.portal_guard = True
    return optgroups_of_valid_keys


def _not_found(self, request, opts, object_id):
    raise Http404("no such object in this region")


_not_found.portal_guard = True


def _history_of_the_region(get_history_queryset):
    def history_of_the_region(self, request, history_manager, pk_name, object_id):
        from core.region_state import current_region_id

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


def install() -> None:
    """Called once from ``CoreConfig.ready``; idempotent."""
    from simple_history.admin import SimpleHistoryAdmin

    if not getattr(SimpleHistoryAdmin.history_form_view, "portal_guard", False):
        SimpleHistoryAdmin.history_form_view = _history_version_of_the_region(SimpleHistoryAdmin.history_form_view)

    if not getattr(SimpleHistoryAdmin.get_history_queryset, "portal_guard", False):
        SimpleHistoryAdmin.get_history_queryset = _history_of_the_region(SimpleHistoryAdmin.get_history_queryset)
    if not getattr(ModelAdmin._get_obj_does_not_exist_redirect, "portal_guard", False):
        ModelAdmin._get_obj_does_not_exist_redirect = _not_found
    if not getattr(AdminSite.admin_view, "portal_guard", False):
        AdminSite.admin_view = _guard_admin_view(AdminSite.admin_view)
    if not getattr(ModelAdmin.changeform_view, "portal_guard", False):
        ModelAdmin.changeform_view = _storing_files(ModelAdmin.changeform_view)
    if not getattr(AutocompleteMixin.optgroups, "portal_guard", False):
        AutocompleteMixin.optgroups = _guard_optgroups(AutocompleteMixin.optgroups)


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
