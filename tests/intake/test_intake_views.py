"""The intake pages: paste or upload → draft beside the highlighted source → correct → confirm."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from tests.factories import UserFactory, national_admin, regional_admin
from tests.intake.evaluate import find_seeds_dir

from sinergi.accounts.models import Organization, Role
from sinergi.core.demo import seed_foundation
from sinergi.intake.models import IntakeDraft
from sinergi.partnerships.models import Agreement

pytestmark = pytest.mark.django_db

SEEDS = find_seeds_dir()
START = "/kerja-sama/draf/"


def seed_text(prefix: str) -> str:
    files = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not files:
        pytest.skip(f"seed article {prefix} not found beside the repository")
    return files[0].read_text(encoding="utf-8")


def demo_user(client, username: str):
    from sinergi.accounts.models import User

    user = User.objects.get(username=username)
    client.force_login(user)
    return user


def form_post_data(response) -> dict[str, object]:
    """What the browser would send back for the review page as rendered (values, not edits)."""
    ctx = response.context
    data: dict[str, object] = {}
    forms = [ctx["form"], *ctx["parties"].forms, *ctx["commitments"].forms]
    for mgmt in (ctx["parties"].management_form, ctx["commitments"].management_form):
        for name in mgmt.fields:
            data[mgmt.add_prefix(name)] = mgmt[name].value()
    for form in forms:
        for name, field in form.fields.items():
            value = form[name].value()
            key = form.add_prefix(name)
            if field.widget.input_type == "checkbox" if hasattr(field.widget, "input_type") else False:
                if isinstance(value, list):
                    data[key] = value
                elif value:
                    data[key] = "on"
                continue
            if isinstance(value, list):
                data[key] = value
            elif value is None:
                data[key] = ""
            elif hasattr(value, "isoformat"):
                data[key] = value.isoformat()
            elif hasattr(value, "pk"):
                data[key] = value.pk
            else:
                data[key] = value
    return data


def start_from(client, text: str):
    response = client.post(START, {"text": text})
    assert response.status_code == 302, response.content.decode()[:3000]
    return client.get(response["Location"])


# ---------------------------------------------------------------------- the five seed articles

SEED_CASES = [
    # prefix, officer, parties (org names), type, signed date, place, status, commitments (qty, unit)
    (
        "000",
        "admin.samarinda",
        {"Pemerintah Kota Samarinda", "Badan Penelitian dan Pengembangan SDM Kominfo"},
        "mou",
        "2022-03-10",
        "Hotel Mercure Samarinda",
        "berlaku",
        [],
    ),
    (
        "001",
        "admin.palembang",
        {"Pemerintah Kota Palembang", "Badan Penelitian dan Pengembangan SDM Kominfo"},
        "nota_kesepakatan",
        "2021-12-20",
        "Palembang",
        "berlaku",
        [(Decimal(10000), "kursi")],
    ),
    (
        "002",
        "admin.kotim",
        {"Pemerintah Kabupaten Kotawaringin Timur", "Universitas Darwan Ali"},
        "mou",
        "2021-11-01",
        "Ruang Sampit Creative Hub",
        "berlaku",
        [],
    ),
    (
        "003",
        "admin.samarinda",
        {"Pemerintah Kota Samarinda", "Kementerian Ketenagakerjaan"},
        "nota_kesepakatan",
        None,
        "Ruang Rapat Karangasan, Gedung Balaikota",
        "pembahasan",
        [(Decimal(10000), "UKM")],
    ),
    (
        "004",
        "admin.sulsel",
        {"Pemerintah Provinsi Sulawesi Selatan", "Kementerian Komunikasi dan Informatika"},
        "mou",  # the article names no document type: proposed as an MoU, flagged for checking
        None,
        "Ruang Kerja Sekretaris Daerah (Sekda) Provinsi Sulsel",
        "pembahasan",
        [(Decimal(5800), "orang"), (Decimal(23000), "ASN")],
    ),
]


@pytest.fixture
def demo():
    seed_foundation()


@pytest.mark.parametrize(
    ("prefix", "officer", "parties", "type_", "signed", "place", "status", "commitments"), SEED_CASES
)
def test_seed_article_yields_the_right_draft(
    client, demo, prefix, officer, parties, type_, signed, place, status, commitments
):
    demo_user(client, officer)
    response = start_from(client, seed_text(prefix))
    assert response.status_code == 200
    ctx = response.context
    initial = ctx["form"].initial
    assert initial["type"] == type_
    assert initial["status"] == status
    assert initial["signed_date"] == signed
    assert initial["signed_place"] == place
    chosen = {
        Organization.objects.get(pk=int(f.initial["organization"])).name
        for f in ctx["parties"].forms
        if f.initial.get("organization", "").isdigit()
    }
    assert chosen == parties
    found = [
        (Decimal(str(f.initial["target_value"])), f.initial["unit"])
        for f in ctx["commitments"].forms
        if f.initial
    ]
    assert found == commitments
    ticked = [f.initial["include"] for f in ctx["commitments"].forms if f.initial]
    assert ticked == [c != (Decimal(5800), "orang") for c in commitments]
    html = response.content.decode()
    # Every value is highlighted in the source and the draft links to it.
    assert 'class="src-mark k-party"' in html
    assert 'href="#src-party-0"' in html and 'id="src-party-0"' in html
    if signed:
        assert 'id="src-date"' in html
    assert "yakin" in html
    assert "<script>" not in html and 'style="' not in html


@pytest.mark.parametrize(
    ("prefix", "officer", "parties", "type_", "signed", "place", "status", "commitments"), SEED_CASES
)
def test_confirming_a_seed_draft_creates_the_agreement(
    client, demo, prefix, officer, parties, type_, signed, place, status, commitments
):
    demo_user(client, officer)
    response = start_from(client, seed_text(prefix))
    data = form_post_data(response)
    data.update(action="buat", confirm="on")
    result = client.post(response.request["PATH_INFO"], data)
    assert result.status_code == 302, result.content.decode()[:4000]
    agreement = Agreement.objects.get()
    assert result["Location"] == reverse("partnerships:agreement_detail", args=[agreement.pk])
    assert agreement.type == type_ and agreement.status == status
    assert (agreement.signed_date.isoformat() if agreement.signed_date else None) == signed
    assert {p.organization.name for p in agreement.parties.all()} == parties
    # "sudah melatih sekitar 5.800 orang" is past achievement: offered in the draft, unticked, not created.
    targets = [c for c in commitments if c != (Decimal(5800), "orang")]
    assert sorted((c.target_value, c.unit) for c in agreement.commitments.all()) == sorted(targets)
    draft = IntakeDraft.objects.get()
    assert draft.status == IntakeDraft.Status.CREATED and draft.agreement == agreement
    # The agreement page shows it to the officer.
    page = client.get(result["Location"])
    assert agreement.title in page.content.decode()


def test_signatories_and_deadlines_are_prefilled(client, demo):
    demo_user(client, "admin.palembang")
    response = start_from(client, seed_text("001"))
    first = response.context["parties"].forms[0].initial
    assert first["signatory_name"] == "Harnojoyo"
    assert first["signatory_position"] == "Wali Kota Palembang"
    demo_user(client, "admin.samarinda")
    response = start_from(client, seed_text("003"))
    commitment = response.context["commitments"].forms[0].initial
    assert commitment["deadline"] == "2027-04-06"  # "dalam lima tahun" from the meeting of 6 April 2022
    assert response.context["form"].initial["end_date"] == "2027-04-05"


def test_nothing_is_created_without_confirmation(client, demo):
    demo_user(client, "admin.palembang")
    response = start_from(client, seed_text("001"))
    data = form_post_data(response)
    data.update(action="buat")
    result = client.post(response.request["PATH_INFO"], data)
    assert result.status_code == 400
    assert "Centang konfirmasi" in result.content.decode()
    assert not Agreement.objects.exists()
    assert IntakeDraft.objects.get().status == IntakeDraft.Status.DRAFT


def test_saved_corrections_are_there_when_the_draft_is_resumed(client, demo):
    demo_user(client, "admin.palembang")
    response = start_from(client, seed_text("001"))
    url = response.request["PATH_INFO"]
    data = form_post_data(response)
    data.update(action="simpan", title="Nota Kesepakatan Kecakapan Digital Palembang")
    saved = client.post(url, data)
    assert saved.status_code == 302
    assert not Agreement.objects.exists()
    listing = client.get(START).content.decode()
    assert url in listing  # offered for resuming
    again = client.get(url)
    assert again.context["form"]["title"].value() == "Nota Kesepakatan Kecakapan Digital Palembang"


def test_unknown_party_becomes_a_new_organisation(client):
    user = regional_admin("16.71")
    client.force_login(user)
    response = start_from(client, seed_text("001"))
    forms = response.context["parties"].forms
    # Nothing registered resembles the ministry's agency: it is proposed as a new organisation.
    agency = next(f for f in forms if "Litbang" in (f.initial.get("new_name") or ""))
    assert agency.initial["organization"] == "baru"
    assert agency.initial["new_kind"] == "agency"
    data = form_post_data(response)
    for f in forms:
        if f.initial:
            data[f.add_prefix("organization")] = "baru"
    data.update(action="buat", confirm="on")
    result = client.post(response.request["PATH_INFO"], data)
    assert result.status_code == 302, result.content.decode()[:3000]
    agreement = Agreement.objects.get()
    created = {p.organization.name: p.organization for p in agreement.parties.all()}
    assert created["Pemerintah Kota Palembang"].region_id == "16.71"
    assert created["Pemerintah Kota Palembang"].kind == "city_gov"
    assert created["Badan Litbang SDM Kementerian Komunikasi dan Informatika"].region_id is None


def test_the_same_organisation_twice_is_refused(client, demo):
    demo_user(client, "admin.palembang")
    response = start_from(client, seed_text("001"))
    data = form_post_data(response)
    data["pihak-1-organization"] = data["pihak-0-organization"]
    data.update(action="buat", confirm="on")
    result = client.post(response.request["PATH_INFO"], data)
    assert result.status_code == 400
    assert "memilih organisasi yang sama" in result.content.decode()
    assert not Agreement.objects.exists()


def test_invalid_commitment_names_row_and_field_and_saves_nothing(client, demo):
    demo_user(client, "admin.palembang")
    response = start_from(client, seed_text("001"))
    data = form_post_data(response)
    data.update({"komitmen-0-target_value": "", "action": "buat", "confirm": "on"})
    result = client.post(response.request["PATH_INFO"], data)
    assert result.status_code == 400
    assert "Komitmen 1 — Target: Wajib diisi" in result.content.decode()
    assert (
        not Agreement.objects.exists() and Organization.objects.filter(name__contains="Litbang").count() == 0
    )


def test_a_created_draft_cannot_be_created_twice(client, demo):
    demo_user(client, "admin.palembang")
    response = start_from(client, seed_text("001"))
    data = form_post_data(response)
    data.update(action="buat", confirm="on")
    url = response.request["PATH_INFO"]
    assert client.post(url, data).status_code == 302
    again = client.post(url, data)
    assert again.status_code == 200
    html = again.content.decode()
    assert "sudah dibuat menjadi kerja sama" in html
    assert 'value="buat"' not in html  # no second "Buat kerja sama" button
    assert Agreement.objects.count() == 1


def test_national_admin_drafts_without_a_region_of_their_own(client, demo):
    demo_user(client, "admin.nasional")
    response = start_from(client, seed_text("004"))
    form = response.context["form"]
    assert form.initial["region"] == "73" and not form.fields["region"].required
    data = form_post_data(response)
    data.update(action="buat", confirm="on")
    result = client.post(response.request["PATH_INFO"], data)
    assert result.status_code == 302, result.content.decode()[:3000]
    assert Agreement.objects.get().region_id == "73"
    assert IntakeDraft.objects.get().region_id is None  # only national admins see it


def test_a_text_naming_one_party_offers_a_row_to_add_the_other(client, demo):
    demo_user(client, "admin.palembang")
    text = (
        "Pemerintah Kota Palembang membahas rencana nota kesepahaman tentang pelatihan digital bagi "
        "aparatur sipil negara di Palembang, Senin (6/3/2023). Wali Kota Palembang mengatakan pelatihan "
        "ini akan diikuti oleh para pegawai dari seluruh dinas dan kecamatan di kota tersebut agar "
        "pelayanan publik menjadi lebih cepat dan mudah bagi warga."
    )
    response = start_from(client, text)
    forms = response.context["parties"].forms
    proposed = [f for f in forms if f.initial]
    assert len(proposed) == 1 and len(forms) == 2
    assert '<details class="extra-row" open>' in response.content.decode()
    data = form_post_data(response)
    data.update(action="buat", confirm="on")
    result = client.post(response.request["PATH_INFO"], data)
    assert result.status_code == 400
    assert "sedikitnya dua pihak" in result.content.decode()
    kominfo = Organization.objects.get(short_name="Kominfo")
    data["pihak-1-organization"] = str(kominfo.pk)
    result = client.post(response.request["PATH_INFO"], data)
    assert result.status_code == 302, result.content.decode()[:3000]
    assert Agreement.objects.get().status == "pembahasan"


def test_a_long_text_is_read_in_the_background(client, demo):
    demo_user(client, "admin.palembang")
    filler = (
        "Program pelatihan ini diharapkan memperkuat kemampuan aparatur dan warga dalam memanfaatkan "
        "teknologi untuk pelayanan yang lebih baik bagi seluruh masyarakat di daerah."
    )
    long_text = seed_text("001") + "\n\n" + "\n\n".join([filler] * 200)
    assert len(long_text) > 30_000
    response = client.post(START, {"text": long_text})
    url = response["Location"]
    draft = IntakeDraft.objects.get()
    assert draft.status == IntakeDraft.Status.READING
    waiting = client.get(url).content.decode()
    assert "dibaca di latar belakang" in waiting and 'hx-get="' in waiting
    poll = client.get(reverse("intake:reading", args=[draft.pk]))
    assert poll.status_code == 200 and "HX-Refresh" not in poll

    from sinergi.core.jobs import run_job_now
    from sinergi.core.models import Job

    run_job_now(Job.objects.get(kind="intake.extract").pk)
    draft.refresh_from_db()
    assert draft.status == IntakeDraft.Status.DRAFT and draft.extraction["parties"]
    poll = client.get(reverse("intake:reading", args=[draft.pk]))
    assert poll.status_code == 204 and poll["HX-Refresh"] == "true"
    page = client.get(url)
    assert page.context["form"].initial["type"] == "nota_kesepakatan"


# ---------------------------------------------------------------------- bad input


ENGLISH = (
    "The city government signed a memorandum of understanding with the ministry on Monday to train ten "
    "thousand young people in digital skills over the next five years, the mayor said in a statement. "
    "The programme will be run with four universities and will include certification for civil servants."
)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Teks kosong"),
        ("   \n  ", "Teks kosong"),
        ("asdf qwer zxcv " * 3, "terlalu pendek"),
        ("#$%^&*()_+ 12345 !!! ??? " * 20, "bukan huruf"),
        ("xzq vbnm kjh qwrt pslk " * 20, "tidak dikenali"),
        (ENGLISH, "tidak berbahasa Indonesia"),
        ("kerja sama daerah dengan kementerian untuk pelatihan digital. " * 4000, "terlalu panjang"),
    ],
)
def test_bad_text_gets_a_clear_message(client, text, message):
    client.force_login(regional_admin("16.71"))
    response = client.post(START, {"text": text})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not IntakeDraft.objects.exists()


def tiny_pdf(lines: list[str] | None) -> bytes:
    """A minimal one-page PDF by hand: with `lines` as real text, or (None) with only a drawn box."""
    if lines is None:
        stream = b"0 0 1 rg 50 50 200 200 re f"
    else:
        safe = [
            ln.encode("latin-1", "replace")
            .replace(b"\\", b"\\\\")
            .replace(b"(", b"\\(")
            .replace(b")", b"\\)")
            for ln in lines
        ]
        stream = b"BT /F1 9 Tf 30 800 Td 11 TL " + b" ".join(b"(" + s + b") Tj T*" for s in safe) + b" ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{i} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def docx_bytes(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def article_lines(prefix: str) -> list[str]:
    text = seed_text(prefix)
    lines = []
    for line in text.splitlines():
        line = line.strip()
        while len(line) > 110:
            cut = line.rfind(" ", 0, 110)
            lines.append(line[:cut])
            line = line[cut + 1 :]
        if line:
            lines.append(line)
    return [re.sub(r"[“”]", '"', ln) for ln in lines]


def run_reading_job() -> IntakeDraft:
    from sinergi.core.jobs import run_job_now
    from sinergi.core.models import Job

    run_job_now(Job.objects.get(kind="intake.extract").pk)
    return IntakeDraft.objects.get()


def test_an_upload_is_only_stored_in_the_request_and_read_in_the_job(client, demo, monkeypatch):
    from sinergi.intake import services

    reads = []
    real_pdf = services.read_pdf_text
    monkeypatch.setattr(
        services, "read_pdf_text", lambda data, **kw: reads.append(len(data)) or real_pdf(data, **kw)
    )
    demo_user(client, "admin.palembang")
    upload = SimpleUploadedFile("mou.pdf", tiny_pdf(article_lines("001")[:60]))
    response = client.post(START, {"file": upload})
    assert response.status_code == 302
    draft = IntakeDraft.objects.get()
    assert reads == [] and draft.status == IntakeDraft.Status.READING and draft.source_text == ""
    assert "dibaca di latar belakang" in client.get(response["Location"]).content.decode()
    assert run_reading_job().status == IntakeDraft.Status.DRAFT and len(reads) == 1


def test_pdf_with_text_becomes_a_draft(client, demo):
    demo_user(client, "admin.palembang")
    upload = SimpleUploadedFile(
        "mou.pdf", tiny_pdf(article_lines("001")[:60]), content_type="application/pdf"
    )
    response = client.post(START, {"file": upload})
    assert response.status_code == 302, response.content.decode()[:3000]
    draft = run_reading_job()
    assert draft.source_kind == "pdf" and draft.source_name == "mou.pdf"
    assert "Palembang" in draft.source_text
    page = client.get(response["Location"])
    assert page.context["form"].initial["type"] == "nota_kesepakatan"
    download = client.get(reverse("intake:source_file", args=[draft.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")


def test_docx_with_text_becomes_a_draft(client, demo):
    demo_user(client, "admin.samarinda")
    upload = SimpleUploadedFile("naskah.docx", docx_bytes(seed_text("003").splitlines()))
    response = client.post(START, {"file": upload})
    assert response.status_code == 302, response.content.decode()[:3000]
    run_reading_job()
    page = client.get(response["Location"])
    assert page.context["form"].initial["type"] == "nota_kesepakatan"
    assert IntakeDraft.objects.get().source_kind == "docx"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("palsu.pdf", b"Ini bukan PDF, hanya teks biasa yang diberi nama .pdf " * 5, "bukan PDF atau DOCX"),
        ("besar.pdf", b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024 + 10), "terlalu besar"),
    ],
)
def test_files_that_are_not_documents_are_refused_in_the_request(client, name, content, message):
    client.force_login(regional_admin("16.71"))
    response = client.post(START, {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not IntakeDraft.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("gambar.pdf", None, "tidak berisi teks yang dapat dibaca"),
        ("rusak.pdf", b"%PDF-1.4\n garbage garbage", "PDF rusak"),
        ("arsip.docx", "zip", "bukan dokumen Word"),
        ("kosong.docx", "emptydocx", "tidak berisi teks"),
        ("english.docx", "english", "tidak berbahasa Indonesia"),
    ],
)
def test_unreadable_documents_get_a_clear_message_from_the_job(client, name, content, message):
    client.force_login(regional_admin("16.71"))
    if content is None:
        content = tiny_pdf(None)
    elif content == "zip":
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("readme.txt", "halo")
        content = buf.getvalue()
    elif content == "emptydocx":
        content = docx_bytes([])
    elif content == "english":
        content = docx_bytes([ENGLISH])
    response = client.post(START, {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 302
    draft = run_reading_job()
    assert draft.status == IntakeDraft.Status.READING and message in draft.error
    page = client.get(response["Location"]).content.decode()
    assert message in page and "hx-get" not in page


def test_text_and_file_together_are_refused(client):
    client.force_login(regional_admin("16.71"))
    upload = SimpleUploadedFile("a.docx", docx_bytes(["Halo"]))
    response = client.post(START, {"text": "Pemkot teken MoU", "file": upload})
    assert response.status_code == 400
    assert "Pilih salah satu" in response.content.decode()


# ---------------------------------------------------------------------- who may see what


def test_drafts_are_scoped_to_their_region(client, demo):
    palembang = demo_user(client, "admin.palembang")
    response = start_from(client, seed_text("001"))
    url = response.request["PATH_INFO"]
    draft = IntakeDraft.objects.get()
    assert draft.region_id == "16.71" and draft.created_by == palembang

    client.force_login(regional_admin("64.72"))
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "simpan"}).status_code == 404
    assert client.post(reverse("intake:discard", args=[draft.pk])).status_code == 404
    assert url not in client.get(START).content.decode()

    client.force_login(regional_admin("16"))  # the province sees its cities' drafts
    assert client.get(url).status_code == 200
    client.force_login(national_admin())
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.PROVIDER_STAFF, Role.ASSESSOR])
def test_other_roles_get_403(client, role):
    client.force_login(UserFactory(role=role))
    assert client.get(START).status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get(START)
    assert response.status_code == 302 and "/akun/" in response["Location"]


def test_discarding_a_draft(client, demo):
    demo_user(client, "admin.palembang")
    start_from(client, seed_text("001"))
    draft = IntakeDraft.objects.get()
    assert client.post(reverse("intake:discard", args=[draft.pk])).status_code == 302
    assert not IntakeDraft.objects.exists()


def test_starting_drafts_is_rate_limited_per_officer(client):
    client.force_login(regional_admin("16.71"))
    codes = [client.post(START, {"text": ""}).status_code for _ in range(31)]
    assert codes[:30] == [400] * 30 and codes[30] == 429


def test_the_extractor_refusal_is_shown_in_english_to_an_english_reader(client):
    # The extractor keeps its Indonesian text (the command line prints it); the page translates it.
    client.force_login(regional_admin("16.71"))
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.post(START, {"text": ENGLISH}).content.decode()
    assert "The text does not appear to be in Indonesian." in html
    assert "tidak berbahasa Indonesia" not in html
    long_text = "kerja sama daerah dengan kementerian untuk pelatihan digital. " * 4000
    html = client.post(START, {"text": long_text}).content.decode()
    assert re.search(r"The text is too long \(24\d\.\d{3} characters; limit 200\.000\)\.", html)
