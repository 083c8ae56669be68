from matching.models import Match, MatchingModel


def stored_match(scenario, entry, score: float = 80.0) -> Match:
    """A recommended pair as the engine stores it (under the active model, made when missing)."""
    generation = MatchingModel.objects.filter(state="active").first() or MatchingModel.objects.create(state="active")
    return Match.objects.create(
        generation=generation,
        scenario=scenario,
        entry=entry,
        score=score,
        text=0.6,
        coverage=0.5,
        fields=0.2,
        district=1.0,
        credential=0.0,
        fit=0.5,
        covered=["车位检测"],
        gaps=["移动支付"],
        explanation="覆盖需求 1/2：车位检测；缺口：移动支付",
    )
