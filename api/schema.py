"""OpenAPI generation (drf-spectacular) with the conventions every operation shares: the ``lang``
parameter, the conditional-request headers and the JSON error responses."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import serializers

from .conventions import API_LANGUAGES

ErrorSerializer = inline_serializer(
    "Error",
    {
        "status": serializers.IntegerField(help_text="The HTTP status code."),
        "message": serializers.CharField(help_text="What went wrong, in the request's language."),
        "errors": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()),
            required=False,
            help_text="For a 400: the parameters with a bad value and what is wrong with each.",
        ),
    },
)

SHARED_PARAMETERS = [
    OpenApiParameter(
        "lang",
        OpenApiTypes.STR,
        enum=list(API_LANGUAGES),
        description="Language of texts and labels (sv or en). Without it: Accept-Language, else Swedish.",
    ),
    OpenApiParameter(
        "If-None-Match",
        OpenApiTypes.STR,
        location=OpenApiParameter.HEADER,
        description="An ETag from an earlier response: 304 without a body if nothing changed.",
    ),
    OpenApiParameter(
        "If-Modified-Since",
        OpenApiTypes.STR,
        location=OpenApiParameter.HEADER,
        description="An HTTP date: 304 without a body if nothing changed since.",
    ),
]


PATH_PARAMETERS = {
    "slug": "Text id (slug) of the object, as in its public page's address.",
    "agreement_slug": "Text id (slug) of the agreement.",
    "id": "Numeric id of the object.",
}


class PublicAutoSchema(AutoSchema):
    def _resolve_path_parameters(self, variables):
        parameters = super()._resolve_path_parameters(variables)
        for parameter in parameters:
            parameter.setdefault("description", PATH_PARAMETERS.get(parameter["name"], "Identifier."))
        return parameters

    def get_override_parameters(self):
        return [*SHARED_PARAMETERS, *super().get_override_parameters()]

    def get_tags(self):
        return [self.view.basename] if getattr(self.view, "basename", None) else super().get_tags()

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if self.method == "GET":
            error = self._get_response_for_code(OpenApiResponse(ErrorSerializer), "400", direction=direction)
            responses.setdefault("400", {**error, "description": "A parameter has a bad value."})
            responses.setdefault("404", {**error, "description": "No such object or page."})
            responses.setdefault("429", {**error, "description": "Past the rate limit: see Retry-After."})
            responses.setdefault("304", {"description": "Not modified (conditional request)."})
        return responses
