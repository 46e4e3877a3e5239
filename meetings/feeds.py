"""RSS 2.0 and Atom feeds of the published meetings, beside the iCalendar feed (django.contrib.syndication).

Only what the public page shows: title, summary, time and place, topics; never the online link."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.links import region_name
from core.translated import translated

from . import selectors
from .models import Meeting


class MeetingsFeed(Feed):
    def title(self):
        return _("Meetings – %(region)s") % {"region": region_name()}

    def link(self):
        return reverse("meetings:list")

    def description(self):
        return _("Dialogue meetings between the region and civil society.")

    def items(self):
        return selectors.meetings_for_syndication()

    def item_title(self, item: Meeting):
        return translated(item, "title")

    def item_description(self, item: Meeting):
        start = date_format(timezone.localtime(item.start), "DATETIME_FORMAT")
        if item.format == Meeting.Format.DIGITAL:
            place = _("Digital meeting")
        else:
            place = ", ".join(part for part in (item.venue_name, item.venue_address) if part)
            if item.format == Meeting.Format.HYBRID:
                place = f"{place} {_('and online')}"
        parts = [f"{start} · {place}"]
        if item.summary:
            parts.append(translated(item, "summary"))
        return "\n\n".join(parts)

    def item_pubdate(self, item: Meeting):
        return item.created_at

    def item_updateddate(self, item: Meeting):
        return item.updated_at

    def item_categories(self, item: Meeting):
        return [topic.display_name for topic in item.topics.all()]


class MeetingsAtomFeed(MeetingsFeed):
    feed_type = Atom1Feed

    def subtitle(self):
        return self.description()
