from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Portal"

    def ready(self):
        # A region or host saved in this process is seen by the next request (core/regions.py).
        from django.db.models.signals import post_delete, post_save

        from . import (
            admin_a11y,
            checks,  # noqa: F401 - registers the public records' system checks
            observability,  # noqa: F401 - connects the Celery signals that carry the request id
        )
        from .forms import install_checkbox_message
        from .models import Region, RegionHost
        from .permissions import ensure_coordinator_group, ensure_system_admin_group
        from .regions import host_map
        from .registry import autodiscover

        for model in (Region, RegionHost):
            post_save.connect(host_map.clear, sender=model, dispatch_uid=f"regions-hosts-{model.__name__}")
            post_delete.connect(host_map.clear, sender=model, dispatch_uid=f"regions-hosts-del-{model.__name__}")
        # Every app's portal.py registers its demo data, retention rule, coordinator access and
        # page sections (see core/registry.py).
        autodiscover()
        # Sent by Django after `migrate`: keeps the "Samordnare" group's permissions in step
        # with the models of every app, so a new model reaches coordinators without manual work.
        post_migrate.connect(ensure_coordinator_group, sender=self)
        # The system administrators' group: creates, edits and disables regions (core/admin.py).
        post_migrate.connect(ensure_system_admin_group, sender=self)
        # Labels for the admin's split date/time inputs (see core/admin_a11y.py).
        admin_a11y.install()
        # Bad query strings and autocomplete values in the admin: an answer, not a 500 (core/admin_input.py).
        from .admin_input import install as install_admin_input

        install_admin_input()
        # "Kryssa i rutan" instead of "Fyll i fältet" under a required checkbox (see core/forms.py).
        install_checkbox_message()
        # Labelled export form and Swedish file names for every admin export (see core/spreadsheets.py).
        from .spreadsheets import install_admin_exports

        install_admin_exports()
        # The search's accent folding on SQLite (core/search/folding.py).
        from .search.folding import connect as connect_search_folding

        connect_search_folding()
