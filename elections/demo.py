"""Demo data from seeds/004, in Västra Götalandsregionen (the other regions have no round): the signatories of Västra Götalandsregionen's agreement chose the five
civil-society members of the group that wrote the action plan 2019–2022 ("Den 26 april bestäms vilka
som ska representera det civila samhället"). The round is replayed through the services, counted and
published, so the working group already in the demo is its result. A second round is in its
nomination period, so that the demo representative can nominate. Candidates other than the five
elected are invented. Idempotent: keyed on the rounds' slugs.
"""

import datetime as dt
import random
import secrets

from django.contrib.auth import get_user_model
from django.utils import timezone

from agreements.demo import AGREEMENT_SLUG, CHOSEN, TERM_END, WORKING_GROUP
from agreements.models import Agreement, Signatory, WorkingGroupMember
from core.demo import coordinator as demo_coordinator
from core.demo import run_story
from organisations.demo import demo_mandate
from organisations.models import Organisation, Representative

from . import services
from .demo_english import add_english_texts
from .models import Nomination, SelectionRound

ROUND_2019 = "arbetsgrupp-handlingsplan-2019"
ROUND_OPEN = "arbetsgrupp-2027"
DEMO_REPRESENTATIVE_EMAIL = "representant@example.se"

OTHER_CANDIDATES = [
    ("Anders Holm", "Kassör"),
    ("Birgitta Lund", "Ordförande"),
    ("Kemal Yilmaz", "Verksamhetsledare"),
]
PRESENTATION = (
    "{name} har många års erfarenhet av föreningsliv i Västra Götaland och vill bidra till att "
    "överenskommelsen blir ett verktyg i vardagen för de idéburna organisationerna."
)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _verified(agreement):
    return list(
        Organisation.objects.filter(
            signatures__agreement=agreement, signatures__status=Signatory.Status.VERIFIED
        ).order_by("name")
    )


def _demo_user(email: str, name: str):
    User = get_user_model()
    user, _ = User.objects.get_or_create(email=email, defaults={"full_name": name})
    return user


def _round_2019(agreement, coordinator, stdout):
    """The 26 April 2019 selection round of the seeds, through the real cast and count. Reason for its
    length: one demo story, from nominations to the published result, in the order it happened."""
    if SelectionRound.objects.filter(slug=ROUND_2019).exists():
        return SelectionRound.objects.get(slug=ROUND_2019)
    selection_round = SelectionRound.objects.create(
        agreement=agreement,
        slug=ROUND_2019,
        title="Val av civilsamhällets företrädare till arbetsgruppen för handlingsplanen 2019–2022",
        description=(
            "Handlingsplanen tas fram av fem politiker och fem företrädare för det civila samhället. "
            "De organisationer som undertecknat överenskommelsen väljer de fem företrädarna."
        ),
        working_group="arbetsgruppen för handlingsplanen 2019–2022",
        seats=5,
        nominations_per_organisation=2,
        nomination_opens=_at(dt.date(2019, 3, 1), 8),
        nomination_closes=_at(dt.date(2019, 4, 5), 16),
        voting_opens=_at(dt.date(2019, 4, 8), 8),
        voting_closes=_at(CHOSEN, 12),
        term_start=CHOSEN,
        term_end=TERM_END,
    )
    services.round_open_nominations(round=selection_round, now=_at(dt.date(2019, 3, 1), 9))
    organisations = {o.name: o for o in _verified(agreement)}
    electable = [(n, a) for n, side, a, _r in WORKING_GROUP if side == WorkingGroupMember.Side.CIVIL_SOCIETY]
    pool = [o for o in organisations.values() if o.name not in {a for _n, a in electable}]
    nominations = []
    during = _at(dt.date(2019, 3, 15), 10)
    for index, (name, affiliation) in enumerate(
        electable + [(c[0], pool[i].name) for i, c in enumerate(OTHER_CANDIDATES)]
    ):
        organisation = organisations.get(affiliation) or pool[index % len(pool)]
        nominator = _demo_user(f"valombud{index + 1}@example.se", f"Valombud {index + 1}")
        Representative.objects.get_or_create(user=nominator, organisation=organisation)
        nomination = services.nomination_create(
            round=selection_round,
            user=nominator,
            nominating_organisation=organisation,
            candidate_organisation=organisation,
            candidate_name=name,
            candidate_title=(OTHER_CANDIDATES + [("", "Styrelseledamot")] * 5)[index - len(electable)][1]
            if index >= len(electable)
            else "Styrelseledamot",
            candidate_email=f"kandidat{index + 1}@example.se",
            presentation=PRESENTATION.format(name=name),
            now=during,
        )
        services.nomination_respond(nomination=nomination, accept=True, now=during)
        nominations.append(nomination)
    selection_round.refresh_from_db()
    services.round_open_voting(round=selection_round, now=_at(dt.date(2019, 4, 8), 9))
    selection_round.refresh_from_db()
    # 64 of the signatories voted; the five who were chosen got the most approvals. The ballots are
    # fixed by a seed (so the result is), but which organisation cast which is drawn anew each load:
    # this code does not say how a demo organisation voted, and the database cannot (ballots.py).
    rng = random.Random(2019)
    elected = [n.pk for n in nominations[: len(electable)]]
    others = [n.pk for n in nominations[len(electable) :]]
    voters = sorted(organisations.values(), key=lambda o: o.name)[:64]
    choices = [rng.sample(elected, 4) + rng.sample(others, 1) for _voter in voters]
    secrets.SystemRandom().shuffle(choices)
    for index, (organisation, choice) in enumerate(zip(voters, choices, strict=True)):
        voter = _demo_user(f"rostombud{index + 1}@example.se", f"Röstombud {index + 1}")
        # Each voter held a mandate from their board for 2019 (issue 23); the cast records name it.
        demo_mandate(voter, organisation, valid_from=dt.date(2019, 1, 1), valid_to=dt.date(2019, 12, 31))
        services.ballot_cast(
            round=selection_round,
            user=voter,
            organisation=organisation,
            nomination_ids=choice,
            now=_at(dt.date(2019, 4, 10 + index % 14), 9 + index % 8),
        )
    services.round_count(round=selection_round, now=_at(CHOSEN, 13), rng=rng)
    services.round_publish(round=selection_round, now=_at(CHOSEN, 15))
    if stdout:
        stdout.write(f"  round {ROUND_2019}: counted and published")
    return selection_round


def _round_open(agreement, stdout):
    # Whole hours on days relative to today (the pages show the times): nominations opened a week ago
    # in the morning and close in three weeks in the afternoon, so the round is open whenever it is loaded.
    today = timezone.localdate()
    selection_round, created = SelectionRound.objects.get_or_create(
        slug=ROUND_OPEN,
        defaults={
            "agreement": agreement,
            "title": "Val av civilsamhällets företrädare till arbetsgruppen 2027–2030",
            "description": "Inför nästa handlingsplan väljer de undertecknande organisationerna fem företrädare.",
            "working_group": "arbetsgruppen för handlingsplanen 2027–2030",
            "seats": 5,
            "nominations_per_organisation": 2,
            "nomination_opens": _at(today - dt.timedelta(days=7), 9),
            "nomination_closes": _at(today + dt.timedelta(days=21), 17),
            "voting_opens": _at(today + dt.timedelta(days=24), 9),
            "voting_closes": _at(today + dt.timedelta(days=38), 17),
            "term_start": dt.date(2027, 1, 1),
            "term_end": dt.date(2030, 12, 31),
        },
    )
    if created:
        services.round_open_nominations(round=selection_round)
    # The demo representative also represents a signatory of this agreement, so that they can nominate.
    representative = get_user_model().objects.filter(email=DEMO_REPRESENTATIVE_EMAIL).first()
    eligible = _verified(agreement)
    if representative and eligible:
        # With a verified mandate (issue 23), so that she can also cast the ballot when voting opens.
        demo_mandate(
            representative,
            eligible[0],
            valid_from=today - dt.timedelta(days=30),
            valid_to=today + dt.timedelta(days=335),
        )
    if stdout:
        count = selection_round.nominations.exclude(status=Nomination.Status.DECLINED).count()
        stdout.write(f"  round {ROUND_OPEN}: nominations open ({count} nominations)")
    return selection_round


def _vgr(stdout=None):
    agreement = Agreement.objects.filter(slug=AGREEMENT_SLUG).first()
    if agreement is None:
        return None
    _round_2019(agreement, demo_coordinator(), stdout)
    return _round_open(agreement, stdout)


STORIES = {"vgr": _vgr}


def load(stdout=None):
    """The selection rounds of the region in force (``core.demo.run_story``): Västra Götalandsregionen's,
    with their English texts."""
    result = run_story(STORIES, stdout)
    run_story(dict.fromkeys(STORIES, add_english_texts), stdout)
    return result
