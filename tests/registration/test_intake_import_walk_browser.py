"""The second intake walk, for people who arrive by import: a regional admin uploads 20 people (12 with
an e-mail), everyone with an address gets one invitation whose link is on SITE_URL, the others are
listed with their phone, and two of them claim their account on a phone through the e-mailed link,
asked only for what the import could not supply."""

import io
import re
from datetime import timedelta

import openpyxl
import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect
from tests.browsing import browser_login
from tests.factories import (
    IMPORT_HEADER,
    PASSWORD,
    ProgramFactory,
    TrainingClassFactory,
    apply_to,
    import_row,
    regional_admin,
)

from sinergi.registration.models import Participant
from sinergi.selection.models import Offer, OfferStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shoot(page, name: str) -> None:
    page.screenshot(path=f"/tmp/walk2-{name}.png", full_page=True)


def fits_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def workbook(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(IMPORT_HEADER)
    for row in rows:
        sheet.append([row[c] for c in IMPORT_HEADER])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def allocate(page, kind: str) -> None:
    """The four allocation steps, each a job: wait for what each leaves on the page."""
    page.select_option("#id_kind", kind)
    page.click("text=Bekukan masukan dan umumkan hash")
    expect(page.locator("#input-hash")).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
    page.click("text=Tarik angka undian")
    expect(page.locator("#seed")).to_have_text(re.compile(r"^\d+$"))
    page.click("text=Jalankan simulasi")
    expect(page.get_by_text("Tinjauan hasil")).to_be_visible()
    page.fill("#id_response_days", "5")
    page.check("#id_confirm")
    page.click("main button:has-text('Terbitkan')")


def test_admin_imports_twenty_people_and_the_invited_claim_their_accounts(
    page, phone_page, live_server, settings
):
    settings.SITE_URL = live_server.url
    officer = regional_admin("16.71", username="admin.impor")
    rows = [import_row(i, category="umum") for i in range(1, 21)]
    for i in range(12, 20):  # the last eight came without an e-mail address
        rows[i]["email"] = ""
    with_email = [r for r in rows if r["email"]]

    # --- the officer, on a desktop: upload, check, import ------------------------------------------
    browser_login(page, officer.username, PASSWORD)
    page.goto(page.base_url + "/impor/peserta/")
    page.set_input_files(
        "input[type=file]",
        files=[{"name": "peserta.xlsx", "mimeType": "application/octet-stream", "buffer": workbook(rows)}],
    )
    page.click("button:has-text('Unggah dan periksa')")
    # The check runs as a job; the page reloads itself when it is done.
    page.wait_for_selector("button:has-text('Impor baris yang valid saja'):not([disabled])")
    shoot(page, "1-checked")
    page.click("button:has-text('Impor baris yang valid saja')")
    invited = page.locator("dt:has-text('Undangan akun dikirim') + dd")
    expect(invited).to_have_text("12")
    shoot(page, "2-imported")
    assert Participant.objects.count() == 20

    # One invitation per person with an address, each link on the public address.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r["email"] for r in with_email)
    links = {}
    for message in mail.outbox:
        found = re.findall(r"https?://\S+", message.body)
        assert len(found) == 1 and found[0].startswith(live_server.url + "/daftar/undangan/"), message.body
        links[message.to[0]] = found[0]

    # The eight without an address are listed with their phone number, to be reached another way.
    page.goto(page.base_url + "/peserta/tanpa-akun/")
    main = page.locator("main")
    for row in rows[12:]:
        expect(main).to_contain_text(row["telepon"])
    assert rows[12]["nik"] not in page.content()  # masked
    shoot(page, "3-without-account")

    # --- two of the invited open their e-mail on a phone and claim their account ---------------------
    phone = phone_page
    for row in with_email[:2]:
        phone.goto(links[row["email"]])
        expect(phone.locator("h1")).to_have_text("Aktifkan akun Anda")
        person = Participant.objects.get(full_name=row["nama"])
        expect(phone.locator("main")).to_contain_text(person.masked_nik)
        assert row["nik"] not in phone.content()
        # Only what the import could not supply is asked: no NIK, no KK, no phone.
        for name in ("nik", "kk", "phone"):
            expect(phone.locator(f"[name={name}]")).to_have_count(0)
        phone.fill("#id_password1", "sandi-rahasia-42")
        phone.fill("#id_password2", "sandi-rahasia-42")
        phone.select_option("#id_education", "s1")
        phone.check("#id_consent")
        assert fits_phone(phone)
        shoot(phone, f"4-claim-{row['nama'].split()[-1]}-360px")
        phone.click("main button:has-text('Aktifkan akun')")
        phone.wait_for_load_state("networkidle")
        person.refresh_from_db()
        assert person.user is not None and person.user.email == row["email"]
        phone.context.clear_cookies()
        # The link is single use.
        phone.goto(links[row["email"]])
        expect(phone.locator("h1")).not_to_have_text("Aktifkan akun Anda")
    browser_login(phone, with_email[0]["email"], "sandi-rahasia-42")
    phone.goto(phone.base_url + "/peserta/profil/")
    expect(phone.locator("main")).to_contain_text(
        Participant.objects.get(full_name=with_email[0]["nama"]).masked_nik
    )
    assert fits_phone(phone)
    shoot(phone, "5-claimed-profile-360px")
    assert len(mail.outbox) == 12  # claiming sends nothing more

    # --- one seat: the first claimant lets the offer lapse, the seat goes to the waitlist ------------
    first, second = (Participant.objects.get(full_name=r["nama"]) for r in with_email[:2])
    program = ProgramFactory(batch__name="Gelombang Impor Palembang", name="Literasi Digital ASN")
    training_class = TrainingClassFactory(program=program, name="Literasi Digital Kelas A", capacity=1)
    apply_to(first, [training_class], score=90)
    apply_to(second, [training_class], score=80)
    batch = program.batch
    page.goto(page.base_url + "/alokasi/")
    page.click(f"text={batch.name}")
    page.click("button:has-text('Tutup pendaftaran')")
    allocate(page, "utama")
    expect(page.get_by_text("Alokasi diterbitkan: 1 tawaran kursi dikirim ke peserta.")).to_be_visible()
    offer = Offer.objects.get(participant=first)
    # The hourly job, on a fixed clock one hour past the deadline: no waiting.
    call_command("expire_offers", pada=(offer.deadline + timedelta(hours=1)).isoformat())
    offer.refresh_from_db()
    assert offer.status == OfferStatus.EXPIRED
    page.goto(page.base_url + "/alokasi/")
    page.click(f"text={batch.name}")
    page.fill("#id_reason", "Tawaran kursi tidak dijawab sampai batas waktu")
    allocate(page, "susulan")
    expect(page.get_by_text("Alokasi diterbitkan: 1 tawaran kursi dikirim ke peserta.")).to_be_visible()
    shoot(page, "6-backfill-published")
    assert Offer.objects.get(participant=second, status=OfferStatus.OFFERED).training_class == training_class

    later = mail.outbox[12:]
    to_first = [m.subject for m in later if m.to == [with_email[0]["email"]]]
    to_second = [m.subject for m in later if m.to == [with_email[1]["email"]]]
    assert to_first == ["Anda mendapat kursi pelatihan", "Tawaran kursi kedaluwarsa"]
    assert to_second == [
        "Hasil seleksi kelas pelatihan",  # on the waitlist after the main run
        "Anda naik dari daftar tunggu: kursi pelatihan untuk Anda",
    ]
    assert len(later) == 4
    for message in later:
        assert all(u.startswith(live_server.url + "/") for u in re.findall(r"https?://\S+", message.body))

    # The second claimant, still signed in on the phone... signs in and accepts the seat.
    phone.context.clear_cookies()
    browser_login(phone, with_email[1]["email"], "sandi-rahasia-42")
    phone.goto(phone.base_url + "/hasil-seleksi/")
    phone.click("button:has-text('Terima kursi')")
    expect(phone.locator("ul.messages")).to_contain_text(
        f"Anda menerima kursi di kelas {training_class.code} “{training_class.name}”"
    )
    assert fits_phone(phone)
    shoot(phone, "7-accepted-from-waitlist-360px")
