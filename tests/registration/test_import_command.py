"""`sinergi import participants FILE [--dry-run] [--json]`: outputs, storage and exit codes."""

import csv
import io
import json

import openpyxl
import pytest
from django.core.management import call_command
from django.db.models import Count
from tests.factories import IMPORT_HEADER, ParticipantFactory, TrainingClassFactory, import_row

from sinergi.registration.models import Application, Participant

pytestmark = pytest.mark.django_db
QUERY_BUDGET = 4


def write_csv(path, rows, *, delimiter=",", bom=False, header=IMPORT_HEADER):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(c, "") for c in header])
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode())
    return path


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import", "participants", *[str(a) for a in args], stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def test_valid_file_is_imported_and_json_lists_every_row(tmp_path):
    path = write_csv(tmp_path / "asn.csv", [import_row(i) for i in range(1, 4)])
    code, out, err = run(path, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data == {
        "valid": 3,
        "invalid": 0,
        "rows": [{"row": n, "ok": True, "errors": []} for n in (2, 3, 4)],
    }
    assert Participant.objects.count() == 3
    person = Participant.objects.get(full_name="Pegawai Uji 1")
    assert person.nik == import_row(1)["nik"]
    assert person.domicile_id == "16.71" and person.category == "asn"


def test_invalid_rows_are_reported_by_line_and_field_valid_rows_still_imported(tmp_path):
    rows = [
        import_row(1),
        import_row(2, nik="12345"),
        import_row(3, tanggal_lahir="31-02-1990"),
        import_row(4, kode_wilayah="99.99"),
        import_row(5, kategori="pns"),
        import_row(6),
    ]
    path = write_csv(tmp_path / "campur.csv", rows)
    code, out, _ = run(path, "--json")
    assert code == 1
    data = json.loads(out)
    assert (data["valid"], data["invalid"]) == (2, 4)
    by_row = {r["row"]: r for r in data["rows"]}
    assert by_row[2]["ok"] and by_row[7]["ok"]
    assert by_row[3]["errors"][0]["field"] == "nik" and "16 digit" in by_row[3]["errors"][0]["message"]
    assert by_row[4]["errors"][0]["field"] == "tanggal_lahir"
    assert by_row[5]["errors"] == [
        {
            "field": "kode_wilayah",
            "message": "Kode wilayah “99.99” bukan kode kabupaten/kota Kemendagri "
            "(contoh: 16.71 untuk Kota Palembang).",
        }
    ]
    assert by_row[6]["errors"][0]["field"] == "kategori"
    assert set(Participant.objects.values_list("full_name", flat=True)) == {"Pegawai Uji 1", "Pegawai Uji 6"}


def test_nik_that_disagrees_with_birth_date_and_sex_is_explained(tmp_path):
    row = import_row(1, jenis_kelamin="L")  # row 1 is a woman: NIK day + 40
    code, out, _ = run(write_csv(tmp_path / "a.csv", [row]), "--json")
    assert code == 1
    errors = json.loads(out)["rows"][0]["errors"]
    assert any(e["field"] == "nik" and "perempuan" in e["message"] for e in errors)


def test_asn_without_nip_is_an_error_on_the_nip_column(tmp_path):
    code, out, _ = run(write_csv(tmp_path / "a.csv", [import_row(2, nip="")]), "--json")
    assert code == 1
    assert json.loads(out)["rows"][0]["errors"] == [
        {"field": "nip", "message": "NIP wajib diisi untuk peserta kategori ASN."}
    ]


def test_duplicate_nik_in_the_file_is_reported_on_the_second_row_with_the_first_rows_number(tmp_path):
    first = import_row(1)
    path = write_csv(tmp_path / "a.csv", [first, import_row(2), dict(first, nama="Orang Lain")])
    code, out, _ = run(path, "--json")
    assert code == 1
    rows = json.loads(out)["rows"]
    assert rows[0]["ok"] and rows[1]["ok"]
    assert rows[2] == {
        "row": 4,
        "ok": False,
        "errors": [{"field": "nik", "message": "NIK ini sudah ada di baris 2 berkas ini."}],
    }


def test_dry_run_stores_nothing(tmp_path):
    code, out, _ = run(write_csv(tmp_path / "a.csv", [import_row(1)]), "--dry-run")
    assert code == 0
    assert "tidak ada yang disimpan" in out
    assert not Participant.objects.exists()


def test_reimporting_the_same_file_writes_nothing(tmp_path, django_assert_max_num_queries):
    path = write_csv(tmp_path / "a.csv", [import_row(i) for i in range(1, 51)])
    assert run(path)[0] == 0
    before = {p.pk: (p.updated_at, p.nik_encrypted) for p in Participant.objects.all()}
    # A fixed number of queries, whatever the number of rows: the regions, one look-up by NIK hash
    # per chunk, the transaction's savepoint, the import's one audit entry; no other write at all.
    with django_assert_max_num_queries(QUERY_BUDGET + 1) as queries:
        code, out, _ = run(path)
    assert code == 0
    assert "ditambahkan: 0, diperbarui: 0, tanpa perubahan: 50" in out
    write_verbs = ("INSERT", "UPDATE", "DELETE")
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(write_verbs)]
    assert len(writes) == 1 and "auditlog_logentry" in writes[0]
    assert {p.pk: (p.updated_at, p.nik_encrypted) for p in Participant.objects.all()} == before


def test_changed_values_update_the_person_found_by_nik(tmp_path):
    existing = ParticipantFactory(nik=import_row(1)["nik"], full_name="Nama Lama", email="lama@contoh.id")
    code, out, _ = run(write_csv(tmp_path / "a.csv", [import_row(1, email="")]))
    assert code == 0 and "diperbarui: 1" in out
    existing.refresh_from_db()
    assert existing.full_name == "Pegawai Uji 1"
    assert existing.email == "lama@contoh.id"  # a blank cell never erases what is stored
    assert Participant.objects.count() == 1


def test_semicolon_csv_with_bom_and_dotless_region_code_and_day_first_dates(tmp_path):
    row = import_row(1)
    y, m, d = row["tanggal_lahir"].split("-")
    row.update(kode_wilayah="1671", tanggal_lahir=f"{d}-{m}-{y}")
    path = write_csv(tmp_path / "a.csv", [row], delimiter=";", bom=True)
    assert run(path)[0] == 0
    assert Participant.objects.get().domicile_id == "16.71"


def test_xlsx_with_numbers_and_date_cells(tmp_path):
    row = import_row(3)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(IMPORT_HEADER)
    values = [row[c] for c in IMPORT_HEADER]
    values[0] = int(row["nik"])  # NIK typed as a number
    y, m, d = (int(x) for x in row["tanggal_lahir"].split("-"))
    import datetime

    values[2] = datetime.datetime(y, m, d)  # a date cell
    sheet.append(values)
    sheet.append([None] * len(IMPORT_HEADER))  # trailing blank rows are ignored
    workbook.save(tmp_path / "a.xlsx")
    code, out, err = run(tmp_path / "a.xlsx", "--json")
    assert code == 0, out + err
    assert Participant.objects.get().nik == row["nik"]


def test_applications_from_class_columns(tmp_path):
    first = TrainingClassFactory(code="PLB-DS-01")
    second = TrainingClassFactory(code="PLB-DS-02", program=first.program)
    header = [*IMPORT_HEADER, "gelombang", "kelas_1", "kelas_2", "kelas_3"]
    rows = [
        import_row(1, kelas_1="PLB-DS-02", kelas_2="plb-ds-01"),
        import_row(2, kelas_1="PLB-DS-01", kelas_2="TIDAK-ADA"),
        import_row(3, kelas_1="PLB-DS-01", gelombang="Gelombang Lain"),
    ]
    path = write_csv(tmp_path / "a.csv", rows, header=header)
    code, out, _ = run(path, "--json")
    assert code == 1
    result = json.loads(out)["rows"]
    assert result[1]["errors"][0]["field"] == "kelas_2"
    assert result[2]["errors"][0]["field"] == "gelombang"
    application = Application.objects.get()
    assert [c.training_class for c in application.choices.order_by("rank")] == [second, first]
    # The same file again: the application is already there with the same ranking.
    code, out, _ = run(path)
    assert "pendaftaran baru: 0, diubah: 0" in out
    assert Application.objects.count() == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"nik;nama;telepon\n1;2;3\n",
            "Kolom wajib tidak ada di baris judul: tanggal_lahir, jenis_kelamin, kode_wilayah, kategori",
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "bukan berkas CSV"),
        (b"PK\x03\x04 not really a zip", "bukan berkas Excel"),
        (b"", "kosong"),
        ("nik,nama\n".encode("utf-16"), "bukan berkas CSV"),
    ],
)
def test_unreadable_files_exit_2_with_the_reason_on_stderr(tmp_path, content, message):
    path = tmp_path / "berkas.csv"
    path.write_bytes(content)
    code, out, err = run(path, "--json")
    assert code == 2
    assert message in err
    assert out == ""


def test_missing_file_exits_2(tmp_path):
    code, _, err = run(tmp_path / "tidak-ada.xlsx")
    assert code == 2
    assert "Berkas tidak ditemukan" in err


def test_a_large_file_with_applications_round_trips(tmp_path):
    """Above COPY_MIN_ROWS new people go in by COPY on PostgreSQL; their applications need their ids."""
    training_class = TrainingClassFactory(code="PLB-DS-09")
    header = [*IMPORT_HEADER, "kelas_1"]
    rows = [import_row(i, kelas_1="PLB-DS-09" if i % 2 else "") for i in range(1, 301)]
    path = write_csv(tmp_path / "besar.csv", rows, header=header)
    code, out, err = run(path)
    assert code == 0, out + err
    assert Participant.objects.count() == 300
    assert Application.objects.filter(batch=training_class.program.batch).count() == 150
    person = Participant.objects.get(full_name="Pegawai Uji 299")
    assert (
        person.nik == import_row(299)["nik"]
        and person.applications.get().choices.get().training_class == training_class
    )
    assert run(path)[1].endswith("tanpa perubahan: 300; pendaftaran baru: 0, diubah: 0.\n")


def test_lookalike_of_a_stored_person_is_flagged_for_review(tmp_path):
    from sinergi.registration.models import DuplicateFlag
    from sinergi.registration.nik import compose_nik

    row = import_row(7)
    born = __import__("datetime").date.fromisoformat(row["tanggal_lahir"])
    earlier = ParticipantFactory(full_name="Pegawai Uji 7", birth_date=born, sex=row["jenis_kelamin"])
    typo_nik = compose_nik("16.71.02", born, row["jenis_kelamin"], 4321)
    code, out, _ = run(write_csv(tmp_path / "a.csv", [dict(row, nik=typo_nik, nama="Pegawai  Uji 7")]))
    assert code == 0
    assert "Diduga data ganda (menunggu tinjauan admin): 1." in out
    flag = DuplicateFlag.objects.get()
    assert flag.similar_to == earlier and flag.participant.nik == typo_nik
    assert flag.participant.duplicate_status == Participant.DuplicateStatus.FLAGGED


ACTIVITY = "kegiatan_sebelum_pelatihan"


def test_status_before_training_is_read_by_code_or_label_and_kept_when_blank(tmp_path):
    header = [*IMPORT_HEADER, ACTIVITY]
    rows = [
        import_row(1, **{ACTIVITY: "Bekerja penuh waktu"}),
        import_row(2, **{ACTIVITY: "mencari_kerja"}),
        import_row(3, **{ACTIVITY: " Sedang mencari-kerja "}),
        import_row(4),
    ]
    code, out, err = run(write_csv(tmp_path / "a.csv", rows, header=header))
    assert code == 0, out + err
    stored = dict(Participant.objects.values_list("full_name", "activity_before"))
    assert stored == {
        "Pegawai Uji 1": "bekerja_penuh",
        "Pegawai Uji 2": "mencari_kerja",
        "Pegawai Uji 3": "mencari_kerja",
        "Pegawai Uji 4": "",
    }
    # A later file without the status (or with it blank) leaves it as it was; a new status replaces it.
    later = [import_row(1), import_row(2, **{ACTIVITY: "wirausaha"})]
    assert run(write_csv(tmp_path / "b.csv", later, header=header))[0] == 0
    stored = dict(Participant.objects.values_list("full_name", "activity_before"))
    assert stored["Pegawai Uji 1"] == "bekerja_penuh" and stored["Pegawai Uji 2"] == "wirausaha"


def test_unknown_status_before_training_names_the_row_and_column_and_stores_nothing_of_it(tmp_path):
    header = [*IMPORT_HEADER, ACTIVITY]
    rows = [import_row(1), import_row(2, **{ACTIVITY: "pengangguran"})]
    code, out, _ = run(write_csv(tmp_path / "a.csv", rows, header=header), "--json")
    assert code == 1
    by_row = {r["row"]: r for r in json.loads(out)["rows"]}
    assert by_row[3]["errors"] == [
        {
            "field": ACTIVITY,
            "message": "Kegiatan sebelum pelatihan “pengangguran” tidak dikenali; isi salah satu dari: "
            "bekerja_penuh, bekerja_paruh, wirausaha, studi, mencari_kerja, belum_bekerja (atau kosongkan).",
        }
    ]
    assert list(Participant.objects.values_list("full_name", flat=True)) == ["Pegawai Uji 1"]


def test_a_large_file_stores_the_status_before_training_by_copy_too(tmp_path):
    """Above COPY_MIN_ROWS new people go in by COPY on PostgreSQL: the status must travel with them."""
    header = [*IMPORT_HEADER, ACTIVITY]
    statuses = ["studi", "Berwirausaha", ""]
    rows = [import_row(i, **{ACTIVITY: statuses[i % 3]}) for i in range(1, 301)]
    code, out, err = run(write_csv(tmp_path / "besar.csv", rows, header=header))
    assert code == 0, out + err
    counts = dict(Participant.objects.values_list("activity_before").annotate(n=Count("pk")).order_by())
    assert counts == {"studi": 100, "wirausaha": 100, "": 100}
