"""The virus-scanner hook (core.virus_scan): with PORTAL_CLAMD set every upload is streamed to clamd
(INSTREAM) and refused when it finds something; a configured scanner that does not answer refuses
the upload too (fail closed) and says so in the log; unset, nothing is scanned.

A fake clamd in a thread speaks the protocol: it reassembles the length-prefixed chunks and answers
"stream: Eicar-Test-Signature FOUND" when the EICAR test string is in the stream, else "stream: OK"."""

import ast
import logging
import socket
import struct
import threading
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from config.env import env_socket_address
from core.uploads import check_evidence, check_upload
from tests.hostile_workbooks import EICAR, docx_bytes, workbook_bytes, zip_surgery

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"
ROOT = Path(__file__).resolve().parent.parent.parent


class FakeClamd:
    """A clamd that answers INSTREAM on a TCP port or a Unix socket; `mode` "ok" answers as
    clamd does, "garbage" answers nonsense, "silent" reads and never answers."""

    def __init__(self, address_family=socket.AF_INET, path: str | None = None, mode: str = "ok"):
        self.server = socket.socket(address_family, socket.SOCK_STREAM)
        if address_family == socket.AF_INET:
            self.server.bind(("127.0.0.1", 0))
            self.address = f"127.0.0.1:{self.server.getsockname()[1]}"
        else:
            self.server.bind(path)
            self.address = path
        self.server.listen(5)
        self.mode = mode
        self.received: list[bytes] = []
        self.chunk_sizes: list[list[int]] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while True:
            try:
                connection, _peer = self.server.accept()
            except OSError:
                return
            with connection:
                self._answer(connection)

    def _read(self, connection, count: int) -> bytes:
        data = b""
        while len(data) < count:
            part = connection.recv(count - len(data))
            if not part:
                raise ConnectionError("closed")
            data += part
        return data

    def _answer(self, connection):
        try:
            assert self._read(connection, len(b"zINSTREAM\0")) == b"zINSTREAM\0"
            stream, sizes = b"", []
            while size := struct.unpack("!L", self._read(connection, 4))[0]:
                sizes.append(size)
                stream += self._read(connection, size)
        except (AssertionError, ConnectionError, OSError):
            return
        self.received.append(stream)
        self.chunk_sizes.append(sizes)
        if self.mode == "silent":
            threading.Event().wait(5)
            return
        if self.mode == "garbage":
            connection.sendall(b"UNKNOWN COMMAND\0")
            return
        verdict = b"stream: Eicar-Test-Signature FOUND\0" if EICAR in stream else b"stream: OK\0"
        connection.sendall(verdict)

    def close(self):
        self.server.close()


@pytest.fixture
def clamd(settings):
    scanner = FakeClamd()
    settings.PORTAL_CLAMD = scanner.address
    settings.PORTAL_CLAMD_TIMEOUT = 2
    yield scanner
    scanner.close()


def test_a_clean_file_passes_and_clamd_received_all_of_it(clamd):
    content = PDF + bytes(range(256)) * 1000  # 256 KB: several chunks
    upload = SimpleUploadedFile("方案.pdf", content)
    assert check_upload(upload) == "pdf"
    assert clamd.received == [content] and len(clamd.chunk_sizes[0]) > 1
    assert upload.read() == content  # rewound for the storage that saves it


@pytest.mark.parametrize(
    ("name", "content", "check"),
    [
        ("方案.pdf", PDF + EICAR, check_upload),
        ("营业执照.pdf", PDF + EICAR, check_evidence),
        # Inside an Office file (stored uncompressed, as the fake clamd does not unzip; clamd does).
        ("方案.docx", zip_surgery(docx_bytes(), {"word/media/eicar.com": EICAR}, stored=True), check_upload),
    ],
)
def test_the_eicar_test_file_is_refused_and_logged(clamd, caplog, name, content, check):
    with caplog.at_level(logging.WARNING, logger="core.virus_scan"):
        with pytest.raises(ValidationError) as refused:
            check(SimpleUploadedFile(name, content))
    assert refused.value.code == "virus_found"
    assert refused.value.messages == [f"文件“{name}”未通过病毒扫描（检出 Eicar-Test-Signature），已拒绝。"]
    assert any("Eicar-Test-Signature" in record.getMessage() for record in caplog.records)


def test_a_unix_socket_is_spoken_to_as_well(settings, tmp_path):
    scanner = FakeClamd(socket.AF_UNIX, path=str(tmp_path / "clamd.sock"))
    settings.PORTAL_CLAMD = scanner.address
    try:
        with pytest.raises(ValidationError, match="未通过病毒扫描"):
            check_upload(SimpleUploadedFile("方案.pdf", PDF + EICAR))
        assert check_upload(SimpleUploadedFile("方案.pdf", PDF)) == "pdf"
    finally:
        scanner.close()


def _closed_port() -> str:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return f"127.0.0.1:{port}"


@pytest.mark.parametrize("how", ["refused", "missing socket", "garbage", "silent"])
def test_a_scanner_configured_but_not_answering_refuses_the_upload_and_logs_it(settings, caplog, tmp_path, how):
    scanner = None
    if how == "refused":
        settings.PORTAL_CLAMD = _closed_port()
    elif how == "missing socket":
        settings.PORTAL_CLAMD = str(tmp_path / "no-clamd.sock")
    else:
        scanner = FakeClamd(mode=how)
        settings.PORTAL_CLAMD = scanner.address
    settings.PORTAL_CLAMD_TIMEOUT = 1
    try:
        with caplog.at_level(logging.ERROR, logger="core.virus_scan"):
            with pytest.raises(ValidationError) as refused:
                check_upload(SimpleUploadedFile("方案.pdf", PDF))
    finally:
        if scanner:
            scanner.close()
    assert refused.value.code == "scan_unavailable"
    assert "暂时无法完成病毒扫描，文件未保存" in refused.value.messages[0]
    assert [record.levelname for record in caplog.records] == ["ERROR"]
    assert "方案.pdf" in caplog.records[0].getMessage()


def test_without_a_scanner_nothing_is_scanned(settings):
    settings.PORTAL_CLAMD = ""
    assert check_upload(SimpleUploadedFile("方案.pdf", PDF + EICAR)) == "pdf"


@pytest.mark.parametrize(("value", "expected"), [("", ""), ("/run/clamav/clamd.ctl", None), ("127.0.0.1:3310", None)])
def test_the_setting_takes_a_socket_path_or_host_and_port(monkeypatch, value, expected):
    monkeypatch.setenv("PORTAL_CLAMD", value)
    assert env_socket_address("PORTAL_CLAMD") == (value if expected is None else expected)


@pytest.mark.parametrize("value", ["clamd", "127.0.0.1", "127.0.0.1:port", "127.0.0.1:70000", ":3310"])
def test_a_bad_setting_stops_the_start(monkeypatch, value):
    monkeypatch.setenv("PORTAL_CLAMD", value)
    with pytest.raises(ImproperlyConfigured, match="PORTAL_CLAMD"):
        env_socket_address("PORTAL_CLAMD")


# --- every upload path ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_capability_import_scans_the_workbook_before_storing_it(clamd):
    from capability_list import services
    from capability_list.import_checker import HEADERS
    from capability_list.models import ImportBatch
    from core.errors import DomainError
    from tests.factories.accounts import OrganisationFactory, UserFactory

    member = UserFactory(organisation=OrganisationFactory(kind="association"), roles=["association"])
    infected = zip_surgery(workbook_bytes(("能力清单", [HEADERS])), {"xl/media/eicar.com": EICAR}, stored=True)
    with pytest.raises(DomainError, match="未通过病毒扫描"):
        services.import_upload(actor=member, uploaded=SimpleUploadedFile("能力清单.xlsx", infected))
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_the_high_growth_import_scans_the_workbook_before_storing_it(clamd, reference_data):
    from core.errors import DomainError
    from steering.models import HighGrowthImport
    from steering.services import high_growth_import_check
    from tests.factories.accounts import operator_user

    infected = zip_surgery(
        workbook_bytes(("名单", [["统一社会信用代码", "企业名称"]])), {"xl/media/eicar.com": EICAR}, stored=True
    )
    with pytest.raises(DomainError, match="未通过病毒扫描"):
        high_growth_import_check(actor=operator_user(), uploaded=SimpleUploadedFile("名单.xlsx", infected))
    assert not HighGrowthImport.objects.exists()


# Every function of a services module that takes an uploaded file (an unannotated parameter of one
# of these names; a model instance of the same name is annotated) must call a check that goes
# through the scanner, or a service that does: a new upload path that forgets it fails here.
UPLOAD_PARAMETERS = {"uploaded_file", "uploaded", "evidence"}
SCANNING_CHECKS = {"check_upload", "accepted_file", "check_workbook_upload", "_read_high_growth_rows"}


def _upload_services() -> dict[str, set]:
    found = {}
    for path in sorted(ROOT.glob("*/services/*.py")):
        for function in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(function, ast.FunctionDef):
                continue
            arguments = function.args.args + function.args.kwonlyargs
            if any(argument.arg in UPLOAD_PARAMETERS and argument.annotation is None for argument in arguments):
                found[function.name] = {
                    getattr(node.func, "id", getattr(node.func, "attr", None))
                    for node in ast.walk(function)
                    if isinstance(node, ast.Call)
                }
    return found


def test_every_service_that_takes_an_upload_calls_a_scanning_check():
    services = _upload_services()
    assert len(services) >= 10, sorted(services)  # the attachments, evidence files and both imports
    checking = {name for name, called in services.items() if called & SCANNING_CHECKS}
    missing = sorted(name for name, called in services.items() if not called & (SCANNING_CHECKS | checking))
    assert missing == []


def test_the_scanning_checks_reach_the_scanner():
    for module, name in [("core/uploads.py", "check_upload"), ("core/excel_reading.py", "check_workbook_upload")]:
        tree = ast.parse((ROOT / module).read_text(encoding="utf-8"))
        function = next(node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef) and node.name == name)
        assert any(
            isinstance(node, ast.Call) and getattr(node.func, "id", None) == "scan_upload"
            for node in ast.walk(function)
        ), name
