"""OpenAPI generation (drf-spectacular) with the conventions every operation shares: the ``lang``
parameter, the conditional-request headers and the JSON error responses."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import serializers

from .conventions import API_LANGUAGES

ErrorSerializer = inline_serializer(
    "Error",
    {
        "status": serializers.IntegerField(help_text=_("The HTTP status code.")),
        "message": serializers.CharField(help_text=_("What went wrong, in the request's language.")),
        "errors": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()),
            required=False,
            help_text=_("For a 400: the parameters with a bad value and what is wrong with each."),
        ),
    },
)

SHARED_PARAMETERS = [
    OpenApiParameter(
        "lang",
        OpenApiTypes.STR,
        enum=list(API_LANGUAGES),
        description=_("Language of texts and labels (sv or en). Without it: Accept-Language, else Swedish."),
    ),
    OpenApiParameter(
        "If-None-Match",
        OpenApiTypes.STR,
        location=OpenApiParameter.HEADER,
        description=_("An ETag from an earlier response: 304 without a body if nothing changed."),
    ),
    OpenApiParameter(
        "If-Modified-Since",
        OpenApiTypes.STR,
        location=OpenApiParameter.HEADER,
        description=_("An HTTP date: 304 without a body if nothing changed since."),
    ),
]


PATH_PARAMETERS = {
    "slug": _("Text id (slug) of the object, as in its public page's address."),
    "agreement_slug": _("Text id (slug) of the agreement."),
    "id": _("Numeric id of the object."),
}


class PublicAutoSchema(AutoSchema):
    """The portal's operations: shared parameters and errors, and texts in the language being generated.

    An operation's description is the view's ``api_description`` (a lazy translation) when it has one:
    drf-spectacular would otherwise take the docstring, which gettext cannot reach."""

    def get_description(self):
        return getattr(self.view, "api_description", None) or super().get_description()

    def _resolve_path_parameters(self, variables):
        parameters = super()._resolve_path_parameters(variables)
        for parameter in parameters:
            parameter.setdefault("description", PATH_PARAMETERS.get(parameter["name"], _("Identifier.")))
        return parameters

    def get_override_parameters(self):
        return [*SHARED_PARAMETERS, *super().get_override_parameters()]

    def get_tags(self):
        return [self.view.basename] if getattr(self.view, "basename", None) else super().get_tags()

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if self.method == "GET":
            error = self._get_response_for_code(OpenApiResponse(ErrorSerializer), "400", direction=direction)
            responses.setdefault("400", {**error, "description": _("A parameter has a bad value.")})
            responses.setdefault("404", {**error, "description": _("No such object or page.")})
            responses.setdefault("429", {**error, "description": _("Past the rate limit: see Retry-After.")})
            responses.setdefault("304", {"description": _("Not modified (conditional request).")})
        return responses
