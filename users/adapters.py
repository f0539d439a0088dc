from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site


class AccountAdapter(DefaultAccountAdapter):
    """Account emails greet from the platform's name, not from the bare host name."""

    def send_mail(self, template_prefix, email, context):
        site = get_current_site(allauth_context.request)
        site.name = settings.WAGTAIL_SITE_NAME
        context = {"current_site": site, **context}
        super().send_mail(template_prefix, email, context)
