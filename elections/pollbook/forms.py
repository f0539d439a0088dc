"""Forms of the poll book (valgbog): look a voter up, enter and confirm the paper count."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.dates import DATE_INPUT_FORMATS, TypedDateField

from .. import crypto

CARD_NUMBER_MAX_DIGITS = 9
MAX_VOTES = 1_000_000


class CardLookupForm(forms.Form):
    """Find a voter by the number on the poll card (or the secret code printed on it)."""

    card = forms.CharField(
        label=_("Valgkortnummer"),
        max_length=40,
        help_text=_("Nummeret på vælgerens valgkort. Du kan også skrive koden fra valgkortet."),
        error_messages={"required": _("Skriv nummeret fra valgkortet.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_card(self):
        value = self.cleaned_data["card"].strip()
        if not crypto.normalise_code(value):
            raise forms.ValidationError(_("Skriv valgkortets nummer med tal, fx 1024."))
        return value

    @property
    def card_number(self):
        """The card number when the officer typed digits only, else None (then it is a poll-card code)."""
        value = crypto.normalise_code(self.cleaned_data.get("card"))
        if value.isdigit() and len(value) <= CARD_NUMBER_MAX_DIGITS:
            return int(value)
        return None


class NameLookupForm(forms.Form):
    """Find a voter without a poll card by name (or part of it) and birth date."""

    name = forms.CharField(
        label=_("Navn"),
        max_length=200,
        help_text=_("Hele navnet eller en del af det."),
        error_messages={"required": _("Skriv vælgerens navn.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    birth_date = TypedDateField(
        label=_("Fødselsdato"),
        input_formats=DATE_INPUT_FORMATS,
        help_text=_("Skriv dag-måned-år, fx 31-12-1990."),
        error_messages={
            "required": _("Skriv vælgerens fødselsdato."),
            "invalid": _("Skriv fødselsdatoen som dag-måned-år, fx 31-12-1990."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean_name(self):
        value = self.cleaned_data["name"].strip()
        if not value:
            raise forms.ValidationError(_("Skriv vælgerens navn."))
        return value


def _count_field(label):
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=MAX_VOTES,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "class": "input-width-xs"}),
        error_messages={
            "required": _("Skriv antallet – skriv 0, hvis der ikke er nogen."),
            "invalid": _("Skriv et helt tal, fx 12."),
            "min_value": _("Antallet kan ikke være negativt."),
            "max_value": _("Tallet er for stort."),
        },
    )


class PaperCountForm(forms.Form):
    """One number per approved candidate, plus blank and invalid ballots and an optional note."""

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = list(candidates)
        for candidate in self.candidates:
            self.fields[self.field_name(candidate)] = _count_field(candidate.name)
        self.fields["invalid_votes"] = _count_field(_("Blanke og ugyldige stemmesedler"))
        self.fields["note"] = forms.CharField(
            label=_("Forklaring"),
            required=False,
            max_length=2000,
            help_text=_("Skal udfyldes, hvis antallet af stemmesedler ikke svarer til antallet af tjekket ind."),
            widget=forms.Textarea(attrs={"rows": 3}),
        )

    @staticmethod
    def field_name(candidate):
        return f"candidate_{candidate.pk}"

    def candidate_groups(self):
        """[(group name or "", [bound fields])] in ballot order, for fieldsets per seat group."""
        groups = []
        for candidate in self.candidates:
            name = candidate.group.name if candidate.group_id else ""
            if not groups or groups[-1][0] != name:
                groups.append((name, []))
            groups[-1][1].append(self[self.field_name(candidate)])
        return groups

    def votes(self):
        """{candidate id: votes} from the cleaned data."""
        return {c.pk: self.cleaned_data[self.field_name(c)] for c in self.candidates}


class ConfirmCountForm(forms.Form):
    """The second officer confirms; a mismatch with the check-ins needs a note."""

    fingerprint = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Forklaring på uoverensstemmelse"),
        required=False,
        max_length=2000,
        help_text=_("Skal udfyldes, hvis antallet af stemmesedler ikke svarer til antallet af tjekket ind."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


ALL_PLACES = "alle"


class PlaceChoiceForm(forms.Form):
    """Base for choosing where an officer serves: one of the election's polling places, or all of them.

    There is no default: the secretariat must pick a place or »Alle valgsteder« on purpose.
    """

    place_label = _("Valgsted")
    place_help = None

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.places = {str(place.pk): place for place in places}
        self.fields["place"] = forms.ChoiceField(
            label=self.place_label,
            help_text=self.place_help,
            choices=[
                ("", _("Vælg valgsted")),
                *((pk, place.name) for pk, place in self.places.items()),
                (ALL_PLACES, _("Alle valgsteder (koordinator)")),
            ],
            error_messages={
                "required": _(
                    "Vælg det valgsted, valgstyreren skal arbejde på, eller »Alle valgsteder« for en koordinator."
                ),
                "invalid_choice": _("Vælg et af valgstederne på listen."),
            },
        )

    @property
    def polling_place(self):
        """The chosen PollingPlace, or None for all places (a coordinator)."""
        value = self.cleaned_data["place"]
        return None if value == ALL_PLACES else self.places[value]


class AddOfficerForm(PlaceChoiceForm):
    """The secretariat adds an officer by the e-mail address of their (existing) account, and their place."""

    place_help = _(
        "Valgstyreren kan kun bruge valgbogen på dette valgsted. "
        "Vælg »Alle valgsteder« for en koordinator, der skal kunne hjælpe på alle valgsteder."
    )

    email = forms.EmailField(
        label=_("E-mail på valgstyrerens konto"),
        help_text=_("Valgstyreren skal først oprette en konto på sitet med denne e-mail."),
        error_messages={
            "required": _("Skriv valgstyrerens e-mail."),
            "invalid": _("Skriv en gyldig e-mail, fx navn@kommune.dk."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )


class ChangePlaceForm(PlaceChoiceForm):
    """The secretariat moves an officer to another polling place (or makes them a coordinator)."""

    place_label = _("Nyt valgsted")
