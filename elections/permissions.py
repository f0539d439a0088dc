"""Who may run an election: whoever may edit its page (the council's secretariat), and superusers.

Permissions follow the page tree, so a secretariat group with page permissions on its
council's subtree manages that council's elections and nobody else's. The elections a user may
manage are ``core.permissions.editable_pages(user, ElectionPage)``. Every check the elections
views, admin views and hooks use is here (the poll book's officer checks: ``elections.pollbook``).
"""

from core.permissions import signed_in


def can_manage_election(user, election):
    """Import and freeze the roll, decide nominations, run the lifecycle, see the audit log."""
    return signed_in(user) and election.permissions_for_user(user).can_edit()


def can_publish_election(user, election):
    """Publish results and record the appointment: needs publish permission on the page too."""
    return signed_in(user) and election.permissions_for_user(user).can_publish()
