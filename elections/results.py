"""Published results as data: for the results page, the CSV and the JSON download."""

from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from .crypto import lot_key

TIE_BREAK_RULE = (
    "Within a group candidates are ranked by votes (most first); candidates with equal votes are "
    "ordered by sha256(seed + ':' + candidate id) as lowercase hex, lowest first, where "
    "seed = sha256('tiebreak:' + chain_head)."
)

# The bar chart puts each name on its own line above its bar, so it stays legible when a
# phone scales the SVG down (the viewBox is narrow; text is 17 units ≈ 15 px at 375 px).
# In a right-to-left language the chart is mirrored: the bars grow from the right edge, where
# the names begin (SVG text inherits the page's direction, so it runs leftwards from its x).
CHART_WIDTH = 400
CHART_BAR = 330
CHART_ROW = 56


def result_data(election, tally, for_json=False):
    rows = list(tally.rows.select_related("candidate", "group").order_by("group__sort_order", "rank"))
    mirrored = not for_json and get_language_bidi()
    groups = []
    for group, seats, substitutes in election.seat_rules():
        in_group = [r for r in rows if (group is None or r.group_id == group.pk)]
        most = max((r.votes for r in in_group), default=0) or 1
        candidates = []
        for index, row in enumerate(in_group):
            item = {
                "id": row.candidate_id,
                "name": row.candidate.name,
                "online": row.online_votes,
                "paper": row.paper_votes,
                "votes": row.votes,
                "rank": row.rank,
                "outcome": row.outcome,
                "decided_by_lot": row.decided_by_lot,
            }
            if not for_json:
                item["outcome_label"] = row.get_outcome_display()
                bar = round(CHART_BAR * row.votes / most, 1)
                item["bar"] = bar
                item["label_y"] = index * CHART_ROW + 17
                item["bar_y"] = index * CHART_ROW + 24
                item["value_y"] = index * CHART_ROW + 41
                if mirrored:
                    item["label_x"], item["bar_x"], item["value_x"] = (
                        CHART_WIDTH,
                        round(CHART_WIDTH - bar, 1),
                        round(CHART_WIDTH - bar - 8, 1),
                    )
                else:
                    item["label_x"], item["bar_x"], item["value_x"] = 0, 0, round(bar + 8, 1)
            candidates.append(item)
        entry = {
            "name": group.name if group else (None if for_json else ""),
            "seats": seats,
            "substitutes": substitutes,
            "candidates": candidates,
        }
        if not for_json:
            entry["elected"] = [c for c in candidates if c["outcome"] == "elected"]
            entry["substitute_list"] = [c for c in candidates if c["outcome"] == "substitute"]
            entry["chart_height"] = max(CHART_ROW * len(candidates), CHART_ROW)
        groups.append(entry)
    data = {
        "election": {"id": election.pk, "title": election.title, "slug": election.slug},
        "uncontested": election.uncontested,
        "chain_head": tally.chain_head,
        "online_ballots": tally.ballot_count,
        "seed": tally.seed,
        "tie_break_rule": TIE_BREAK_RULE,
        "ties": tally.ties,
        "turnout": tally.turnout,
        "groups": groups,
    }
    if not for_json:
        data["chart"] = {"width": CHART_WIDTH}
    return data


def results_csv_rows(election, tally):
    yield [
        _("gruppe"),
        _("placering"),
        _("kandidat"),
        _("kandidat-id"),
        _("onlinestemmer"),
        _("papirstemmer"),
        _("stemmer i alt"),
        _("resultat"),
        _("afgjort ved lodtrækning"),
        _("lod"),
    ]
    for row in tally.rows.select_related("candidate", "group").order_by("group__sort_order", "rank"):
        yield [
            row.group.name if row.group else "",
            row.rank,
            row.candidate.name,
            row.candidate_id,
            row.online_votes,
            row.paper_votes,
            row.votes,
            row.get_outcome_display(),
            _("ja") if row.decided_by_lot else _("nej"),
            lot_key(tally.seed, row.candidate_id),
        ]
