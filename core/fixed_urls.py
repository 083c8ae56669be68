"""The address of a URL name that takes no arguments, worked out once per process.

Every signed-in page links to about twenty such addresses (the menu, the header, a section's tabs),
and Django's reverse() walks the namespaces and patterns each time: 30–90 µs a name, about a
millisecond a page (issue #20). With no arguments the answer depends only on the URL patterns (fixed
while the process runs), the URL configuration in force and the script prefix (the path the portal
is mounted at, SCRIPT_NAME or FORCE_SCRIPT_NAME): both are part of the memo's key. No page address
carries a language prefix (no i18n_patterns), so the language is not.
"""

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

# Names times prefixes: the portal has a few hundred names and one prefix; the bound only keeps a
# server that lets clients choose SCRIPT_NAME from growing the memo without end.
_MEMO_SIZE = 2048


def fixed_url(name: str) -> str:
    """reverse(name) for a URL name without arguments; NoReverseMatch as reverse() raises it."""
    return _reversed(name, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


@lru_cache(maxsize=_MEMO_SIZE)
def _reversed(name: str, urlconf, script_prefix: str) -> str:
    # reverse() reads the script prefix itself: the one in the key is the one in force now.
    return reverse(name, urlconf=urlconf)
