"""THE answer to who acts for an organisation, and who is e-mailed on its behalf.

Acting for an organisation
    A person acts for an organisation when their account is linked to it by a ``Representative`` row
    (a coordinator adds it, or the person was given it when the organisation was registered). Every
    app asks ``acts_for`` (or ``organisations_of``) instead of querying ``Representative`` itself, so
    that the day a representative holds a *mandate* (what they may do, until when, proven with e-ID)
    the rule changes here, once. ``representation`` returns the link itself: that is the seam a
    mandate hangs on. Anonymous visitors and deactivated accounts act for nobody.

What a representative may do: the mandate table, ``ACTS``
    Some acts bind the organisation (signing the agreement, casting its ballot, submitting its
    consultation answer): they need a *mandate* (``Mandate``) of the kind "authorised signatory" or
    "appointed by the board", verified by a coordinator and in force today. The other acts (raising
    or joining a challenge, nominating, registering for meetings) need the representation alone.
    ``may_act(user, organisation, act)`` answers; ``mandate_for`` names the mandate the act would
    rest on. Organisation A's mandate never counts for B, and a mandate of another region is not
    even seen (the manager is scoped); refused, revoked, withdrawn, waiting and expired ones never count.

    Rules that belong to one feature (only *verified* organisations raise challenges, only invited
    ones answer a consultation, only signatories vote) live in that app's ``permissions.py`` and
    call ``acts_for`` for the part they share.

Mailing an organisation: one fan-out helper, ``recipients_for``
    It returns ``(address, language)`` pairs, each address once however it is written
    (case-insensitive), only for active accounts, representatives first, in a stable order.

    Whether the organisation's registered contact persons (``Contact``, kept by the coordinators)
    are mailed too is the caller's decision, stated at every call with ``include_contacts``.
    The policy, per kind of message:

    - ``include_contacts=True`` when the region addresses the organisation itself, as an
      institution, and the organisation must hear of it even if nobody there has an account yet:
      a consultation's invitation, its reminders and its published compilation (a "remiss" is sent
      to the organisation, as a letter to its registered address would be).
    - ``include_contacts=False`` when the message is about something done through the portal by
      people with accounts, or asks for an act only an account can do: a signature's receipt and
      verification, a selection round's notices, ballots, reminders to vote and withdrawn
      nominations (the ballot is cast by a representative), a challenge's decisions and updates
      (the participants' representatives chose to take part, and may turn the updates off).

    Only *confirmed* contact persons are ever mailed: an unconfirmed one came through the public
    interest form for an organisation that was already known, and anyone can type a known
    organisation number (``Contact.confirmed``). A contact person's language is the language of
    their latest interest submission, as for the "your organisation is verified" e-mail.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import Contact, InterestSubmission, Mandate, Organisation, Representative

Recipient = tuple[str, str]


def _acting_user(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def _pk(organisation) -> int | None:
    return getattr(organisation, "pk", organisation)


# --- Who acts for an organisation ---------------------------------------------------------------------


def representation(user, organisation) -> Representative | None:
    """The link by which ``user`` acts for ``organisation`` (an ``Organisation`` or its id), or None.

    The seam for mandates: what a representative may do will be read from this row.
    """
    if not _acting_user(user) or _pk(organisation) is None:
        return None
    return Representative.objects.filter(user=user, organisation_id=_pk(organisation)).first()


def acts_for(user, organisation) -> bool:
    """Whether ``user`` may act for ``organisation`` (an ``Organisation`` or its id)."""
    if not _acting_user(user) or _pk(organisation) is None:
        return False
    return Representative.objects.filter(user=user, organisation_id=_pk(organisation)).exists()


def organisations_of(user) -> QuerySet[Organisation]:
    """Every organisation ``user`` acts for (none for anonymous visitors and deactivated accounts)."""
    if not _acting_user(user):
        return Organisation.objects.none()
    return Organisation.objects.filter(pk__in=Representative.objects.filter(user=user).values("organisation_id"))


# --- Who is e-mailed on an organisation's behalf ------------------------------------------------------


def _language(value: str | None) -> str:
    return value or settings.LANGUAGE_CODE


def merge_recipients(*groups: Iterable[Recipient]) -> list[Recipient]:
    """The groups in order, each address once (the first spelling and language win), blanks dropped."""
    seen: set[str] = set()
    merged: list[Recipient] = []
    for group in groups:
        for address, language in group:
            key = (address or "").strip().lower()
            if key and key not in seen:
                seen.add(key)
                merged.append((address.strip(), _language(language)))
    return merged


def user_recipients(users: Iterable) -> list[Recipient]:
    """``(address, language)`` of the active accounts among ``users``, once each."""
    return merge_recipients(
        (user.email, user.language) for user in users if user is not None and user.is_active and user.email
    )


def recipients_by_organisation(
    organisations: Iterable, *, include_contacts: bool, exclude_users: QuerySet | None = None
) -> dict[int, list[Recipient]]:
    """Per organisation id, who is mailed on its behalf (see the module's docstring); two queries.

    ``exclude_users`` (a queryset of users) leaves out accounts that turned this kind of e-mail off.
    """
    ids = [_pk(organisation) for organisation in organisations]
    found: dict[int, list[list[Recipient]]] = {pk: [[], []] for pk in ids}
    links = Representative.objects.filter(organisation_id__in=ids, user__is_active=True).exclude(user__email="")
    if exclude_users is not None:
        links = links.exclude(user__in=exclude_users)
    for organisation_id, email, language in links.order_by("user__email", "user_id").values_list(
        "organisation_id", "user__email", "user__language"
    ):
        found[organisation_id][0].append((email, language))
    if include_contacts:
        latest = InterestSubmission.objects.filter(contact=OuterRef("pk")).order_by("-created_at", "-pk")
        contacts = (
            Contact.objects.filter(organisation_id__in=ids, confirmed=True)
            .annotate(language=Subquery(latest.values("language")[:1]))
            .order_by("email", "pk")
            .values_list("organisation_id", "email", "language")
        )
        for organisation_id, email, language in contacts:
            found[organisation_id][1].append((email, language))
    return {pk: merge_recipients(*groups) for pk, groups in found.items()}


def recipients_for(
    organisations: Iterable, *, include_contacts: bool, exclude_users: QuerySet | None = None
) -> list[Recipient]:
    """``(address, language)`` of everyone mailed on behalf of ``organisations``, each address once.

    ``include_contacts`` is the caller's statement of the policy for its kind of message (see the
    module's docstring); there is no default on purpose.
    """
    organisations = list(organisations)
    by_organisation = recipients_by_organisation(
        organisations, include_contacts=include_contacts, exclude_users=exclude_users
    )
    return merge_recipients(*(by_organisation[_pk(organisation)] for organisation in organisations))


# --- What a person may do for an organisation: the mandate table (issue 23) ------------------------------

ACTING_KINDS = frozenset({Mandate.Kind.SIGNATORY, Mandate.Kind.BOARD})


@dataclass(frozen=True)
class Act:
    """An act on behalf of an organisation. ``mandate_kinds`` empty: the representation is enough;
    otherwise a verified, current mandate of one of these kinds is needed."""

    name: str
    label: str
    mandate_kinds: frozenset = frozenset()

    @property
    def needs_mandate(self) -> bool:
        return bool(self.mandate_kinds)


# THE table: which act needs what. Apps ask ``may_act``/``mandate_for`` with the act's name.
ACTS: dict[str, Act] = {
    act.name: act
    for act in (
        Act("sign_agreement", _("sign the agreement"), ACTING_KINDS),
        Act("cast_ballot", _("cast the organisation's ballot"), ACTING_KINDS),
        Act("submit_answer", _("submit the organisation's consultation answer"), ACTING_KINDS),
        Act("apply_for_grant", _("submit the organisation's grant application"), ACTING_KINDS),
        Act("raise_challenge", _("raise challenges")),
        Act("join_challenge", _("join challenges")),
        Act("nominate", _("nominate candidates")),
        Act("register_meeting", _("register for meetings")),
    )
}


def covers(mandate: Mandate, act: Act | str, *, on=None) -> bool:
    """Whether ``mandate`` (already known to be the organisation's) carries ``act`` on ``on`` (today)."""
    act = ACTS[act] if isinstance(act, str) else act
    day = on or timezone.localdate()
    return (
        mandate.kind in act.mandate_kinds
        and mandate.status == Mandate.Status.VERIFIED
        and mandate.valid_from <= day <= mandate.valid_to
    )


def mandate_for(user, organisation, act: str, *, on=None) -> Mandate | None:
    """The mandate ``act`` by ``user`` for ``organisation`` would rest on: verified, in force today, of a
    kind the table names, held through the user's representation of THAT organisation (and in the
    region in force: the manager is scoped). None when there is none, and for acts that need no mandate.
    ``on``: the day of the act, today unless a service records an act of another day (the demo's past).
    """
    act = ACTS[act]  # an unknown act is a programming error: KeyError
    if not act.needs_mandate or not _acting_user(user) or _pk(organisation) is None:
        return None
    return (
        Mandate.objects.current(on=on)
        .filter(
            representative__user=user, representative__organisation_id=_pk(organisation), kind__in=act.mandate_kinds
        )
        .order_by("-valid_to", "-pk")
        .first()
    )


def organisations_may_act(user, act: str) -> QuerySet[Organisation]:
    """Every organisation ``user`` may do ``act`` for today: the same rule as ``may_act``, as a queryset."""
    act = ACTS[act]
    if not act.needs_mandate:
        return organisations_of(user)
    if not _acting_user(user):
        return Organisation.objects.none()
    held = Mandate.objects.current().filter(representative__user=user, kind__in=act.mandate_kinds)
    return Organisation.objects.filter(pk__in=held.values("representative__organisation_id"))


def mandate_needed_message(act: str, organisation) -> str:
    """What a person without the mandate ``act`` needs is told (in the active language)."""
    return gettext(
        "To %(act)s for %(organisation)s you need a mandate from it (authorised signatory or appointed by the "
        "board), verified by the region. You can ask for one on My pages."
    ) % {"act": ACTS[act].label, "organisation": getattr(organisation, "name", organisation)}


def may_act(user, organisation, act: str) -> bool:
    """Whether ``user`` may do ``act`` (a name in ``ACTS``) for ``organisation`` today."""
    if ACTS[act].needs_mandate:
        return mandate_for(user, organisation, act) is not None
    return acts_for(user, organisation)


def acts_by_organisation(user) -> list[dict]:
    """For Mina sidor: per organisation ``user`` acts for, its mandates (newest first) and which acts of
    the table they may do and which need a mandate they lack; two queries, the same rule as ``may_act``."""
    if not _acting_user(user):
        return []
    links = list(
        Representative.objects.filter(user=user)
        .select_related("organisation")
        .prefetch_related("mandates")
        .order_by("organisation__name")
    )
    today = timezone.localdate()
    rows = []
    for link in links:
        mandates = sorted(link.mandates.all(), key=lambda m: (m.requested_at, m.pk), reverse=True)
        allowed, lacking = [], []
        for act in ACTS.values():
            ok = not act.needs_mandate or any(covers(m, act, on=today) for m in mandates)
            (allowed if ok else lacking).append(act)
        rows.append(
            {
                "organisation": link.organisation,
                "mandates": mandates,
                "allowed": allowed,
                "lacking": lacking,
                "waiting": any(m.status == Mandate.Status.REQUESTED for m in mandates),
            }
        )
    return rows
