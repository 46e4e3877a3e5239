"""The public signatory list's rows as the downloads give them (CSV, XLSX, JSON): one definition of a public
signatory's columns, shared by the API's signatory serializer (``agreements.api``) and the files
(``agreements.exports``)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from api.fields import PageUrlField


@extend_schema_serializer(
    description=_("One row of the public signatory list: the columns of the CSV and JSON downloads.")
)
class SignatoryRowSerializer(serializers.Serializer):
    """One row of the public signatory list: the columns of the CSV and JSON downloads."""

    organisation = serializers.CharField(
        source="organisation.name", read_only=True, help_text=_("Name of the signatory organisation.")
    )
    organisation_number = serializers.CharField(
        source="organisation.organisation_number",
        read_only=True,
        help_text=_("Its organisation number (NNNNNN-NNNN), may be empty."),
    )
    municipality = serializers.CharField(
        source="organisation.municipality.name",
        read_only=True,
        default="",
        help_text=_("Its home municipality, may be empty."),
    )
    date_signed = serializers.DateField(
        source="signed_on", read_only=True, help_text=_("Date the agreement was signed (YYYY-MM-DD).")
    )

    # The columns of the downloads, in order, with their headers (translated when the file is built).
    COLUMNS = ("organisation", "organisation_number", "municipality", "date_signed")


def download_header() -> list[str]:
    from django.utils.translation import gettext

    return [gettext("Organisation"), gettext("Organisation number"), gettext("Municipality"), gettext("Date signed")]


class DownloadRowSerializer(SignatoryRowSerializer):
    """A row of the downloads (CSV, XLSX, JSON): ``SignatoryRowSerializer``'s columns, a missing value
    as an empty text."""

    def to_representation(self, instance):
        row = super().to_representation(instance)
        return {column: row[column] or "" for column in self.COLUMNS}


def download_rows(signatories):
    """The download's rows, one list per signatory, from ``SignatoryRowSerializer``."""
    for row in DownloadRowSerializer(signatories.iterator(chunk_size=2000), many=True).data:
        yield [row[column] for column in SignatoryRowSerializer.COLUMNS]


class DownloadAgreementSerializer(serializers.Serializer):
    """The agreement at the head of the JSON download of its signatories."""

    title = serializers.CharField(read_only=True)
    slug = serializers.SlugField(read_only=True)
    status = serializers.CharField(read_only=True)
    adopted = serializers.DateField(source="adopted_on", read_only=True)
    url = PageUrlField()


class SignatoryDownloadSerializer(serializers.Serializer):
    """The JSON download of an agreement's public signatory list (``agreements:signatories_json``):
    ``{"agreement": …, "count": …, "signatories": [rows]}`` for ``{"agreement", "signatories"}``."""

    def to_representation(self, instance):
        rows = DownloadRowSerializer(instance["signatories"].iterator(chunk_size=2000), many=True).data
        return {
            "agreement": DownloadAgreementSerializer(instance["agreement"], context=self.context).data,
            "count": len(rows),
            "signatories": rows,
        }
