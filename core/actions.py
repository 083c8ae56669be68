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

A form may name the field each refusal concerns (`error_fields = {"username_taken": "username"}`);
a page with several forms, or a formset whose errors are listed apart, passes a `FormGroup`.
Services for visitors who are not signed in (registration, invitation links) take no actor, and
get none.
"""

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect

from core.errors import DomainError, PermissionDenied
from core.services.audit import denial_record


def errors_text(form) -> str:
    """All of a form's errors as one message (a field's label first when it has one)."""
    texts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else None
        texts += [f"{label}：{error}" if label else str(error) for error in errors]
    return "；".join(texts)


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

    (A service that takes no actor, one for visitors, is called with the arguments alone.)

    A refusal (DomainError) or a bad value (ValidationError) is shown as the form's error when a
    form is given (field errors on their fields, a refusal on the field the form's `error_fields`
    names for its code), else as an error message; nothing is raised.
    On success `success` (a text, or a function of the service's result) is shown as a message.
    A refusal for lack of permission (core.errors.PermissionDenied) is also audited as a denial.
    """
    if _takes_actor(service):
        arguments = {"actor": request.user, **arguments}
    try:
        value = service(**arguments)
    except DomainError as refusal:
        if isinstance(refusal, PermissionDenied):
            # The service's transaction is rolled back by now; the denial is recorded on its own.
            denial_record(actor=request.user, what=service.__name__, reason=refusal.message)
        if form is not None:
            field = getattr(form, "error_fields", {}).get(refusal.code)
            form.add_error(field if field in form.fields else None, refusal.message)
        else:
            messages.error(request, refusal.message)
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


def batch_action(request, service: Callable, /, *, success: Callable[[int], str], **arguments) -> ActionOutcome:
    """page_action for a service acting on many items (it returns a core.batches.BatchResult):
    `success(count)` is said when any item was done, then each item's refusal as an error."""
    outcome = page_action(
        request, service, success=lambda result: success(result.done) if result.done else "", **arguments
    )
    if outcome.ok:
        for message in outcome.value.refused:
            messages.error(request, message)
    return outcome


class FormGroup:
    """Several forms on one page, and error lists shown apart (a formset's), standing as one form.

    A field's error goes to the list named after the field, else to the form that has the field;
    anything else, and a refusal, goes to the first form as its own error.
    """

    def __init__(self, *forms, lists: dict[str, list] | None = None):
        self.forms = [form for form in forms if form is not None]
        self.lists = lists or {}
        self.fields = set(self.lists).union(*(form.fields for form in self.forms))
        self.error_fields = getattr(self.forms[0], "error_fields", {})

    def add_error(self, field, message) -> None:
        if field in self.lists:
            self.lists[field].append(message)
            return
        owner = next((form for form in self.forms if field is not None and field in form.fields), None)
        if owner is None:
            self.forms[0].add_error(None, message)
        else:
            owner.add_error(field, message)


def _takes_actor(service: Callable) -> bool:
    parameters = inspect.signature(service).parameters.values()
    return any(parameter.name == "actor" or parameter.kind is parameter.VAR_KEYWORD for parameter in parameters)


def _show(request, form, message: str) -> None:
    if form is not None:
        form.add_error(None, message)
    else:
        messages.error(request, message)
