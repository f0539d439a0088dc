"""What the page cache (core.cache) must purge when an election changes."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse

from core.cache import dependent_urls, page_purge_urls, purge_on_commit

from .models import AuditLogEntry, Ballot, ElectionPage


@dependent_urls(ElectionPage)
def election_views(election):
    """The list of elections and the election's results and verification pages."""
    return [
        reverse("elections:index"),
        reverse("elections:results", args=[election.pk]),
        reverse("elections:results_csv", args=[election.pk]),
        reverse("elections:results_json", args=[election.pk]),
        reverse("elections:verification", args=[election.pk]),
    ]


@receiver(post_save, sender=AuditLogEntry, dispatch_uid="elections_page_cache_lifecycle")
def election_step(sender, instance, created, **kwargs):
    """Every step of an election's lifecycle is logged (voting opened or closed, counted, results
    published, nominations decided …): purge what shows the election."""
    if created:
        election = ElectionPage.objects.filter(pk=instance.election_id).first()
        if election is not None:
            purge_on_commit(page_purge_urls(election))


@receiver(post_save, sender=Ballot, dispatch_uid="elections_page_cache_ballot")
def ballot_cast(sender, instance, created, **kwargs):
    """The verification page shows the ballot box's count and chain head while voting runs."""
    if created:
        purge_on_commit([reverse("elections:verification", args=[instance.election_id])])
