"""Pagination of every list (``{count, next, previous, results}``); kept apart from ``conventions`` because
DRF's settings import it while ``rest_framework.views`` is being imported."""

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination


def _positive_int(request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise exceptions.ValidationError({name: [_("A whole number of at least 1.")]})
    return value


class PublicPagination(PageNumberPagination):
    """``{count, next, previous, results}``; ``page`` from 1, ``page_size`` up to ``API_MAX_PAGE_SIZE``."""

    page_size_query_param = "page_size"
    last_page_strings = ()

    @property
    def page_size(self):
        return settings.API_PAGE_SIZE

    @property
    def max_page_size(self):
        return settings.API_MAX_PAGE_SIZE

    def get_page_size(self, request):
        size = _positive_int(request, self.page_size_query_param)
        return min(size or self.page_size, self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        number = _positive_int(request, self.page_query_param) or 1
        self.request = request
        paginator = self.django_paginator_class(queryset, self.get_page_size(request))
        if number > max(paginator.num_pages, 1):
            raise exceptions.NotFound(
                ngettext(
                    "Page %(number)s does not exist: there is %(pages)s page.",
                    "Page %(number)s does not exist: there are %(pages)s pages.",
                    paginator.num_pages,
                )
                % {"number": number, "pages": paginator.num_pages}
            )
        self.page = paginator.page(number)
        return list(self.page)

    # The schema's texts: gettext, not gettext_lazy, as they are built while the schema is generated, under
    # the language being generated (api.views._schema).

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "results"],
            "properties": {
                "count": {"type": "integer", "description": _("Number of results on all pages."), "example": 123},
                "next": {"type": ["string", "null"], "format": "uri", "description": _("The next page, or null.")},
                "previous": {
                    "type": ["string", "null"],
                    "format": "uri",
                    "description": _("The previous page, or null."),
                },
                "results": {**schema, "description": _("The results on this page.")},
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": _("Page number, from 1. A page after the last is a 404."),
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": _("Results per page (default %(default)s, at most %(max)s; a larger value is capped).")
                % {"default": self.page_size, "max": self.max_page_size},
                "schema": {"type": "integer", "minimum": 1},
            },
        ]
