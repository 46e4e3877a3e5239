"""What the portal's registry (``core.registry``) keeps: one small record per kind of entry an app registers
(a section, a slot, a periodic task, a work row, a nav item, a personal-data provider, an admin action, an
event type, a followable kind, a subscriber, a searchable kind). The registry and its docstring, how apps use it, are in
``core/registry.py``; every name here is importable from there too."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from django.apps import apps
from django.utils.module_loading import import_string

PLACES = ("home", "mypages")
CoordinatorAccess = Literal["manage", "read"]


def _resolve(target):
    return import_string(target) if isinstance(target, str) else target


@dataclass(frozen=True)
class Section:
    """A part of a shared page (the home page, Mina sidor) that one app renders."""

    app_label: str
    place: str
    template: str
    order: int = 100
    context: str | Callable | None = None
    # The page-cache versions (core.pagecache) the section's content follows, e.g. ("meetings",
    # "meetings:registrations"): the home page is cached whole and moves on when any of them does.
    caches: tuple[str, ...] = ()

    def context_for(self, request) -> dict:
        return _resolve(self.context)(request) if self.context else {}


@dataclass(frozen=True)
class Slot:
    """One app's part of another app's page: ``host`` is ``"<host app>:<page>"`` (``"meetings:detail"``).

    ``context(request, object) -> dict`` adds what the template needs (``object`` is what the host
    passed to ``{% portal_slot %}``); ``caches`` are the page-cache versions the part shows, which
    the host's page cache follows.
    """

    app_label: str
    host: str
    template: str
    order: int = 100
    context: str | Callable | None = None
    caches: tuple[str, ...] = ()

    @property
    def host_namespace(self) -> str:
        return self.host.split(":", 1)[0]

    def context_for(self, request, obj=None) -> dict:
        return dict(_resolve(self.context)(request, obj) or {}) if self.context else {}


@dataclass(frozen=True)
class RetentionRule:
    """A rule that disposes of what the portal no longer needs: ``purge(*, now)`` does it, and it runs in
    production only where the region has recorded the disposal decision named ``decision``
    (``core.models.DisposalDecision.key``). ``title``, ``removes``, ``keeps`` and ``after`` (lazy texts)
    describe it on the privacy and records pages; ``after`` may name ``periods`` (placeholder → the
    setting with the number of days), e.g. ``after=_("%(days)s days after the meeting")``."""

    app_label: str
    name: str
    purge: str | Callable
    decision: str
    title: Any = ""
    removes: Any = ""
    keeps: Any = ""
    after: Any = ""
    periods: tuple[tuple[str, str], ...] = ()

    def run(self, *, now):
        return _resolve(self.purge)(now=now)

    def after_text(self) -> str:
        from django.conf import settings

        return str(self.after) % {name: getattr(settings, setting) for name, setting in self.periods}


@dataclass(frozen=True)
class PeriodicTask:
    """A task the beat runs every ``schedule`` (a ``timedelta`` or a Celery schedule), under ``name``."""

    app_label: str
    name: str
    task: str
    schedule: object

    def beat_entry(self) -> dict:
        return {"task": self.task, "schedule": self.schedule}


@dataclass(frozen=True)
class WorkRow:
    """One line under a work item (a meeting in the next fortnight, say): text, link, optional fill."""

    label: str
    url: str = ""
    note: str = ""
    value: int | None = None  # with ``maximum``: drawn as a meter (e.g. confirmed of capacity)
    maximum: int | None = None


@dataclass(frozen=True)
class WorkItem:
    """Something waiting for a coordinator on the admin's start page: a count and a link to the list."""

    label: str
    count: int
    url: str = ""
    rows: tuple[WorkRow, ...] = ()
    # "action": work to do (highlighted when count > 0); "info": something to know (e.g. coming meetings)
    kind: Literal["action", "info"] = "action"


@dataclass(frozen=True)
class WorkProvider:
    app_label: str
    items: str | Callable
    order: int = 100

    def items_for(self, request) -> list[WorkItem]:
        return list(_resolve(self.items)(request) or [])


@dataclass(frozen=True)
class NavItem:
    """A link in the site's main navigation: a URL name and its (lazily translated) label."""

    app_label: str
    url_name: str
    label: object
    order: int = 100

    @property
    def namespace(self) -> str:
        return self.url_name.split(":", 1)[0]


@dataclass(frozen=True)
class PersonalDataProvider:
    """What one app holds about a person: ``export(user) -> {section: rows}``, ``erase(user) -> dict``.

    ``erase`` anonymises or deletes the person's data in the app, inside the transaction that then
    deletes the account; erasers run in ``order`` (the outbox last, after any mail the others queued).
    """

    app_label: str
    export: str | Callable
    erase: str | Callable | None = None
    order: int = 100

    def export_for(self, user) -> dict:
        return dict(_resolve(self.export)(user) or {})

    def erase_for(self, user) -> dict | int | None:
        return _resolve(self.erase)(user) if self.erase else None


@dataclass(frozen=True)
class AdminAction:
    """An admin action that ``app_label`` brings to the list of another app's ``model`` (``app.model``)."""

    app_label: str
    model: str
    action: str | Callable


class ModelAdminActions(Sequence):
    """A ``ModelAdmin.actions`` that reads the registry each time the admin asks.

    The admin imports every ``admin.py`` before ``core`` discovers the ``portal.py`` modules (``django.contrib.admin``
    comes first in ``INSTALLED_APPS``), so the actions other apps register cannot be read when the class is built.
    """

    def __init__(self, registry: Any, model: str, own: Sequence):
        self.registry, self.model, self.own = registry, model, tuple(own)

    def _all(self) -> list:
        return [*self.own, *self.registry.actions_for(self.model)]

    def __getitem__(self, index):
        return self._all()[index]

    def __len__(self) -> int:
        return len(self._all())


@dataclass(frozen=True)
class EventType:
    """Something that happens to an app's object that followers hear of (``"meetings.published"``)."""

    app_label: str
    name: str
    label: object


@dataclass(frozen=True)
class Followable:
    """A kind of object a person may follow: ``kind`` (``"organisations.area"``) names ``model``; the
    follow form sends the object's ``lookup`` field (its slug or pk), looked up in the region in force."""

    app_label: str
    kind: str
    model: str
    label: object
    lookup: str = "pk"
    visible: str = ""  # a queryset method giving what may be followed ("public"); empty: every row

    def model_class(self):
        return apps.get_model(self.model)

    def queryset(self):
        """What may be followed, in the region in force (the model's scoped manager)."""
        queryset = self.model_class()._default_manager.all()
        return getattr(queryset, self.visible)() if self.visible else queryset


@dataclass(frozen=True)
class Subscriber:
    """What hears every emitted event: ``handler(event)`` (``core.events.Event``)."""

    app_label: str
    handler: str | Callable
    order: int = 100

    def __call__(self, event) -> None:
        _resolve(self.handler)(event)


WEIGHTS = ("A", "B", "C", "D")


@dataclass(frozen=True)
class Searchable:
    """What one app offers to the portal's search (``/sok/``, ``core/search``): ``kind`` (its value in the
    kind filter), ``label`` (a ``gettext_lazy`` plural), ``model`` and ``visible``, the queryset method that
    gives what a visitor may see (the same predicate as the app's public pages, e.g. ``"public"``); the
    ``fields`` searched with their weights (``A`` most relevant to ``D``; ``<field>_en`` is searched too where
    the model has it); the fields shown (``title``, ``summary``); ``date`` (a date or datetime field, for the
    time filter and the result's date); ``areas`` and ``municipalities`` (lookups to the organisations' areas
    and municipalities, for the filters; empty: the kind has none and is left out when one is chosen);
    ``caches`` (the page-cache versions its results follow)."""

    app_label: str
    kind: str
    model: str
    label: object
    fields: tuple[tuple[str, str], ...]
    visible: str = ""
    title: str = "title"
    summary: str = ""
    date: str = ""
    ends: str = ""  # when the object is over, if not at ``date`` (a meeting's end): "upcoming or ongoing"
    areas: str = ""
    municipalities: str = ""
    caches: tuple[str, ...] = ()
    order: int = 100

    def model_class(self):
        return apps.get_model(self.model)

    def queryset(self):
        """What a visitor may see, in the region in force (the model's scoped manager)."""
        queryset = self.model_class()._default_manager.all()
        return getattr(queryset, self.visible)() if self.visible else queryset


@dataclass(frozen=True)
class ArchiveCase:
    """A kind of case an app delivers to the e-archive (``earchive``): ``model`` (``app.Model``) under
    ``kind``; ``is_closed(obj) -> bool`` says whether it may be exported, ``contribute(obj)`` returns its
    ``core.archive.ArchiveContribution``."""

    app_label: str
    kind: str
    model: str
    label: object
    is_closed: str | Callable
    contribute: str | Callable

    def model_class(self):
        return apps.get_model(self.model)

    def closed(self, obj) -> bool:
        return bool(_resolve(self.is_closed)(obj))

    def contribution(self, obj):
        return _resolve(self.contribute)(obj)


@dataclass(frozen=True)
class OnBehalf:
    """Who a person may follow for (an organisation they represent) and who hears what such a follow
    brings: ``choices(user) -> [(pk, name)]``, ``members(pks) -> {pk: [user ids]}``."""

    app_label: str
    choices: str | Callable
    members: str | Callable

    def choices_for(self, user) -> list[tuple[int, str]]:
        return list(_resolve(self.choices)(user))

    def members_of(self, pks) -> dict[int, list[int]]:
        return dict(_resolve(self.members)(pks))


@dataclass
class PortalApp:
    label: str
    demo: str | Callable | None = None
    retention: str | Callable | None = None
    coordinator: CoordinatorAccess | None = None
    retention_rules: list[RetentionRule] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    work: list[WorkProvider] = field(default_factory=list)
    nav: list[NavItem] = field(default_factory=list)
    slots: list[Slot] = field(default_factory=list)
    periodic: list[PeriodicTask] = field(default_factory=list)
    personal_data: PersonalDataProvider | None = None
    admin_actions: list[AdminAction] = field(default_factory=list)
    events: list[EventType] = field(default_factory=list)
    followables: list[Followable] = field(default_factory=list)
    subscribers: list[Subscriber] = field(default_factory=list)
    archive_cases: list[ArchiveCase] = field(default_factory=list)
    on_behalf: OnBehalf | None = None
    searchables: list[Searchable] = field(default_factory=list)


class AlreadyRegistered(Exception):
    pass
