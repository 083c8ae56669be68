"""Page actions: call one service for the person on the page and say how it went.

Every page that changes something does the same four things: call a service with the person as
actor, catch the refusal (DomainError) or the bad value (ValidationError), show the message, and
go on to the next page. `page_action` is that, once; views declare what to call and where to go.

    outcome = page_action(request, services.entry_submit, entry=entry, success=_("已提交审核。"))
    return redirect("capability_list:detail", pk=entry.pk)

    # on a page with a form, the refusal becomes the form's error and the page is shown again
    outcome = page_action(request, services.challenge_create, form=form, contest=contest, **form.cleaned_data)
    if outcome.ok:
        return redirect("contests:detail", pk=contest.pk)

`action_redirect` is the common short form: do it, then redirect whatever happened.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect

from core.errors import DomainError


@dataclass(frozen=True)
class ActionOutcome:
    ok: bool
    value: Any = None  # what the service returned
    error: str = ""  # the user-facing message of the refusal


def _messages_of(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [message for field_messages in error.message_dict.values() for message in field_messages]
    return list(error.messages)


def page_action(
    request,
    service: Callable,
    /,
    *,
    success: str | Callable[[Any], str] = "",
    form=None,
    **arguments,
) -> ActionOutcome:
    """Call `service(actor=request.user, **arguments)` and report the outcome to the person.

    A refusal (DomainError) or a bad value (ValidationError) is shown as the form's error when a
    form is given (field errors on their fields), else as an error message; nothing is raised.
    On success `success` (a text, or a function of the service's result) is shown as a message.
    """
    try:
        value = service(actor=request.user, **arguments)
    except DomainError as refusal:
        _show(request, form, refusal.message)
        return ActionOutcome(ok=False, error=refusal.message)
    except ValidationError as invalid:
        if form is not None and hasattr(invalid, "error_dict"):
            for field, field_messages in invalid.message_dict.items():
                for message in field_messages:
                    form.add_error(field if field in form.fields else None, message)
        else:
            _show(request, form, "；".join(_messages_of(invalid)))
        return ActionOutcome(ok=False, error="；".join(_messages_of(invalid)))
    text = success(value) if callable(success) else success
    if text:
        messages.success(request, text)
    return ActionOutcome(ok=True, value=value)


def action_redirect(request, service: Callable, /, *, to: str, success: str | Callable[[Any], str] = "", **arguments):
    """page_action, then redirect to `to` (a URL or a URL name without arguments) whatever happened."""
    page_action(request, service, success=success, **arguments)
    return redirect(to)


def _show(request, form, message: str) -> None:
    if form is not None:
        form.add_error(None, message)
    else:
        messages.error(request, message)
