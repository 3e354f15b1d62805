"""Intake uploads through the job path: a crafted PDF or DOCX bomb (built here, small on disk) is only
stored by the request, and the reading job refuses it within a time and memory budget, with a
message naming the file field that the officer sees on the draft's page."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.documents import MB, docx_bomb, docx_with_members, pdf_bomb, pdf_with_pages, text_page
from tests.factories import regional_admin
from tests.spreadsheets import within_budget

from sinergi.core.jobs import run_job_now
from sinergi.core.models import Job
from sinergi.intake import services
from sinergi.intake.models import IntakeDraft

pytestmark = pytest.mark.django_db

START = "/kerja-sama/draf/"


def many_pages() -> bytes:
    """Far more pages than DOCUMENT_MAX_PAGES, each with a line of text: about 150 KB on disk."""
    return pdf_with_pages([text_page(f"Pasal {i} kerja sama pelatihan") for i in range(1_000)])


def many_members_docx() -> bytes:
    members: dict[str, bytes | int] = {f"word/media/{i}.xml": b"x" for i in range(1_500)}
    members["word/document.xml"] = b"<w:document/>"
    return docx_with_members(members)


def members_inflating_too_far() -> bytes:
    return docx_with_members({"word/document.xml": 15 * MB, "word/a.xml": 15 * MB, "word/b.xml": 15 * MB})


BOMBS = [
    ("bom.pdf", pdf_bomb, 250_000, "PDF ini terlalu berat untuk dibaca"),
    ("halaman.pdf", many_pages, 400_000, "batas 300 halaman"),
    ("bom.docx", docx_bomb, 400_000, "Isi DOCX terlalu besar"),
    ("anggota.docx", many_members_docx, 400_000, "Isi DOCX terlalu besar"),
    ("gelembung.docx", members_inflating_too_far, 400_000, "Isi DOCX terlalu besar"),
]


@pytest.fixture
def never_extracted(monkeypatch):
    monkeypatch.setattr(services, "extract", lambda *a, **k: pytest.fail("a bomb's text was extracted"))


@pytest.mark.parametrize(("name", "build", "on_disk", "message"), BOMBS, ids=[b[0] for b in BOMBS])
def test_a_document_bomb_is_stored_by_the_request_and_refused_by_the_job_within_budget(
    client, monkeypatch, never_extracted, name, build, on_disk, message
):
    read = []
    real_read = services.read_document
    monkeypatch.setattr(services, "read_document", lambda data: read.append(1) or real_read(data))
    bomb = build()
    assert len(bomb) < on_disk
    client.force_login(regional_admin("16.71"))
    assert client.get(START).status_code == 200  # the first request loads the app: not the bomb's cost
    with within_budget(peak_mb=64, cpu_seconds=2):
        response = client.post(START, {"file": SimpleUploadedFile(name, bomb)})
    assert response.status_code == 302 and read == []  # the request only stored the file
    draft = IntakeDraft.objects.get()
    assert draft.status == IntakeDraft.Status.READING and draft.source_file
    job = Job.objects.get(kind="intake.extract")
    with within_budget(peak_mb=64, cpu_seconds=2):
        run_job_now(job.pk)
    draft.refresh_from_db()
    assert read == [1] and message in draft.error
    assert draft.status == IntakeDraft.Status.READING and draft.source_text == ""  # nothing half-read
    page = client.get(response["Location"]).content.decode()
    assert f"Berkas PDF/DOCX “{name}”" in page and message in page
