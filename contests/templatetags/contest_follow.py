"""`{% if challenge|followable_by:user %}`: whether to link a challenge's follow page in a list
(the same predicate the page itself checks; no query when the challenge carries its scenario)."""

from django import template

from contests.permissions import can_follow_challenge

register = template.Library()


@register.filter
def followable_by(challenge, user) -> bool:
    return can_follow_challenge(user, challenge)
