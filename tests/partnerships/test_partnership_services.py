"""Creating agreements and moving them through their lifecycle."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from tests.factories import OrganizationFactory, region, regional_admin

from sinergi.partnerships.models import Agreement, AgreementParty, Commitment, Status, StatusChange
from sinergi.partnerships.services import (
    CommitmentInput,
    PartyInput,
    add_manual_measurement,
    create_agreement,
    expire_overdue,
    transition,
    update_agreement,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return regional_admin("16.71")


@pytest.fixture
def parties():
    palembang = OrganizationFactory(name="Pemkot Palembang", region=region("16.71"))
    kominfo = OrganizationFactory(name="Kominfo", region=None, kind="ministry")
    return [
        PartyInput(palembang.pk, AgreementParty.Role.FIRST),
        PartyInput(kominfo.pk, AgreementParty.Role.SECOND),
    ]


def make(admin, parties, **kwargs):
    values = dict(
        type="mou",
        title="Kecakapan digital Palembang",
        start_date=date(2021, 12, 20),
        end_date=date(2026, 12, 19),
        parties=parties,
    )
    values.update(kwargs)
    return create_agreement(user=admin, **values)


def test_create_records_parties_commitments_region_and_history(admin, parties):
    result = make(
        admin,
        parties,
        commitments=[CommitmentInput("Kursi pelatihan", Decimal(10_000), "kursi", date(2026, 12, 19))],
    )
    agreement = result.agreement
    assert result.warnings == []
    assert agreement.region_id == "16.71"
    assert agreement.parties.count() == 2
    assert agreement.commitments.get().target_value == 10_000
    assert list(agreement.status_changes.values_list("from_status", "to_status")) == [("", Status.USULAN)]


def test_end_before_start_names_the_field_and_saves_nothing(admin, parties):
    with pytest.raises(ValidationError) as exc:
        make(
            admin,
            parties,
            end_date=date(2021, 1, 1),
            commitments=[CommitmentInput("Kursi", Decimal(10), "kursi", date(2022, 1, 1))],
        )
    assert "Tanggal berakhir tidak boleh sebelum tanggal mulai" in exc.value.message_dict["end_date"][0]
    assert not Agreement.objects.exists()
    assert not AgreementParty.objects.exists() and not Commitment.objects.exists()


def test_needs_two_distinct_known_parties(admin, parties):
    with pytest.raises(ValidationError) as exc:
        make(admin, [parties[0], parties[0]])
    assert "sedikitnya dua pihak" in exc.value.message_dict["parties"][0]
    with pytest.raises(ValidationError) as exc:
        make(admin, [parties[0], PartyInput(999_999)])
    assert "Pihak tidak dikenal" in exc.value.message_dict["parties"][0]
    assert not Agreement.objects.exists()


def test_unknown_metric_is_refused(admin, parties):
    with pytest.raises(ValidationError) as exc:
        make(
            admin,
            parties,
            commitments=[CommitmentInput("X", Decimal(5), "orang", date(2025, 1, 1), "tidak_ada")],
        )
    assert "metrik 'tidak_ada' tidak dikenal" in exc.value.message_dict["commitments"][0]


def test_longer_than_five_years_is_saved_with_a_warning(admin, parties):
    result = make(admin, parties, start_date=date(2021, 11, 1), end_date=date(2027, 10, 31))
    assert result.agreement.pk
    assert "lebih dari 5 tahun" in result.warnings[0]


def test_legal_lifecycle_is_recorded_with_who_and_why(admin, parties):
    agreement = make(admin, parties, signed_date=date(2021, 12, 20)).agreement
    for to_status in (Status.PEMBAHASAN, Status.MENUNGGU_TTD, Status.BERLAKU, Status.SELESAI):
        transition(agreement, to_status=to_status, user=admin, reason=f"ke {to_status}")
    agreement.refresh_from_db()
    assert agreement.status == Status.SELESAI
    steps = list(agreement.status_changes.values_list("from_status", "to_status", "changed_by", "reason"))
    assert steps[-1] == (Status.BERLAKU, Status.SELESAI, admin.pk, "ke selesai")
    assert len(steps) == 5


def test_illegal_transition_is_refused_with_a_clear_message(admin, parties):
    agreement = make(admin, parties).agreement
    with pytest.raises(ValidationError) as exc:
        transition(agreement, to_status=Status.BERLAKU, user=admin, reason="langsung berlaku")
    message = exc.value.message_dict["status"][0]
    assert "dari Usulan ke Berlaku tidak diizinkan" in message
    assert "Pembahasan" in message
    agreement.refresh_from_db()
    assert agreement.status == Status.USULAN
    assert StatusChange.objects.filter(agreement=agreement).count() == 1


def test_terminal_status_and_expiry_cannot_be_chosen_by_hand(admin, parties):
    agreement = make(admin, parties, status=Status.BERLAKU, signed_date=date(2021, 12, 20)).agreement
    with pytest.raises(ValidationError, match="otomatis"):
        transition(agreement, to_status=Status.KEDALUWARSA, user=admin)
    with pytest.raises(ValidationError) as exc:
        transition(agreement, to_status=Status.DIHENTIKAN, user=admin, reason="  ")
    assert "Alasan wajib diisi" in exc.value.message_dict["reason"][0]
    transition(agreement, to_status=Status.DIHENTIKAN, user=admin, reason="Tidak ada anggaran")
    with pytest.raises(ValidationError, match="status akhir"):
        transition(agreement, to_status=Status.BERLAKU, user=admin, reason="hidupkan lagi")


def test_extension_needs_a_later_end_date(admin, parties):
    agreement = make(admin, parties, status=Status.BERLAKU, signed_date=date(2021, 12, 20)).agreement
    with pytest.raises(ValidationError):
        transition(
            agreement,
            to_status=Status.DIPERPANJANG,
            user=admin,
            reason="perpanjang",
            new_end_date=date(2026, 1, 1),
        )
    transition(
        agreement,
        to_status=Status.DIPERPANJANG,
        user=admin,
        reason="perpanjang",
        new_end_date=date(2028, 12, 19),
    )
    agreement.refresh_from_db()
    assert (agreement.status, agreement.end_date) == (Status.DIPERPANJANG, date(2028, 12, 19))


def test_expire_overdue_marks_only_agreements_in_force_and_is_idempotent(admin, parties):
    in_force = make(admin, parties, status=Status.BERLAKU, signed_date=date(2021, 12, 20)).agreement
    draft = make(admin, parties, status=Status.PEMBAHASAN).agreement
    assert expire_overdue(date(2026, 12, 19)) == 0  # the last day is still in force
    assert expire_overdue(date(2026, 12, 20)) == 1
    assert expire_overdue(date(2026, 12, 21)) == 0
    in_force.refresh_from_db()
    draft.refresh_from_db()
    assert in_force.status == Status.KEDALUWARSA and draft.status == Status.PEMBAHASAN
    last = in_force.status_changes.last()
    assert last.changed_by is None and "Otomatis" in last.reason


def test_manual_measurement_needs_evidence_and_a_manual_metric(admin, parties):
    agreement = make(
        admin, parties, commitments=[CommitmentInput("Kursi", Decimal(100), "kursi", date(2026, 1, 1))]
    ).agreement
    commitment = agreement.commitments.get()
    with pytest.raises(ValidationError) as exc:
        add_manual_measurement(commitment, value=Decimal(10), evidence_note="", user=admin)
    assert "bukti" in exc.value.message_dict["evidence_note"][0]
    with pytest.raises(ValidationError):
        add_manual_measurement(commitment, value=Decimal(-1), evidence_note="laporan", user=admin)
    measurement = add_manual_measurement(
        commitment, value=Decimal(10), evidence_note="Laporan BPSDMP triwulan I", user=admin
    )
    assert measurement.entered_by == admin
    Commitment.objects.filter(pk=commitment.pk).update(metric_key="lain")
    commitment.refresh_from_db()
    with pytest.raises(ValidationError, match="otomatis"):
        add_manual_measurement(commitment, value=Decimal(10), evidence_note="laporan", user=admin)


def test_an_agreement_becomes_berlaku_only_with_its_signing_date(admin, parties):
    agreement = make(admin, parties, status=Status.MENUNGGU_TTD).agreement
    with pytest.raises(ValidationError) as exc:
        transition(agreement, to_status=Status.BERLAKU, user=admin, reason="Ditandatangani")
    assert exc.value.message_dict == {
        "signed_date": ["Tanggal penandatanganan wajib diisi sebelum kerja sama berstatus Berlaku."]
    }
    agreement.refresh_from_db()
    assert agreement.status == Status.MENUNGGU_TTD
    assert not agreement.status_changes.filter(to_status=Status.BERLAKU).exists()

    transition(
        agreement,
        to_status=Status.BERLAKU,
        user=admin,
        reason="Ditandatangani",
        signed_date=date(2021, 12, 20),
    )
    agreement.refresh_from_db()
    assert (agreement.status, agreement.signed_date) == (Status.BERLAKU, date(2021, 12, 20))


@pytest.mark.parametrize("status", [Status.BERLAKU, Status.SELESAI])
def test_a_signed_agreement_cannot_be_created_without_its_signing_date(admin, parties, status):
    with pytest.raises(ValidationError) as exc:
        make(admin, parties, status=status)
    assert "Tanggal penandatanganan wajib diisi" in exc.value.message_dict["signed_date"][0]
    assert not Agreement.objects.exists()


def test_editing_a_berlaku_agreement_cannot_remove_its_signing_date(admin, parties):
    agreement = make(admin, parties, status=Status.BERLAKU, signed_date=date(2021, 12, 20)).agreement
    with pytest.raises(ValidationError) as exc:
        update_agreement(
            agreement=agreement,
            user=admin,
            type="mou",
            title="Kecakapan digital Palembang",
            start_date=date(2021, 12, 20),
            end_date=date(2026, 12, 19),
            parties=parties,
            signed_date=None,
        )
    assert "Tanggal penandatanganan wajib diisi" in exc.value.message_dict["signed_date"][0]
    agreement.refresh_from_db()
    assert agreement.signed_date == date(2021, 12, 20)
