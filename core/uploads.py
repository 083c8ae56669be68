"""Checks for uploaded attachments, shared by every app that accepts files.

An attachment is accepted when its name shows what it is (not blank, no characters that reverse
the text around them), it is not too big, its extension is one we accept, and its first bytes say
it really is that kind of file (a renamed .exe stays out). Office files are ZIP containers: they
must also contain the part that makes them Office documents, and no macros. Last, the virus
scanner sees it (core.virus_scan). The Excel imports check their workbooks with the same pieces
(core.excel_reading.check_workbook_upload).
"""

import os
import unicodedata
import uuid
import zipfile
from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

from core.virus_scan import scan_upload

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

# Characters that reorder the text around them: "发票\u202efdp.exe" shows as "发票exe.pdf".
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Letters and symbols that are drawn as nothing (Hangul fillers, the braille blank).
BLANK_GLYPHS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
# Control, format (zero-width), separator and combining characters: nothing to see on their own.
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Me"})

# An OOXML package carries VBA macros in a vbaProject.bin part; its content types say macroEnabled.
MACRO_PART = "vbaproject"
MACRO_CONTENT_TYPES = (b"macroenabled", b"vbaproject")
MAX_CONTENT_TYPES_BYTES = 1024 * 1024
# In the old binary formats (.doc, .xls) the VBA project is a storage of the OLE container whose
# directory entry names it, in UTF-16: Macros/VBA/_VBA_PROJECT (Word), _VBA_PROJECT_CUR (Excel).
OLE_MACRO_NAME = "_VBA_PROJECT".encode("utf-16-le")

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
    check_file_name(name)
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
                macros = "[Content_Types].xml" in names and office_package_has_macros(archive)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
            names, macros = [], False
        uploaded_file.seek(0)
        if "[Content_Types].xml" not in names or not any(
            part.startswith(OFFICE_MAIN_PART[extension]) for part in names
        ):
            raise ValidationError(_("文件“%(name)s”的内容与扩展名不符。") % {"name": name}, code="file_disguised")
        if macros:
            raise macros_refused(name)
    elif head.startswith(_OLE) and ole_file_has_macros(uploaded_file):
        raise macros_refused(name)
    scan_upload(uploaded_file, name=name)
    return extension


def check_file_name(name: str) -> None:
    """Refuse a name that does not show what the file is: one with characters that reverse the
    text around them (a disguised extension), or one whose part before the extension is empty or
    only blank and invisible characters. The messages leave the name out: shown, it would mislead
    again."""
    if any(character in BIDI_CONTROLS for character in name):
        raise ValidationError(
            _("文件名含有改变文字方向的控制字符，可能用于伪装扩展名，请重命名后再上传。"), code="file_name"
        )
    stem = name.rsplit(".", 1)[0] if "." in name else name
    if all(_invisible(character) for character in stem):
        raise ValidationError(_("文件名为空或只有空白、不可见字符，请重命名后再上传。"), code="file_name")


def _invisible(character: str) -> bool:
    return character.isspace() or character in BLANK_GLYPHS or unicodedata.category(character) in INVISIBLE_CATEGORIES


def office_package_has_macros(archive: zipfile.ZipFile) -> bool:
    """Whether an OOXML package (.docx, .xlsx, .pptx) carries macros: a VBA project part under any
    name, or a content type that declares one or a macro-enabled document."""
    if any(MACRO_PART in member.filename.lower() for member in archive.infolist()):
        return True
    try:
        with archive.open("[Content_Types].xml") as stream:
            types = stream.read(MAX_CONTENT_TYPES_BYTES).lower()
    except KeyError:
        return False
    return any(marker in types for marker in MACRO_CONTENT_TYPES)


def ole_file_has_macros(uploaded_file) -> bool:
    """Whether an old binary Office file (.doc, .xls) holds a VBA project, found by its directory
    entry's name; read in chunks that overlap by the name's length, and rewound."""
    uploaded_file.seek(0)
    tail = b""
    try:
        while chunk := uploaded_file.read(1024 * 1024):
            if OLE_MACRO_NAME in tail + chunk:
                return True
            tail = chunk[-len(OLE_MACRO_NAME) :]
        return False
    finally:
        uploaded_file.seek(0)


def macros_refused(name: str) -> ValidationError:
    return ValidationError(
        _("文件“%(name)s”含有宏（VBA 代码），出于安全原因不予接收。请另存为不含宏的文档后再上传。") % {"name": name},
        code="file_macros",
    )


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
