"""Public forms: responding to a hearing and subscribing to new hearings."""

import re
import uuid

from django import forms
from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from core.formfields import RowChoiceField, RowMultipleChoiceField
from core.text import PostcodeField, SingleLineField
from councils.models import CouncilPage, PartyKind

from .areas import area_choices, district_choices
from .campaigns import signature
from .choices import PublicationRule
from .digests import Frequency
from .responses import Response, ResponseAttachment
from .sections import SECTION_COMMENT_MAX_LENGTH, SectionComment, draft_sections
from .subscriptions import Subscription
from .uploads import sniff
from .widget_html import WidgetRenderer

TEXT_MAX_LENGTH = 20_000
SUBMISSION_KEY = re.compile(r"^[0-9a-f]{32}$")
PERSON = PartyKind.PERSON.value
ORGANISATION = "organisation"


def text_help():
    """The response field's help, in the reader's language (formatted when shown, not at import)."""
    return gettext(
        "Skriv ikke din adresse, dit CPR-nummer eller følsomme oplysninger, fx om helbred, politisk eller "
        "religiøs overbevisning. Højst %(max)s tegn."
    ) % {"max": number_format(TEXT_MAX_LENGTH, force_grouping=True)}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that takes several files; ``clean`` returns a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(f, initial) for f in files if f]


def _attachments_help_text():
    return _("Op til %(count)s filer i formaterne PDF, DOCX, ODT, PNG eller JPEG, højst %(size)s pr. fil.") % {
        "count": settings.HEARING_ATTACHMENT_MAX_COUNT,
        "size": filesizeformat(settings.HEARING_ATTACHMENT_MAX_BYTES),
    }


# Read the limits (and the language) when the hint is shown, not at import.
attachments_help_text = lazy(_attachments_help_text, str)


class AttachmentsField(MultipleFileField):
    """Up to HEARING_ATTACHMENT_MAX_COUNT files, each within HEARING_ATTACHMENT_MAX_BYTES and of an
    allowed type by its content. Used by the public response form and by the secretariat's form for a
    response entered by hand, so both check files the same way. ``clean`` sets ``sniffed_type`` on
    each upload; ``store_attachments`` saves them."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Bilag"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", attachments_help_text())
        super().__init__(*args, **kwargs)
        self.widget.attrs["accept"] = ".pdf,.docx,.odt,.png,.jpg,.jpeg"

    def clean(self, data, initial=None):
        files = super().clean(data, initial)
        max_count = settings.HEARING_ATTACHMENT_MAX_COUNT
        max_bytes = settings.HEARING_ATTACHMENT_MAX_BYTES
        if len(files) > max_count:
            raise forms.ValidationError(
                _("Du kan højst vedhæfte %(max)s filer. Du valgte %(count)s.") % {"max": max_count, "count": len(files)}
            )
        errors = []
        for upload in files:
            if upload.size > max_bytes:
                errors.append(
                    _("Filen »%(name)s« er for stor (%(size)s). Den må højst være %(max)s.")
                    % {"name": upload.name, "size": filesizeformat(upload.size), "max": filesizeformat(max_bytes)}
                )
                continue
            content_type = sniff(upload)
            if content_type is None:
                errors.append(
                    _("Filen »%(name)s« er ikke en PDF-, DOCX-, ODT-, PNG- eller JPEG-fil.") % {"name": upload.name}
                )
                continue
            upload.sniffed_type = content_type
        if errors:
            raise forms.ValidationError(errors)
        return files


def store_attachments(response, files):
    """Save files cleaned by ``AttachmentsField`` to the private storage, attached to ``response``.

    Call inside the transaction that saves the response."""
    for upload in files or []:
        ResponseAttachment.objects.create(
            response=response,
            file=upload,
            original_name=upload.name[:255],
            content_type=upload.sniffed_type,
            size=upload.size,
        )


def citizen_email_field(**kwargs):
    """The citizen's own e-mail address (a response, a subscription), with the same Danish messages."""
    return forms.EmailField(
        label=_("E-mail"),
        error_messages={
            "required": _("Skriv din e-mailadresse."),
            "invalid": _("Skriv en gyldig e-mailadresse, fx navn@example.dk."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        **kwargs,
    )


class ResponseForm(forms.Form):
    """A hearing response. ``save()`` stores it with its attachments in one transaction.

    »Jeg udtaler mig som« is asked in two steps: ``respondent`` (a private person or on behalf of an
    organisation) and, for organisations, ``kind`` with the name or the party from the hearing list.
    ``cleaned_data["kind"]`` is the response's kind either way (privatperson for a person).
    """

    ORGANISATION_FIELDS = ("kind", "organisation_name", "party")
    # The widgets in Python, not one template per widget and option (consultations.widget_html).
    default_renderer = WidgetRenderer()

    name = SingleLineField(
        label=_("Navn"),
        max_length=200,
        error_messages={"required": _("Skriv dit navn.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = citizen_email_field(
        help_text=_("Vi sender et link, som du skal bruge til at bekræfte dit svar. E-mailadressen vises aldrig.")
    )
    postcode = PostcodeField(
        label=_("Postnummer"),
        error_messages={"required": _("Skriv dit postnummer.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "postal-code", "inputmode": "numeric", "class": "input-width-xs"}
        ),
    )
    district = forms.ChoiceField(
        label=_("Bydel"), required=False, error_messages={"invalid_choice": _("Vælg en bydel fra listen.")}
    )
    respondent = forms.ChoiceField(
        label=_("Jeg udtaler mig som"),
        choices=[(PERSON, _("Privatperson")), (ORGANISATION, _("På vegne af en organisation"))],
        initial=PERSON,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Vælg, hvem du udtaler dig som."),
            "invalid_choice": _("Vælg en af mulighederne."),
        },
    )
    # Only for organisations. The template shows these fields under »På vegne af en organisation«
    # (folded away by DKFDS' radio toggle when JavaScript runs, always shown without it).
    kind = forms.ChoiceField(
        label=_("Hvilken slags organisation?"),
        choices=[(value, label) for value, label in PartyKind.choices if value != PartyKind.PERSON],
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Vælg en af mulighederne.")},
    )
    organisation_name = SingleLineField(
        label=_("Organisationens navn"),
        max_length=200,
        required=False,
        help_text=_("Udfyldes, hvis du svarer på vegne af en virksomhed, forening, et råd eller en myndighed."),
    )
    party = RowChoiceField(
        label=_("Eller vælg organisationen fra høringslisten"),
        queryset=None,
        required=False,
        empty_label=_("Ikke på listen"),
        error_messages={"invalid_choice": _("Vælg en organisation fra listen.")},
    )
    text = forms.CharField(
        label=_("Dit høringssvar"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=lazy(text_help, str)(),
        error_messages={
            "required": _("Skriv dit høringssvar."),
            "max_length": _("Høringssvaret må højst være på %(limit_value)s tegn. Det er nu på %(show_value)s tegn."),
        },
    )
    attachments = AttachmentsField()
    consent = forms.BooleanField(
        label=_("Jeg giver samtykke til, at mit svar offentliggøres med navn, bydel og bilag."),
        error_messages={"required": _("Du skal give samtykke til offentliggørelse for at sende dit svar.")},
    )
    website = forms.CharField(label=_("Lad dette felt være tomt"), required=False)
    submission_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, hearing, selected_sections=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.hearing = hearing
        self.sections = draft_sections(hearing.draft)
        self._add_section_fields(set(selected_sections))
        self.fields["district"].choices = [("", _("Vælg bydel (valgfrit)")), *district_choices()]
        parties = hearing.hearing_parties()
        self.fields["party"].queryset = parties
        if not parties.exists():
            del self.fields["party"]
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        if hearing.publication_rule == PublicationRule.NOT_PUBLISHED:
            self.fields["consent"].required = False
            self.fields["consent"].label = _("Jeg er indforstået med, at kommunen behandler mit svar.")
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4().hex)

    SECTION_PREFIX = "afsnit_"

    def _add_section_fields(self, selected):
        """One optional comment field per section of the draft; ``section_fields`` pairs them with their section.

        A section's field is shown when it was preselected (the »Kommentér afsnit« link), holds
        text or has an error; the others stay hidden until the page script or a link opens them.
        """
        self.section_fields = []
        for section in self.sections:
            name = self.SECTION_PREFIX + section.id
            self.fields[name] = forms.CharField(
                label=_("Din kommentar til afsnit %(title)s") % {"title": section.title},
                required=False,
                max_length=SECTION_COMMENT_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 5}),
                error_messages={
                    "max_length": _(
                        "Kommentaren må højst være på %(limit_value)s tegn. Den er nu på %(show_value)s tegn."
                    )
                },
            )
        if self.sections:
            self.fields["text"].required = False
            self.fields["text"].label = _("Generelle bemærkninger til høringen")
        self._selected_sections = selected

    def section_rows(self):
        """(section, bound field, shown) for the template, in the draft's order."""
        rows = []
        for section in self.sections:
            bound = self[self.SECTION_PREFIX + section.id]
            value = (bound.value() or "").strip() if self.is_bound else ""
            shown = section.id in self._selected_sections or bool(value) or bool(bound.errors)
            rows.append((section, bound, shown))
        return rows

    def section_comments(self):
        """(section, text) for every section the respondent wrote a comment on."""
        comments = []
        for section in self.sections:
            text = (self.cleaned_data.get(self.SECTION_PREFIX + section.id) or "").strip()
            if text:
                comments.append((section, text))
        return comments

    @property
    def is_spam(self):
        """The honeypot was filled in: drop the submission silently."""
        return bool(self.data.get("website", "").strip())

    @property
    def has_uploaded_files(self):
        return bool(self.files and any(f for f in self.files.getlist("attachments")))

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_submission_key(self):
        key = self.cleaned_data.get("submission_key", "")
        if not SUBMISSION_KEY.match(key):
            # A missing or tampered key: start a new one; the form is shown again.
            self.data = self.data.copy()
            self.data["submission_key"] = uuid.uuid4().hex
            raise forms.ValidationError(_("Formularen var udløbet. Tjek dine oplysninger og send igen."))
        return key

    def clean(self):
        cleaned = super().clean()
        if (
            self.sections
            and not (cleaned.get("text") or "").strip()
            and "text" not in self.errors
            and not self.section_comments()
            and not any(self.SECTION_PREFIX + s.id in self.errors for s in self.sections)
        ):
            self.add_error("text", _("Skriv dine bemærkninger, eller kommentér mindst ét afsnit af udkastet."))
        respondent = cleaned.get("respondent")
        if respondent == PERSON:
            # The organisation fields are ignored (and hidden when JavaScript runs): no errors there.
            for name in self.ORGANISATION_FIELDS:
                self.errors.pop(name, None)
            cleaned.update(kind=PartyKind.PERSON, organisation_name="", party=None)
        elif respondent == ORGANISATION:
            party = cleaned.get("party")
            if party:
                cleaned["organisation_name"] = party.name
            elif not cleaned.get("organisation_name", "").strip() and "organisation_name" not in self.errors:
                self.add_error(
                    "organisation_name",
                    _("Skriv navnet på den organisation, du svarer på vegne af, eller vælg den fra listen."),
                )
            if not cleaned.get("kind") and "kind" not in self.errors:
                if party and party.kind != PartyKind.PERSON:
                    cleaned["kind"] = party.kind  # the hearing list says what kind of party it is
                else:
                    self.add_error("kind", _("Vælg, hvilken slags organisation du svarer på vegne af."))
        return cleaned

    def save(self, user=None, mitid_level=""):
        """Store the response and its attachments in one transaction.

        Returns (response, created). A resubmitted form (same submission key) returns the
        response stored the first time, with created=False. ``mitid_level`` is the level of the
        submitter's MitID login in this session (users.mitid.session_level), "" without one.
        """
        data = self.cleaned_data
        existing = Response.objects.filter(submission_key=data["submission_key"]).first()
        if existing:
            return existing, False
        verified_user = (
            user
            if user is not None
            and user.is_authenticated
            and user.email.lower() == data["email"]
            and user.has_verified_email
            else None
        )
        response = Response(
            hearing=self.hearing,
            name=data["name"].strip(),
            email=data["email"],
            postcode=data["postcode"],
            district=data.get("district", ""),
            kind=data["kind"],
            organisation_name=data.get("organisation_name", "").strip(),
            party=data.get("party"),
            text=(data.get("text") or "").strip(),
            consent=bool(data.get("consent")),
            submission_key=data["submission_key"],
            user=user if user is not None and user.is_authenticated else None,
            language=get_language() or settings.LANGUAGE_CODE,
            mitid_level=mitid_level if user is not None and user.is_authenticated else "",
        )
        comments = self.section_comments()
        response.text_signature = signature(
            "\n".join([response.text, *(f"{section.number} {text}" for section, text in comments)])
        )
        if verified_user:
            response.status = Response.Status.RECEIVED
            response.confirmed_at = timezone.now()
        try:
            with transaction.atomic():
                response.save()
                SectionComment.objects.bulk_create(
                    SectionComment(
                        response=response,
                        section_id=section.id,
                        number=section.number,
                        heading=section.heading,
                        text=text,
                    )
                    for section, text in comments
                )
                store_attachments(response, data.get("attachments"))
        except IntegrityError:
            existing = Response.objects.filter(submission_key=data["submission_key"]).first()
            if existing:
                return existing, False
            raise
        return response, True


class SubscriptionForm(forms.Form):
    """Subscribe to new hearings; empty filters mean every new hearing."""

    email = citizen_email_field()
    topics = RowMultipleChoiceField(
        label=_("Emner"),
        queryset=Tag.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Vælg ingen for at få besked om alle emner."),
    )
    area = forms.ChoiceField(label=_("Område"), required=False)
    councils = RowMultipleChoiceField(
        label=_("Råd og udvalg"),
        queryset=CouncilPage.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Vælg ingen for at få besked om høringer fra alle."),
    )
    frequency = forms.ChoiceField(
        label=_("Hvor ofte vil du have besked?"),
        choices=Frequency.choices,
        initial=Frequency.IMMEDIATE,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Vælg, hvor ofte du vil have besked."),
            "invalid_choice": _("Vælg en af mulighederne."),
        },
    )
    website = forms.CharField(label=_("Lad dette felt være tomt"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = (
            Tag.objects.filter(consultations_hearingpagetag_items__isnull=False).distinct().order_by("name")
        )
        self.fields["area"].choices = [("", _("Alle områder")), *area_choices()]
        self.fields["councils"].queryset = CouncilPage.objects.live().public().order_by("title")
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    @property
    def is_spam(self):
        return bool(self.data.get("website", "").strip())

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def save(self, user=None):
        data = self.cleaned_data
        with transaction.atomic():
            subscription = Subscription.objects.create(
                email=data["email"],
                area=data.get("area", ""),
                frequency=data.get("frequency") or Frequency.IMMEDIATE,
                user=user if user is not None and user.is_authenticated else None,
                language=get_language() or settings.LANGUAGE_CODE,
            )
            subscription.topics.set(data.get("topics") or [])
            subscription.councils.set(data.get("councils") or [])
            if (
                user is not None
                and user.is_authenticated
                and user.email.lower() == data["email"]
                and user.has_verified_email
            ):
                subscription.confirm()
        return subscription
