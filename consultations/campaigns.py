"""Campaign and duplicate responses: group responses whose texts are identical or nearly so.

Near-duplicates are found with MinHash signatures and locality-sensitive hashing (datasketch):
each response's text (general text and section comments) is reduced to the set of its word
pairs, without greeting and signature lines; two responses whose sets overlap by at least
``SIMILARITY`` (estimated Jaccard similarity) are in one group. Responses are taken in order;
one found as a near-copy of an earlier one is not looked up again (in a campaign of thousands
the first lookup finds nearly all of it), so a long chain of ever-changing copies may end up as
two groups.

Each response's signature is computed once and stored (``Response.text_signature``); grouping
a hearing then reads the signatures, indexes them and stores each response's group
(``Response.campaign_group``: the first response of its group, null for a response that is
like no other).

Pages read the stored groups (:func:`stored_groups`): the hearing's :class:`CampaignGrouping`
keeps a fingerprint of the confirmed responses it was computed from (how many, the newest id,
the last change, how many lack a signature), so a page regroups only when a response was
confirmed, changed, erased or deleted since; otherwise it reads ``campaign_group`` from the rows.
"""

import functools
import re
from dataclasses import dataclass, field

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from .emails import ResponseWithheldEmail
from .responses import Response
from .sections import SectionComment

NUM_PERM = 64
SIMILARITY = 0.5
SEED = 12
SCHEME = "affine32"  # datasketch 2's 32-bit hash values: 4 bytes each when stored

WORD = re.compile(r"\w+", re.UNICODE)
# A first line such as »Kære forvaltning,« or »Hej« and everything from »Med venlig hilsen« on.
GREETING = re.compile(r"^\s*(kære|hej|hejsa|goddag|til|dear|hello|hi)\b[^\n]{0,60}(\n|$)", re.IGNORECASE)
SIGN_OFF = re.compile(r"\n\s*(med venlig(e)? hilsen?|venlig hilsen|mvh|hilsen|best regards|kind regards)\b.*\Z",
                      re.IGNORECASE | re.DOTALL)  # fmt: skip


def comparable_text(text):
    """The words that carry the content: greeting line and signature removed, case folded."""
    text = "\n" + (text or "")
    text = SIGN_OFF.sub("", text).lstrip("\n")
    text = GREETING.sub("", text, count=1)
    return WORD.findall(text.casefold())


def shingles(words):
    """Word pairs (single words for a one-word text)."""
    if len(words) < 2:
        return {w.encode() for w in words}
    return {f"{a} {b}".encode() for a, b in zip(words, words[1:], strict=False)}


@functools.cache
def _permutations():
    """The hash permutations, made once per process (making them is most of a MinHash's cost)."""
    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations


def signature(text):
    """The MinHash signature of ``text`` as bytes (NUM_PERM unsigned 32-bit values), or b"" for no words."""
    tokens = shingles(comparable_text(text))
    if not tokens:
        return b""
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, permutations=_permutations())
    minhash.update_batch(tokens)
    return minhash.hashvalues.astype(np.uint32).tobytes()


@dataclass
class Group:
    key: int
    members: list = field(default_factory=list)

    @property
    def size(self):
        return len(self.members)


def _union_find(ids):
    parent = {i: i for i in ids}

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a, b):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    return find, union


def group_signatures(signatures):
    """{id: key}: ``signatures`` maps ids to signature bytes; each id's key is the smallest id of its group."""
    ids = sorted(signatures)
    find, union = _union_find(ids)
    by_bytes = {}
    lean = {}
    for pk in ids:
        data = signatures[pk]
        if not data:
            continue
        if data in by_bytes:  # identical texts: same signature
            union(by_bytes[data], pk)
            continue
        by_bytes[data] = pk
        lean[pk] = LeanMinHash(seed=SEED, hashvalues=np.frombuffer(data, dtype=np.uint32), scheme=SCHEME)
    lsh = MinHashLSH(threshold=SIMILARITY, num_perm=NUM_PERM)
    with lsh.insertion_session() as session:
        for pk, minhash in lean.items():
            session.insert(pk, minhash, check_duplication=False)
    joined = set()
    for pk, minhash in lean.items():
        if pk in joined:
            # Found as a near-copy of an earlier response: its own neighbours are that one's too.
            continue
        for other in lsh.query(minhash):
            if other != pk and other not in joined and minhash.jaccard(lean[other]) >= SIMILARITY:
                union(pk, other)
                joined.add(other)
    return {pk: find(pk) for pk in ids}


def _store_missing_signatures(missing):
    """Compute and store the signatures of the responses in ``missing`` (a queryset).

    Read as values, not model instances, and written with one parameterised UPDATE per row sent
    through ``executemany`` (pipelined by psycopg): ``bulk_update``'s CASE over 500 ids per statement
    took most of the 6 s of grouping 5,000 unsigned responses on PostgreSQL."""
    texts = dict(missing.values_list("pk", "text"))
    if not texts:
        return
    comments = {}
    for response_id, number, text in (
        SectionComment.objects.filter(response_id__in=missing.values("pk"))
        .order_by("response_id", "pk")
        .values_list("response_id", "number", "text")
    ):
        comments.setdefault(response_id, []).append(f"{number} {text}")
    rows = [(signature("\n".join([text or "", *comments.get(pk, [])])), pk) for pk, text in texts.items()]
    table = connection.ops.quote_name(Response._meta.db_table)
    column = connection.ops.quote_name(Response._meta.get_field("text_signature").column)
    key = connection.ops.quote_name(Response._meta.pk.column)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {column} = %s WHERE {key} = %s", rows)  # noqa: S608 (names from the model)


def group_responses(hearing):
    """Group the hearing's confirmed responses; store each one's group; return the groups of two or more.

    Signatures missing (new responses) are computed and stored first. Groups are ordered by
    size, largest first; members by id.
    """
    confirmed = Response.objects.confirmed().filter(hearing=hearing)
    _store_missing_signatures(confirmed.filter(text_signature__isnull=True))
    rows = list(confirmed.values_list("pk", "text_signature", "campaign_group"))
    keys = group_signatures({pk: bytes(sig or b"") for pk, sig, _group in rows})
    members = {}
    for pk, key in keys.items():
        members.setdefault(key, []).append(pk)
    stored = {}
    for pk, _sig, current in rows:
        wanted = keys[pk] if len(members[keys[pk]]) > 1 else None
        if current != wanted:
            stored.setdefault(wanted, []).append(pk)
    if stored:
        with transaction.atomic():
            for key, pks in stored.items():
                Response.objects.filter(pk__in=pks).update(campaign_group=key)
    groups = [Group(key=key, members=sorted(pks)) for key, pks in members.items() if len(pks) > 1]
    return sorted(groups, key=lambda g: (-g.size, g.key))


class CampaignGrouping(models.Model):
    """When a hearing's responses were last grouped, and from what (see :func:`stored_groups`)."""

    hearing = models.OneToOneField(
        "consultations.HearingPage", on_delete=models.CASCADE, related_name="campaign_grouping"
    )
    fingerprint = models.CharField(max_length=100)
    grouped_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "campaign grouping"

    def __str__(self):
        return f"{self.hearing_id}: {self.fingerprint}"


def _fingerprint(hearing):
    """What the grouping depends on, in one query: count, newest id, last change, signatures missing."""
    row = (
        Response.objects.confirmed()
        .filter(hearing=hearing)
        .aggregate(
            count=Count("pk"),
            newest=Max("pk"),
            changed=Max("updated_at"),
            unsigned=Count("pk", filter=Q(text_signature__isnull=True)),
        )
    )
    changed = row["changed"].isoformat() if row["changed"] else ""
    return f"{row['count']}:{row['newest'] or 0}:{changed}:{row['unsigned']}"


def stored_groups(hearing):
    """The hearing's groups of two or more as :func:`group_responses` returns them, regrouped only when
    a confirmed response was added, changed or removed since the last grouping."""
    fingerprint = _fingerprint(hearing)
    if CampaignGrouping.objects.filter(hearing_id=hearing.pk, fingerprint=fingerprint).exists():
        members = {}
        rows = (
            Response.objects.confirmed()
            .filter(hearing=hearing, campaign_group__isnull=False)
            .values_list("pk", "campaign_group")
        )
        for pk, key in rows:
            members.setdefault(key, []).append(pk)
        groups = [Group(key=key, members=sorted(pks)) for key, pks in members.items() if len(pks) > 1]
        return sorted(groups, key=lambda g: (-g.size, g.key))
    groups = group_responses(hearing)
    CampaignGrouping.objects.update_or_create(hearing_id=hearing.pk, defaults={"fingerprint": _fingerprint(hearing)})
    return groups


# --- Moderating a group at once ---------------------------------------------------------------


def group_members(hearing, key):
    """The confirmed responses of one group (by its key) of the hearing."""
    return Response.objects.confirmed().filter(hearing=hearing, campaign_group=key)


def moderate_group(hearing, key, action, user=None, reason="", comment="", summary=""):
    """Publish, withhold (with a reason, each respondent told) or comment on every response of a group.

    One update for the group and one audit-log entry on the hearing; returns the number of responses."""
    members = group_members(hearing, key)
    moderator = user if user is not None and user.is_authenticated else None
    now = timezone.now()
    with transaction.atomic():
        ids = list(members.select_for_update().values_list("pk", flat=True))
        if not ids:
            return 0
        rows = Response.objects.filter(pk__in=ids)
        if action == "publish":
            rows.update(status=Response.Status.PUBLISHED, withheld_reason="", moderated_at=now, moderated_by=moderator)
        elif action == "withhold":
            if not reason.strip():
                raise ValidationError(_("Skriv en begrundelse."))
            rows.update(
                status=Response.Status.WITHHELD,
                withheld_reason=reason.strip(),
                moderated_at=now,
                moderated_by=moderator,
            )
            for response in rows:
                ResponseWithheldEmail.send(response)
        elif action == "comment":
            fields = {"administration_comment": comment.strip()}
            if summary.strip():
                fields["summary"] = summary.strip()
            rows.update(**fields)
        else:
            raise ValueError(action)
        log(
            instance=hearing,
            action=f"consultations.group.{action}",
            user=user,
            data={"group": key, "responses": len(ids)},
        )
    return len(ids)
