"""The object's address in the open data API, found from the API's own registry (``api.registry``): the
viewset whose objects are of the event's model gives the detail route and its lookup (slug or id). An
object the API does not publish (another kind, or not public) has no address: ``""``."""

from __future__ import annotations

import logging

from django.urls import NoReverseMatch, reverse

from api.registry import api
from core.links import absolute_url

logger = logging.getLogger(__name__)


def _viewsets(object_type: str):
    api.autodiscover()
    for prefix, viewset, basename in api.router.registry:
        if "(?P<" in prefix:
            continue  # nested (signatories of an agreement): no address from the object alone
        model = getattr(getattr(viewset, "serializer_class", None), "Meta", None)
        model = getattr(model, "model", None)
        if model is not None and model._meta.label_lower == object_type:
            yield viewset, basename


def api_url(object_type: str, object_id: int) -> str:
    for viewset, basename in _viewsets(object_type):
        view = viewset()
        view.request, view.action, view.kwargs, view.format_kwarg = None, "retrieve", {}, None
        lookup = viewset.lookup_field
        try:
            value = view.get_queryset().filter(pk=object_id).values_list(lookup, flat=True).first()
        except Exception:  # a viewset that needs a request: no address rather than no event
            logger.warning("webhooks: no API address for %s (%s)", object_type, basename, exc_info=True)
            return ""
        if value is None:
            return ""
        try:
            path = reverse(f"api:{basename}-detail", kwargs={viewset.lookup_url_kwarg or lookup: value})
        except NoReverseMatch:
            return ""
        return absolute_url(path)
    return ""
