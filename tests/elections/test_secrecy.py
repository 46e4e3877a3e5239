"""How an organisation voted is stored nowhere next to its name, and shown nowhere."""

import pytest
from django.contrib import admin
from django.db import models
from django.urls import reverse

from core.models import Region
from elections import services
from elections.models import Ballot, BallotCast, BallotChoice, Nomination, SealedBallot

pytestmark = pytest.mark.django_db


def test_ballot_tables_hold_no_link_to_organisation_user_or_time():
    # The region is the round's, the same for every ballot of a round: it pairs nothing.
    for model in (Ballot, BallotChoice, SealedBallot):
        for field in model._meta.concrete_fields:
            assert not isinstance(field, models.DateTimeField | models.DateField), field
            if field.is_relation:
                assert field.related_model in (
                    Ballot,
                    Nomination,
                    Ballot._meta.get_field("round").related_model,
                    Region,
                ), field
        assert not isinstance(model._meta.pk, models.AutoField | models.BigAutoField)


def test_ballots_are_not_in_the_admin_and_keep_no_history():
    from simple_history.models import registered_models

    for model in (Ballot, BallotChoice, SealedBallot):
        assert model not in admin.site._registry
        assert model._meta.db_table not in registered_models
    # A history of the casts would be one more timestamped row per cast.
    assert BallotCast._meta.db_table not in registered_models


def test_no_page_or_admin_view_shows_what_an_organisation_voted(client, coordinator_client, voting_round, signatories):
    organisation, user = signatories[0]
    chosen = voting_round.nominations.order_by("pk").last()
    services.ballot_cast(round=voting_round, user=user, organisation=organisation, nomination_ids=[chosen.pk])
    pages = [
        coordinator_client.get(reverse("admin:elections_ballotcast_changelist")),
        coordinator_client.get(reverse("admin:elections_selectionround_change", args=[voting_round.pk])),
        coordinator_client.get(reverse("admin:elections_nomination_changelist")),
    ]
    client.force_login(user)
    pages.append(client.get(voting_round.get_absolute_url()))
    pages.append(client.get(reverse("elections:vote", args=[voting_round.slug, organisation.pk])))
    for response in pages:
        assert response.status_code == 200
    # The organisation's own ballot page, after casting, does not show what was chosen.
    assert "checked" not in pages[-1].content.decode()
    # Before counting there are no standings to show: nobody sees approvals per candidate.
    assert set(voting_round.nominations.values_list("approvals", flat=True)) == {None}


def test_the_statements_a_cast_sends_do_not_carry_what_it_approves(voting_round, signatories):
    """A query naming the chosen candidates would carry their ids as literals in the statement PostgreSQL
    receives (psycopg binds on the client), visible in its activity view, log and statistics beside the
    cast record's INSERT from the same connection. Every cast reads the same statements about the
    candidates, whatever it approves, an empty ballot included."""
    from django.db import connection

    nominations = list(voting_round.nominations.order_by("pk").values_list("pk", flat=True))
    sent = []
    for (organisation, user), chosen in zip(signatories, [[], [nominations[0]], nominations[1:]], strict=True):
        statements = []

        def record(execute, sql, params, many, context, statements=statements):
            statements.append((sql, params))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(record):
            services.ballot_cast(round=voting_round, user=user, organisation=organisation, nomination_ids=chosen)
        sent.append([(sql, tuple(params or ())) for sql, params in statements if "elections_nomination" in sql])

    assert sent[0], "the candidates are read"
    assert sent[0] == sent[1] == sent[2]
    assert BallotCast.objects.count() == 3
