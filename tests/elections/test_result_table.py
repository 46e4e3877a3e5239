"""The published result on the round's page: on a phone each candidate's row stacks with its column names
(``table-stack``), so the approvals and who was elected are read with the name, not hidden to its right."""

import re

import pytest
from django.urls import reverse

from elections.models import Nomination, SelectionRound

from .conftest import make_round

pytestmark = pytest.mark.django_db


def test_result_rows_name_the_candidate_and_label_every_cell(client, agreement, signatories):
    selection_round = make_round(agreement, status=SelectionRound.Status.PUBLISHED, phase="voting")
    organisation, user = signatories[0]
    Nomination.objects.create(
        round=selection_round,
        nominating_organisation=organisation,
        nominated_by=user,
        candidate_name="Leila Haddad",
        candidate_organisation=organisation,
        candidate_email="leila@example.se",
        presentation="Presentation.",
        status=Nomination.Status.ACCEPTED,
        approvals=54,
        elected=True,
    )
    response = client.get(reverse("elections:detail", args=[selection_round.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    table = re.search(r'<table class="([^"]*)">\s*<caption id="result-caption">(.*?)</table>', html, re.S)
    assert table, "no result table"
    assert "table-stack" in table.group(1).split()
    row = re.search(r"<tbody>\s*<tr>(.*?)</tr>", table.group(2), re.S).group(1)
    assert '<th scope="row">Leila Haddad</th>' in row
    assert f'<td data-label="Organisation">{organisation.name}</td>' in row
    assert '<td class="text-end" data-label="Godkännanden">54</td>' in row
    assert '<td data-label="Vald">Vald</td>' in row
