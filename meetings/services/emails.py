"""A registrant's e-mail rendered once per meeting revision and filled per person.

The confirmation of the hundredth sign-up for a meeting differs from the first only in the person's
name, their manage link and (on the waitlist) their place. So the three templates (subject, text,
HTML) are rendered once per meeting revision, language, region and the rest of the context, with
placeholders where those values go, kept in this process, and each e-mail is that rendering with the
placeholders replaced (HTML-escaped in the HTML part, as the template would have escaped them). A
render costs about a millisecond; a fill a few microseconds.

What may differ per person is exactly ``registration.name``, ``manage_url``, ``position``, and the
personal ``join_url``, ``checkin_code`` and ``checkin_qr`` (HTML, filled as it is): the
templates get a stand-in registration that has nothing but a placeholder name, so a template that
starts reading another field of the registration renders it empty here (and the test that compares
every filled template with a full render fails) rather than baking one person's data into another's
e-mail. A placeholder changed on the way (a filter applied to the name) leaves a mark in the result:
that e-mail is rendered in full instead.

The .ics attachment is kept in the same way (it is the same for every registrant of a revision).
"""

import logging
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from django.db.models import Model
from django.utils import timezone, translation
from django.utils.html import escape

from core.links import region_context
from outbox.services import render_email

logger = logging.getLogger(__name__)

# The templates whose only per-person values are the name, the manage link and the waitlist place.
FILLED_TEMPLATES = frozenset({"confirmation", "waitlisted", "already_registered", "promoted", "registration_cancelled"})

# Letters and digits only (escaping leaves them alone), new in every process, never in a template's text.
_MARK = "q" + secrets.token_hex(8)
NAME, MANAGE, POSITION = f"{_MARK}name{_MARK}", f"{_MARK}manage{_MARK}", f"{_MARK}position{_MARK}"
JOIN, CODE, QR = f"{_MARK}join{_MARK}", f"{_MARK}code{_MARK}", f"{_MARK}qr{_MARK}"
# Context values filled per person when the context has them: (context name, placeholder, escaped in HTML).
_PERSONAL = (("join_url", JOIN, True), ("checkin_code", CODE, True), ("checkin_qr", QR, False))

_LIMIT = 512  # entries per process: a few per meeting revision, language and template


class _Kept:
    """A small least-recently-used map, shared by the threads of a process."""

    def __init__(self, limit: int):
        self._items: OrderedDict = OrderedDict()
        self._limit = limit
        self._lock = threading.Lock()

    def get_or_build(self, key: Hashable, build: Callable):
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = build()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self._limit:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


kept = _Kept(_LIMIT)


class _StandIn:
    """The registration as the shared rendering sees it: a placeholder name and nothing else."""

    name = NAME


_STAND_IN = _StandIn()


def _frozen(value) -> Hashable:
    """``value`` as part of a key: a model instance by its class and every column's value (any edit,
    saved or not, makes a new key), anything else as it is (it must be hashable)."""
    if isinstance(value, Model):
        return (value._meta.label, tuple(getattr(value, field.attname) for field in value._meta.concrete_fields))
    return value


def revision_key(*parts, context: dict) -> tuple:
    """What a rendering depends on: ``parts``, every value of ``context`` and of the region's context,
    the language and the time zone. Raises TypeError for a value that cannot be part of a key."""
    values = {**region_context(), **context}
    key = (
        *parts,
        translation.get_language(),
        timezone.get_current_timezone_name(),
        tuple((name, _frozen(value)) for name, value in sorted(values.items())),
    )
    hash(key)
    return key


def _fill(text: str, values: dict[str, str], *, html: bool, raw: frozenset = frozenset()) -> str:
    for mark, value in values.items():
        if mark in text:
            text = text.replace(mark, escape(value) if html and mark not in raw else value)
    return text


def render_registration_email(
    *, template: str, context: dict, language: str, name: str, manage: str, position=None
) -> tuple[str, str, str]:
    """(subject, text, html) of ``emails/<template>*`` for one registrant: the shared rendering of
    ``context`` (without the person), filled with their ``name``, ``manage`` link and ``position``."""
    shared = {**context, "registration": _STAND_IN, "manage_url": MANAGE}
    if "position" in context:
        shared["position"] = POSITION
    personal = {NAME: name, MANAGE: manage, POSITION: str(position)}
    raw = set()
    for field, mark, escaped in _PERSONAL:
        if context.get(field):
            shared[field] = mark
            personal[mark] = str(context[field])
            if not escaped:
                raw.add(mark)
    raw = frozenset(raw)
    full = {**context, "manage_url": manage}
    with translation.override(language):
        try:
            key = revision_key("email", template, context=shared)
        except TypeError:
            return render_email(template=template, context=full, language=language)
        subject, text, html = kept.get_or_build(
            key, lambda: render_email(template=template, context=shared, language=language)
        )
    subject = " ".join(_fill(subject, personal, html=False).strip().splitlines())
    text, html = _fill(text, personal, html=False), _fill(html, personal, html=True, raw=raw)
    if _MARK in subject or _MARK in text or _MARK in html:
        logger.warning("meetings: e-mail template %s changes a placeholder; rendered in full", template)
        return render_email(template=template, context=full, language=language)
    return subject, text, html
