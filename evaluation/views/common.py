"""What every evaluation page shares: how a refusal is shown, and the operators' check."""

from django.contrib import messages
from django.utils.translation import gettext as _

from core.actions import errors_text
from core.permissions import require
from evaluation.permissions import may_manage_rounds

# A refused action shows its page again with the message, as a 400 (a browser stays on the page
# and a script sees that nothing was done); an accepted one redirects to a fresh page.
REFUSED = 400


def refused(request, form=None) -> None:
    """Show why a posted form was refused: its errors as one message (the page is then shown
    again with status 400, its other forms fresh)."""
    messages.error(request, errors_text(form) if form is not None else _("操作无效。"))


def valid_or_say(request, form) -> bool:
    """Whether the posted form is valid; when not, its errors are shown as one message."""
    if form.is_valid():
        return True
    messages.error(request, errors_text(form))
    return False


def require_operator(user) -> None:
    """Operators' pages answer 404 to everyone else."""
    require(may_manage_rounds(user))
