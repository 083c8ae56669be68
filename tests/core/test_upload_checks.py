"""core.uploads: file names that do not show what the file is, and Office files that carry macros,
are refused with a Chinese message, on every upload that accepts such files."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.errors import DomainError
from core.uploads import accepted_file, check_evidence, check_upload
from scenarios.models import ScenarioAttachment
from tests.factories.scenarios import ScenarioFactory, publisher_user
from tests.hostile_workbooks import (
    docm_as_docx,
    docx_bytes,
    macro_enabled_types_only,
    ole_file,
    with_macros,
    workbook_bytes,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


def refusal(name: str, content: bytes = PDF, check=check_upload) -> str:
    with pytest.raises(ValidationError) as refused:
        check(SimpleUploadedFile(name, content))
    return refused.value.messages[0]


# --- names ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "发票\u202efdp.exe.pdf",  # RIGHT-TO-LEFT OVERRIDE: shows as 发票fdp.exe… reversed
        "合同\u202dX.pdf",  # LEFT-TO-RIGHT OVERRIDE
        "合同\u202aX.pdf",
        "合同\u202bX.pdf",
        "合同\u202cX.pdf",
        "方案\u2066X\u2069.pdf",  # LEFT-TO-RIGHT ISOLATE … POP DIRECTIONAL ISOLATE
        "方案\u2067X.pdf",
        "方案\u2068X.pdf",
        "报告\u200f.pdf",  # RIGHT-TO-LEFT MARK
        "报告\u200e.pdf",
        "报告\u061c.pdf",  # ARABIC LETTER MARK
    ],
)
def test_a_name_with_a_direction_control_is_refused(name):
    message = refusal(name)
    assert "改变文字方向的控制字符" in message
    assert name not in message  # shown, the name would mislead again


@pytest.mark.parametrize(
    "name",
    [
        ".pdf",
        "   .pdf",
        "\u200b\u200b.pdf",  # ZERO WIDTH SPACE
        "\u200c\u200d\u2060.pdf",  # ZERO WIDTH NON-JOINER, JOINER, WORD JOINER
        "\ufeff.pdf",  # BYTE ORDER MARK
        "\u3000\u3000.pdf",  # IDEOGRAPHIC SPACE
        "\u00a0.pdf",  # NO-BREAK SPACE
        "\u3164\u3164.pdf",  # HANGUL FILLER: a letter drawn as nothing
        "\u2800.pdf",  # BRAILLE PATTERN BLANK
        "\u115f\u1160.pdf",
        "\u034f\ufe0f.pdf",  # COMBINING GRAPHEME JOINER, VARIATION SELECTOR-16
        "\u180e\u00ad.pdf",  # MONGOLIAN VOWEL SEPARATOR, SOFT HYPHEN
        "\t\n.pdf",
    ],
)
def test_a_name_of_nothing_visible_is_refused(name):
    assert "文件名为空或只有空白、不可见字符" in refusal(name)


@pytest.mark.parametrize("name", ["实施方案.pdf", "实施 方案（2026）.pdf", "a.pdf", "Ｒｅｐｏｒｔ.pdf", "报告 .pdf"])
def test_ordinary_names_pass(name):
    assert check_upload(SimpleUploadedFile(name, PDF)) == "pdf"


def test_evidence_names_are_checked_the_same_way():
    assert "文件名为空" in refusal("\u3164.pdf", check=check_evidence)


# --- macros --------------------------------------------------------------------------------------

BOOK = workbook_bytes(("表", [["a", "b"], [1, 2]]))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("方案.docx", docm_as_docx()),
        ("表.xlsx", with_macros(BOOK)),
        ("表.xlsx", with_macros(BOOK, content_type=False)),
        ("表.xlsx", with_macros(BOOK, part="xl/embeddings/vbaProject.bin", content_type=False)),
        ("表.xlsx", macro_enabled_types_only(BOOK)),
        ("方案.docx", macro_enabled_types_only(docx_bytes())),
        ("旧方案.doc", ole_file(macros=True)),
        ("旧表.xls", ole_file(macros=True)),
    ],
    ids=[
        "docm as docx",
        "xlsm as xlsx",
        "VBA part alone",
        "VBA part elsewhere",
        "types only",
        "docx types",
        "doc",
        "xls",
    ],
)
def test_office_files_with_macros_are_refused(name, content):
    message = refusal(name, content)
    assert "含有宏" in message and name in message


@pytest.mark.parametrize(
    ("name", "content"),
    [("方案.docx", docx_bytes()), ("表.xlsx", BOOK), ("旧方案.doc", ole_file(macros=False))],
)
def test_office_files_without_macros_pass(name, content):
    assert check_upload(SimpleUploadedFile(name, content)) == name.rsplit(".", 1)[1]


def test_the_macro_name_is_found_across_a_chunk_boundary():
    content = ole_file(macros=False) + b"\x00" * (1024 * 1024 - len(ole_file(macros=False)) - 5)
    content += "_VBA_PROJECT".encode("utf-16-le") + b"\x00" * 100
    assert "含有宏" in refusal("旧方案.doc", content)


def test_a_refusal_reaches_the_service_as_a_domain_error():
    with pytest.raises(DomainError, match="含有宏") as refused:
        accepted_file(SimpleUploadedFile("方案.docx", docm_as_docx()))
    assert refused.value.code == "file_macros"


# --- through a page ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("实施方案.docx", docm_as_docx(), "含有宏"),
        ("\u3164\u3164.pdf", PDF, "文件名为空或只有空白、不可见字符"),
        ("   .pdf", PDF, "文件名为空或只有空白、不可见字符"),
    ],
)
def test_the_attachment_page_says_why_and_stores_nothing(client, name, content, message):
    publisher = publisher_user()
    scenario = ScenarioFactory(publisher=publisher.organisation, created_by=publisher)
    client.force_login(publisher)
    response = client.post(
        reverse("scenarios:attachment-add", args=[scenario.pk]),
        {"file": SimpleUploadedFile(name, content)},
        follow=True,
    )
    assert response.status_code == 200 and message in response.content.decode()
    assert not ScenarioAttachment.objects.exists()


@pytest.mark.django_db
def test_over_http_django_already_drops_direction_controls_from_a_file_name(client):
    """Django's multipart parser keeps only printable characters of a file name (U+202E is a
    format character), so the spoof arrives as its plain letters and is judged by them: here an
    .exe. core.uploads refuses such names for every other way a file reaches a service."""
    publisher = publisher_user()
    scenario = ScenarioFactory(publisher=publisher.organisation, created_by=publisher)
    client.force_login(publisher)
    response = client.post(
        reverse("scenarios:attachment-add", args=[scenario.pk]),
        {"file": SimpleUploadedFile("发票\u202efdp.exe", PDF)},
        follow=True,
    )
    assert "不支持的文件类型“发票fdp.exe”" in response.content.decode()
    assert not ScenarioAttachment.objects.exists()
