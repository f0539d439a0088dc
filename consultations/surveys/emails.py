"""Survey emails: the personal link (self-service by email, panel invitation, reminder)."""

from django.conf import settings
from django.utils import timezone

from core.emails import Email, absolute_url
from core.translated_pages import in_language


class _LinkEmail(Email):
    """The link is derived from the row in the worker (core.emails: nothing personal waits in the queue)."""

    select_related = ("survey",)

    def should_send(self):
        return not self.object.answered and bool(self.object.email)

    def get_context(self):
        # The survey's title in the recipient's language where its translation is published.
        [survey] = in_language([self.object.survey.specific], self.get_language())
        return {
            "survey": survey,
            "name": self.object.name,
            # Opens the survey in the language the invitation is in (``?lang=``), also in a browser
            # that has never been on the site.
            "link": absolute_url(self.object.link_path, self.get_language()),
            "closes_at": timezone.localtime(survey.closes_at),
            "issuing_body": survey.issuing_body_name,
        }


class SurveyAccessEmail(_LinkEmail):
    template = "consultations/emails/survey_access"


class SurveyInvitationEmail(_LinkEmail):
    template = "consultations/emails/survey_invitation"


class SurveyReminderEmail(_LinkEmail):
    template = "consultations/emails/survey_reminder"


class SurveyResumeEmail(Email):
    """The link to saved, unfinished answers (consultations.surveys.drafts), to the address the
    respondent typed. Sent at once in the request with :meth:`Email.dispatch`, never through the
    task queue: the link opens the saved answers, so neither it nor the address may wait in the
    task table (as allauth's login codes, core.emails.send_rendered). The object is the survey."""

    template = "consultations/emails/survey_resume"

    def get_recipients(self):
        return [self.kwargs["email"]]

    def get_language(self):
        return self.kwargs.get("language") or settings.LANGUAGE_CODE

    def get_context(self):
        survey = self.object
        return {"survey": survey, "link": self.kwargs["link"], "closes_at": timezone.localtime(survey.closes_at)}
