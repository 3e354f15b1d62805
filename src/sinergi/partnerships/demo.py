"""Demo step: the five seed agreements as records. Idempotent: an agreement whose title already
exists is left as it is, so running the demo twice changes nothing.

Only figures stated in the seed articles become commitments. The Palembang article gives the
10,000 seats and says they are split by skill level but not how; the split below is illustrative
and labelled so on the page (breakdown key "catatan")."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction

from sinergi.core.demo import demo_org
from sinergi.partnerships.models import Agreement, AgreementParty, AgreementType, Scheme, Status, Topic
from sinergi.partnerships.services import CommitmentInput, PartyInput, create_agreement

FIRST, SECOND = AgreementParty.Role.FIRST, AgreementParty.Role.SECOND


def _party(key: str, role: str, name: str = "", position: str = "") -> PartyInput:
    return PartyInput(demo_org(key).pk, role, signatory_name=name, signatory_position=position)


@transaction.atomic
def seed_partnerships(stdout=None) -> None:
    specs = [
        dict(
            type=AgreementType.MOU,
            title="Beasiswa Pelatihan Digital Talent Scholarship bagi SDM Kota Samarinda",
            scheme=Scheme.KSDPK,
            topics=[Topic.DIGITAL_TALENT, Topic.SMART_CITY],
            scope="Kerja sama beasiswa pelatihan Program Akademi Digital Talent Scholarship (DTS) "
            "untuk menyiapkan SDM Samarinda sebagai daerah penyangga IKN.",
            signed_date=date(2022, 3, 10),
            signed_place="Hotel Mercure Samarinda",
            start_date=date(2022, 3, 10),
            end_date=date(2027, 3, 9),
            status=Status.BERLAKU,
            parties=[
                _party("samarinda", FIRST, "Andi Harun", "Wali Kota Samarinda"),
                _party("balitbang", SECOND, "Hary Budiarto", "Kepala Badan Litbang SDM Kominfo"),
            ],
            commitments=[],
        ),
        dict(
            type=AgreementType.NOTA_KESEPAKATAN,
            title="Peningkatan Kecakapan Digital Aparatur dan Masyarakat Kota Palembang",
            scheme=Scheme.KSDPK,
            topics=[Topic.DIGITAL_TALENT, Topic.ASN_TRAINING, Topic.CERTIFICATION, Topic.DIGITAL_LITERACY],
            scope="Edukasi, pelatihan dan sertifikasi kecakapan digital bagi ASN, pelaku usaha dan pelajar, "
            "bekerja sama dengan empat universitas internasional.",
            signed_date=date(2021, 12, 20),
            signed_place="Palembang",
            start_date=date(2021, 12, 20),
            end_date=date(2026, 12, 19),
            status=Status.BERLAKU,
            parties=[
                _party("palembang", FIRST, "H. Harnojoyo", "Wali Kota Palembang"),
                _party("balitbang", SECOND, "", "Kepala Badan Litbang SDM Kominfo"),
            ],
            commitments=[
                CommitmentInput(
                    title="Kursi kelas pelatihan digital menurut tingkat keahlian",
                    target_value=Decimal(10_000),
                    unit="kursi",
                    deadline=date(2026, 12, 19),
                    breakdown={
                        "dasar": 5000,
                        "menengah": 3000,
                        "lanjut": 2000,
                        "catatan": "Pembagian per tingkat ilustratif; "
                        "artikel hanya menyebut total 10.000 kursi.",
                    },
                ),
                CommitmentInput(
                    title="Sertifikasi bersama universitas internasional",
                    target_value=Decimal(4),
                    unit="universitas",
                    deadline=date(2026, 12, 19),
                    weight=Decimal("0.5"),
                ),
            ],
        ),
        dict(
            type=AgreementType.MOU,
            title="Program Smart City Kabupaten Kotawaringin Timur",
            scheme=Scheme.KSDPK,
            topics=[Topic.SMART_CITY, Topic.ASN_TRAINING, Topic.EDUCATION],
            scope="Penyiapan SDM ASN di bidang teknologi informasi untuk mewujudkan smart city dalam "
            "enam tahun.",
            signed_date=date(2021, 11, 1),
            signed_place="Sampit Creative Hub, Sampit",
            start_date=date(2021, 11, 1),
            end_date=date(2027, 10, 31),
            status=Status.BERLAKU,
            parties=[
                _party("kotim", FIRST, "Halikinnor", "Bupati Kotawaringin Timur"),
                _party("unda", SECOND, "", "Rektor Universitas Darwan Ali"),
            ],
            commitments=[],
        ),
        dict(
            type=AgreementType.NOTA_KESEPAKATAN,
            title="Peningkatan Kompetensi Sumber Daya Manusia Kota Samarinda",
            scheme=Scheme.KSDPK,
            topics=[Topic.UMKM, Topic.DIGITAL_TALENT],
            scope="Pelatihan vokasi melalui BLK untuk menciptakan 10.000 UKM dan wirausaha muda.",
            signed_place="",
            start_date=date(2022, 4, 6),
            end_date=date(2027, 4, 5),
            status=Status.PEMBAHASAN,
            parties=[
                _party("samarinda", FIRST, "Ali Fitri Noor", "Plh. Sekretaris Daerah Kota Samarinda"),
                _party("kemnaker", SECOND),
            ],
            commitments=[
                CommitmentInput(
                    title="UKM dan wirausaha muda baru",
                    target_value=Decimal(10_000),
                    unit="UKM",
                    deadline=date(2027, 4, 5),
                )
            ],
        ),
        dict(
            type=AgreementType.MOU,
            title="Digital Talent Scholarship dan Digital Leadership Academy bagi ASN "
            "Pemprov Sulawesi Selatan",
            scheme=Scheme.KSDPK,
            topics=[Topic.ASN_TRAINING, Topic.DIGITAL_TALENT],
            scope="Pelatihan DTS dan DLA bagi seluruh ASN Pemprov Sulsel, termasuk guru SD sampai SMA.",
            start_date=date(2022, 11, 10),
            end_date=date(2027, 11, 9),
            status=Status.USULAN,
            parties=[
                _party("sulsel", FIRST, "Abdul Hayat Gani", "Sekretaris Daerah Provinsi Sulawesi Selatan"),
                _party("balitbang", SECOND, "Hary Budiarto", "Kepala Badan Litbang SDM Kominfo"),
            ],
            commitments=[
                CommitmentInput(
                    title="ASN Pemprov Sulsel mengikuti pelatihan DTS/DLA",
                    target_value=Decimal(23_000),
                    unit="ASN",
                    deadline=date(2027, 11, 9),
                )
            ],
        ),
    ]
    created = []
    for spec in specs:
        if Agreement.objects.filter(title=spec["title"]).exists():
            continue
        created.append(create_agreement(user=None, **spec).agreement)  # type: ignore[arg-type]
    if stdout is not None:
        stdout.write(f"  {len(created)} kerja sama baru")
