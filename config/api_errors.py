"""Turn domain errors raised by services into 400 answers with the service's Chinese message,
refusals into the answer that gives nothing away, and audit every refusal for lack of permission.

Who may not use an endpoint at all (a permission class said no: the wrong role) gets 404, as for a
foreign object, whatever the method: the API does not tell them what exists. A signed-out caller
still gets 401/403 (sign in first). A service's "forbidden" (core.errors.PermissionDenied) comes
after the view found the object among those the person may see, so it is a 403: the object is
visible, the action is not theirs."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.views import exception_handler

from core.errors import DomainError, PermissionDenied
from core.permissions import AccessRefused
from core.services.audit import denial_record


def _record_denial(exc, context) -> None:
    """A signed-in caller refused by a permission class, a page-style permission check or a
    service's permission rule: one access.denied record (a plain not-found is not one)."""
    request, view = context.get("request"), context.get("view")
    if request is None or not isinstance(exc, (exceptions.PermissionDenied, AccessRefused, PermissionDenied)):
        return
    action = getattr(view, "action", None) or request.method.lower()
    reason = exc.message if isinstance(exc, DomainError) else str(getattr(exc, "detail", "") or "")
    denial_record(actor=request.user, what=f"{type(view).__name__}.{action}", reason=reason)


def portal_exception_handler(exc, context):
    _record_denial(exc, context)
    if isinstance(exc, exceptions.MethodNotAllowed) and not _object_visible(context):
        # DRF checks the method before it looks the object up: a POST to /api/v1/scenarios/<a foreign
        # draft>/ answered 405 where its GET answers 404.
        exc = exceptions.NotFound()
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied({"detail": exc.message, "code": exc.code})
    elif isinstance(exc, (exceptions.PermissionDenied, DjangoPermissionDenied)) and _signed_in(context):
        exc = exceptions.NotFound()
    elif isinstance(exc, DomainError):
        exc = exceptions.ValidationError({"detail": exc.message, "code": exc.code})
    elif isinstance(exc, RecursionError):
        # A body nested thousands deep exhausts the JSON parser's recursion: a bad request, not a 500.
        exc = exceptions.ParseError(_("请求内容嵌套过深，无法解析。"))
    elif isinstance(exc, exceptions.ParseError):
        # DRF's parsers say why in English ("JSON parse error - Expecting value: line 1 …").
        exc = exceptions.ParseError(_("请求内容无法解析，请提交有效的 JSON 或表单数据。"))
    elif isinstance(exc, Http404):
        # Django's message names the model in English ("No Finding matches the given query.").
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages})
    return exception_handler(exc, context)


def _signed_in(context) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def _object_visible(context) -> bool:
    """For an address naming an object (a detail route), whether the person may see it; True for
    any other address, where the method's refusal gives nothing away."""
    view = context.get("view")
    lookup = getattr(view, "lookup_url_kwarg", None) or getattr(view, "lookup_field", None)
    if view is None or not hasattr(view, "get_object") or lookup not in (getattr(view, "kwargs", None) or {}):
        return True
    try:
        view.get_object()
    except (Http404, exceptions.NotFound, exceptions.PermissionDenied, DjangoPermissionDenied):
        return False
    except Exception:  # a lookup that fails otherwise keeps DRF's answer: never a 500 from here
        return True
    return True
