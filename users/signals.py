"""A completed MitID login (or MitID connected to an account) marks the session (users/mitid.py)."""

from allauth.account.signals import user_logged_in
from allauth.socialaccount.signals import social_account_added
from django.dispatch import receiver

from . import mitid


@receiver(user_logged_in, dispatch_uid="users.mitid_login")
def mitid_logged_in(sender, request, user, sociallogin=None, **kwargs):
    if sociallogin is not None:
        mitid.remember_login(request, user, sociallogin)


@receiver(social_account_added, dispatch_uid="users.mitid_connected")
def mitid_connected(sender, request, sociallogin, **kwargs):
    mitid.remember_login(request, sociallogin.user, sociallogin)
