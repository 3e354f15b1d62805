"""Who sees which agreement, the public pages without login, and the demo records."""

from io import StringIO

import pytest
from django.urls import reverse
from tests.factories import national_admin, regional_admin

from sinergi.core.demo import seed_foundation
from sinergi.partnerships.demo import seed_partnerships
from sinergi.partnerships.models import Agreement, Status
from sinergi.partnerships.selectors import agreement_detail, agreements_visible_to

pytestmark = pytest.mark.django_db

PALEMBANG = "Peningkatan Kecakapan Digital Aparatur dan Masyarakat Kota Palembang"
KEMNAKER = "Peningkatan Kompetensi Sumber Daya Manusia Kota Samarinda"


@pytest.fixture
def demo():
    seed_foundation()
    seed_partnerships()
    return {a.title: a for a in Agreement.objects.all()}


def test_demo_creates_the_five_seed_agreements_once(demo):
    assert len(demo) == 5
    seed_partnerships(StringIO())
    assert Agreement.objects.count() == 5
    palembang = demo[PALEMBANG]
    seats = palembang.commitments.get(unit="kursi")
    assert seats.target_value == 10_000
    assert set(seats.breakdown) >= {"dasar", "menengah", "lanjut"}
    assert demo[KEMNAKER].status == Status.PEMBAHASAN
    assert demo[KEMNAKER].commitments.get().target_value == 10_000


def test_scope_per_role(demo):
    palembang_draft = demo[PALEMBANG]
    Agreement.objects.filter(pk=palembang_draft.pk).update(status=Status.PEMBAHASAN)
    samarinda = regional_admin("64.72")
    palembang = regional_admin("16.71")
    sumsel = regional_admin("16")

    assert palembang_draft not in agreements_visible_to(samarinda)
    assert demo[KEMNAKER] in agreements_visible_to(samarinda)  # own region's draft
    assert palembang_draft in agreements_visible_to(palembang)
    assert palembang_draft in agreements_visible_to(sumsel)  # the province sees its kota
    assert palembang_draft in agreements_visible_to(national_admin())
    public = agreements_visible_to(None)
    assert palembang_draft not in public and demo[KEMNAKER] not in public
    assert set(public.values_list("status", flat=True)) <= {Status.BERLAKU}


def test_agreement_outside_scope_is_404(client, demo):
    draft = demo[KEMNAKER]  # Samarinda's draft, not public
    palembang_admin = regional_admin("16.71")
    client.force_login(palembang_admin)
    url = reverse("partnerships:agreement_detail", args=[draft.pk])
    assert client.get(url).status_code == 404
    Agreement.objects.filter(pk=demo[PALEMBANG].pk).update(status=Status.PEMBAHASAN)
    client.force_login(regional_admin("64.72"))
    assert client.get(reverse("partnerships:agreement_detail", args=[demo[PALEMBANG].pk])).status_code == 404
    from django.http import Http404

    with pytest.raises(Http404):
        agreement_detail(palembang_admin, draft.pk)


def test_public_pages_show_the_palembang_commitment_without_login(client, demo):
    listing = client.get("/kerja-sama/")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert PALEMBANG in html
    assert KEMNAKER not in html  # still in discussion, not public

    page = client.get(f"/kerja-sama/{demo[PALEMBANG].pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Kursi kelas pelatihan digital menurut tingkat keahlian" in html
    assert "Pemerintah Kota Palembang" in html and "H. Harnojoyo" in html
    assert '<progress max="100" value="0.0"' in html
    assert "kursi" in html and "menengah" in html.lower()  # the per-level split, as "Menengah"
    assert client.get(f"/kerja-sama/{demo[KEMNAKER].pk}/").status_code == 404


def test_nav_links_to_the_public_list(client):
    assert 'href="/kerja-sama/"' in client.get("/").content.decode()


def test_public_progress_moves_when_a_measurement_arrives(client, demo):
    from decimal import Decimal

    from sinergi.partnerships.services import add_manual_measurement

    seats = demo[PALEMBANG].commitments.get(unit="kursi")
    add_manual_measurement(
        seats, value=Decimal(2500), evidence_note="Rekap kelas BPSDMP Palembang", user=national_admin()
    )
    html = client.get(f"/kerja-sama/{demo[PALEMBANG].pk}/").content.decode()
    assert '<progress max="100" value="25.0"' in html
    assert "2.500 / 10.000 kursi" in html
