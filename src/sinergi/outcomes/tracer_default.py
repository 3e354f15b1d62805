"""The default DTS/BLK tracer: the core items of Indonesian training tracer studies (main activity,
months until the first job, monthly income band, use of the trained skills, business started or grown,
satisfaction). Plain data in the shape of answers.py; loaded by migration 0002 and by
`sinergi load_default_tracer`. The activity codes are registration's ActivityStatus codes, so the
answer can be compared with the status given at registration.

The metrics read these codes: "activity" (employed_after), "business" (business_started) and the
income band's "min" (income_above).
"""

from __future__ import annotations

SLUG = "tracer-dts-blk"
TITLE = "Survei pelacakan lulusan pelatihan (DTS/BLK)"
DESCRIPTION = (
    "Survei singkat (sekitar 3 menit) tentang kegiatan Anda setelah pelatihan. Jawaban Anda membantu "
    "pemerintah daerah dan penyelenggara menilai manfaat pelatihan dan memperbaikinya. Jawaban dilaporkan "
    "hanya sebagai angka gabungan."
)

EMPLOYED = ["bekerja_penuh", "bekerja_paruh", "wirausaha"]
BUSINESS_STARTED_OR_GROWN = ["baru", "naik_kelas"]

QUESTIONS: list[dict] = [
    {
        "code": "activity",
        "type": "single",
        "label": "Apa kegiatan utama Anda saat ini?",
        "required": True,
        "options": [
            {"value": "bekerja_penuh", "label": "Bekerja penuh waktu"},
            {"value": "bekerja_paruh", "label": "Bekerja paruh waktu"},
            {"value": "wirausaha", "label": "Berwirausaha"},
            {"value": "studi", "label": "Melanjutkan studi"},
            {"value": "mencari_kerja", "label": "Sedang mencari kerja"},
            {"value": "belum_bekerja", "label": "Belum memungkinkan bekerja (mis. mengurus keluarga, sakit)"},
        ],
    },
    {
        "code": "months_to_job",
        "type": "number",
        "label": "Berapa bulan setelah pelatihan selesai Anda mendapat pekerjaan atau memulai usaha?",
        "help": "Isi 0 bila kurang dari sebulan atau Anda sudah bekerja sebelum pelatihan.",
        "required": True,
        "min": 0,
        "max": 60,
        "show_if": {"question": "activity", "in": EMPLOYED},
    },
    {
        "code": "income_band",
        "type": "single",
        "label": "Berapa rata-rata penghasilan Anda per bulan dari pekerjaan atau usaha itu?",
        "required": True,
        "show_if": {"question": "activity", "in": EMPLOYED},
        "options": [
            {"value": "lt1", "label": "Kurang dari Rp1 juta", "min": 0, "max": 1_000_000},
            {"value": "1-2", "label": "Rp1 juta – Rp2 juta", "min": 1_000_000, "max": 2_000_000},
            {"value": "2-3", "label": "Rp2 juta – Rp3 juta", "min": 2_000_000, "max": 3_000_000},
            {"value": "3-5", "label": "Rp3 juta – Rp5 juta", "min": 3_000_000, "max": 5_000_000},
            {"value": "5-10", "label": "Rp5 juta – Rp10 juta", "min": 5_000_000, "max": 10_000_000},
            {"value": "gt10", "label": "Lebih dari Rp10 juta", "min": 10_000_000, "max": None},
        ],
    },
    {
        "code": "uses_skills",
        "type": "single",
        "label": "Apakah pekerjaan atau usaha Anda memakai keterampilan dari pelatihan?",
        "required": True,
        "show_if": {"question": "activity", "in": EMPLOYED},
        "options": [
            {"value": "sangat", "label": "Ya, sangat"},
            {"value": "sebagian", "label": "Ya, sebagian"},
            {"value": "tidak", "label": "Tidak"},
        ],
    },
    {
        "code": "business",
        "type": "single",
        "label": "Sejak pelatihan, apakah Anda memulai usaha atau usaha Anda berkembang (UMKM naik kelas)?",
        "required": True,
        "options": [
            {"value": "baru", "label": "Ya, saya memulai usaha baru"},
            {
                "value": "naik_kelas",
                "label": "Ya, usaha saya berkembang (omzet, pekerja atau pasar bertambah)",
            },
            {"value": "tetap", "label": "Usaha saya ada, tetapi belum berkembang"},
            {"value": "tidak_ada", "label": "Saya tidak memiliki usaha"},
        ],
    },
    {
        "code": "satisfaction",
        "type": "scale",
        "label": "Seberapa puas Anda dengan pelatihan ini?",
        "help": "1 = sangat tidak puas, 5 = sangat puas.",
        "required": True,
    },
    {
        "code": "suggestion",
        "type": "text",
        "label": "Saran untuk penyelenggara pelatihan (tidak wajib)",
        "required": False,
    },
]
