"""What the page cache (core.cache) must purge when hearings and their responses change."""

from django.db.models.signals import post_delete, post_init, post_save
from django.dispatch import receiver
from django.urls import reverse

from core.cache import dependent_urls, page_and_ancestor_urls, public_route, purge_on_commit

from .models import HearingIndexPage, HearingPage, Response, ResponseAttachment
from .surveys.models import SurveyPage

# A survey's first page and its published results are the same for every anonymous visitor; the
# invitation links and the thank-you page are not.
public_route(SurveyPage.answer_view)
public_route(SurveyPage.results_view)


def hearing_indexes():
    """Every hearing index lists the hearings of the whole site (with their response counts), also
    those placed under a council."""
    return [index.url for index in HearingIndexPage.objects.live()]


@dependent_urls(HearingPage)
def hearing_feeds(hearing):
    """The feeds and the deadline calendar list hearings; so do the issuing council's."""
    urls = [
        *hearing_indexes(),
        reverse("consultations:feed_rss"),
        reverse("consultations:feed_atom"),
        reverse("consultations:deadlines_ics"),
    ]
    councils = [hearing.council] if hearing.council_id else []
    issuing = hearing.issuing_council
    if issuing is not None and issuing not in councils:
        councils.append(issuing)
    for council in councils:
        urls += [
            council.url,
            reverse("consultations:feed_council_rss", args=[council.slug]),
            reverse("consultations:feed_council_atom", args=[council.slug]),
        ]
    for topic in hearing.topics.all():
        urls += [
            reverse("consultations:feed_topic_rss", args=[topic.slug]),
            reverse("consultations:feed_topic_atom", args=[topic.slug]),
        ]
    return urls


@receiver(post_init, sender=Response, dispatch_uid="consultations_page_cache_snapshot")
def remember_if_public(sender, instance, **kwargs):
    instance._page_cache_was_public = instance.pk is not None and instance.status == Response.Status.PUBLISHED


@receiver(post_save, sender=Response, dispatch_uid="consultations_page_cache_response_saved")
@receiver(post_delete, sender=Response, dispatch_uid="consultations_page_cache_response_deleted")
def response_changed(sender, instance, **kwargs):
    """A response that is or was public: its hearing's page and the lists above it change (published,
    withheld, redacted, erased, deleted). A pending or received one shows nowhere."""
    if instance.status == Response.Status.PUBLISHED or getattr(instance, "_page_cache_was_public", False):
        _purge_hearing(instance.hearing_id)
    instance._page_cache_was_public = instance.status == Response.Status.PUBLISHED


@receiver(post_save, sender=ResponseAttachment, dispatch_uid="consultations_page_cache_attachment_saved")
@receiver(post_delete, sender=ResponseAttachment, dispatch_uid="consultations_page_cache_attachment_deleted")
def attachment_changed(sender, instance, **kwargs):
    response = Response.objects.filter(pk=instance.response_id).only("status", "hearing_id").first()
    if response is not None and response.status == Response.Status.PUBLISHED:
        _purge_hearing(response.hearing_id)


def _purge_hearing(hearing_id):
    hearing = HearingPage.objects.filter(pk=hearing_id).first()
    if hearing is not None:
        purge_on_commit([*page_and_ancestor_urls(hearing), *hearing_indexes()])
