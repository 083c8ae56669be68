"""What every steering page shares: how a refusal is shown."""

from django.contrib import messages

from core.actions import errors_text

# A refused action shows its page again with the message, as a 400 (a browser stays on the page
# and a script sees that nothing was done); an accepted one redirects to a fresh page.
REFUSED = 400


def valid_or_say(request, form) -> bool:
    """Whether the posted form is valid; when not, its errors are shown as one message."""
    if form.is_valid():
        return True
    messages.error(request, errors_text(form))
    return False
