"""Factories for the consultations tests (reusable by every consultations test module).

hearing = HearingFactory(parent=hearing_index)          # open now, deadline in 14 days
response = ResponseFactory(hearing=hearing)              # confirmed (received)
ResponseFactory(hearing=hearing, published=True)         # published
"""

from datetime import timedelta

import factory
import wagtail_factories
from django.core.files.base import ContentFile
from django.utils import timezone

from consultations.models import (
    HearingIndexPage,
    HearingPage,
    Invitation,
    Response,
    ResponseAttachment,
    Subscription,
)
from councils.models import HearingList, HearingParty, PartyKind

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


class HearingIndexPageFactory(wagtail_factories.PageFactory):
    title = "Høringer"
    slug = "hoeringer"

    class Meta:
        model = HearingIndexPage


class HearingFactory(wagtail_factories.PageFactory):
    """An open hearing: opened yesterday, deadline in 14 days."""

    title = factory.Sequence(lambda n: f"Høring nummer {n}")
    summary = "Kommunen vil gerne høre din mening."
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyAttribute(lambda o: o.opens_at + timedelta(days=15))
    contact_name = "Sekretariatet"
    contact_email = "hoering@kommune.example"

    class Meta:
        model = HearingPage


class HearingListFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Høringsliste {n}")

    class Meta:
        model = HearingList


class HearingPartyFactory(factory.django.DjangoModelFactory):
    hearing_list = factory.SubFactory(HearingListFactory)
    name = factory.Sequence(lambda n: f"Forening {n}")
    kind = PartyKind.ORGANISATION
    email = factory.Sequence(lambda n: f"part{n}@forening.example")

    class Meta:
        model = HearingParty


class ResponseFactory(factory.django.DjangoModelFactory):
    """A confirmed response from a private person. ``published=True`` publishes it."""

    hearing = None
    name = factory.Sequence(lambda n: f"Borger {n}")
    email = factory.Sequence(lambda n: f"borger{n}@example.org")
    postcode = "2500"
    district = "valby"
    kind = PartyKind.PERSON
    text = "Jeg synes, planen er god, men der mangler cykelstier."
    consent = True
    status = Response.Status.RECEIVED
    confirmed_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = Response

    class Params:
        published = factory.Trait(status=Response.Status.PUBLISHED)
        pending = factory.Trait(status=Response.Status.PENDING, confirmed_at=None)


class ResponseAttachmentFactory(factory.django.DjangoModelFactory):
    response = factory.SubFactory(ResponseFactory)
    file = factory.LazyFunction(lambda: ContentFile(MINIMAL_PDF, name="bilag.pdf"))
    original_name = "bilag.pdf"
    content_type = "application/pdf"
    size = len(MINIMAL_PDF)

    class Meta:
        model = ResponseAttachment


class InvitationFactory(factory.django.DjangoModelFactory):
    party = factory.SubFactory(HearingPartyFactory)
    email = factory.LazyAttribute(lambda o: o.party.email)
    sent_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = Invitation


class SubscriptionFactory(factory.django.DjangoModelFactory):
    email = factory.Sequence(lambda n: f"abonnent{n}@example.org")
    confirmed_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = Subscription
