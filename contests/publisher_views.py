"""The 发榜方's pages for following its challenges after publishing them.

Kept apart from contests.views (the operators', companies' and judges' pages): a page parses,
authorises through contests.permissions (anyone else gets 404) and reads through
contests.publisher_selectors."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from contests import publisher_selectors
from contests.choices import Round


@login_required
def challenge_follow(request, pk):
    """One challenge as the contest advances: entries (after 资格审查), the running order, the
    published ranking, the awards and the cooperation agreements with their milestones."""
    challenge = publisher_selectors.challenge_to_follow(request.user, pk)
    progress = publisher_selectors.challenge_progress(request.user, challenge)
    contest = challenge.contest
    rounds = [
        {"value": value, "label": label, "start": contest.round_start(value), "current": value == progress["current"]}
        for value, label in Round.choices
    ]
    return render(request, "contests/challenge_follow.html", {"challenge": challenge, "rounds": rounds, **progress})


def publisher_home_panel(request) -> dict:
    """The publisher's home: the challenges of its organisation, each with its round and a link to follow it."""
    return {"challenges": list(publisher_selectors.challenges_followed_by(request.user)[:10])}
