"""The portal's registry: how a feature app plugs into the ground floor without ``core`` knowing it.

``core`` imports no feature app. Each app that wants a place in the portal has a ``portal.py``
module, discovered at start-up the way ``django.contrib.admin`` discovers ``admin.py``
(``autodiscover_modules("portal")`` in ``CoreConfig.ready``), and registers what it contributes::

    # challenges/portal.py
    from core.registry import portal

    portal.register(
        "challenges",
        demo="challenges.demo.load",            # load_demo runs it (apps in INSTALLED_APPS order)
        coordinator="manage",                    # "manage": all permissions; "read": view only
    )
    # The daily purge runs purge(*, now) -> dict | int where the region recorded the disposal decision
    # (core.models.DisposalDecision, key "challenges"); the texts describe it on the public pages.
    portal.retention("challenges", "challenges.retention.purge", decision="challenges",
                     title=_("Challenges"), removes=_("who raised …"), keeps=_("the challenge …"),
                     after=_("%(days)s days after …"), periods={"days": "CHALLENGES_RETENTION_DAYS"})
    portal.section("home", "challenges/_home.html", order=15,
                   caches=["challenges"])          # the page-cache versions it shows (core.pagecache)
    portal.section("mypages", "challenges/_mypages.html", order=30,
                   context="challenges.selectors.mypages_context")  # optional: (request) -> dict

An app can also put the work waiting for coordinators on the admin's start page (``/admin/``):
``work`` names a callable ``(request) -> list[WorkItem]`` that returns what *this* coordinator may
act on (check ``request.user.has_perm``), each item with a count and a link to the filtered list::

    portal.work("challenges", "challenges.admin_work.items", order=40)
    portal.nav("challenges", "challenges:list", _("Challenges"), order=40)  # gettext_lazy

    # challenges/admin_work.py
    def items(request):
        if not request.user.has_perm("challenges.change_challenge"):
            return []
        n = Challenge.objects.filter(status="submitted").count()
        return [WorkItem(_("Challenges to moderate"), n, reverse("admin:challenges_challenge_changelist")
                         + "?status__exact=submitted")]

What an app holds about a person, and how it is exported and erased, is the app's to say
(``core.personal_data`` has the helpers; "download my data" and the deletion of an account collect
from every app through the registry, so an app that forgets is caught by the generic tests)::

    portal.personal_data(
        "challenges",
        export="challenges.personal_data.export",  # (user) -> {section: rows}; every section, even empty
        erase="challenges.personal_data.erase",    # (user) -> dict of counts; runs before the account goes
    )

An app can add an admin action to another app's model (its own code, offered in that model's list)::

    # challenges/portal.py: "Gör till utmaning" on the organisations' interest submissions
    portal.admin_action("challenges", "organisations.interestsubmission", "challenges.admin_actions.make_challenges")

    # organisations/admin.py: its own actions, then those registered for the model
    actions = portal.admin_actions("organisations.interestsubmission", ["mark_handled", "verify_organisations"])

An app can put a section on another app's page (a *slot* the host page offers), from its own
folder: the host renders ``{% portal_slot "meetings:detail" meeting %}`` and every app that
registered for that slot adds its part, with its own template and context. The host's page cache
follows the caches each slot names (``portal.slot_caches("meetings")`` in the host's
``VersionedCache(follows=...)``), so a write in the contributing app shows on the host page at once.
A slot on a page that is cached for every visitor must hold nothing personal::

    portal.slot("meetings:detail", "challenges/slots/meeting_challenges.html",
                context="challenges.slots.meeting_context",  # optional: (request, object) -> dict
                caches=["challenges"], order=10)

An app's periodic tasks are its own too: the beat schedule (``samverkan/celery.py``) and
``manage.py run_periodic`` read them from the registry, never from the settings::

    portal.periodic("meetings-plan-reminders", "meetings.tasks.plan_reminders", timedelta(seconds=60))

Events (issue 25): an app declares what happens to its objects that people may follow, and which of
its objects can be followed; ``core.events.emit`` hands each event to every subscriber (notifications,
later webhooks), which register through the registry too, so no app imports another for it::

    portal.event("meetings.published", _("A new meeting"), app_label="meetings")
    portal.followable("organisations.area", "organisations.AreaOfActivity", _("Area of activity"), lookup="slug")
    portal.subscriber("notifications", "notifications.handlers.on_event")  # (Event) -> None

The portal's search (``/sok/``, ``core/search``) finds what each app offers it: the objects a visitor may
see (``visible``: the queryset method its public pages use), the fields searched and their weights::

    portal.searchable("challenges", "challenges.Challenge", _("Challenges"), visible="public",
                      fields={"title": "A", "summary": "B", "description": "C"}, summary="summary",
                      date="accepted_at", areas="areas", municipalities="municipalities",
                      caches=["challenges"], order=20)

A closed case (an agreement, a consultation) goes to the region's e-archive through ``portal.archive_case``:
the app says when it is closed and describes it (``core/archive.py``); ``earchive`` builds the package.

Dotted paths are imported when first used, so ``portal.py`` stays cheap to import and may name
modules that import models. Adding an app touches ``INSTALLED_APPS``, the root URLs and the app's
own folder, never ``core``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence

from django.apps import apps
from django.utils.module_loading import autodiscover_modules

from .registry_entries import (  # noqa: F401 (the entries are importable from core.registry, as they were)
    PLACES,
    WEIGHTS,
    AdminAction,
    AlreadyRegistered,
    ArchiveCase,
    CoordinatorAccess,
    EventType,
    Followable,
    ModelAdminActions,
    NavItem,
    OnBehalf,
    PeriodicTask,
    PersonalDataProvider,
    PortalApp,
    RetentionRule,
    Searchable,
    Section,
    Slot,
    Subscriber,
    WorkItem,
    WorkProvider,
    WorkRow,
    _resolve,
)


class PortalRegistry:
    def __init__(self):
        self._apps: dict[str, PortalApp] = {}
        # slot_caches() per host, asked on every page-cache lookup: kept until a slot or an app changes.
        self._slot_caches: dict[str, tuple[str, ...]] = {}

    # Registration (from each app's portal.py) ---------------------------------------------

    def register(
        self,
        app_label: str,
        *,
        demo: str | Callable | None = None,
        retention: str | Callable | None = None,
        coordinator: CoordinatorAccess | None = None,
    ) -> PortalApp:
        if app_label in self._apps:
            raise AlreadyRegistered(f"{app_label} is already registered with the portal")
        if coordinator not in (None, "manage", "read"):
            raise ValueError(f"coordinator must be 'manage', 'read' or None, not {coordinator!r}")
        apps.get_app_config(app_label)  # fails loudly on a typo instead of silently skipping
        entry = PortalApp(label=app_label, demo=demo, retention=retention, coordinator=coordinator)
        if retention:  # a rule of its own name and decision key, undescribed: prefer portal.retention()
            entry.retention_rules.append(
                RetentionRule(app_label=app_label, name=app_label, purge=retention, decision=app_label)
            )
        self._apps[app_label] = entry
        return entry

    def retention(
        self, app_label: str, purge, *, decision: str, name: str | None = None, periods=None, **texts
    ) -> None:
        """Declare a retention rule: ``purge(*, now)`` runs daily in each region that has recorded the
        disposal decision ``decision`` (a key of ``core.models.DisposalDecision``); ``title``, ``removes``,
        ``keeps`` and ``after`` describe it on the public pages (see ``RetentionRule``)."""
        entry = self._entry(app_label, "retention rules")
        rule_name = name or app_label
        if any(rule.name == rule_name for other in self._apps.values() for rule in other.retention_rules):
            raise AlreadyRegistered(f"a retention rule named {rule_name!r} is already registered")
        entry.retention_rules.append(
            RetentionRule(
                app_label=app_label,
                name=rule_name,
                purge=purge,
                decision=decision,
                periods=tuple((periods or {}).items()),
                **texts,
            )
        )

    def section(
        self,
        place: str,
        template: str,
        *,
        app_label: str | None = None,
        order: int = 100,
        context=None,
        caches: tuple[str, ...] | list[str] = (),
    ):
        if place not in PLACES:
            raise ValueError(f"unknown place {place!r}; one of {PLACES}")
        label = app_label or template.split("/", 1)[0]
        entry = self._apps.get(label)
        if entry is None:
            raise LookupError(f"register {label!r} with portal.register() before adding its sections")
        entry.sections.append(
            Section(app_label=label, place=place, template=template, order=order, context=context, caches=tuple(caches))
        )

    def _entry(self, app_label: str, what: str) -> PortalApp:
        entry = self._apps.get(app_label)
        if entry is None:
            raise LookupError(f"register {app_label!r} with portal.register() before adding its {what}")
        return entry

    def slot(
        self,
        host: str,
        template: str,
        *,
        app_label: str | None = None,
        context=None,
        caches: tuple[str, ...] | list[str] = (),
        order: int = 100,
    ) -> None:
        """Add a part to another app's page: ``host`` names the page (``"meetings:detail"``), which
        renders it with ``{% portal_slot host object %}``; ``context(request, object) -> dict``."""
        namespace, _, page = host.partition(":")
        if not namespace or not page:
            raise ValueError(f"a slot's host is '<app>:<page>', not {host!r}")
        label = app_label or template.split("/", 1)[0]
        entry = self._entry(label, "slots")
        entry.slots.append(
            Slot(app_label=label, host=host, template=template, order=order, context=context, caches=tuple(caches))
        )
        self._slot_caches.clear()

    def periodic(self, name: str, task: str, schedule, *, app_label: str | None = None) -> None:
        """Run ``task`` (its registered Celery name, ``"app.tasks.func"``) every ``schedule`` (a
        ``timedelta``, or a Celery ``crontab``/``schedule``); ``name`` is the beat's entry name."""
        label = app_label or task.split(".", 1)[0]
        entry = self._entry(label, "periodic tasks")
        if any(existing.name == name for other in self._apps.values() for existing in other.periodic):
            raise AlreadyRegistered(f"a periodic task named {name!r} is already registered")
        entry.periodic.append(PeriodicTask(app_label=label, name=name, task=task, schedule=schedule))

    def work(self, app_label: str, items, *, order: int = 100) -> None:
        """Add the app's work for the admin's start page: ``items(request) -> list[WorkItem]``."""
        entry = self._apps.get(app_label)
        if entry is None:
            raise LookupError(f"register {app_label!r} with portal.register() before adding its work")
        entry.work.append(WorkProvider(app_label=app_label, items=items, order=order))

    def personal_data(self, app_label: str, *, export, erase=None, order: int = 100) -> None:
        """Declare what the app holds about a person: ``export(user)`` returns its sections of "download
        my data" (``{"app.Model": [row, ...]}``), ``erase(user)`` anonymises or deletes it before the
        account is deleted."""
        entry = self._apps.get(app_label)
        if entry is None:
            raise LookupError(f"register {app_label!r} with portal.register() before declaring its personal data")
        if entry.personal_data is not None:
            raise AlreadyRegistered(f"{app_label} already declared its personal data")
        entry.personal_data = PersonalDataProvider(app_label=app_label, export=export, erase=erase, order=order)

    def admin_action(self, app_label: str, model: str, action) -> None:
        """Offer ``action`` (an admin action, or its dotted path) in the admin list of another app's ``model``."""
        entry = self._apps.get(app_label)
        if entry is None:
            raise LookupError(f"register {app_label!r} with portal.register() before adding admin actions")
        label = apps.get_model(model)._meta.label_lower  # fails loudly on a typo
        entry.admin_actions.append(AdminAction(app_label=app_label, model=label, action=action))

    def event(self, name: str, label, *, app_label: str | None = None) -> None:
        """Declare an event ``name`` (``"<app>.<what>"``) that ``core.events.emit`` may send."""
        label_ = app_label or name.split(".", 1)[0]
        entry = self._entry(label_, "events")
        if self.event_type(name) is not None:
            raise AlreadyRegistered(f"an event named {name!r} is already declared")
        entry.events.append(EventType(app_label=label_, name=name, label=label))

    def followable(
        self, kind: str, model: str, label, *, lookup: str = "pk", visible: str = "", app_label: str | None = None
    ) -> None:
        """Declare that people may follow ``model``'s objects under ``kind`` (looked up by ``lookup``;
        ``visible`` names the queryset method of what may be followed, e.g. ``"public"``)."""
        label_ = app_label or kind.split(".", 1)[0]
        entry = self._entry(label_, "followables")
        if self.followable_kind(kind) is not None:
            raise AlreadyRegistered(f"a followable kind {kind!r} is already declared")
        apps.get_model(model)  # fails loudly on a typo
        entry.followables.append(
            Followable(app_label=label_, kind=kind, model=model, label=label, lookup=lookup, visible=visible)
        )

    def subscriber(self, app_label: str, handler, *, order: int = 100) -> None:
        """Hear every emitted event: ``handler(event)`` runs after the emitting transaction commits."""
        self._entry(app_label, "subscribers").subscribers.append(
            Subscriber(app_label=app_label, handler=handler, order=order)
        )

    def searchable(
        self,
        kind: str,
        model: str,
        label,
        *,
        fields: dict[str, str],
        app_label: str | None = None,
        **options,
    ) -> None:
        """Offer ``model``'s visible objects to the portal's search under ``kind`` (see ``Searchable``)."""
        label_ = app_label or model.split(".", 1)[0]
        entry = self._entry(label_, "searchables")
        if self.searchable_kind(kind) is not None:
            raise AlreadyRegistered(f"a searchable kind {kind!r} is already declared")
        found = apps.get_model(model)  # fails loudly on a typo
        for name, weight in fields.items():
            found._meta.get_field(name)
            if weight not in WEIGHTS:
                raise ValueError(f"a search weight is one of {WEIGHTS}, not {weight!r}")
        entry.searchables.append(
            Searchable(
                app_label=label_,
                kind=kind,
                model=model,
                label=label,
                fields=tuple(fields.items()),
                caches=tuple(options.pop("caches", ())),
                **options,
            )
        )

    def searchables(self) -> list[Searchable]:
        return sorted((s for entry in self.apps() for s in entry.searchables), key=lambda s: s.order)

    def searchable_kind(self, kind: str) -> Searchable | None:
        return next((s for entry in self._apps.values() for s in entry.searchables if s.kind == kind), None)

    def searchable_caches(self) -> list[str]:
        """The page-cache versions the search's results follow (every searchable kind's ``caches``)."""
        return sorted({name for entry in self._apps.values() for s in entry.searchables for name in s.caches})

    def archive_case(self, app_label: str, kind: str, model: str, label, *, is_closed, contribute) -> None:
        """Offer ``model``'s closed cases to the e-archive export under ``kind`` (see ``core/archive.py``)."""
        entry = self._entry(app_label, "archive cases")
        if self.archive_kind(kind) is not None:
            raise AlreadyRegistered(f"an archive case kind {kind!r} is already registered")
        apps.get_model(model)  # fails loudly on a typo
        entry.archive_cases.append(
            ArchiveCase(
                app_label=app_label, kind=kind, model=model, label=label, is_closed=is_closed, contribute=contribute
            )
        )

    def archive_cases(self) -> list[ArchiveCase]:
        return [case for entry in self.apps() for case in entry.archive_cases]

    def archive_kind(self, kind: str) -> ArchiveCase | None:
        return next((c for entry in self._apps.values() for c in entry.archive_cases if c.kind == kind), None)

    def archive_case_for(self, obj) -> ArchiveCase | None:
        label = obj._meta.label_lower
        return next((c for c in self.archive_cases() if c.model.lower() == label), None)

    def follow_on_behalf(self, app_label: str, *, choices, members) -> None:
        """Let a person follow for a group they act for (an organisation): ``choices(user)`` lists the
        groups, ``members(pks)`` who hears what a group's follow brings (issue 25)."""
        self._entry(app_label, "on_behalf").on_behalf = OnBehalf(app_label=app_label, choices=choices, members=members)

    def on_behalf(self) -> OnBehalf | None:
        return next((entry.on_behalf for entry in self.apps() if entry.on_behalf is not None), None)

    def event_types(self) -> list[EventType]:
        return [event for entry in self.apps() for event in entry.events]

    def event_type(self, name: str) -> EventType | None:
        return next((event for entry in self._apps.values() for event in entry.events if event.name == name), None)

    def followables(self) -> list[Followable]:
        return [f for entry in self.apps() for f in entry.followables]

    def followable_kind(self, kind: str) -> Followable | None:
        return next((f for entry in self._apps.values() for f in entry.followables if f.kind == kind), None)

    def subscribers(self) -> list[Subscriber]:
        return sorted((s for entry in self.apps() for s in entry.subscribers), key=lambda s: s.order)

    def unregister(self, app_label: str) -> None:
        """For tests that plug in an app of their own."""
        self._apps.pop(app_label, None)
        self._slot_caches.clear()

    # Reads (by core's pages and commands) ---------------------------------------------------

    def apps(self) -> list[PortalApp]:
        """Registered apps in INSTALLED_APPS order: later apps may build on what earlier ones made."""
        order = {config.label: index for index, config in enumerate(apps.get_app_configs())}
        return sorted(self._apps.values(), key=lambda entry: order.get(entry.label, len(order)))

    def demo_loaders(self) -> list[tuple[str, Callable]]:
        return [(entry.label, _resolve(entry.demo)) for entry in self.apps() if entry.demo]

    def retention_rules(self) -> list[RetentionRule]:
        """Every app's retention rules, in INSTALLED_APPS order."""
        return [rule for entry in self.apps() for rule in entry.retention_rules]

    def personal_data_providers(self) -> list[PersonalDataProvider]:
        """Every app's personal-data provider, in INSTALLED_APPS order (exports read them in this order)."""
        return [entry.personal_data for entry in self.apps() if entry.personal_data is not None]

    def personal_data_erasers(self) -> list[PersonalDataProvider]:
        """The providers that erase, in the order they run (``order``, then INSTALLED_APPS order)."""
        providers = [p for p in self.personal_data_providers() if p.erase]
        return sorted(providers, key=lambda provider: provider.order)  # stable: INSTALLED_APPS order within

    def coordinator_apps(self, access: CoordinatorAccess) -> list[str]:
        return [entry.label for entry in self.apps() if entry.coordinator == access]

    def actions_for(self, model: str) -> list[Callable]:
        """The admin actions other apps registered for ``model`` (``app.model``), in INSTALLED_APPS order."""
        label = model.lower()
        return [_resolve(a.action) for entry in self.apps() for a in entry.admin_actions if a.model == label]

    def admin_actions(self, model: str, own: Sequence = ()) -> ModelAdminActions:
        """``ModelAdmin.actions`` for ``model``: the admin's ``own`` actions, then those other apps registered."""
        return ModelAdminActions(self, model, own)

    def nav(self, app_label: str, url_name: str, label, *, order: int = 100) -> None:
        """Add a link to the main navigation (``label`` a ``gettext_lazy`` text)."""
        entry = self._apps.get(app_label)
        if entry is None:
            raise LookupError(f"register {app_label!r} with portal.register() before adding its navigation")
        entry.nav.append(NavItem(app_label=app_label, url_name=url_name, label=label, order=order))

    def nav_items(self) -> list[NavItem]:
        return sorted((item for entry in self.apps() for item in entry.nav), key=lambda item: item.order)

    def slots(self, host: str) -> list[Slot]:
        """The parts other apps put on ``host`` (``"meetings:detail"``), in ``order``."""
        found = [slot for entry in self.apps() for slot in entry.slots if slot.host == host]
        return sorted(found, key=lambda slot: slot.order)

    def slot_caches(self, host: str) -> list[str]:
        """The page-cache versions the slots on ``host`` follow; ``host`` is one page
        (``"meetings:detail"``) or every page of an app (``"meetings"``), for the app's page cache:
        ``VersionedCache("meetings", follows=lambda: portal.slot_caches("meetings"))``."""
        names = self._slot_caches.get(host)
        if names is None:
            if ":" in host:
                wanted = (slot for entry in self._apps.values() for slot in entry.slots if slot.host == host)
            else:
                wanted = (slot for entry in self._apps.values() for slot in entry.slots if slot.host_namespace == host)
            names = self._slot_caches[host] = tuple(sorted({name for slot in wanted for name in slot.caches}))
        return list(names)

    def periodic_tasks(self) -> list[PeriodicTask]:
        """Every app's periodic tasks, in INSTALLED_APPS order."""
        return [task for entry in self.apps() for task in entry.periodic]

    def beat_schedule(self) -> dict[str, dict]:
        """The Celery beat schedule (``beat_schedule``) built from every app's periodic tasks."""
        return {task.name: task.beat_entry() for task in self.periodic_tasks()}

    def sections(self, place: str) -> list[Section]:
        found = [section for entry in self.apps() for section in entry.sections if section.place == place]
        return sorted(found, key=lambda section: section.order)

    def section_caches(self, place: str) -> list[str]:
        """Every page-cache version the sections of ``place`` follow (for caching the whole page)."""
        return sorted({name for section in self.sections(place) for name in section.caches})

    def work_items(self, request) -> list[WorkItem]:
        """Everything waiting for this coordinator, from every registered app, in ``order``."""
        providers = sorted((p for entry in self.apps() for p in entry.work), key=lambda p: p.order)
        return [item for provider in providers for item in provider.items_for(request)]

    def render_context(self, place: str, request) -> list[dict]:
        """What a page needs to include its sections: each template with its own extra context."""
        return [{"template": s.template, "context": s.context_for(request)} for s in self.sections(place)]


portal = PortalRegistry()


class BeatSchedule(Mapping):
    """Celery's ``beat_schedule``, read from the registry each time it is asked (``samverkan/celery.py``).

    The Celery app is configured when ``samverkan`` is imported, before Django has loaded the apps and
    their ``portal.py``; the beat reads its schedule only once it starts, when they are loaded.
    """

    def _schedule(self) -> dict[str, dict]:
        return portal.beat_schedule()

    def __getitem__(self, name: str) -> dict:
        return self._schedule()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._schedule())

    def __len__(self) -> int:
        return len(self._schedule())


def autodiscover() -> None:
    autodiscover_modules("portal")
