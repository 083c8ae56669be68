"""Demo matches: built by the engine once every demo scenario and entry is in (nothing of its own
to load from demo/data/)."""


def after_seed(stdout=None) -> None:
    """Build the matches after the seeding transaction has committed (skipped when some exist)."""
    from matching.engine.rebuild import rebuild
    from matching.models import MatchingModel

    if MatchingModel.objects.filter(state="active").exists():
        return
    model = rebuild()
    if stdout:
        stdout.write(f"匹配：{model.scenarios} 个场景 × {model.entries} 个条目，{model.pairs} 对推荐。")
