"""The virus scan every upload passes before it is stored (core.uploads calls it last).

With settings.PORTAL_CLAMD set (clamd's Unix socket path, or host:port) the file is streamed to
ClamAV's clamd with its INSTREAM command; left empty (the embedded demo) nothing is scanned. A
scanner that is configured but does not answer, or answers something we do not understand, refuses
the upload: an unscanned file is never kept (fail closed). Both refusals are logged.

The protocol, as clamd documents it: send "zINSTREAM\\0", then the file in chunks, each prefixed by
its length as a 4-byte big-endian number, then a zero length; clamd answers one NUL-terminated line,
"stream: OK" or "stream: <signature> FOUND" (or "... ERROR", e.g. past its StreamMaxLength).
"""

import logging
import socket
import struct

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

CHUNK_BYTES = 64 * 1024
MAX_REPLY_BYTES = 4096


class ScannerUnavailable(Exception):
    """clamd could not be reached, or its answer was not a verdict."""


def clamd_verdict(stream, address: str, *, timeout: float) -> str | None:
    """Stream a file to clamd; return the signature it found, or None when the file is clean."""
    try:
        with _connect(address, timeout) as connection:
            connection.sendall(b"zINSTREAM\0")
            while chunk := stream.read(CHUNK_BYTES):
                connection.sendall(struct.pack("!L", len(chunk)) + chunk)
            connection.sendall(struct.pack("!L", 0))
            reply = _reply(connection)
    except OSError as error:  # refused, timed out, reset (clamd closes early on a too-long stream)
        raise ScannerUnavailable(str(error) or type(error).__name__) from None
    if reply == "stream: OK":
        return None
    if reply.startswith("stream: ") and reply.endswith(" FOUND"):
        return reply.removeprefix("stream: ").removesuffix(" FOUND").strip() or "?"
    raise ScannerUnavailable(f"unexpected answer {reply[:200]!r}")


def _connect(address: str, timeout: float) -> socket.socket:
    if address.startswith("/"):
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        connection.settimeout(timeout)
        try:
            connection.connect(address)
        except OSError:
            connection.close()
            raise
        return connection
    host, _colon, port = address.rpartition(":")
    return socket.create_connection((host.strip("[]"), int(port)), timeout=timeout)


def _reply(connection: socket.socket) -> str:
    received = b""
    while not received.endswith(b"\0") and len(received) < MAX_REPLY_BYTES:
        part = connection.recv(MAX_REPLY_BYTES)
        if not part:
            break
        received += part
    return received.rstrip(b"\0").decode("utf-8", "replace").strip()


def scan_upload(uploaded_file, *, name: str) -> None:
    """Raise a ValidationError in Chinese when the scanner finds something, or cannot say; do
    nothing when no scanner is configured. The file is read from its start and rewound."""
    address = settings.PORTAL_CLAMD
    if not address:
        return
    uploaded_file.seek(0)
    try:
        signature = clamd_verdict(uploaded_file, address, timeout=settings.PORTAL_CLAMD_TIMEOUT)
    except ScannerUnavailable as problem:
        logger.error(
            "upload %r refused unscanned: the virus scanner at %s gave no verdict (%s)", name, address, problem
        )
        raise ValidationError(
            _("暂时无法完成病毒扫描，文件未保存。请稍后重新上传；如持续出现，请联系运营人员。"),
            code="scan_unavailable",
        ) from None
    finally:
        uploaded_file.seek(0)
    if signature is not None:
        logger.warning("upload %r refused: the virus scanner found %s", name, signature)
        raise ValidationError(
            _("文件“%(name)s”未通过病毒扫描（检出 %(signature)s），已拒绝。") % {"name": name, "signature": signature},
            code="virus_found",
        )
