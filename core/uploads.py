"""Checks for uploaded attachments, shared by every app that accepts files.

An attachment is accepted when it is not too big, its extension is one we accept, and its first
bytes say it really is that kind of file (a renamed .exe stays out). Office files are ZIP
containers: they must also contain the part that makes them Office documents.
"""

import os
import uuid
import zipfile
from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024

_PDF = (b"%PDF-",)
_ZIP = (b"PK\x03\x04",)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
SIGNATURES = {
    "pdf": _PDF,
    "docx": _ZIP,
    "xlsx": _ZIP,
    "pptx": _ZIP,
    "doc": _OLE,
    "xls": _OLE,
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
}
OFFICE_MAIN_PART = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
ACCEPTED_LABEL = "PDF、Word、Excel、PowerPoint、PNG、JPG"

# Evidence a reviewer looks at (certificates, licences): scans and PDFs only, smaller.
EVIDENCE_KINDS = frozenset({"pdf", "png", "jpg", "jpeg"})
EVIDENCE_LABEL = "PDF、JPG、PNG"
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024


def check_upload(
    uploaded_file,
    *,
    max_bytes: int = MAX_ATTACHMENT_BYTES,
    kinds: Collection[str] | None = None,
    kinds_label: str = ACCEPTED_LABEL,
) -> str:
    """Return the file's kind (its extension), or raise a ValidationError in Chinese.

    `kinds` narrows the accepted extensions (named to the person by `kinds_label`)."""
    name = os.path.basename(uploaded_file.name or "")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in SIGNATURES or (kinds is not None and extension not in kinds):
        raise ValidationError(
            _("不支持的文件类型“%(name)s”，请上传 %(accepted)s 文件。")
            % {"name": name, "accepted": kinds_label if kinds is not None else ACCEPTED_LABEL},
            code="file_type",
        )
    if uploaded_file.size == 0:
        raise ValidationError(_("文件“%(name)s”是空的。") % {"name": name}, code="file_empty")
    if uploaded_file.size > max_bytes:
        raise ValidationError(
            _("文件“%(name)s”超过 %(limit)d MB 上限。") % {"name": name, "limit": max_bytes // (1024 * 1024)},
            code="file_size",
        )
    uploaded_file.seek(0)
    head = uploaded_file.read(16)
    uploaded_file.seek(0)
    if not head.startswith(SIGNATURES[extension]):
        raise ValidationError(_("文件“%(name)s”的内容与扩展名不符。") % {"name": name}, code="file_disguised")
    if extension in OFFICE_MAIN_PART:
        try:
            with zipfile.ZipFile(uploaded_file) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            names = []
        uploaded_file.seek(0)
        if "[Content_Types].xml" not in names or not any(
            part.startswith(OFFICE_MAIN_PART[extension]) for part in names
        ):
            raise ValidationError(_("文件“%(name)s”的内容与扩展名不符。") % {"name": name}, code="file_disguised")
    return extension


def check_evidence(uploaded_file) -> str:
    """An evidence file: PDF, JPG or PNG, at most 10 MB, its content what its name says."""
    return check_upload(uploaded_file, max_bytes=MAX_EVIDENCE_BYTES, kinds=EVIDENCE_KINDS, kinds_label=EVIDENCE_LABEL)


def accepted_file(uploaded_file, *, check=check_upload) -> dict:
    """The fields every stored upload keeps (file, original name, size, kind), once `check` accepts
    the file; a refused file raises the DomainError a service shows, in Chinese."""
    from core.errors import DomainError

    try:
        kind = check(uploaded_file)
    except ValidationError as error:
        raise DomainError(error.messages[0], code=error.code or "file_refused") from None
    return {
        "file": uploaded_file,
        "original_name": (uploaded_file.name or "")[-200:],
        "size": uploaded_file.size,
        "kind": kind,
    }


@deconstructible
class PrivatePath:
    """upload_to for files only a permission-checked view serves: under private/<folder>/, named by
    a random id (the person's file name is kept in the row, never in the path)."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        extension = os.path.splitext(filename or "")[1].lower()[:6]
        month = timezone.localdate().strftime("%Y/%m")
        return f"private/{self.folder}/{month}/{uuid.uuid4().hex}{extension}"

    def __eq__(self, other):
        return isinstance(other, PrivatePath) and other.folder == self.folder
