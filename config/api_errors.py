"""Turn domain errors raised by services into 400 answers with the service's Chinese message, and
audit every refusal for lack of permission."""

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
    if isinstance(exc, DomainError):
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
