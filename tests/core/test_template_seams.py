"""Apps meet in templates only through the registry, as they do in Python (tests/core/test_registry.py).

Every template of every app is read: one app's template may include or extend its own templates,
the shared ones (the project's ``templates/`` and ``core``'s) and those of Django and its libraries
(``admin/…``, allauth's), and load its own or ``core``'s tag libraries and the libraries'. Never
another app's: an app that shows something on another app's page puts it in a slot
(``portal.slot("meetings:detail", …)``, rendered with ``{% portal_slot %}``). The shared templates
(the layout, the start page) name no app but ``core``, ``accounts`` (the login and Mina sidor
every page links to) and ``accessibility`` (the statement the law asks every page to link to): not its
templates, its tag libraries nor its URLs.
"""

import re
from functools import cache
from pathlib import Path

import pytest
from django.conf import settings
from django.template import TemplateDoesNotExist, engines
from django.template.backends.django import get_installed_libraries
from django.urls import get_resolver

ROOT = Path(__file__).resolve().parents[2]
OUR_APPS = [app for app in settings.INSTALLED_APPS if (ROOT / app / "apps.py").exists()]
SHARED = "shared"  # the project's templates/ and core's
# What the shared templates may name besides core: the account (log in, log out, Mina sidor) and the
# accessibility statement (its link in every page's footer).
SHARED_MAY_NAME = {"core", "accounts", "accessibility"}

REFERENCE = re.compile(r"""\{%-?\s*(?:include|extends)\s+(["'])(?P<name>[^"']+)\1""")
LOAD = re.compile(r"\{%-?\s*load\s+(?P<names>[^%]+?)\s*-?%\}")
URL = re.compile(r"""\{%-?\s*url\s+(["'])(?P<name>[^"']+)\1""")


def _template_roots() -> dict[str, Path]:
    roots = {app: ROOT / app / "templates" for app in OUR_APPS if (ROOT / app / "templates").is_dir()}
    roots[SHARED] = ROOT / "templates"
    return roots


@cache
def _providers(name: str) -> frozenset[str]:
    """The apps (or ``"shared"``) whose template folders hold ``name``; empty: Django's or a library's."""
    found = set()
    for owner, root in _template_roots().items():
        if (root / name).is_file():
            found.add(SHARED if owner == "core" else owner)
    return frozenset(found)


@cache
def _exists(name: str) -> bool:
    try:
        engines["django"].engine.find_template(name)
    except TemplateDoesNotExist:
        return False
    return True


@cache
def _library_owners() -> dict[str, str]:
    """Tag library name -> the app of ours that defines it (``core`` counts as shared)."""
    owners = {}
    for name, module in get_installed_libraries().items():
        top = module.split(".", 1)[0]
        if top in OUR_APPS:
            owners[name] = SHARED if top == "core" else top
    return owners


@cache
def _namespace_owners() -> dict[str, str]:
    """URL namespace -> the app of ours whose URLconf it is."""
    owners = {}
    for namespace, (_prefix, resolver) in get_resolver().namespace_dict.items():
        urlconf = resolver.urlconf_name
        module = urlconf if isinstance(urlconf, str) else getattr(urlconf, "__name__", "")
        top = module.split(".", 1)[0]
        if top in OUR_APPS:
            owners[namespace] = top
    return owners


def seam_violations(owner: str, text: str) -> list[str]:
    """What a template of ``owner`` (an app label, or ``"shared"``) reaches for in another app."""
    found = []
    for match in REFERENCE.finditer(text):
        name = match["name"]
        providers = _providers(name)
        if not providers and set(name.split("/")[:-1]) & set(OUR_APPS) and not _exists(name):
            # One of our apps' names that no folder holds: a reach into an app that moved its template.
            found.append(f"includes {name}, which does not exist")
            continue
        if not providers or owner in providers or SHARED in providers:
            continue  # Django's, a library's, our own (or our override) or a shared template
        if owner == SHARED and providers & SHARED_MAY_NAME:
            continue
        found.append(f"includes {name} of {', '.join(sorted(providers))}")
    for match in LOAD.finditer(text):
        words = match["names"].split()
        names = words[words.index("from") + 1 :] if "from" in words else words
        for library in names:
            library_owner = _library_owners().get(library)
            if library_owner is None or library_owner in (owner, SHARED):
                continue
            if owner == SHARED and library_owner in SHARED_MAY_NAME:
                continue
            found.append(f"loads {library} of {library_owner}")
    if owner == SHARED:
        for match in URL.finditer(text):
            namespace = match["name"].split(":", 1)[0] if ":" in match["name"] else None
            app = _namespace_owners().get(namespace) if namespace else None
            if app is not None and app not in SHARED_MAY_NAME:
                found.append(f"names the URL {match['name']} of {app}")
    return found


def _templates():
    for owner, root in _template_roots().items():
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix in (".html", ".txt", ".xml", ".ics"):
                yield (SHARED if owner == "core" else owner), path


def test_no_template_reaches_into_another_app():
    offenders = []
    for owner, path in _templates():
        offenders += [f"{path.relative_to(ROOT)}: {v}" for v in seam_violations(owner, path.read_text())]
    assert offenders == []


def test_every_app_and_the_shared_templates_are_read():
    owners = {owner for owner, _path in _templates()}
    assert {SHARED, "meetings", "organisations", "agreements", "challenges", "elections"} <= owners


@pytest.mark.parametrize(
    ("owner", "text", "expected"),
    [
        ("meetings", '{% include "challenges/slots/meeting_challenges.html" %}', "includes"),
        ("meetings", "{% extends 'elections/slots/agreement_round.html' %}", "includes"),
        ("agreements", "{% load i18n challenges_tags %}", "loads challenges_tags of challenges"),
        ("agreements", "{% load home_section from challenges_tags %}", "loads challenges_tags"),
        (SHARED, '{% include "api/slots/footer_link.html" %}', "includes"),
        (SHARED, "<a href=\"{% url 'meetings:feed' %}\">", "names the URL meetings:feed of meetings"),
        (SHARED, "{% load challenges_tags %}", "loads challenges_tags"),
        ("meetings", '{% include "challenges/_gone.html" %}', "does not exist"),
    ],
)
def test_a_reach_into_another_app_is_caught(owner, text, expected):
    violations = seam_violations(owner, text)
    assert len(violations) == 1 and expected in violations[0]


@pytest.mark.parametrize(
    ("owner", "text"),
    [
        ("challenges", '{% include "challenges/slots/meeting_challenges.html" %}'),  # its own
        ("meetings", '{% include "includes/error_summary.html" with form=form %}'),  # shared (templates/)
        ("meetings", '{% extends "emails/base.html" %}{% load i18n portal public %}'),  # shared, core's tags
        ("meetings", '{% extends "admin/change_form.html" %}{% load admin_urls %}'),  # Django's
        ("challenges", "{% load challenges_tags %}"),
        (SHARED, "<a href=\"{% url 'accounts:mypages' %}\">{% url 'core:home' %}{% url 'account_login' %}"),
        (SHARED, '{% portal_slot "base:footer" %}{% include variable_name %}'),
    ],
)
def test_what_is_allowed_passes(owner, text):
    assert seam_violations(owner, text) == []
