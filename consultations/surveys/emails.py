"""Survey emails: the personal link (self-service by email, panel invitation, reminder)."""

from django.utils import timezone

from core.emails import Email, absolute_url


class _LinkEmail(Email):
    """The link is derived from the row in the worker (core.emails: nothing personal waits in the queue)."""

    @classmethod
    def get_object(cls, model, pk):
        return model._default_manager.select_related("survey").filter(pk=pk).first()

    def should_send(self):
        return not self.object.answered and bool(self.object.email)

    def get_context(self):
        survey = self.object.survey.specific
        return {
            "survey": survey,
            "name": self.object.name,
            "link": absolute_url(self.object.link_path),
            "closes_at": timezone.localtime(survey.closes_at),
            "issuing_body": survey.issuing_body_name,
        }


class SurveyAccessEmail(_LinkEmail):
    template = "consultations/emails/survey_access"


class SurveyInvitationEmail(_LinkEmail):
    template = "consultations/emails/survey_invitation"


class SurveyReminderEmail(_LinkEmail):
    template = "consultations/emails/survey_reminder"
