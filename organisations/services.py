"""Writes with business rules for organisations: interest, verification, profile edits, merges."""

import logging
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.db import advisory_xact_lock as _advisory_lock
from core.db import retry_on_locked
from core.links import site_url
from core.permissions import coordinator_emails
from core.region_state import current_region, current_region_id
from outbox.services import email_queue

from .models import AreaOfActivity, Contact, InterestSubmission, Mandate, Municipality, Organisation, Representative
from .permissions import can_edit_profile
from .validators import normalise_orgnr
from .verification import organisation_verify, organisation_verify_preview  # noqa: F401 - the service API

logger = logging.getLogger(__name__)

# Paths under /organisationer/ that a slug must never shadow.
RESERVED_SLUGS = {"anmal-intresse", "tack", "redigera"}


def _slug_base(name: str) -> str:
    return (slugify(name) or "organisation")[:200].strip("-") or "organisation"


def organisation_slug_unique(name: str, *, exclude_pk: int | None = None) -> str:
    base = _slug_base(name)
    existing = Organisation.objects.filter(slug__startswith=base)
    if exclude_pk:
        existing = existing.exclude(pk=exclude_pk)
    taken = set(existing.values_list("slug", flat=True)) | RESERVED_SLUGS
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    return slug


def organisation_create(
    *,
    name: str,
    organisation_number: str = "",
    legal_form: str = Organisation.LegalForm.NON_PROFIT_ASSOCIATION,
    municipality: Municipality | None = None,
    areas: Iterable[AreaOfActivity] = (),
    website: str = "",
    description: str = "",
    public_listing: bool = False,
    status: str = Organisation.Status.SUBMITTED,
) -> Organisation:
    """Create an organisation with a unique slug and a normalised number (empty for networks without one)."""
    number = normalise_orgnr(organisation_number) if organisation_number else ""
    with transaction.atomic():
        # Different names can share a slug ("Förening A", "Forening A"): whoever creates one of them
        # waits for the others to commit, so the free slug it picks is still free when it inserts.
        _advisory_lock(f"organisations.slug:{current_region_id()}:{_slug_base(name)}")
        organisation = Organisation(
            name=name.strip(),
            slug=organisation_slug_unique(name),
            organisation_number=number,
            legal_form=legal_form,
            municipality=municipality,
            website=website,
            description=description,
            public_listing=public_listing,
            status=status,
        )
        organisation.full_clean()
        organisation.save()
        organisation.areas.set(list(areas))
    return organisation


def _find_or_create_organisation(
    *,
    name: str,
    number: str,
    legal_form: str,
    municipality: Municipality | None,
    areas: Sequence[AreaOfActivity],
    public_listing: bool,
) -> tuple[Organisation, bool]:
    """A known number always links to the existing organisation. Without a number, an organisation
    without a number and with exactly the same name (case-insensitive) is taken as the same.

    Must run inside a transaction: simultaneous submissions of the same number (or, without one, the
    same name) wait for each other here until the first has committed, so they find its organisation
    instead of creating another one, and its contacts instead of adding duplicates."""
    region_id = current_region_id()  # a number is unique within a region's registry: two regions never wait
    _advisory_lock(
        f"organisations.interest:{region_id}:{number}"
        if number
        else f"organisations.interest-name:{region_id}:{name.strip().lower()}"
    )
    if number:
        existing = Organisation.objects.filter(organisation_number=number).first()
    else:
        existing = Organisation.objects.filter(organisation_number="", name__iexact=name.strip()).order_by("pk").first()
    if existing:
        return existing, False
    try:
        # A savepoint: two simultaneous submissions of the same new number must end as one organisation.
        with transaction.atomic():
            organisation = organisation_create(
                name=name,
                organisation_number=number,
                legal_form=legal_form,
                municipality=municipality,
                areas=areas,
                public_listing=public_listing,
            )
    except (IntegrityError, ValidationError):
        if not number:
            raise
        existing = Organisation.objects.filter(organisation_number=number).first()
        if existing is None:
            raise
        return existing, False
    return organisation, True


def _contact_for_submission(
    *, organisation: Organisation, name: str, email: str, phone: str, role: str, organisation_created: bool
) -> Contact:
    """The organisation's contact with this address (any case), created if it has none.

    Someone who creates a new organisation is its contact from the start (the organisation itself
    awaits verification). Someone who names an existing organisation is added unconfirmed: anyone
    can type a known organisation number, so a coordinator confirms the new contact first.
    The unique constraint on (organisation, lower(email)) backs up the lock taken by the caller.
    """
    email = email.strip()
    existing = organisation.contacts.filter(email__iexact=email).order_by("pk").first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Contact.objects.create(
                organisation=organisation,
                name=name.strip(),
                email=email,
                phone=phone.strip(),
                role=role,
                confirmed=organisation_created,
            )
    except IntegrityError:
        return organisation.contacts.get(email__iexact=email)


@retry_on_locked  # one transaction, nothing done before it: on SQLite, a lock held too long is waited out
def interest_submit(
    *,
    organisation_name: str,
    organisation_number: str = "",
    legal_form: str = Organisation.LegalForm.NON_PROFIT_ASSOCIATION,
    municipality: Municipality | None = None,
    areas: Sequence[AreaOfActivity] = (),
    contact_name: str,
    contact_email: str,
    contact_phone: str = "",
    contact_role: str = Contact.Role.CONTACT,
    wants_dialogue_meetings: bool = False,
    wants_present_example: bool = False,
    wants_further_work: bool = False,
    wants_raise_challenge: bool = False,
    message: str = "",
    wants_public_listing: bool = False,
    consent: bool,
    language: str = "sv",
    idempotency_key: str = "",
) -> InterestSubmission:
    """Record an organisation's interest from the public form.

    Links a known organisation number to the existing organisation (never a duplicate; its
    registered data is left as the coordinators keep it), otherwise creates a submitted
    organisation. Adds the contact person (reusing one with the same e-mail), stores the
    submission with the consent and policy version, and queues a confirmation to the sender (in
    their language) and a notification to the coordinators.

    The same form sent twice (the same ``idempotency_key`` and contact address; a POST retried after a
    dropped connection) stores and sends nothing more and returns the first submission; the key with
    another address is ignored. A unique constraint settles two such POSTs racing.

    Reason for its length: the keyword-only signature (one parameter per field of the public form)
    is a third of it; the body is the transaction's three steps, the e-mails are in ``_email_interest``.
    """
    if not consent:
        raise ValidationError({"consent": _("Consent is needed so that we may store your answers.")})
    number = normalise_orgnr(organisation_number) if organisation_number.strip() else ""
    key = idempotency_key or None
    sent = (contact_email, organisation_name, message)
    first = _submission_sent_before(key, *sent)
    if first is _TOKEN_TAKEN:
        key = None
    elif first is not None:
        return first
    return _interest_record(
        key=key,
        sent=sent,
        organisation_name=organisation_name,
        number=number,
        legal_form=legal_form,
        municipality=municipality,
        areas=areas,
        contact=(contact_name, contact_email, contact_phone, contact_role),
        wishes={
            "wants_dialogue_meetings": wants_dialogue_meetings,
            "wants_present_example": wants_present_example,
            "wants_further_work": wants_further_work,
            "wants_raise_challenge": wants_raise_challenge,
            "wants_public_listing": wants_public_listing,
        },
        message=message,
        language=language,
    )


def _interest_record(*, key, sent, **stored) -> InterestSubmission:
    """Store the submission (``_interest_store``) in one transaction; when the token's unique constraint
    refuses it, the same form committed a moment ago answers it, and another form's token is dropped."""
    try:
        with transaction.atomic():
            submission, created = _interest_store(key=key, **stored)
    except IntegrityError:
        # The same form committed a moment ago (the token's unique constraint): everything of this
        # attempt is rolled back, and the first submission answers it.
        first = _submission_sent_before(key, *sent)
        if first is None:
            raise
        if first is _TOKEN_TAKEN:  # the token came with another submission at the same moment
            return _interest_record(key=None, sent=sent, **stored)
        return first
    logger.info(
        "interest submission %s for organisation %s (%s)",
        submission.pk,
        submission.organisation_id,
        "new" if created else "known",
    )
    return submission


_TOKEN_TAKEN = object()


def _submission_sent_before(key: str | None, email: str, organisation_name: str, message: str):
    """The submission the same form (its token) sent before with the same contact address, organisation and
    message; ``_TOKEN_TAKEN`` when the token came with anything else (the form filled in again after the back
    button: a new submission then, never the first one shown)."""
    if not key:
        return None
    first = InterestSubmission.objects.select_related("contact").filter(idempotency_key=key).first()
    if first is None:
        return None
    same = (
        first.contact is not None
        and first.contact.email.lower() == email.strip().lower()
        and first.submitted_organisation_name == organisation_name.strip()
        and first.message == message.strip()
    )
    return first if same else _TOKEN_TAKEN


def _interest_store(
    *, key, organisation_name, number, legal_form, municipality, areas, contact, wishes, message, language
) -> tuple[InterestSubmission, bool]:
    """The organisation (found or created), the contact person and the submission, with its e-mails.
    Returns the submission and whether the organisation was created."""
    contact_name, contact_email, contact_phone, contact_role = contact
    organisation, created = _find_or_create_organisation(
        name=organisation_name,
        number=number,
        legal_form=legal_form,
        municipality=municipality,
        areas=list(areas),
        public_listing=wishes["wants_public_listing"],
    )
    submission = InterestSubmission.objects.create(
        organisation=organisation,
        contact=_contact_for_submission(
            organisation=organisation,
            name=contact_name,
            email=contact_email,
            phone=contact_phone,
            role=contact_role,
            organisation_created=created,
        ),
        submitted_organisation_name=organisation_name.strip(),
        message=message.strip(),
        consent=True,
        consent_policy_version=settings.PRIVACY_POLICY_VERSION,
        language=language,
        idempotency_key=key,
        **wishes,
    )
    _email_interest(submission, organisation_created=created)
    return submission, created


def _email_interest(submission: InterestSubmission, *, organisation_created: bool) -> None:
    """Queue the sender's confirmation (in their language) and the coordinators' notification (in Swedish,
    with links to the organisation, the submission and the contact persons waiting to be confirmed)."""
    organisation, contact = submission.organisation, submission.contact
    context = {
        "submission": submission,
        "organisation": organisation,
        "contact": contact,
        "organisation_created": organisation_created,
    }
    email_queue(
        to=contact.email,
        template="organisations/interest_confirmation",
        context=context,
        language=submission.language,
        kind="organisations.interest_confirmation",
    )
    recipients = _region_coordinator_emails()
    if not recipients:
        return
    email_queue(
        to=recipients,
        template="organisations/interest_notification",
        context={
            **context,
            "organisation_admin_url": site_url()
            + reverse("admin:organisations_organisation_change", args=[organisation.pk]),
            "submission_admin_url": site_url()
            + reverse("admin:organisations_interestsubmission_change", args=[submission.pk]),
            "contacts_to_confirm_url": site_url()
            + reverse("admin:organisations_contact_changelist")
            + f"?confirmed__exact=0&organisation__id__exact={organisation.pk}",
        },
        language=settings.LANGUAGE_CODE,
        reply_to=contact.email,
        kind="organisations.interest_notification",
    )


def _region_coordinator_emails() -> list[str]:
    """The coordinators of the region in force (the submission's): another region's never hear of it."""
    region = current_region()
    if region is None:
        return []
    own = {email.lower() for email in region.coordinators.values_list("email", flat=True)}
    return [email for email in coordinator_emails() if email.lower() in own]


def organisation_mark_inactive(*, organisation: Organisation) -> Organisation:
    """Take an organisation out of the directory (it keeps its history and links)."""
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        organisation.status = Organisation.Status.INACTIVE
        organisation.save(update_fields=["status", "updated_at"])
    return organisation


def organisation_profile_update(
    *,
    organisation: Organisation,
    user,
    description: str,
    website: str,
    areas: Iterable[AreaOfActivity],
    municipality: Municipality | None,
    public_listing: bool,
) -> Organisation:
    """A representative edits the public profile of their organisation (name, number and status
    stay with the coordinators)."""
    if not can_edit_profile(user, organisation):
        raise PermissionDenied
    with transaction.atomic():
        organisation.description = description.strip()
        organisation.website = website
        organisation.municipality = municipality
        organisation.public_listing = public_listing
        organisation.full_clean()
        organisation.save(update_fields=["description", "website", "municipality", "public_listing", "updated_at"])
        organisation.areas.set(list(areas))
    logger.info("organisation %s profile updated by user %s", organisation.pk, user.pk)
    return organisation


def representative_add(*, organisation: Organisation, user) -> Representative:
    """Let a user act for an organisation (idempotent)."""
    link, _created = Representative.objects.get_or_create(organisation=organisation, user=user)
    return link


def _move_rows(queryset: models.QuerySet, field_name: str, keep: Organisation) -> None:
    """Point every row at ``keep``; a row that would break a unique constraint (the kept
    organisation already has one like it) is dropped in favour of the kept organisation's."""
    for pk in list(queryset.values_list("pk", flat=True)):
        try:
            with transaction.atomic():
                queryset.model._base_manager.filter(pk=pk).update(**{field_name: keep})
        except IntegrityError:
            queryset.model._base_manager.filter(pk=pk).delete()


def _mandates_keep_on_merge(*, keep: Organisation, duplicate_ids) -> int:
    """Before duplicates are merged into ``keep``: a person who represents both keeps the mandates of the
    duplicate's link on the kept one (the duplicate's link is dropped in the merge, and would take them
    along). A second waiting request is withdrawn (one waits at a time). The number of mandates moved."""
    kept = {link.user_id: link for link in Representative.objects.filter(organisation=keep)}
    # A person who represents two duplicates but not ``keep``: the first of their links moves to ``keep``
    # here, so the others' mandates have a link to move to (the merge would drop them with the link).
    for link in Representative.objects.filter(organisation_id__in=duplicate_ids).order_by("pk"):
        if link.user_id not in kept:
            Representative.objects.filter(pk=link.pk).update(organisation=keep)
            link.organisation_id = keep.pk
            kept[link.user_id] = link
    moved = 0
    for link in Representative.objects.filter(organisation_id__in=duplicate_ids, user_id__in=list(kept)):
        target = kept[link.user_id]
        if link.pk == target.pk:
            continue
        if Mandate.objects.filter(representative=target, status=Mandate.Status.REQUESTED).exists():
            Mandate.objects.filter(representative=link, status=Mandate.Status.REQUESTED).update(
                status=Mandate.Status.WITHDRAWN
            )
        moved += Mandate.objects.filter(representative=link).update(representative=target)
    return moved


def organisation_merge(*, keep: Organisation, duplicates: Iterable[Organisation]) -> Organisation:
    """Merge duplicates into ``keep`` in one transaction and delete them.

    Every row of every app that points at a duplicate (contacts, interest submissions,
    representatives, meeting registrations, agreement signatures, …) is found through
    ``Organisation._meta`` and moved; where the kept organisation already has the clashing row,
    the duplicate's is dropped. Empty fields of ``keep`` are filled from the duplicates, and
    areas of activity are combined.
    """
    duplicate_ids = sorted({d.pk for d in duplicates} - {keep.pk})
    if not duplicate_ids:
        raise ValidationError(_("Choose at least one other organisation to merge."))
    with transaction.atomic():
        keep = Organisation.objects.select_for_update().get(pk=keep.pk)
        dups = list(Organisation.objects.select_for_update().filter(pk__in=duplicate_ids).order_by("pk"))
        _mandates_keep_on_merge(keep=keep, duplicate_ids=duplicate_ids)
        for rel in Organisation._meta.get_fields(include_hidden=True):
            if not (rel.auto_created and not rel.concrete and rel.is_relation):
                continue
            # Hidden relations count too: django-simple-history's rows (related_name "+") follow
            # their object, so no history row is left pointing at a deleted organisation.
            related_model = rel.related_model
            if rel.many_to_many:
                through = rel.through
                if not through._meta.auto_created:
                    continue  # an explicit through model is reached through its own foreign key
                field_name = rel.field.m2m_reverse_field_name()
                _move_rows(through._base_manager.filter(**{f"{field_name}__in": duplicate_ids}), field_name, keep)
            else:
                field_name = rel.field.name
                _move_rows(related_model._base_manager.filter(**{f"{field_name}__in": duplicate_ids}), field_name, keep)
        # Forward many-to-many: combine areas of activity.
        area_ids = set(keep.areas.values_list("pk", flat=True))
        for dup in dups:
            area_ids |= set(dup.areas.values_list("pk", flat=True))
        keep.areas.set(area_ids)
        taken_number = ""
        for dup in dups:
            for field in ("website", "description", "municipality_id"):
                if not getattr(keep, field) and getattr(dup, field):
                    setattr(keep, field, getattr(dup, field))
            if not keep.organisation_number and dup.organisation_number and not taken_number:
                taken_number = dup.organisation_number
        Organisation.objects.filter(pk__in=duplicate_ids).delete()
        if taken_number:
            keep.organisation_number = taken_number
        keep.save()
    logger.info("organisations %s merged into %s", duplicate_ids, keep.pk)
    return keep


def interest_submissions_mark_handled(*, submissions: models.QuerySet[InterestSubmission]) -> int:
    """Mark interest submissions handled by a coordinator; returns how many changed."""
    with transaction.atomic():
        return submissions.filter(handled=False).update(handled=True)


def contacts_confirm(*, contacts: models.QuerySet[Contact]) -> int:
    """A coordinator confirms contacts who came through the public form for an organisation that
    was already known (anyone can type a number); returns how many changed."""
    with transaction.atomic():
        count = contacts.filter(confirmed=False).update(confirmed=True)
    logger.info("%s contacts confirmed", count)
    return count
