"""XLSX/CSV export of the filtered list; XLSX import: round trip, upsert, all-or-nothing, errors per cell."""

import csv
import dataclasses
import io
from datetime import date
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.test import TestCase
from openpyxl import Workbook, load_workbook
from tests.factories import national_admin, regional_admin

from sinergi.core.demo import seed_foundation
from sinergi.partnerships import exports, imports
from sinergi.partnerships.demo import seed_partnerships
from sinergi.partnerships.models import Agreement, AgreementParty, Commitment, Status, StatusChange
from sinergi.partnerships.selectors import agreement_rows, agreements_visible_to, with_parties_and_commitments
from sinergi.partnerships.services import add_manual_measurement

pytestmark = pytest.mark.django_db

PALEMBANG = "Peningkatan Kecakapan Digital Aparatur dan Masyarakat Kota Palembang"
KEMNAKER = "Peningkatan Kompetensi Sumber Daya Manusia Kota Samarinda"
TODAY = date(2024, 6, 1)


@pytest.fixture
def demo():
    seed_foundation()
    seed_partnerships()
    return {a.title: a for a in Agreement.objects.all()}


def export_for(user) -> bytes:
    qs = with_parties_and_commitments(agreements_visible_to(user).order_by("pk"))
    return exports.export_xlsx(agreement_rows(qs, TODAY))


def sheet(data: bytes, name: str) -> list[dict]:
    ws = load_workbook(io.BytesIO(data))[name]
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=False)) for r in rows[1:]]


def workbook_bytes(wb: Workbook) -> io.BytesIO:
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def edit(data: bytes, sheet_name: str, row: int, header: str, value) -> io.BytesIO:
    wb = load_workbook(io.BytesIO(data))
    ws = wb[sheet_name]
    column = [c.value for c in ws[1]].index(header) + 1
    ws.cell(row=row, column=column, value=value)
    return workbook_bytes(wb)


def snapshot() -> list:
    return [
        list(Agreement.objects.order_by("pk").values()),
        list(AgreementParty.objects.order_by("pk").values()),
        list(Commitment.objects.order_by("pk").values()),
        StatusChange.objects.count(),
        # A trial import leaves its own audit entry (who tried which file); nothing else may change.
        LogEntry.objects.exclude(additional_data__has_key="operasi").count(),
    ]


def test_export_has_agreements_parties_and_commitments_sheets_keyed_by_ref(demo):
    admin = national_admin()
    data = export_for(admin)
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Kerja sama", "Pihak", "Komitmen", "Petunjuk"]
    agreements = {r["Judul"]: r for r in sheet(data, "Kerja sama")}
    palembang = agreements[PALEMBANG]
    assert palembang["ID Sinergi"] == demo[PALEMBANG].pk
    assert palembang["Jenis"] == "Nota Kesepakatan" and palembang["Status"] == "Berlaku"
    assert palembang["Tanggal mulai"].date() == date(2021, 12, 20)
    assert palembang["Kode wilayah"] == "16.71" and palembang["Wilayah"] == "Kota Palembang"
    parties = [r for r in sheet(data, "Pihak") if r["Ref kerja sama"] == palembang["Ref"]]
    assert {p["Organisasi"] for p in parties} == {
        "Pemerintah Kota Palembang",
        "Badan Penelitian dan Pengembangan SDM Kominfo",
    }
    assert any(p["Nama penanda tangan"] == "H. Harnojoyo" for p in parties)
    commitments = [r for r in sheet(data, "Komitmen") if r["Ref kerja sama"] == palembang["Ref"]]
    seats = next(c for c in commitments if c["Satuan"] == "kursi")
    assert seats["Target"] == 10000 and seats["Metrik"] == "manual"
    assert '"dasar": 5000' in seats["Rincian (JSON)"]
    guide = [r for r in load_workbook(io.BytesIO(data))["Petunjuk"].iter_rows(values_only=True)]
    assert ("Status", "Berlaku", None, "berlaku") in guide


def test_round_trip_changes_nothing(demo):
    admin = national_admin()
    seats = demo[PALEMBANG].commitments.get(unit="kursi")
    add_manual_measurement(seats, value=Decimal(2500), evidence_note="Rekap", user=admin)
    before = snapshot()
    result = imports.import_xlsx(io.BytesIO(export_for(admin)), user=admin)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 5)
    assert snapshot() == before


def test_round_trip_of_a_formula_looking_title(demo):
    admin = national_admin()
    Agreement.objects.filter(pk=demo[PALEMBANG].pk).update(title='=HYPERLINK("x")', scope="  baris\nkedua ")
    data = export_for(admin)
    wb = load_workbook(io.BytesIO(data))
    cell = next(c for c in wb["Kerja sama"]["D"] if c.value == '=HYPERLINK("x")')
    assert cell.data_type == "s"  # text, never a formula
    result = imports.import_xlsx(io.BytesIO(data), user=admin)
    assert result.updated == 0


def test_import_updates_changed_cells_and_adds_rows(demo):
    admin = national_admin()
    data = export_for(admin)
    rows = sheet(data, "Kerja sama")
    row = 2 + next(i for i, r in enumerate(rows) if r["Judul"] == PALEMBANG)
    changed = edit(data, "Kerja sama", row, "Nomor", "119/NK/PLG/2021")
    wb = load_workbook(changed)
    ref = wb["Kerja sama"].cell(row=row, column=1).value
    wb["Komitmen"].append([ref, None, "Pelaku UMKM terlatih", "manual", 500, "UMKM", date(2026, 12, 19)])
    result = imports.import_xlsx(workbook_bytes(wb), user=admin)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 4)
    palembang = Agreement.objects.get(pk=demo[PALEMBANG].pk)
    assert palembang.number == "119/NK/PLG/2021"
    assert palembang.commitments.filter(title="Pelaku UMKM terlatih", target_value=500).exists()
    assert palembang.commitments.count() == 3


def test_import_creates_new_agreements_and_a_second_import_is_idempotent(demo):
    admin = regional_admin("64.72")
    wb = Workbook()
    ws = wb.active
    ws.title = "Kerja sama"
    ws.append(
        [
            "Ref",
            "ID Sinergi",
            "Nomor",
            "Judul",
            "Jenis",
            "Status",
            "Topik",
            "Tanggal mulai",
            "Tanggal berakhir",
            "Tanggal penandatanganan",
        ]
    )
    ws.append(
        [
            "baru-1",
            None,
            "415/001/KS-SMD/2024",
            "PKS BLK Samarinda",
            "PKS",
            "berlaku",
            "UMKM; Talenta digital",
            "01-02-2024",
            date(2026, 1, 31),
            "31-01-2024",
        ]
    )
    parties = wb.create_sheet("Pihak")
    parties.append(
        ["Ref kerja sama", "Organisasi", "Kode wilayah organisasi", "Peran", "Nama penanda tangan"]
    )
    parties.append(["baru-1", "Pemerintah Kota Samarinda", "64.72", "Pihak pertama", "Andi Harun"])
    parties.append(["baru-1", "UPTP Balai Latihan Kerja Samarinda", "64.72", "pihak_kedua", None])
    commitments = wb.create_sheet("Komitmen")
    commitments.append(["Ref kerja sama", "Komitmen", "Target", "Satuan", "Tenggat", "Rincian (JSON)"])
    commitments.append(["baru-1", "Wirausaha muda terlatih", 1000, "orang", "31-01-2026", '{"2024": 400}'])

    result = imports.import_xlsx(workbook_bytes(wb), user=admin)
    assert (result.created, result.updated) == (1, 0)
    created = Agreement.objects.get(title="PKS BLK Samarinda")
    assert created.status == Status.BERLAKU and created.region_id == "64.72"
    assert created.topics == ["umkm", "digital_talent"]
    assert created.parties.get(role=AgreementParty.Role.FIRST).signatory_name == "Andi Harun"
    assert created.commitments.get().breakdown == {"2024": 400}
    assert created.start_date == date(2024, 2, 1)

    again = imports.import_xlsx(workbook_bytes(wb), user=admin)  # matched by its number
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert Agreement.objects.filter(title="PKS BLK Samarinda").count() == 1


def test_dry_run_saves_nothing(demo):
    admin = national_admin()
    data = export_for(admin)
    changed = edit(data, "Kerja sama", 2, "Judul", "Judul baru")
    before = snapshot()
    result = imports.import_xlsx(changed, user=admin, dry_run=True)
    assert result.updated == 1 and "Uji coba" in result.summary()
    assert snapshot() == before


def test_bad_rows_are_reported_per_sheet_row_and_column_and_nothing_is_saved(demo):
    admin = national_admin()
    data = export_for(admin)
    wb = load_workbook(io.BytesIO(data))
    agreements, parties, commitments = wb["Kerja sama"], wb["Pihak"], wb["Komitmen"]
    headers = {
        name: [c.value for c in ws[1]] for name, ws in (("a", agreements), ("p", parties), ("c", commitments))
    }

    def put(ws, key, row, header, value):
        ws.cell(row=row, column=headers[key].index(header) + 1, value=value)

    put(agreements, "a", 2, "Judul", "Judul yang berubah")  # a valid change that must not be saved
    put(agreements, "a", 3, "Tanggal berakhir", date(2000, 1, 1))  # before the start
    put(agreements, "a", 4, "Tanggal mulai", "31-02-2022")  # no such date
    put(agreements, "a", 5, "Status", "Disetujui")  # unknown status
    put(agreements, "a", 6, "Jenis", "Surat edaran")  # unknown type
    put(parties, "p", 2, "Organisasi", "Dinas Entah Apa")  # unknown organisation
    put(commitments, "c", 2, "Metrik", "jumlah_bintang")  # unknown metric
    put(commitments, "c", 3, "Target", "sepuluh ribu")  # not a number
    before = snapshot()
    with pytest.raises(imports.ImportFailed) as failure:
        imports.import_xlsx(workbook_bytes(wb), user=admin)
    found = {(p.sheet, p.row, p.column) for p in failure.value.problems}
    assert {
        ("Kerja sama", 3, "Tanggal berakhir"),
        ("Kerja sama", 4, "Tanggal mulai"),
        ("Kerja sama", 5, "Status"),
        ("Kerja sama", 6, "Jenis"),
        ("Pihak", 2, "Organisasi"),
        ("Komitmen", 2, "Metrik"),
        ("Komitmen", 3, "Target"),
    } <= found
    messages = [str(p) for p in failure.value.problems]
    assert any("Lembar Pihak, baris 2, kolom Organisasi: organisasi 'Dinas Entah Apa'" in m for m in messages)
    assert any("bukan tanggal yang valid" in m for m in messages)
    assert any("'Disetujui' tidak dikenal" in m for m in messages)
    assert any("sebelum tanggal mulai" in m for m in messages)
    assert snapshot() == before


def test_illegal_status_change_is_refused_with_the_row(demo):
    admin = national_admin()
    data = export_for(admin)
    rows = sheet(data, "Kerja sama")
    row = 2 + next(i for i, r in enumerate(rows) if r["Judul"] == KEMNAKER)  # in Pembahasan
    with pytest.raises(imports.ImportFailed) as failure:
        imports.import_xlsx(edit(data, "Kerja sama", row, "Status", "Selesai"), user=admin)
    [problem] = failure.value.problems
    assert (problem.sheet, problem.row, problem.column) == ("Kerja sama", row, "Status")
    assert "tidak diizinkan" in problem.message


def test_import_refuses_berlaku_without_signing_date_naming_row_and_column(demo):
    admin = national_admin()
    data = export_for(admin)
    rows = sheet(data, "Kerja sama")
    row = 2 + next(i for i, r in enumerate(rows) if r["Judul"] == KEMNAKER)  # in Pembahasan, unsigned
    imports.import_xlsx(edit(data, "Kerja sama", row, "Status", "Menunggu Tanda Tangan"), user=admin)
    before = snapshot()
    with pytest.raises(imports.ImportFailed) as failure:
        imports.import_xlsx(edit(export_for(admin), "Kerja sama", row, "Status", "Berlaku"), user=admin)
    [problem] = failure.value.problems
    assert (problem.row, problem.column) == (row, "Tanggal penandatanganan")
    assert problem.message == "Tanggal penandatanganan wajib diisi sebelum kerja sama berstatus Berlaku."
    assert snapshot() == before


def test_a_legal_status_change_goes_through_the_lifecycle(demo):
    admin = national_admin()
    data = export_for(admin)
    rows = sheet(data, "Kerja sama")
    row = 2 + next(i for i, r in enumerate(rows) if r["Judul"] == KEMNAKER)
    imports.import_xlsx(edit(data, "Kerja sama", row, "Status", "Menunggu Tanda Tangan"), user=admin)
    change = StatusChange.objects.filter(agreement=demo[KEMNAKER]).last()
    assert (change.from_status, change.to_status, change.changed_by) == (
        Status.PEMBAHASAN,
        Status.MENUNGGU_TTD,
        admin,
    )


def test_regional_admin_cannot_change_another_regions_agreement_by_import(demo):
    palembang_admin = regional_admin("16.71")
    samarinda_admin = regional_admin("64.72")
    data = export_for(palembang_admin)  # the public ones plus Palembang's
    # Unchanged rows of other regions' public agreements pass; changing one is refused.
    assert imports.import_xlsx(io.BytesIO(data), user=samarinda_admin).updated == 0
    rows = sheet(data, "Kerja sama")
    row = 2 + next(i for i, r in enumerate(rows) if r["Judul"] == PALEMBANG)
    with pytest.raises(imports.ImportFailed) as failure:
        imports.import_xlsx(edit(data, "Kerja sama", row, "Judul", "Diubah"), user=samarinda_admin)
    assert "tidak berwenang" in failure.value.problems[0].message


def test_regional_admin_cannot_name_another_regions_draft_by_id(demo):
    Agreement.objects.filter(pk=demo[PALEMBANG].pk).update(status=Status.PEMBAHASAN)
    data = export_for(national_admin())
    with pytest.raises(imports.ImportFailed) as failure:
        imports.import_xlsx(io.BytesIO(data), user=regional_admin("64.72"))
    assert any(
        p.column == "ID Sinergi" and f"'{demo[PALEMBANG].pk}' tidak dikenal" in p.message
        for p in failure.value.problems
    )


def test_missing_sheet_or_column_and_unreadable_file(demo):
    admin = national_admin()
    with pytest.raises(imports.ImportFailed) as failure:
        imports.import_xlsx(io.BytesIO(b"bukan xlsx"), user=admin)
    assert "bukan berkas Excel (XLSX) yang dapat dibaca" in str(failure.value.problems[0])
    wb = Workbook()
    wb.active.title = "Lain"
    with pytest.raises(imports.ImportFailed) as failure:
        imports.import_xlsx(workbook_bytes(wb), user=admin)
    assert str(failure.value.problems[0]) == "Lembar Kerja sama: lembar tidak ditemukan dalam berkas."
    wb.active.title = "Kerja sama"
    wb.active.append(["Ref", "Judul"])
    with pytest.raises(imports.ImportFailed) as failure:
        imports.import_xlsx(workbook_bytes(wb), user=admin)
    assert any(p.column == "Tanggal mulai" and p.row == 1 for p in failure.value.problems)


def test_csv_export_is_the_agreements_sheet(demo):
    admin = national_admin()
    qs = with_parties_and_commitments(agreements_visible_to(admin).order_by("pk"))
    data = exports.export_csv(agreement_rows(qs, TODAY))
    assert data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == 5
    palembang = next(r for r in rows if r["Judul"] == PALEMBANG)
    assert palembang["Tanggal mulai"] == "2021-12-20"
    assert "Pemerintah Kota Palembang (Pihak pertama)" in palembang["Pihak"]


def test_csv_neutralises_formulas(demo):
    Agreement.objects.filter(pk=demo[PALEMBANG].pk).update(title="=1+1")
    qs = with_parties_and_commitments(agreements_visible_to(None))
    data = exports.export_csv(agreement_rows(qs, TODAY)).decode("utf-8-sig")
    assert "'=1+1" in data


# --- Through the pages ---


def test_export_views_follow_the_filters_and_the_scope(client, demo):
    Agreement.objects.filter(pk=demo[PALEMBANG].pk).update(status=Status.PEMBAHASAN)
    public = client.get("/kerja-sama/ekspor.xlsx")
    assert public.status_code == 200
    assert public["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in public["Content-Disposition"]
    titles = {r["Judul"] for r in sheet(public.content, "Kerja sama")}
    assert PALEMBANG not in titles and KEMNAKER not in titles and len(titles) == 2

    client.force_login(regional_admin("64.72"))
    scoped = {r["Judul"] for r in sheet(client.get("/kerja-sama/kelola/ekspor.xlsx").content, "Kerja sama")}
    assert KEMNAKER in scoped and PALEMBANG not in scoped  # Palembang's draft stays hidden
    filtered = client.get("/kerja-sama/kelola/ekspor.csv", {"q": "Kompetensi"}).content.decode("utf-8-sig")
    assert KEMNAKER in filtered and "Digital Talent Scholarship" not in filtered
    assert client.get("/kerja-sama/ekspor.pdf").status_code == 404


def test_import_page_for_admins_only(client, demo):
    from tests.factories import provider_staff

    assert client.get("/kerja-sama/kelola/impor/").status_code == 302
    client.force_login(provider_staff())
    assert client.get("/kerja-sama/kelola/impor/").status_code == 403
    admin = national_admin()
    client.force_login(admin)
    assert client.get("/kerja-sama/kelola/impor/").status_code == 200

    data = export_for(admin)
    bad = edit(data, "Kerja sama", 2, "Tanggal berakhir", "kemarin")
    bad.name = "kerja-sama.xlsx"
    response = upload_agreements(client, {"berkas": bad})
    html = response.content.decode()
    assert response.status_code == 200
    assert "tidak ada yang disimpan" in html and "bukan tanggal yang valid" in html

    good = edit(data, "Kerja sama", 2, "Nomor", "NOMOR-BARU")
    good.name = "kerja-sama.xlsx"
    response = upload_agreements(client, {"berkas": good})
    assert "0 kerja sama baru, 1 diperbarui, 4 tidak berubah." in response.content.decode()
    assert Agreement.objects.filter(number="NOMOR-BARU").count() == 1


def upload_agreements(client, data):
    """Upload; the job runs on commit as in production; the result page it redirects to."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post("/kerja-sama/kelola/impor/", data)
    assert response.status_code == 302, response.content.decode()[:500]
    return client.get(response["Location"])


# --- Odd input, bombs, the shared reader and writer ---


def test_a_control_character_in_a_title_no_longer_breaks_every_export(demo):
    """Stored before input was checked (or by another path): the export drops the character."""
    Agreement.objects.filter(pk=demo[PALEMBANG].pk).update(title="Judul\x07 dengan bel", scope="a\x0bb")
    titles = {r["Judul"] for r in sheet(export_for(national_admin()), "Kerja sama")}
    assert "Judul dengan bel" in titles
    qs = with_parties_and_commitments(agreements_visible_to(None))
    assert "Judul dengan bel" in exports.export_csv(agreement_rows(qs, TODAY)).decode("utf-8-sig")


def test_control_characters_and_formula_names_are_refused_on_import(demo):
    admin = national_admin()
    data = export_for(admin)
    wb = load_workbook(io.BytesIO(data))
    wb["Kerja sama"]["D2"].value = "Judul\tdengan tab"
    wb["Pihak"]["F2"].value = "@Wali Kota"
    wb["Pihak"]["F2"].data_type = "s"
    with pytest.raises(imports.ImportFailed) as failure:
        imports.import_xlsx(workbook_bytes(wb), user=admin)
    found = {(p.sheet, p.row, p.column): p.message for p in failure.value.problems}
    assert "satu baris" in found[("Kerja sama", 2, "Judul")]
    assert "tidak boleh diawali" in found[("Pihak", 2, "Nama penanda tangan")]


def test_dates_follow_the_one_date_policy_on_import(demo):
    """Dotted dates and Excel serials, as the participant and attendance imports accept them."""
    admin = national_admin()
    data = export_for(admin)
    rows = sheet(data, "Kerja sama")
    row = 2 + next(i for i, r in enumerate(rows) if r["Judul"] == PALEMBANG)
    changed = edit(data, "Kerja sama", row, "Tanggal mulai", "21.12.2021")
    changed = edit(changed.getvalue(), "Kerja sama", row, "Tanggal berakhir", 47000)  # a serial
    result = imports.import_xlsx(changed, user=admin)
    assert result.updated == 1
    palembang = Agreement.objects.get(pk=demo[PALEMBANG].pk)
    assert (palembang.start_date, palembang.end_date) == (date(2021, 12, 21), date(2028, 9, 4))


def test_csv_keeps_negative_numbers_as_numbers(demo):
    Agreement.objects.filter(pk=demo[PALEMBANG].pk).update(title="-Judul")
    qs = with_parties_and_commitments(agreements_visible_to(None)).order_by("pk")
    rows = agreement_rows(qs, TODAY)
    palembang = next(r for r in rows if r.agreement.pk == demo[PALEMBANG].pk)
    palembang.rollup = dataclasses.replace(palembang.rollup, percent=-12.5)  # below the baseline
    text = exports.export_csv(rows).decode("utf-8-sig")
    line = next(line for line in text.splitlines() if "'-Judul" in line)
    assert ",-12.5," in line and "'-12.5" not in line


def test_upload_of_a_bomb_is_stored_by_the_request_and_refused_by_its_job(
    client, demo, django_capture_on_commit_callbacks, no_xlsx_parsing
):
    from django.core.files.storage import default_storage
    from django.core.files.uploadedfile import SimpleUploadedFile
    from tests.spreadsheets import shared_strings_bomb, within_budget

    from sinergi.core.models import Job

    client.force_login(national_admin())
    bomb = SimpleUploadedFile("kerja-sama.xlsx", shared_strings_bomb(["Ref", "Judul"]))
    before = snapshot()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post("/kerja-sama/kelola/impor/", {"berkas": bomb})
    job = Job.objects.get()
    assert response.status_code == 302 and job.status == Job.Status.QUEUED
    with within_budget(peak_mb=40):
        for callback in queued:
            callback()
    job.refresh_from_db()
    assert not default_storage.exists(job.params["path"])
    html = client.get(response["Location"]).content.decode()
    assert "lebih dari 1.000.000 teks berbeda" in html and "tidak ada yang disimpan" in html
    assert snapshot() == before


def test_an_agreement_import_and_its_trial_leave_one_entry_each_with_the_importer_and_counts(demo):
    from auditlog.models import LogEntry

    admin = national_admin()
    data = export_for(admin)
    entries = LogEntry.objects.filter(additional_data__has_key="operasi")
    imports.import_xlsx(
        edit(data, "Kerja sama", 2, "Judul", "Judul baru"), user=admin, dry_run=True, name="ks.xlsx"
    )
    imports.import_xlsx(edit(data, "Kerja sama", 2, "Judul", "Judul baru"), user=admin, name="ks.xlsx")
    trial, imported = entries.order_by("pk")
    assert trial.actor == imported.actor == admin  # a job has no request: the entry names the importer
    assert trial.object_repr == "Uji coba impor kerja sama: ks.xlsx"
    assert imported.object_repr == "Impor kerja sama: ks.xlsx"
    assert (
        imported.additional_data["kerja sama diperbarui"] == 1
        and imported.additional_data["tidak berubah"] == 4
    )
    with pytest.raises(imports.ImportFailed):
        imports.import_xlsx(edit(data, "Kerja sama", 2, "Judul", ""), user=admin, name="rusak.xlsx")
    assert entries.count() == 2  # a refused file saved nothing and says so on its own page
