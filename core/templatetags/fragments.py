"""Tags for pages whose body is shared by every visitor (``VersionedCache.render``, core/pagecache/)."""

import re

from django import template
from django.utils.safestring import mark_safe

from core.pagecache import VISITOR_PART

register = template.Library()

_NAME = re.compile(r"^[\w./-]+$")


@register.simple_tag
def visitor_part(name: str):
    """Where a part that depends on who asks sits in a shared body::

        {% load fragments %}{% visitor_part "agreements/_sign_card.html" %}

    The body is kept once for everyone with a marker here; ``VersionedCache.render`` renders the
    template ``name`` in its place for each request (with the view's ``visitor`` context), so one
    visitor's part is never kept for another."""
    if not _NAME.match(name):
        raise template.TemplateSyntaxError(f"visitor_part: {name!r} is not a template name")
    return mark_safe(VISITOR_PART.format(name))  # noqa: S308 - a fixed comment around a checked template name
