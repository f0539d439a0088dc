"""Areas a hearing or survey concerns: the whole municipality or one of its districts (bydele).

A module of its own, below the models, so hearings, surveys and forms share one list without importing
each other.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

WHOLE_MUNICIPALITY = "whole_municipality"

# Copenhagen's twelve districts (bydele). Another municipality sets MEDBORGER_DISTRICTS in
# its settings to a list of (code, name) pairs.
COPENHAGEN_DISTRICTS = [
    ("amager-vest", "Amager Vest"),
    ("amager-oest", "Amager Øst"),
    ("bispebjerg", "Bispebjerg"),
    ("broenshoej-husum", "Brønshøj-Husum"),
    ("christianshavn", "Christianshavn"),
    ("indre-by", "Indre By"),
    ("kongens-enghave", "Kongens Enghave"),
    ("noerrebro", "Nørrebro"),
    ("valby", "Valby"),
    ("vanloese", "Vanløse"),
    ("vesterbro", "Vesterbro"),
    ("oesterbro", "Østerbro"),
]


def district_choices():
    """The municipality's districts as (code, name) pairs."""
    return list(settings.MEDBORGER_DISTRICTS or COPENHAGEN_DISTRICTS)


def area_choices():
    """A hearing concerns the whole municipality or one district."""
    return [(WHOLE_MUNICIPALITY, _("Hele kommunen")), *district_choices()]


def district_name(code):
    return dict(area_choices()).get(code, "")
