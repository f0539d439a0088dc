"""Who may see what of a hearing's responses. One function per action."""

from core.permissions import can_edit_page


def can_moderate_hearing(user, hearing):
    """Whoever may edit the hearing page may read and moderate its responses; nobody else."""
    return can_edit_page(user, hearing)


def passes_view_restrictions(request, page):
    """The page's Wagtail view restrictions (password, login, groups, also inherited) let this
    request see it."""
    return all(restriction.accept_request(request) for restriction in page.get_view_restrictions())


def can_download_attachment(request, attachment):
    """Anyone who may see the hearing page, for a published response shown on it; else its author
    or the secretariat."""
    user = request.user
    response = attachment.response
    hearing = response.hearing
    if (
        response.status == response.Status.PUBLISHED
        and hearing.live
        and hearing.responses_are_public
        and passes_view_restrictions(request, hearing)
    ):
        return True
    if user is not None and user.is_authenticated and response.user_id == user.pk:
        return True
    return can_moderate_hearing(user, hearing)
