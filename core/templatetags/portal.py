"""``{% portal_sections "home" %}``: each registered app's part of a shared page; ``{% portal_slot
"meetings:detail" meeting %}``: the parts other apps put on an app's page (core/registry.py)."""

from django import template
from django.template.loader import get_template
from django.utils.safestring import mark_safe

from core.registry import portal

register = template.Library()


@register.simple_tag(takes_context=True)
def portal_sections(context, place, wrapper_class=""):
    request = context.get("request")
    parts = []
    for section in portal.sections(place):
        with context.push(**section.context_for(request)):
            html = get_template(section.template).template.render(context)
        parts.append(f'<div class="{wrapper_class}">{html}</div>' if wrapper_class else html)
    return mark_safe("".join(parts))  # noqa: S308 - each part is a rendered (auto-escaped) template


@register.simple_tag(takes_context=True)
def portal_slot(context, host, obj=None):
    """The parts other apps registered for ``host`` (``portal.slot(host, ...)``), each rendered with
    the page's context, ``object`` (what the host passed) and the slot's own context."""
    request = context.get("request")
    parts = []
    for slot in portal.slots(host):
        with context.push(object=obj, **slot.context_for(request, obj)):
            parts.append(get_template(slot.template).template.render(context))
    return mark_safe("".join(parts))  # noqa: S308 - each part is a rendered (auto-escaped) template


@register.simple_tag(takes_context=True)
def portal_work(context):
    """``{% portal_work as work %}``: what waits for this coordinator (core/registry.py, the admin's start page)."""
    return portal.work_items(context.get("request"))
