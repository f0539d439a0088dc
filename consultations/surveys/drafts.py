"""Saved, unfinished answers (»Gem og fortsæt senere«): a table below the survey pages.

A respondent on a survey of more than one section may save their answers so far and get a resume
link. What is kept must not weaken the anonymity of the final answer
(``consultations.surveys.models``), so a draft is built to leave nothing to link:

* the link's token is random (``secrets``) and never stored: the row holds its SHA-256 hash
  (to find the draft) and the answers *sealed* with a key derived from the token and the
  server's secret key (``nacl.secret.SecretBox``). With SQL access, a draft is an opaque blob
  of a survey: no answer, invitation, user or email can be read from it;
* the row has a random id and no time, user, invitation, email, address or session column; who
  may continue (the invitation's token, the user's id) travels sealed inside it;
* nothing of the draft goes into the final answer: the submitted answers are stored as any others
  (a fresh row, batched for anonymous surveys), and the draft is deleted in a transaction of its
  own once they are; drafts of a survey that has closed are deleted (``delete_closed``);
* the email with the link, if the respondent asks for one, is sent at once in the request
  (``SurveyResumeEmail``), never through the task queue's table, and the address is not kept.
"""

import hashlib
import json
import secrets
import uuid

import nacl.exceptions
import nacl.secret
import nacl.utils
from django.db import models, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

TOKEN_BYTES = 24
MAX_SEALED = 400_000


def _hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def _box(token):
    key = salted_hmac("consultations.surveys.draft-key", token, algorithm="sha256").digest()
    return nacl.secret.SecretBox(key)


class SurveyDraft(models.Model):
    """One saved, unfinished set of answers. Only id, survey, the token's hash and a sealed blob."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey("consultations.SurveyPage", on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    sealed = models.BinaryField(editable=False)

    class Meta:
        verbose_name = _("gemt, ufærdigt svar")
        verbose_name_plural = _("gemte, ufærdige svar")

    def __str__(self):
        return str(self.id)


def save_draft(survey, answers, section, invite_token="", user_id=None, token=None):
    """Seal and keep ``answers`` (the section to go on from, who may continue); return the link's token.

    ``token``: the draft being continued (its link stays the same); a new one when missing or unknown.
    """
    payload = {"a": answers, "s": section, "t": invite_token or "", "u": user_id}
    if token and not SurveyDraft.objects.filter(survey=survey, token_hash=_hash(token)).exists():
        token = None
    token = token or secrets.token_urlsafe(TOKEN_BYTES)
    sealed = bytes(_box(token).encrypt(json.dumps(payload, ensure_ascii=False).encode()))
    with transaction.atomic():
        updated = SurveyDraft.objects.filter(survey=survey, token_hash=_hash(token)).update(sealed=sealed)
        if not updated:
            SurveyDraft.objects.create(survey=survey, token_hash=_hash(token), sealed=sealed)
    return token


def load_draft(survey, token):
    """The draft's payload ({"a": answers, "s": section, "t": invitation token, "u": user id}) or None."""
    if not token or len(token) > 100:
        return None
    draft = SurveyDraft.objects.filter(survey=survey, token_hash=_hash(token)).first()
    if draft is None or len(draft.sealed) > MAX_SEALED:
        return None
    try:
        payload = json.loads(_box(token).decrypt(bytes(draft.sealed)))
    except (nacl.exceptions.CryptoError, ValueError):
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("a"), dict):
        return None
    return payload


def delete_draft(survey, token):
    """Delete the draft of this link (after the answers were stored, or when it can no longer be used)."""
    if not token or len(token) > 100:
        return 0
    with transaction.atomic():
        deleted, _rows = SurveyDraft.objects.filter(survey=survey, token_hash=_hash(token)).delete()
    return deleted


def delete_closed(now=None):
    """Delete every draft of a survey that has closed (by its deadline or closed early). Returns the count."""
    now = now or timezone.now()
    closed = models.Q(survey__closed_at__isnull=False) | models.Q(survey__closes_at__lte=now)
    deleted, _rows = SurveyDraft.objects.filter(closed).delete()
    return deleted


def delete_for_survey(survey):
    deleted, _rows = SurveyDraft.objects.filter(survey=survey).delete()
    return deleted
