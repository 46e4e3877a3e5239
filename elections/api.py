"""The open data API's selection rounds (see api/registry.py).

What is public about a round is what its page shows: periods, seats, the counting rule, turnout
(organisations that voted / eligible), the candidates once nominations have closed (name, title,
organisation, presentation — never the e-mail address or who nominated them by person), and the
result once published (approvals per candidate, who was elected, the draw by lot). Which
organisation voted for whom exists nowhere to be served.
"""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from agreements.models import Signatory
from api.conventions import PublicViewSet, StrictOrderingFilter
from api.fields import CaseNumberField, LabelField, PageUrlField, TextLanguageField, TranslatedTextField
from api.registry import api

from .models import Nomination, SelectionRound

# Served in the request's language (the field's value, not only its description).
COUNTING_RULE = _(
    "Each eligible organisation casts one ballot approving up to `seats` candidates; the candidates with the "
    "most approvals win; a tie at the last seat is drawn by lot and the draw recorded in `draw_record`."
)


class CandidateSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, help_text=_("Stable numeric id of the nomination."))
    name = serializers.CharField(source="candidate_name", read_only=True, help_text=_("The candidate's name."))
    title = serializers.CharField(source="candidate_title", read_only=True, help_text=_("Title or role, may be empty."))
    organisation = serializers.CharField(
        source="candidate_organisation.name", read_only=True, help_text=_("The candidate's organisation.")
    )
    organisation_slug = serializers.CharField(
        source="candidate_organisation.slug", read_only=True, help_text=_("Text id of the candidate's organisation.")
    )
    nominated_by = serializers.CharField(
        source="nominating_organisation.name", read_only=True, help_text=_("The nominating organisation.")
    )
    presentation = serializers.CharField(read_only=True, help_text=_("The candidate's presentation."))
    approvals = serializers.SerializerMethodField(
        help_text=_("Approvals received; null until the result is published.")
    )
    elected = serializers.SerializerMethodField(help_text=_("Elected; null until the result is published."))
    drawn_by_lot = serializers.SerializerMethodField(help_text=_("The seat was decided by lot; null until published."))

    def _published(self, nomination) -> bool:
        return nomination.round.status == SelectionRound.Status.PUBLISHED

    def get_approvals(self, nomination) -> int | None:
        return nomination.approvals if self._published(nomination) else None

    def get_elected(self, nomination) -> bool | None:
        return nomination.elected if self._published(nomination) else None

    def get_drawn_by_lot(self, nomination) -> bool | None:
        return nomination.drawn_by_lot if self._published(nomination) else None


class SelectionRoundSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text=_("Stable numeric id."))
    slug = serializers.SlugField(read_only=True, help_text=_("Stable text id, used in the URLs."))
    title = TranslatedTextField(help_text=_("Title of the round."))
    title_lang = TextLanguageField("title")
    case_number = CaseNumberField()
    url = PageUrlField()
    agreement = serializers.SlugField(source="agreement.slug", read_only=True, help_text=_("The agreement's text id."))
    working_group = serializers.CharField(
        read_only=True, help_text=_("The group whose civil-society seats are filled.")
    )
    seats = serializers.IntegerField(read_only=True, help_text=_("Number of seats."))
    status = serializers.CharField(read_only=True, help_text=_("nominating, voting, counted or published."))
    status_label = LabelField("status")
    nomination_opens = serializers.DateTimeField(read_only=True, help_text=_("ISO 8601 with offset."))
    nomination_closes = serializers.DateTimeField(read_only=True, help_text=_("ISO 8601 with offset."))
    voting_opens = serializers.DateTimeField(read_only=True, help_text=_("ISO 8601 with offset."))
    voting_closes = serializers.DateTimeField(read_only=True, help_text=_("ISO 8601 with offset."))
    term_start = serializers.DateField(read_only=True, help_text=_("First day of the term, may be null."))
    term_end = serializers.DateField(read_only=True, help_text=_("Last day of the term, may be null."))
    counting_rule = serializers.SerializerMethodField(help_text=_("How the seats are decided."))
    organisations_voted = serializers.IntegerField(
        source="casts_count", read_only=True, help_text=_("Organisations that have cast their ballot.")
    )
    organisations_eligible = serializers.IntegerField(
        source="eligible_count", read_only=True, help_text=_("The agreement's verified signatories.")
    )
    candidates = serializers.SerializerMethodField(help_text=_("Accepted candidates, once nominations have closed."))
    draw_record = serializers.SerializerMethodField(help_text=_("The draw by lot, if any, once published."))
    modified = serializers.DateTimeField(source="updated_at", read_only=True, help_text=_("Last change (ISO 8601)."))

    class Meta:
        model = SelectionRound
        fields = [
            "id", "slug", "title", "title_lang", "case_number", "url", "agreement", "working_group", "seats", "status",
            "status_label",
            "nomination_opens", "nomination_closes", "voting_opens", "voting_closes", "term_start", "term_end",
            "counting_rule", "organisations_voted", "organisations_eligible", "candidates", "draw_record", "modified",
        ]  # fmt: skip

    def get_counting_rule(self, selection_round) -> str:
        return str(COUNTING_RULE)

    def get_candidates(self, selection_round) -> list[dict]:
        if not selection_round.candidates_public:
            return []
        candidates = selection_round.standing  # in name order (get_queryset)
        if selection_round.status == SelectionRound.Status.PUBLISHED:
            # The result's order only once it is published: counted but not published, the order alone
            # would tell who won (the round's page keeps name order until then too).
            candidates = sorted(candidates, key=lambda n: (not n.elected, -(n.approvals or 0)))
        return CandidateSerializer(candidates, many=True).data

    def get_draw_record(self, selection_round) -> str:
        return selection_round.draw_record if selection_round.status == SelectionRound.Status.PUBLISHED else ""


class SelectionRoundViewSet(PublicViewSet):
    """``/api/v1/selection-rounds/``."""

    api_description = _("Selection rounds in which the signatory organisations choose civil society's seats.")

    serializer_class = SelectionRoundSerializer
    cache_namespaces = ("elections",)
    filter_backends = [StrictOrderingFilter]
    ordering_fields = {"voting_closes": ("voting_closes",), "modified": ("updated_at",), "id": ("id",)}
    ordering = ("-voting_closes",)

    def get_queryset(self):
        eligible = (
            Signatory.objects.filter(agreement=OuterRef("agreement"), status=Signatory.Status.VERIFIED)
            .order_by()
            .values("agreement")
            .annotate(n=Count("organisation", distinct=True))
            .values("n")
        )
        standing = Nomination.objects.filter(status=Nomination.Status.ACCEPTED).select_related(
            "candidate_organisation", "nominating_organisation", "round"
        )
        return (
            SelectionRound.objects.public()
            .select_related("agreement")
            .annotate(
                casts_count=Count("casts", distinct=True),
                eligible_count=Coalesce(Subquery(eligible, output_field=IntegerField()), 0),
            )
            .prefetch_related(
                Prefetch(
                    "nominations",
                    queryset=standing.order_by("candidate_name", "pk"),
                    to_attr="standing",
                )
            )
        )


api.register("selection-rounds", SelectionRoundViewSet, basename="selection-round")
api.dataset(
    "selection-rounds",
    title={"sv": "Val av civilsamhällets företrädare", "en": "Selection of civil society's representatives"},
    description={
        "sv": "Valomgångar där de undertecknande organisationerna väljer civilsamhällets platser: perioder, "
        "kandidater, valdeltagande och resultat. Hur en enskild organisation röstat finns inte.",
        "en": "Rounds in which the signatory organisations choose civil society's seats: periods, candidates, "
        "turnout and results. How a single organisation voted does not exist as data.",
    },
    keywords={"sv": ["val", "arbetsgrupp"], "en": ["elections", "working group"]},
    endpoint="api:selection-round-list",
    page="elections:list",
    order=60,
)
