"""Who may see what of a hearing's responses. One function per action."""

from core.permissions import can_edit_page


def can_moderate_hearing(user, hearing):
    """Whoever may edit the hearing page may read and moderate its responses; nobody else."""
    return can_edit_page(user, hearing)


def can_download_attachment(user, attachment):
    """Anyone, for a published response shown on the page; else its author or the secretariat."""
    response = attachment.response
    hearing = response.hearing
    if response.status == response.Status.PUBLISHED and hearing.live and hearing.responses_are_public:
        return True
    if user is not None and user.is_authenticated and response.user_id == user.pk:
        return True
    return can_moderate_hearing(user, hearing)
