"""What every app's pages share about refusing: a page a person may not use answers 404."""

from django.http import Http404


def require(allowed: bool) -> None:
    """Pages answer 404 to whoever may not use them: they do not reveal that they exist."""
    if not allowed:
        raise Http404
