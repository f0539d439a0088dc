"""A publication refused by the required-consultee rules inside one of Wagtail's own admin views.

The last approval in a council's approval workflow publishes the hearing (Wagtail's workflow calls
``revision.publish()``), so ``HearingPage.publish`` refuses it there, from inside Wagtail's workflow and
editor views, which have no place to say why. Wagtail runs the approval in one transaction, so the
refusal undoes it: the task stays »in progress« and nothing is published. This middleware turns the
refusal into what the approver needs instead of an error page: the reason, in Danish, on the hearing's
edit page, where they can add the party or the reason, or send the hearing back with a comment.
"""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .rules import RequiredConsulteesMissing


class RefusedPublicationMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, RequiredConsulteesMissing) or exception.hearing is None:
            return None
        messages.error(
            request,
            " ".join(
                [
                    *exception.messages,
                    _(
                        "Godkendelsen er ikke gennemført, og høringen afventer stadig godkendelse. Tilføj parten "
                        "eller begrundelsen og godkend igen, eller send høringen tilbage med en kommentar."
                    ),
                ]
            ),
        )
        edit_url = reverse("wagtailadmin_pages:edit", args=[exception.hearing.pk])
        if request.headers.get("x-requested-with") == "XMLHttpRequest":
            # The approval modal (»Godkend med kommentar«) follows a JSON answer, as Wagtail's own.
            return JsonResponse({"step": "success", "redirect": edit_url})
        return redirect(edit_url)
