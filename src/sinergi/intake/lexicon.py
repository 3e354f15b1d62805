"""Keyword lexicons: topics, commitment units, agreement types and the cue words the scorer uses."""

from __future__ import annotations

import re

# topic → [(pattern, weight)]; a topic is reported when its weighted hits reach TOPIC_THRESHOLD.
# Each pattern counts at most twice, so one repeated word cannot carry a topic alone. Patterns are
# matched case-insensitively; acronyms sit in (?-i:…) groups so "DTS" does not match "dts".
TOPIC_LEXICON: dict[str, list[tuple[str, float]]] = {
    "digital_talent": [
        (r"digital\s+talent(?:\s+scholarship)?", 2),
        (r"(?-i:\bDTS\b)", 2),
        (r"talenta\s+digital", 2),
        (r"beasiswa\s+pelatihan", 2),
        (
            r"(?:vocational\s+school\s+graduate|fresh\s+graduate|thematic|"
            r"professional|talent\s+scouting)\s+academy",
            2,
        ),
        (r"(?-i:\b(?:VSGA|FGA|ProA|TSA)\b)", 2),
        (r"ahli(?:-ahli)?\s+digital", 2),
        (r"keahlian\s+digital", 2),
        (r"pelatihan\s+digital(?!\s+marketing)", 2),
        (r"\bSDM\s+digital|sumber\s+daya\s+manusia\s+digital", 2),
        (r"programmer", 1),
        (r"pemrograman|coding", 1),
        (r"cloud\s+computing|komputasi\s+awan", 1),
        (r"kecerdasan\s+(?:buatan|artifisial)|artificial\s+intelligence", 1),
        (r"keamanan\s+siber", 1),
        (r"analisis\s+data|data\s+science", 1),
        (r"teknologi\s+informasi", 0.5),
    ],
    "smart_city": [
        (r"smart\s+(?:city|regency|province|village|kampung)", 2),
        (r"kota\s+(?:cerdas|pintar)", 2),
        (r"kabupaten\s+cerdas|desa\s+cerdas|provinsi\s+cerdas", 2),
        (r"menuju\s+100\s+smart\s+city", 2),
        (r"masterplan\s+smart", 2),
        (r"command\s+center", 1),
    ],
    "asn_training": [
        (r"government\s+transformation\s+academy|(?-i:\bGTA\b)", 2),
        (r"digital\s+leadership\s+academy|(?-i:\bDLA\b)", 2),
        (r"kepemimpinan\s+digital", 2),
        (r"transformasi\s+(?:digital\s+)?pemerintahan", 2),
        (r"(?-i:\bASN\b)[^.]{0,60}\b(?:dilatih|pelatihan|latih|kompetensi|kemampuan|sertifikasi)", 2),
        (r"(?:pelatihan|melatih|kompetensi|kapasitas)\s[^.]{0,40}(?-i:\b(?:ASN|aparatur)\b)", 2),
        (r"(?-i:\bASN\b)", 1),
        (r"aparatur(?:\s+sipil\s+negara)?", 1),
        (r"(?-i:\bPNS\b)", 1),
        (r"reformasi\s+birokrasi", 1),
    ],
    "digital_literacy": [
        (r"literasi(?:\s+dan\s+\w+)?\s+digital", 2),
        (r"(?:cakap|kecakapan|melek)\s+digital", 2),
        (r"hoaks|hoax", 2),
        (r"penipuan\s+(?:pinjaman\s+)?online|pinjol", 2),
        (r"etika\s+(?:digital|bermedia\s+sosial)", 2),
        (r"keamanan\s+digital", 2),
        (r"siberkreasi", 2),
        (r"data\s+pribadi", 1),
        (r"melek\s+teknologi", 1),
    ],
    "certification": [
        (r"sertifikasi", 2),
        (r"uji\s+kompetensi", 2),
        (r"(?-i:\bLSP\b)|lembaga\s+sertifikasi\s+profesi", 2),
        (r"(?-i:\bBNSP\b)", 2),
        (r"(?-i:\bSKKNI\b)", 2),
        (r"sertifikat", 2),
    ],
    "umkm": [
        (r"(?-i:\bUMKM\b|\bUKM\b)", 2),
        (r"usaha\s+(?:mikro|kecil)", 2),
        (r"wirausaha|kewirausahaan", 2),
        (r"pelaku\s+usaha", 2),
        (r"digital\s+entrepreneurship\s+academy|(?-i:\bDEA\b)", 2),
        (r"start-?up|perusahaan\s+rintisan", 1),
        (r"go\s+digital", 1),
    ],
    "education": [
        (r"\bguru\b", 2),
        (r"\bsiswa\b", 2),
        (r"\bpelajar\b", 2),
        (r"\bmahasiswa\b", 1),
        (r"\bpendidikan\b", 1),
        (r"(?-i:\b(?:SMK|SMA|SMP|SD|SLB|MA|MTs)\b)", 1),
        (r"\bsekolah\b", 1),
        (r"kurikulum", 0.5),
        (r"kampus\s+merdeka", 2),
        (r"(?-i:\bKKN\b)|kuliah\s+kerja\s+nyata", 2),
        (r"magang", 1),
        (r"beasiswa[^.]{0,40}kuliah|kuliah\s+di", 2),
        (r"tenaga\s+kependidikan", 2),
        (r"\bdosen\b", 0.5),
    ],
    "public_service_apps": [
        (r"(?:layanan|pelayanan)\s+publik", 2),
        (r"aplikasi\s+(?:layanan|pelayanan)", 2),
        (r"(?-i:\bSPBE\b)", 2),
        (r"e-?government|pemerintahan\s+berbasis\s+elektronik", 2),
        (r"layanan\s+(?:administrasi\s+)?kependudukan", 2),
        (r"mal\s+pelayanan\s+publik", 2),
        (r"super\s*apps?", 2),
        (r"tanda\s+tangan\s+elektronik", 2),
        (r"aplikasi", 1),
        (r"barcode|QRIS", 1),
        (r"non\s*-?tunai|uang\s+tunai", 1),
        (r"layanan\s+digital", 1),
    ],
    "infrastructure": [
        (r"akses\s+internet", 2),
        (r"jaringan\s+(?:internet|fiber|telekomunikasi|sensor)", 2),
        (r"fiber\s+optik|serat\s+optik", 2),
        (r"(?-i:\bBTS\b)", 2),
        (r"wi-?fi", 2),
        (r"blank\s*spot", 2),
        (r"palapa\s+ring", 2),
        (r"pusat\s+data|data\s+center", 2),
        (r"menara\s+telekomunikasi", 2),
        (r"sinyal", 1),
        (r"satelit", 1),
        (r"konektivitas", 1),
        (r"tersambung\s+internet", 1),
        (r"CCTV", 1),
    ],
}
TOPIC_THRESHOLD = 2.0

# Canonical unit ← pattern, tried in order right after a quantity (longest forms first).
UNIT_PATTERNS: list[tuple[str, str]] = [
    (r"usaha\s+mikro,?\s+kecil,?\s+(?:dan\s+)?menengah(?:\s*\(UMKM\))?", "UMKM"),
    (r"usaha\s+kecil(?:,?\s+dan)?\s+menengah(?:\s*\(UKM\))?", "UKM"),
    (r"pelaku\s+(?:UMKM|usaha\s+mikro)", "UMKM"),
    (r"UMKM", "UMKM"),
    (r"UKM", "UKM"),
    (r"pelaku\s+usaha", "pelaku usaha"),
    (r"wirausaha(?:wan)?(?:\s+muda)?", "wirausaha"),
    (r"perusahaan\s+rintisan|start-?ups?", "startup"),
    (r"aparatur\s+sipil\s+negara(?:\s*\(ASN\))?|ASN|aparatur", "ASN"),
    (r"PNS|pegawai\s+negeri\s+sipil", "PNS"),
    (r"talenta(?:\s+digital)?", "talenta digital"),
    (r"pemuda|anak\s+muda|generasi\s+muda", "pemuda"),
    (r"pelajar", "pelajar"),
    (r"mahasiswa", "mahasiswa"),
    (r"siswa", "siswa"),
    (r"guru|tenaga\s+pendidik", "guru"),
    (r"dosen", "dosen"),
    (r"santri", "santri"),
    (r"perangkat\s+desa", "perangkat desa"),
    (r"kepala\s+desa", "kepala desa"),
    (r"desa", "desa"),
    (r"kelurahan", "kelurahan"),
    (r"sekolah", "sekolah"),
    (r"titik", "titik"),
    (r"kelas", "kelas"),
    (r"kursi", "kursi"),
    (r"kuota", "kuota"),
    (r"beasiswa", "beasiswa"),
    (r"sertifikat", "sertifikat"),
    (r"programmer|pemrogram", "programmer"),
    (r"pencari\s+kerja|pencaker", "pencari kerja"),
    (r"calon\s+pekerja\s+migran|pekerja\s+migran|calon\s+PMI", "pekerja migran"),
    (r"tenaga\s+kerja|pekerja", "tenaga kerja"),
    (r"lulusan", "lulusan"),
    (r"warga|masyarakat", "warga"),
    (r"peserta", "peserta"),
    (r"orang", "orang"),
    (r"perempuan", "perempuan"),
    (r"penyandang\s+disabilitas", "penyandang disabilitas"),
    (r"pendamping", "pendamping"),
    (r"operator", "operator"),
    (r"relawan", "relawan"),
    (r"kader", "kader"),
    (r"nelayan", "nelayan"),
    (r"petani", "petani"),
    (r"BTS|menara", "BTS"),
    (r"aplikasi", "aplikasi"),
    (r"(?:jenis\s+)?layanan", "layanan"),
]
UNIT_RES = [
    (re.compile(r"\s*(" + p + r")(?![\w-])", 0 if re.fullmatch(r"[A-Z|]+", p) else re.IGNORECASE), u)
    for p, u in UNIT_PATTERNS
]
# The classifier "orang" before a beneficiary noun ("800 orang calon PMI") makes "orang" the unit.
ORANG_FIRST = re.compile(r"\s*orang(?![\w-])", re.IGNORECASE)

AGREEMENT_TYPE_PATTERNS: list[tuple[str, str, float]] = [
    (r"nota\s+kesepakatan", "nota_kesepakatan", 1.0),
    # A region's "Kesepakatan Bersama" with a university or company is its MoU-level document.
    (r"(?<!nota\s)kesepakatan\s+bersama", "mou", 1.0),
    (
        r"nota\s+kesepahaman|memorandum\s+of\s+understanding|memorandum\s+saling\s+pengertian|(?-i:\bMOU\b|\bMoU\b)",
        "mou",
        1.0,
    ),
    (r"perjanjian\s+kerja\s*sama|(?-i:\bPKS\b)", "pks", 1.0),
    (r"letter\s+of\s+intent|(?-i:\bLoI\b)|surat\s+pernyataan\s+kehendak", "other", 0.8),
]

# Verbs of signing. "sepakat" alone is not one: parties "agree" to form a team while still talking.
SIGN_RE = re.compile(
    r"\b(?:menandatangani|ditandatangani|penandatanganan|bertanda\s+tangan|tandatangani|meneken|diteken|"
    r"teken|menjalin\s+kerja\s*sama|resmi\s+(?:bekerja\s*sama|menjalin|bermitra)|menyepakati|"
    r"dituangkan\s+dalam|"
    # News copy is typed fast: "mendatangani", "penandatangan", "petandatanganan", "tanda tangan".
    r"men?datangani|pe[nt]?andatangan(?:an)?|membubuhkan\s+tanda\s*tangan|tanda\s+tangani)\b",
    re.IGNORECASE,
)
# Cues that a signing lies in the future or is only hoped for.
FUTURE_RE = re.compile(
    r"\b(?:akan|rencana|berencana|direncanakan|dijadwalkan|segera|bakal|hendak|harap|berharap|diharapkan|"
    r"usul\w*|sebelum|jelang|menjelang|persiapan|draf|draft|belum|apabila|jika|nantinya|nanti|target\w*|"
    r"dapat\s+dilakukan|ditindaklanjuti|dilanjutkan|dalam\s+waktu\s+dekat)\b",
    re.IGNORECASE,
)
DISCUSSION_RE = re.compile(
    r"\b(?:membahas|pembahasan|dibahas|bahas|menjajaki|penjajakan|jajaki|audiensi|berencana|rencana|"
    r"usulan|mengusulkan|usulkan|draf|dijadwalkan|menggagas|wacana|mengajak|ajak|bertemu|pertemuan|"
    r"kunjungan|rapat\s+koordinasi)\b",
    re.IGNORECASE,
)
# Sentences about another agreement: a parent MoU, a follow-up PKS, earlier cooperation.
RELATED_RE = re.compile(
    r"\b(?:tindak\s*lanjut|ditindaklanjuti|turunan|melengkapi|lanjutan|sebelumnya|selain\s+dengan|"
    r"pernah|tahun\s+lalu|tahun\s+sebelumnya|dilanjutkan\s+dengan|diturunkan)\b",
    re.IGNORECASE,
)
AGREE_RE = re.compile(
    r"\b(?:MoU|nota\s+kesep\w+|perjanjian|PKS|kerja\s*sama|kerjasama|bekerja\s*sama|kemitraan|kolaborasi|"
    r"menggandeng|gandeng|teken|meneken|diteken|menandatangani|ditandatangani|penandatanganan|menjalin|"
    r"bersinergi|sinergi|mengajak|ajak|menjajaki|jajaki|bertemu|audiensi|kunjungan|membahas|bahas|"
    r"sepakat|sepakati|kesepakatan)\b",
    re.IGNORECASE,
)
EVENT_RE = re.compile(
    r"\b(?:berlangsung|digelar|dilaksanakan|bertemu|pertemuan|rapat|audiensi|kunjungan|menerima|dilakukan|"
    r"acara|kegiatan|ekspose|bertempat)\b",
    re.IGNORECASE,
)

# Indonesian and English function words, for recognising the language of pasted text.
ID_STOPWORDS = set(
    """yang dan di ke dari untuk dengan pada ini itu dalam tidak akan juga adalah oleh sebagai atau karena
    kami kita mereka ia dia telah sudah bisa dapat harus ada lebih para serta tersebut bahwa agar saat
    setelah sebelum antara kepada hingga sampai bagi secara menjadi masih namun tetapi jika maka sangat
    sejak tahun ujar kata katanya ujarnya jelasnya menurut pun lagi saja hanya baik bersama melalui terus
    """.split()
)
EN_STOPWORDS = set(
    """the and of to in for with on this that is are was were be been by as or because we they he she it
    have has had will would can could should from at an not but if then than which who what when where
    """.split()
)
