from django import template

register = template.Library()


@register.filter
def get_link(links, pk):
    return links.get(pk, "")
