"""The office detail page: lifecycle buttons with reasons and history, TKKSD review threads, monev
rounds whose snapshots never change, and manual measurements with evidence."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from tests.factories import OrganizationFactory, pdf_bytes, region, regional_admin

from sinergi.partnerships.models import (
    AgreementDocument,
    AgreementParty,
    ManualMeasurement,
    MonevRound,
    ReviewComment,
    Status,
)
from sinergi.partnerships.services import (
    CommitmentInput,
    PartyInput,
    add_manual_measurement,
    add_review_comment,
    create_agreement,
    record_monev,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return regional_admin("16.71", first_name="Rina", last_name="Wulandari")


@pytest.fixture
def agreement(admin):
    palembang = OrganizationFactory(name="Pemkot Palembang", region=region("16.71"))
    kominfo = OrganizationFactory(name="Kominfo", region=None, kind="ministry")
    today = timezone.localdate()
    return create_agreement(
        user=admin,
        type="nota_kesepakatan",
        title="Kecakapan digital Palembang",
        start_date=today - timedelta(days=365),
        end_date=today + timedelta(days=365 * 4),
        parties=[
            PartyInput(palembang.pk, AgreementParty.Role.FIRST),
            PartyInput(kominfo.pk, AgreementParty.Role.SECOND),
        ],
        commitments=[
            CommitmentInput("Kursi pelatihan", Decimal(10_000), "kursi", today + timedelta(days=365 * 4)),
        ],
    ).agreement


def url(name: str, agreement, *args) -> str:
    return reverse(f"partnerships:{name}", args=[agreement.pk, *args])


def move(client, agreement, to_status: str, reason: str = "Sesuai keputusan rapat", **extra):
    return client.post(
        url("manage_transition", agreement), {"to_status": to_status, "reason": reason, **extra}
    )


def test_lifecycle_buttons_record_who_when_why(client, admin, agreement):
    client.force_login(admin)
    page = client.get(url("manage_detail", agreement)).content.decode()
    assert 'value="pembahasan"' in page and 'value="berlaku"' not in page  # only the allowed steps

    assert move(client, agreement, "pembahasan", "Diajukan ke TKKSD").status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == Status.PEMBAHASAN
    page = client.get(url("manage_detail", agreement)).content.decode()
    assert "Usulan → Pembahasan" in page and "Rina Wulandari" in page and "Diajukan ke TKKSD" in page


def test_reason_is_required_and_illegal_steps_are_refused(client, admin, agreement):
    client.force_login(admin)
    response = move(client, agreement, "pembahasan", reason="  ")
    assert response.status_code == 400
    assert "Alasan: Alasan wajib diisi untuk mengubah status." in response.content.decode()

    response = move(client, agreement, "berlaku")
    assert response.status_code == 400
    assert "Perubahan status dari Usulan ke Berlaku tidak diizinkan" in response.content.decode()
    response = move(client, agreement, "kedaluwarsa")
    assert "ditetapkan otomatis" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.status == Status.USULAN
    assert agreement.status_changes.count() == 1  # only "Dibuat"


def test_berlaku_button_asks_for_the_signing_date(client, admin, agreement):
    client.force_login(admin)
    for step in ("pembahasan", "menunggu_ttd"):
        move(client, agreement, step)
    page = client.get(url("manage_detail", agreement)).content.decode()
    assert 'name="signed_date"' in page
    response = move(client, agreement, "berlaku", "Ditandatangani")
    assert response.status_code == 400
    assert (
        "Tanggal penandatanganan wajib diisi sebelum kerja sama berstatus Berlaku."
        in response.content.decode()
    )
    agreement.refresh_from_db()
    assert agreement.status == Status.MENUNGGU_TTD

    signed = agreement.start_date
    assert (
        move(client, agreement, "berlaku", "Ditandatangani", signed_date=signed.isoformat()).status_code
        == 302
    )
    agreement.refresh_from_db()
    assert (agreement.status, agreement.signed_date) == (Status.BERLAKU, signed)
    assert 'name="signed_date"' not in client.get(url("manage_detail", agreement)).content.decode()


def test_extension_needs_a_later_end_date(client, admin, agreement):
    client.force_login(admin)
    for step in ("pembahasan", "menunggu_ttd", "berlaku"):
        move(client, agreement, step, signed_date=agreement.start_date.isoformat())
    old_end = agreement.end_date
    response = move(client, agreement, "diperpanjang", "Addendum I")
    assert response.status_code == 400
    assert "Tanggal berakhir baru wajib diisi" in response.content.decode()
    new_end = old_end + timedelta(days=365)
    assert (
        move(client, agreement, "diperpanjang", "Addendum I", new_end_date=new_end.isoformat()).status_code
        == 302
    )
    agreement.refresh_from_db()
    assert agreement.status == Status.DIPERPANJANG and agreement.end_date == new_end


def test_review_comments_thread_with_attachments_only_in_pembahasan(client, admin, agreement):
    client.force_login(admin)
    comment_url = url("manage_comment", agreement)
    response = client.post(comment_url, {"body": "Terlalu dini"})
    assert response.status_code == 400
    assert "hanya dapat ditulis saat kerja sama berstatus Pembahasan" in response.content.decode()

    move(client, agreement, "pembahasan")
    first = client.post(comment_url, {"body": "Bagian Hukum: pasal 5 perlu diperjelas."})
    assert first.status_code == 302
    question = ReviewComment.objects.get()
    reply_page = client.get(url("manage_detail", agreement), {"balas": question.pk}).content.decode()
    assert "Membalas komentar" in reply_page
    memo = SimpleUploadedFile(
        "telaah.pdf", pdf_bytes("telaah hukum pasal lima"), content_type="application/pdf"
    )
    client.post(
        comment_url, {"body": "Sudah direvisi, lihat telaah.", "parent": question.pk, "attachment": memo}
    )
    reply = ReviewComment.objects.exclude(pk=question.pk).get()
    assert reply.parent == question and reply.attachment.kind == AgreementDocument.Kind.COMMENT

    bad = SimpleUploadedFile("catatan.pdf", b"bukan pdf", content_type="application/pdf")
    response = client.post(comment_url, {"body": "Lampiran salah", "attachment": bad})
    assert "Lampiran PDF (opsional): Berkas &#x27;catatan.pdf&#x27; bukan PDF" in response.content.decode()
    assert ReviewComment.objects.count() == 2  # the refused comment is not half-saved

    move(client, agreement, "menunggu_ttd")
    page = client.get(url("manage_detail", agreement)).content.decode()
    assert "pasal 5 perlu diperjelas" in page and "telaah.pdf" in page  # visible afterwards
    assert 'action="/kerja-sama/kelola/' + str(agreement.pk) + '/komentar/"' not in page
    with pytest.raises(ValidationError):
        add_review_comment(agreement, user=admin, body="Terlambat")


def test_reply_to_a_comment_of_another_agreement_is_404(client, admin, agreement):
    client.force_login(admin)
    move(client, agreement, "pembahasan")
    other = ReviewComment.objects.create(agreement=agreement, author=admin, body="x")
    ReviewComment.objects.filter(pk=other.pk).update(agreement=create_other_agreement(admin))
    response = client.post(url("manage_comment", agreement), {"body": "balas", "parent": other.pk})
    assert response.status_code == 404


def create_other_agreement(admin):
    a = OrganizationFactory(region=region("16.71"))
    b = OrganizationFactory(region=None, kind="ministry")
    today = timezone.localdate()
    return create_agreement(
        user=admin,
        type="mou",
        title="Lain",
        start_date=today,
        end_date=today + timedelta(days=30),
        parties=[PartyInput(a.pk), PartyInput(b.pk)],
    ).agreement


def test_monev_snapshot_is_frozen_and_shown_publicly(client, admin, agreement):
    client.force_login(admin)
    monev_url = url("manage_monev", agreement)
    today = timezone.localdate()
    data = {"evaluated_on": today.isoformat(), "period_label": "Tahun ke-1", "recommendation": "dilanjutkan"}
    response = client.post(monev_url, data)
    assert response.status_code == 400
    assert "sudah ditandatangani" in response.content.decode()

    for step in ("pembahasan", "menunggu_ttd", "berlaku"):
        move(client, agreement, step, signed_date=agreement.start_date.isoformat())
    commitment = agreement.commitments.get()
    add_manual_measurement(commitment, value=Decimal(2_000), evidence_note="Rekap semester I", user=admin)
    evidence = SimpleUploadedFile("monev.pdf", pdf_bytes("laporan monev"), content_type="application/pdf")
    assert client.post(monev_url, {**data, "notes": "Capaian baik.", "evidence": evidence}).status_code == 302
    round_ = MonevRound.objects.get()
    row = round_.snapshot["commitments"][0]
    assert row["value"] == "2000.00" and row["percent"] == 20.0 and row["title"] == "Kursi pelatihan"

    # Later data and later edits do not rewrite what the evaluators saw.
    add_manual_measurement(commitment, value=Decimal(9_000), evidence_note="Rekap tahun II", user=admin)
    commitment.title = "Kursi pelatihan (diubah)"
    commitment.save()
    round_.refresh_from_db()
    assert round_.snapshot["commitments"][0]["value"] == "2000.00"
    assert round_.snapshot["commitments"][0]["title"] == "Kursi pelatihan"

    client.logout()
    public = client.get(reverse("partnerships:agreement_detail", args=[agreement.pk])).content.decode()
    assert "Riwayat monev" in public and "Tahun ke-1" in public and "Dilanjutkan" in public
    assert "2.000" in public and "Capaian baik." in public
    assert "monev.pdf" not in public  # evidence is downloaded only through the office's scoped view


def test_monev_refuses_future_dates_and_unknown_recommendations(admin, agreement):
    agreement.status = Status.BERLAKU
    agreement.save()
    with pytest.raises(ValidationError) as exc:
        record_monev(
            agreement,
            user=admin,
            evaluated_on=date.today() + timedelta(days=10),
            period_label="",
            recommendation="dibubarkan",
        )
    assert set(exc.value.message_dict) == {"evaluated_on", "period_label", "recommendation"}
    assert not MonevRound.objects.exists()


def test_manual_measurement_form_with_evidence(client, admin, agreement):
    client.force_login(admin)
    commitment = agreement.commitments.get()
    measure = url("manage_measurement", agreement, commitment.pk)
    response = client.post(measure, {"value": "-5", "evidence_note": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Keterangan bukti: " in html
    evidence = SimpleUploadedFile("rekap.pdf", pdf_bytes("rekap peserta"), content_type="application/pdf")
    response = client.post(
        measure, {"value": "3500", "evidence_note": "Rekap DTS 2023", "evidence": evidence}
    )
    assert response.status_code == 302
    measurement = ManualMeasurement.objects.get()
    assert measurement.entered_by == admin and measurement.evidence.original_name == "rekap.pdf"
    page = client.get(url("manage_detail", agreement)).content.decode()
    assert "Rekap DTS 2023" in page and "35,0%" in page

    client.force_login(regional_admin("64.72"))
    assert client.post(measure, {"value": "1", "evidence_note": "x"}).status_code == 404
    assert ManualMeasurement.objects.count() == 1
