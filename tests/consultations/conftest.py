import pytest

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
