from django import template

from core.registry import portal

from ..models import WEEKDAYS, Notification, Preference
from ..services import follows_of, preference_of, region_schedule

register = template.Library()


@register.simple_tag(takes_context=True)
def my_follows(context):
    user = context["request"].user
    kinds = {f.kind: f.label for f in portal.followables()}
    return [(follow, kinds.get(follow.kind, follow.kind)) for follow in follows_of(user)]


@register.simple_tag(takes_context=True)
def my_notifications(context, limit=20):
    user = context["request"].user
    return list(Notification.objects.filter(user=user)[:limit])


@register.simple_tag(takes_context=True)
def my_email_choice(context):
    return preference_of(context["request"].user)


@register.simple_tag
def email_choices():
    return Preference.Email.choices


@register.simple_tag(takes_context=True)
def my_digest_time(context):
    """The person's own digest day and hour (None: the region's), the region's, and the lists to choose from."""
    user = context["request"].user
    own = Preference.objects.filter(user=user).values_list("digest_weekday", "digest_hour").first() or (None, None)
    weekday, hour = region_schedule()
    return {
        "weekday": own[0],
        "hour": own[1],
        "region_weekday": dict(WEEKDAYS)[weekday],
        "region_hour": f"{hour:02d}:00",
        "weekdays": WEEKDAYS,
        "hours": [(h, f"{h:02d}:00") for h in range(24)],
    }
