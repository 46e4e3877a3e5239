"""Organisations join and leave challenges through their representatives; the coordinators are told."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from notifications.services import follow
from organisations.models import Organisation

from ..cache import pages_changed
from ..models import Challenge, Participation
from .recipients import mail_context, mail_coordinators
from .rights import require_representative


def participation_join(*, challenge: Challenge, organisation: Organisation, user, role: str) -> Participation:
    """A representative lets their verified organisation join an open challenge; coordinators are told."""
    require_representative(user, organisation)
    if role not in Participation.JOINABLE_ROLES:
        raise ValidationError(_("Choose whether the organisation takes part or follows."), code="bad_role")
    with transaction.atomic():
        locked = Challenge.objects.select_for_update().get(pk=challenge.pk)
        if not locked.is_open_for_joining:
            raise ValidationError(_("This challenge is not open for new participants."), code="closed")
        if Participation.objects.filter(challenge=locked, organisation=organisation).exists():
            raise ValidationError(
                _("%(organisation)s already takes part in this challenge.") % {"organisation": organisation.name},
                code="already",
            )
        try:
            with transaction.atomic():
                participation = Participation.objects.create(
                    challenge=locked, organisation=organisation, role=role, joined_by=user
                )
        except IntegrityError:
            raise ValidationError(
                _("%(organisation)s already takes part in this challenge.") % {"organisation": organisation.name},
                code="already",
            ) from None
        mail_coordinators(
            locked,
            template="challenges/joined_coordinators",
            context=mail_context(locked, organisation=organisation, role=participation.get_role_display()),
            kind="challenges.joined",
        )
        pages_changed()
        follow(user=user, kind="challenges.challenge", obj=locked)  # joining follows it (issue 25)
    return participation


def participation_leave(*, participation: Participation, user) -> None:
    """A representative takes their organisation out of a challenge; coordinators are told.
    The raising organisation stays (it is part of the challenge's story)."""
    require_representative(user, participation.organisation)
    if participation.role == Participation.Role.RAISED:
        raise ValidationError(
            _("The organisation that raised the challenge cannot leave it. Contact the coordinators."), code="raiser"
        )
    challenge, organisation = participation.challenge, participation.organisation
    with transaction.atomic():
        deleted, _kinds = Participation.objects.filter(pk=participation.pk).delete()
        if not deleted:
            return  # left already (a double click): the coordinators were told once
        mail_coordinators(
            challenge,
            template="challenges/left_coordinators",
            context=mail_context(challenge, organisation=organisation),
            kind="challenges.left",
        )
        pages_changed()
