import re
from importlib import import_module
from urllib.parse import unquote

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import FileResponse, HttpResponse, JsonResponse, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.audit_catalogue import DOWNLOAD_ACTION, EXPORT_ACTION
from core.permissions import AccessRefused
from core.request_context import (
    begin_download_tracking,
    download_audited,
    end_download_tracking,
    origin_from_request,
    reset_origin,
    set_origin,
)
from core.services.audit import audit_record, denial_record


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = set_origin(origin_from_request(request))
        try:
            return self.get_response(request)
        finally:
            reset_origin(token)


def _view_name(request) -> str:
    match = getattr(request, "resolver_match", None)
    return (match.view_name if match is not None else "") or request.path


def _attachment_name(response) -> str:
    disposition = response.get("Content-Disposition", "")
    if not disposition.lower().startswith("attachment"):
        return ""
    for part in disposition.split(";")[1:]:
        key, _sep, value = part.strip().partition("=")
        if key.lower() in ("filename", "filename*"):
            value = value.strip('"')
            return unquote(value.split("''", 1)[1]) if key.lower() == "filename*" and "''" in value else value
    return "attachment"


class AuditTrailMiddleware:
    """What the audit trail records around every view, so that no view can forget it:

    - a page refused for lack of permission (core.permissions.AccessRefused, raised by require()
      and require_role(); or Django's PermissionDenied, a 403) is recorded as access.denied for
      the signed-in person;
    - every file sent as an attachment is recorded — file.download for a stored file
      (FileResponse), data.export for a workbook or CSV built for the request — unless the view
      recorded it already with its object (an action of the export or download kind).

    Runs after RequestContextMiddleware, whose origin (address, method, path) the records take.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = begin_download_tracking()
        try:
            response = self.get_response(request)
            filename = _attachment_name(response) if 200 <= response.status_code < 300 else ""
            if filename and not download_audited():
                self._record_attachment(request, response, filename)
            return response
        finally:
            end_download_tracking(token)

    def process_exception(self, request, exception):
        if isinstance(exception, (AccessRefused, DjangoPermissionDenied)):
            denial_record(actor=getattr(request, "user", None), what=_view_name(request))
        return None

    @staticmethod
    def _record_attachment(request, response, filename: str) -> None:
        action = DOWNLOAD_ACTION if isinstance(response, FileResponse) else EXPORT_ACTION
        audit_record(
            actor=getattr(request, "user", None),
            action=action,
            target_label=filename[:300],
            after={
                "what": _view_name(request),
                "file": filename,
                "query": {key: values if len(values) > 1 else values[0] for key, values in request.GET.lists()},
            },
        )


class ChineseFirstMiddleware:
    """The portal speaks Chinese unless the person picked English with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so an office PC with an
    English system would get English pages. Dropping that header leaves the language cookie
    (set by the switch in the header) or LANGUAGE_CODE (zh-hans). Runs before LocaleMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


# A \u0000 escape in a JSON text: "\u0000" after an even run of backslashes (an odd run before it
# would make "\\u0000", a backslash followed by the letters u0000).
_JSON_NUL_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\u0000")
_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def refusal_response(request, message: str, *, status: int = 400) -> HttpResponse:
    """A refused request before any view ran: JSON ({"detail": …}) for the API, the 400 page with
    the message for pages."""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status)
    return render(request, "400.html", {"message": message}, status=status)


class BadInputMiddleware:
    """Input no page or endpoint can use is refused here, once, with a Chinese message and nothing
    stored, instead of failing deep in a view:

    - a NUL character (\\x00) in the address, the query string, a form field or a JSON body (400):
      PostgreSQL cannot store NUL in text and fails the query, so a stray \\x00 in a note or a
      filter was a 500 (uploaded files' names need nothing: Django drops unprintable characters);
    - a body beyond DATA_UPLOAD_MAX_MEMORY_SIZE (413), too many fields or files, a malformed
      multipart body (400): Django's own checks, which surfaced as its bare 400 page saying
      nothing of the reason (in the API, as an HTML page). JSON bodies are read here so that the
      size limit holds for them too: DRF reads the stream itself, unbounded.

    A session cookie carrying NUL is dropped (its lookup would fail the same way): the visitor is
    simply not signed in. Runs after AuthenticationMiddleware, whose user is loaded lazily, and
    before any view reads the request (CSRF's check reads the form later, in process_view).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.COOKIES.get(settings.SESSION_COOKIE_NAME, ""):
            request.session = import_module(settings.SESSION_ENGINE).SessionStore()
        try:
            has_nul = self._has_nul(request)
        except RequestDataTooBig:
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
            message = _("提交的内容过大（上限 %(limit)s MB），请精简后重试；附件请通过上传文件提交。") % {
                "limit": f"{limit:g}"
            }
            return refusal_response(request, message, status=413)
        except (TooManyFieldsSent, TooManyFilesSent):
            return refusal_response(request, _("提交的字段或文件过多，请分批提交。"))
        except MultiPartParserError:
            return refusal_response(request, _("提交的表单数据格式有误，无法读取，请重新提交。"))
        if has_nul:
            return refusal_response(request, _("提交的内容含有不可见的空字符（NUL），无法保存，请删除后重试。"))
        return self.get_response(request)

    @staticmethod
    def _has_nul(request) -> bool:
        if "\x00" in request.path:
            return True
        parts = [request.GET]
        if request.method == "POST" and request.content_type in _FORMS:
            parts.append(request.POST)
        elif request.content_type == "application/x-www-form-urlencoded":  # PUT, PATCH: DRF parses them
            parts.append(QueryDict(request.body, encoding=request.encoding))
        for values in parts:
            for key, items in values.lists():
                if "\x00" in key or any("\x00" in item for item in items):
                    return True
        if request.content_type == "application/json" or request.content_type.endswith("+json"):
            text = request.body.decode(request.encoding or "utf-8", errors="replace")
            return "\x00" in text or _JSON_NUL_ESCAPE.search(text) is not None
        return False


class SecurityHeadersMiddleware:
    """The headers 等保 asks of every answer (settings.PORTAL_CONTENT_SECURITY_POLICY and
    PORTAL_PERMISSIONS_POLICY): scripts only from the portal's own files, no browser features the
    portal does not use, and nothing a signed-in person read kept in a browser or proxy cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.PORTAL_CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", settings.PORTAL_PERMISSIONS_POLICY)
        signed_in = getattr(request, "user", None) is not None and request.user.is_authenticated
        if signed_in or request.path.startswith("/api/"):
            # Pages and data of a signed-in person (and every API answer) are never stored on the way.
            response.headers["Cache-Control"] = "no-store"
        return response
