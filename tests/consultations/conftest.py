import pytest

from tests.consultations.drafts import traffic_draft
from tests.consultations.factories import HearingFactory, HearingIndexPageFactory


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Attachments go to a temporary private folder per test."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def hearing_index(home_page):
    return HearingIndexPageFactory(parent=home_page)


@pytest.fixture
def hearing(hearing_index):
    return HearingFactory(parent=hearing_index, title="Beskæftigelsesplan 2027", slug="beskaeftigelsesplan-2027")


@pytest.fixture
def sectioned(hearing_index):
    """A published hearing whose draft is the traffic plan in chapters and numbered sections."""
    hearing = HearingFactory(
        parent=hearing_index, title="Trafikplan for Valby", slug="trafikplan", draft=traffic_draft()
    )
    hearing.save_revision().publish()
    hearing.refresh_from_db()
    return hearing
