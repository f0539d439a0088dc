"""Quick polls (hurtige afstemninger, issue 11): one question an editor places on a page as a block
(``core.blocks.QuickPollBlock``: the home page's »Afstemninger«, a council page's or a hearing's
body), answered without leaving the page, the results shown once one has voted.

* **What is stored**: a count per option (``QuickPollCount``: page, poll, option, votes) – no row
  per vote, so there is nothing to link to a person, an address or a time, even with SQL access.
* **One vote per browser**: a signed cookie per poll (``survey-poll-<id>``, a browser mark). The
  page cache keeps the pages that show the poll with the names of the marks they read, so a visitor
  who has voted gets those pages rendered for them, with the results, while everyone else gets the
  cached page with the form; every page without that poll still comes from the cache for them.
  Votes from one address are limited (``QUICK_POLL_RATE_IP``), so clearing the cookie does not let
  one person fill the poll.
* **Without JavaScript** the form posts to :func:`vote`, which redirects back to the page (now with
  the results); a refusal is shown on a page of its own with the form and a Danish message. With
  JavaScript (``core/quick_poll.js``) the same answer is fetched and replaces the poll in place.
* A poll is identified by the id Wagtail gives its block, so it survives edits and moving the block;
  options by their list items' ids. Editing an option's text keeps its votes.
"""

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_ratelimit.core import is_ratelimited
from wagtail.fields import StreamField
from wagtail.models import Page

from .browser_marks import has_mark, set_mark

BLOCK_TYPE = "poll"
COOKIE_PREFIX = "survey-poll-"
COOKIE_SALT = "core.polls.voted"
FETCH_HEADER = "HTTP_X_REQUESTED_WITH"


class QuickPollCount(models.Model):
    """The number of votes for one option of one poll on one page. Nothing else is kept."""

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    poll_id = models.CharField(max_length=64)
    option_id = models.CharField(max_length=64)
    votes = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = gettext_lazy("stemmer i hurtig afstemning")
        verbose_name_plural = gettext_lazy("stemmer i hurtige afstemninger")
        constraints = [
            models.UniqueConstraint(fields=["page", "poll_id", "option_id"], name="unique_quick_poll_option")
        ]

    def __str__(self):
        return f"{self.page_id} {self.poll_id} {self.option_id}: {self.votes}"


# --- Finding a poll on its page -------------------------------------------------------------------


def _stream_children(page):
    for field in page._meta.get_fields():
        if isinstance(field, StreamField):
            yield from getattr(page, field.name) or []


def find_poll(page, poll_id):
    """The poll block ``poll_id`` of ``page`` (a StreamField child), or None."""
    for child in _stream_children(page):
        if child.block_type == BLOCK_TYPE and str(child.id) == poll_id:
            return child
    return None


def poll_id_of(page, value):
    """The block id of the poll whose value is ``value`` (as the page renders it), or None."""
    if page is None:
        return None
    for child in _stream_children(page):
        if child.block_type == BLOCK_TYPE and child.value is value:
            return str(child.id)
    return None


def options_of(value):
    return [(str(item.id), str(item.value)) for item in value["options"].bound_blocks]


# --- Votes and results ----------------------------------------------------------------------------


def cookie_name(poll_id):
    return COOKIE_PREFIX + poll_id


def has_voted(request, poll_id):
    return bool(poll_id) and has_mark(request, cookie_name(poll_id), COOKIE_SALT)


def count_vote(page, poll_id, option_id):
    """Add one vote to the option's count (one UPDATE; the row is created on the first vote)."""
    counts = QuickPollCount.objects.filter(page=page, poll_id=poll_id, option_id=option_id)
    if counts.update(votes=F("votes") + 1):
        return
    try:
        with transaction.atomic():
            QuickPollCount.objects.create(page=page, poll_id=poll_id, option_id=option_id, votes=1)
    except IntegrityError:  # a concurrent first vote created it
        counts.update(votes=F("votes") + 1)


def results(page, poll_id, value):
    """Rows (label, count, share in %) in the options' order, and the total."""
    counts = dict(QuickPollCount.objects.filter(page=page, poll_id=poll_id).values_list("option_id", "votes"))
    options = options_of(value)
    total = sum(counts.get(option_id, 0) for option_id, _label in options)
    rows = []
    for option_id, label in options:
        count = counts.get(option_id, 0)
        share = round(100.0 * count / total, 1) if total else 0.0
        rows.append({"label": label, "count": count, "share": share})
    return rows, total


def poll_context(request, page, value, poll_id, error="", chosen=""):
    """What the poll's template shows: the form, or the results once voted or closed."""
    voted = has_voted(request, poll_id)
    show_results = bool(poll_id) and (voted or bool(value.get("closed")))
    context = {
        "poll": value,
        "poll_id": poll_id,
        "poll_page": page,
        "options": options_of(value),
        "voted": voted,
        "show_results": show_results,
        "error": error,
        "chosen": chosen,
    }
    if show_results:
        context["rows"], context["total"] = results(page, poll_id, value)
    return context


# --- The view -------------------------------------------------------------------------------------


def _answer(request, page, child, status, error="", chosen=""):
    """The poll again: the fragment for the page's script, else a page of its own (no JavaScript)."""
    context = poll_context(request, page, child.value, str(child.id), error=error, chosen=chosen)
    if request.META.get(FETCH_HEADER) == "fetch":
        return TemplateResponse(request, "core/blocks/quick_poll_box.html", context, status=status)
    context.update({"page": page, "breadcrumbs": [{"title": page.title, "url": page.url}]})
    return TemplateResponse(request, "core/quick_poll_page.html", context, status=status)


def vote(request, page_id, poll_id):
    page = Page.objects.live().public().filter(pk=page_id).first()
    if page is None:
        raise Http404
    page = page.specific
    if request.method != "POST":
        return redirect(page.url)
    child = find_poll(page, poll_id)
    if child is None:
        raise Http404
    value = child.value
    if value.get("closed"):
        return _answer(request, page, child, 400, error=_("Afstemningen er lukket. Du kan se resultatet herunder."))
    if has_voted(request, poll_id):
        return _answer(request, page, child, 409, error=_("Du har allerede stemt fra denne browser."))
    option_id = request.POST.get("option", "")
    if not option_id:
        return _answer(request, page, child, 400, error=_("Vælg et svar, før du stemmer."))
    if option_id not in {oid for oid, _label in options_of(value)}:
        return _answer(request, page, child, 400, error=_("Vælg et af de viste svar."))
    if is_ratelimited(request, group="core.quick_poll", key="ip", rate=settings.QUICK_POLL_RATE_IP, increment=True):
        return _answer(
            request,
            page,
            child,
            429,
            error=_("Der er stemt for mange gange fra din forbindelse på kort tid. Prøv igen senere."),
            chosen=option_id,
        )
    count_vote(page, poll_id, option_id)
    if request.META.get(FETCH_HEADER) == "fetch":
        context = poll_context(request, page, value, poll_id)
        context.update({"voted": True, "show_results": True, "just_voted": True})
        context["rows"], context["total"] = results(page, poll_id, value)
        response = TemplateResponse(request, "core/blocks/quick_poll_box.html", context)
    else:
        response = redirect(f"{page.url}#poll-{poll_id}")
    return set_mark(response, request, cookie_name(poll_id), COOKIE_SALT)
