"""Forms: public nomination and voting, and the secretariat's roll, letters and decisions."""

import filetype
from django import forms
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import images
from core import languages as site_languages
from core.dates import DATE_INPUT_FORMATS, TypedDateField
from core.formfields import RowChoiceField
from core.tabular import too_big_message
from core.text import SingleLineField, has_other_digits

from . import crypto, roll
from .emails import NominationReceivedEmail
from .models import Candidate, Voter

MAX_PHOTO_BYTES = 5 * 1024 * 1024


# --- Voting ------------------------------------------------------------------------------


class PollCardForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Kode fra dit valgkort"),
        help_text=gettext_lazy("Koden står på dit valgkort, fx ABCD-EFGH-JKLM."),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )
    birth_date = TypedDateField(
        label=gettext_lazy("Din fødselsdato"),
        help_text=gettext_lazy("Skriv dag-måned-år, fx 24-12-1990."),
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.TextInput(attrs={"autocomplete": "bday"}),
        error_messages={"invalid": gettext_lazy("Skriv datoen som dag-måned-år, fx 24-12-1990.")},
    )


class TrusteeForm(forms.Form):
    """The secretariat appoints a trustee: who they are and the email they log in with."""

    name = SingleLineField(label=gettext_lazy("Navn"), max_length=200)
    email = forms.EmailField(
        label=gettext_lazy("E-mailadresse"),
        help_text=gettext_lazy("Valgtillidspersonen logger ind med denne adresse."),
    )


# --- Nomination -------------------------------------------------------------------------


def email_language(language=None):
    """One of settings.LANGUAGES for the candidate's emails: the given (or active) language, else Danish."""
    supported = [code for code, _name in settings.LANGUAGES]
    language = (language or translation.get_language() or "").lower()
    if language in supported:
        return language
    base = language.split("-")[0]
    return base if base in supported else settings.LANGUAGE_CODE


class NominationForm(forms.Form):
    name = SingleLineField(label=gettext_lazy("Dit navn"), max_length=200)
    email = forms.EmailField(
        label=gettext_lazy("Din e-mailadresse"),
        help_text=gettext_lazy("Sekretariatet skriver til dig om din anmeldelse. Adressen vises ikke."),
        error_messages={"invalid": gettext_lazy("Skriv en gyldig e-mailadresse, fx navn@example.dk.")},
    )
    personal_number = forms.CharField(
        label=gettext_lazy("Dit personnummer"),
        help_text=gettext_lazy(
            "Bruges kun til at se, at du står på valglisten. Det gemmes ikke, og det bliver ikke vist."
        ),
        max_length=20,
        error_messages={"max_length": gettext_lazy("Skriv personnummeret med 10 cifre, fx 010190-1234.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    group = RowChoiceField(queryset=None, label=gettext_lazy("Gruppe du stiller op i"), required=False)
    statement = forms.CharField(
        label=gettext_lazy("Kort om dig og hvad du vil arbejde for"),
        max_length=1500,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("Højst 1.500 tegn. Teksten vises på stemmesedlen."),
    )
    languages = SingleLineField(
        label=gettext_lazy("Sprog du taler"),
        max_length=255,
        required=False,
        help_text=gettext_lazy("Fx dansk, arabisk, engelsk."),
    )
    photo = forms.FileField(
        label=gettext_lazy("Foto af dig"),
        required=False,
        help_text=gettext_lazy("JPEG, PNG eller WebP, højst 5 MB. Vises på stemmesedlen."),
    )
    consent = forms.BooleanField(
        label=gettext_lazy("Jeg bekræfter, at oplysningerne er rigtige."),
        error_messages={"required": gettext_lazy("Du skal bekræfte oplysningerne.")},
    )

    def __init__(self, *args, election, **kwargs):
        super().__init__(*args, **kwargs)
        self.election = election
        groups = election.groups.all()
        if groups:
            self.fields["group"].queryset = groups
            self.fields["group"].required = True
            self.fields["group"].empty_label = _("Vælg gruppe")
        else:
            del self.fields["group"]

    def _on_roll(self, keys):
        """{voter_key: group_id} for those of the given keys that are on the roll (one query)."""
        return dict(
            Voter.objects.filter(election=self.election, voter_key__in=set(keys)).values_list("voter_key", "group_id")
        )

    def clean_photo(self):
        """The photo as a new image (core.images): decoded, without EXIF/GPS or anything but the pixels."""
        photo = self.cleaned_data.get("photo")
        if not photo:
            return photo
        try:
            return images.reencode(photo, max_bytes=MAX_PHOTO_BYTES, name="kandidat")
        except images.ImageRefused as refused:
            millions = (refused.max_pixels or 0) / 1_000_000
            if refused.reason == "too_big":
                raise forms.ValidationError(_("Billedet er for stort. Det må højst fylde 5 MB.")) from refused
            if refused.reason == "too_many_pixels":
                raise forms.ValidationError(
                    _(
                        "Billedet har for mange pixels. Som %(format)s må det højst have %(max)s millioner pixels. "
                        "Gem det i en mindre størrelse, og prøv igen."
                    )
                    % {
                        "format": refused.kind,
                        "max": number_format(int(millions) if millions.is_integer() else millions),
                    }
                ) from refused
            raise forms.ValidationError(_("Filen er ikke et billede i JPEG, PNG eller WebP.")) from refused

    def clean_personal_number(self):
        if has_other_digits(self.cleaned_data["personal_number"]):
            raise forms.ValidationError(_("Skriv personnummeret med cifrene 0-9, fx 010190-1234."))
        digits = crypto.normalise_personal_number(self.cleaned_data["personal_number"])
        if digits is None:
            raise forms.ValidationError(_("Skriv personnummeret med 10 cifre, fx 010190-1234."))
        key = crypto.voter_key(digits)
        roll = self._on_roll([key])
        if key not in roll:
            raise forms.ValidationError(
                _("Du står ikke på valglisten, så du kan ikke stille op. Kontakt sekretariatet, hvis det er en fejl.")
            )
        if Candidate.objects.filter(election=self.election, voter_key=key).exists():
            raise forms.ValidationError(_("Du har allerede anmeldt dig som kandidat ved dette valg."))
        self.candidate_group_id = roll[key]
        return key

    def clean(self):
        cleaned = super().clean()
        key = cleaned.get("personal_number")
        group = cleaned.get("group")
        if (
            group
            and key
            and self.election.group_voting_restricted
            and getattr(self, "candidate_group_id", None)
            and self.candidate_group_id != group.pk
        ):
            self.add_error("group", _("Du kan kun stille op i den gruppe, du står i på valglisten."))
        return cleaned

    def save(self, language=None):
        """Store the nomination; the candidate gets a receipt in ``language`` (the UI language) after commit."""
        data = self.cleaned_data
        try:
            with transaction.atomic():
                candidate = Candidate(
                    election=self.election,
                    group=data.get("group"),
                    name=data["name"],
                    email=data["email"],
                    statement=data["statement"],
                    languages=data.get("languages", ""),
                    voter_key=data["personal_number"],
                    language=email_language(language),
                )
                if data.get("photo"):
                    candidate.photo = data["photo"]
                candidate.save()
                self.election.log(
                    "nomination.submit",
                    None,
                    _("Kandidatanmeldelse modtaget: %(name)s") % {"name": candidate.name},
                )
                NominationReceivedEmail.send(candidate)
        except IntegrityError:
            self.add_error("personal_number", _("Du har allerede anmeldt dig som kandidat ved dette valg."))
            return None
        return candidate


# --- Secretariat ------------------------------------------------------------------------


def check_csv_upload(upload):
    if upload.size > roll.MAX_BYTES:
        raise forms.ValidationError(too_big_message(roll.MAX_BYTES))
    head = upload.read(2048)
    upload.seek(0)
    if filetype.guess(head) is not None or b"\x00" in head:
        raise forms.ValidationError(_("Filen skal være en CSV-fil (tekst), ikke et regneark eller en PDF."))
    return upload


class RollImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Valgliste (CSV-fil)"),
        help_text=gettext_lazy(
            "Kolonner: personnummer, navn, fødselsdato, adresse, valgsted (og evt. gruppe). "
            "Første linje er overskrifter. Adskil med semikolon eller komma."
        ),
    )

    def clean_file(self):
        return check_csv_upload(self.cleaned_data["file"])


class LettersForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Valgliste (CSV-fil) med adresser"),
        help_text=gettext_lazy(
            "Samme fil som ved importen (eller et udsnit af den). Adresser og koder gemmes ikke; "
            "hver vælger i filen får en ny kode, og tidligere koder holder op med at virke."
        ),
    )
    output = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=[("csv", gettext_lazy("CSV til trykkeri")), ("pdf", gettext_lazy("PDF med breve"))],
        widget=forms.RadioSelect,
        initial="csv",
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Sprog"),
        choices=site_languages.settings_languages(),
        help_text=gettext_lazy("For vælgere, hvis linje i filen ikke har et sprog (kolonnen »sprog«)."),
        widget=forms.RadioSelect,
        initial="da",
    )

    def clean_file(self):
        return check_csv_upload(self.cleaned_data["file"])


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Begrundelse for afvisning"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
    )


class AppointForm(forms.Form):
    start_date = TypedDateField(label=gettext_lazy("Valgperioden starter"), input_formats=DATE_INPUT_FORMATS)
    end_date = TypedDateField(
        label=gettext_lazy("Valgperioden slutter"), input_formats=DATE_INPUT_FORMATS, required=False
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start_date") and cleaned.get("end_date") and cleaned["end_date"] < cleaned["start_date"]:
            self.add_error("end_date", _("Valgperioden skal slutte efter den starter."))
        return cleaned
