"""The fast ways of the bulk import give exactly what the plain ways give: the row shortcut the same
outcome as check_row for every kind of row, the PostgreSQL reads the same rows as the ORM's."""

import datetime as dt

import pytest
from django.db import connection
from tests.factories import ParticipantFactory, import_row

from sinergi.registration import imports as importing
from sinergi.registration.import_rows import RowChecker, RowContext, check_row
from sinergi.registration.models import DuplicateFlag, Participant
from sinergi.registration.nik import compose_nik

pytestmark = pytest.mark.django_db

FUTURE = (dt.date.today() + dt.timedelta(days=400)).isoformat()

# One field of a valid row replaced by something the checks must notice (or accept the same way).
VARIANTS = {
    "nik": [
        "",
        "12345",
        "abcd",
        "1671 0101 0190 0001",
        "１６７１０１０１０１９００００１",
        "9999990101900001",
        "1671013501900001",
        "1671017501900001",
        "1671013002900001",
        "16710101019000011",
    ],
    "nama": ["", "=HYPERLINK(1)", "Budi\tSantoso", "  Budi   Santoso ", "x" * 151, "Budi\x07"],
    "tanggal_lahir": ["", "31-02-1990", "1990/05/17", "17.05.1990", "05/17/1990", FUTURE, "1990-05-17 00:00"],
    "jenis_kelamin": ["", "l", "Perempuan", "X", "p"],
    "email": ["", "bukan-email", "A.Besar@Contoh.GO.ID", "a@b"],
    "telepon": ["", "+62 812-3456-7890", "12", "0812abc45678", "(0711) 123456"],
    "kode_wilayah": ["", "1671", "16.71", " 16.71 ", "99.99", "16.71.01", "16.01"],
    "kategori": ["", "ASN", "umum", "pns", " Guru "],
    "nip": ["", "123", "1990051720150110011", "abcdefghijklmnopqr"],
}


def _rows():
    for i in range(1, 41):
        category = ("asn", "umum", "pelajar", "guru", "umkm")[i % 5]
        base = import_row(i, category=category)
        yield base
        born = dt.date.fromisoformat(base["tanggal_lahir"])
        yield {**base, "tanggal_lahir": born.strftime("%d-%m-%Y")}
        for column, values in VARIANTS.items():
            for value in values:
                yield {**base, column: value}
        if category == "asn":
            nip = base["nip"]
            sex_digit = nip[14]
            for nip_variant in (
                nip[:8] + "2099" + nip[12:],  # appointed in the future
                nip[:12] + "21" + nip[14:],  # PPPK month code
                nip[:12] + "13" + nip[14:],
                nip[:12] + "00" + nip[14:],
                nip[:14] + ("2" if sex_digit == "1" else "1") + nip[15:],
                nip[:14] + "3" + nip[15:],
                nip[:8] + f"{born.year + 10}" + nip[12:],  # appointed before 18
                nip[:8] + "0000" + nip[12:],
                "19000101" + nip[8:],
                nip[:4] + " " + nip[4:],
            ):
                yield {**base, "nip": nip_variant}
            yield {**base, "nip": "", "kategori": "asn"}


@pytest.mark.parametrize("scope_code", [None, "16.71", "16.01"])
def test_the_row_shortcut_gives_check_rows_outcome_for_every_kind_of_row(scope_code):
    ctx = importing.build_context()
    if scope_code:
        ctx = RowContext(
            regions=ctx.regions, identity_check=ctx.identity_check, scope_code=scope_code, scope_name="Uji"
        )
    checker = RowChecker(ctx)
    rows = list(_rows())
    shortcut = 0
    for values in rows:
        assert checker(values) == check_row(values, ctx), values
        shortcut += checker._plainly_valid(values) is not None
    valid = sum(1 for values in rows if not check_row(values, ctx)[0])
    # Many variants are valid after all; in Kab. Ogan Komering Ulu only those moved there by their code.
    assert valid >= (40 if scope_code == "16.01" else 100)
    assert 0.9 * valid <= shortcut <= valid  # the shortcut is what valid rows take


def test_a_context_with_another_identity_check_never_takes_the_shortcut():
    ctx = importing.build_context()
    strict = RowContext(regions=ctx.regions, identity_check=lambda *a, **k: [("nik", "Ditolak.")])
    errors, clean = RowChecker(strict)(import_row(1))
    assert clean is None and errors == [("nik", "Ditolak.")]


def _stored_people():
    for i in range(1, 8):
        ParticipantFactory(full_name=f"Siti Rahma {i}", birth_date=dt.date(1990, 5, 17 + i % 2))


def test_stored_people_and_look_alike_reads_agree_with_the_orm():
    _stored_people()
    hashes = [*Participant.objects.values_list("nik_hash", flat=True), "tidak-ada"]
    fast, generic = importing._stored_people_reader(), importing._stored_people_reader(generic=True)
    assert fast(hashes) == generic(hashes) and len(fast(hashes)) == 7
    assert fast([]) == generic([]) == {}
    births = {dt.date(1990, 5, 17), dt.date(1990, 5, 18), dt.date(2000, 1, 1)}
    found = importing._people_born_on(births)
    assert sorted(found) == sorted(importing._people_born_on(births, generic=True))
    assert len(found) == 7


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the fast reads exist on PostgreSQL only")
def test_an_import_gives_the_same_outcome_through_the_orm_reads(tmp_path, monkeypatch):
    """The same file into the same data, once with the PostgreSQL reads and once with the ORM's."""
    from django.db import transaction

    _stored_people()
    born = dt.date(1990, 5, 17)
    rows = [
        import_row(
            i,
            category="umum",
            nama=f"Siti Rahma {i}",
            tanggal_lahir=born.isoformat(),
            jenis_kelamin="P",
            nik=compose_nik("16.71.01", born, "P", 9000 + i),
        )
        for i in range(1, 5)
    ]
    rows[0]["nik"] = ""  # invalid
    ctx = importing.build_context()

    def outcome():
        table = importing.Table(
            header=list(rows[0]),
            columns=list(rows[0]),
            rows=iter((n, list(r.values())) for n, r in enumerate(rows, 2)),
        )
        with transaction.atomic():
            result = importing.run_import(table, ctx, write=True)
            flags = sorted(
                (p.full_name, s.full_name)
                for p, s in (
                    (f.participant, f.similar_to)
                    for f in DuplicateFlag.objects.select_related("participant", "similar_to")
                )
            )
            transaction.set_rollback(True)
        return [r.as_json() for r in result.rows], result.summary(), flags

    fast = outcome()
    real_reader, real_born = importing._stored_people_reader, importing._people_born_on
    monkeypatch.setattr(importing, "_stored_people_reader", lambda: real_reader(generic=True))
    monkeypatch.setattr(importing, "_people_born_on", lambda births: real_born(births, generic=True))
    assert outcome() == fast
    assert fast[1]["flagged"] == 3 and fast[1]["invalid"] == 1, fast
