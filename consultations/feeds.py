"""RSS and Atom feeds of hearings (all, per council, per topic) and an iCalendar feed of deadlines."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from icalendar import Calendar, Event
from taggit.models import Tag

from core.translated_pages import in_language
from councils.models import CouncilPage

from .models import HearingIndexPage, HearingPage

FEED_SIZE = 50


def _hearings():
    return HearingPage.objects.live().public().select_related("council").order_by("-first_published_at", "-pk")


class HearingsFeed(Feed):
    """Newest hearings first."""

    title = gettext_lazy("Høringer")
    description = gettext_lazy("Nye høringer, hvor du kan afgive høringssvar.")

    def link(self, obj=None):
        index = HearingIndexPage.objects.live().first()
        return index.url if index else "/"

    def items(self, obj=None):
        # Titles and summaries in the reader's language where a translation is published.
        return in_language(self.filter(_hearings(), obj)[:FEED_SIZE])

    def filter(self, hearings, obj):
        return hearings

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        deadline = timezone.localtime(item.closes_at).strftime("%d.%m.%Y %H:%M")
        return f"{item.summary}\n\n" + _("Høringsfrist: %(deadline)s") % {"deadline": deadline}

    def item_link(self, item):
        return item.url

    def item_pubdate(self, item):
        return item.first_published_at or item.opens_at

    def item_updateddate(self, item):
        return item.last_published_at or item.first_published_at or item.opens_at

    def item_categories(self, item):
        return [t.name for t in item.topics.all()]


class AtomHearingsFeed(HearingsFeed):
    feed_type = Atom1Feed
    subtitle = HearingsFeed.description


class CouncilHearingsFeed(HearingsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(CouncilPage.objects.live().public(), slug=slug)

    def title(self, obj):
        return _("Høringer fra %(council)s") % {"council": obj.title}

    def filter(self, hearings, obj):
        return hearings.filter(Q(council=obj) | Q(council=None, path__startswith=obj.path, depth=obj.depth + 1))


class AtomCouncilHearingsFeed(CouncilHearingsFeed):
    feed_type = Atom1Feed
    subtitle = HearingsFeed.description


class TopicHearingsFeed(HearingsFeed):
    def get_object(self, request, slug):
        tag = Tag.objects.filter(slug=slug).first()
        if tag is None:
            raise Http404
        return tag

    def title(self, obj):
        return _("Høringer om %(topic)s") % {"topic": obj.name}

    def filter(self, hearings, obj):
        return hearings.filter(topics=obj)


class AtomTopicHearingsFeed(TopicHearingsFeed):
    feed_type = Atom1Feed
    subtitle = HearingsFeed.description


def deadlines_ics(request):
    """Every upcoming and open hearing's deadline as an iCalendar event."""
    calendar = Calendar()
    calendar.add("prodid", "-//Medborger//Høringsfrister//DA")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Høringsfrister"))
    base = settings.BASE_URL.rstrip("/")
    host = base.split("://")[-1].split("/")[0] or "medborger"
    hearings = HearingPage.objects.live().public().filter(closes_at__gt=timezone.now()).order_by("closes_at")
    for hearing in in_language(hearings):
        event = Event()
        event.add("uid", f"hoeringsfrist-{hearing.pk}@{host}")
        event.add("summary", _("Høringsfrist: %(title)s") % {"title": hearing.title})
        event.add("dtstart", hearing.closes_at)
        event.add("dtend", hearing.closes_at)
        event.add("dtstamp", hearing.last_published_at or timezone.now())
        event.add("url", base + hearing.url)
        event.add("description", hearing.summary or hearing.title)
        calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="hoeringsfrister.ics"'
    return response
