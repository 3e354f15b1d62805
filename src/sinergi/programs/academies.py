"""The national Digital Talent Scholarship (DTS) academies, seeded by a data migration.

Regions add their own academies (e.g. "Pelatihan TI ASN Kotim") through the programme pages.
"""

DTS_ACADEMIES: list[tuple[str, str, str]] = [
    (
        "FGA",
        "Fresh Graduate Academy",
        "Pelatihan keterampilan digital bagi lulusan baru D3/S1 bersama perusahaan teknologi global, "
        "untuk menyiapkan mereka memasuki dunia kerja.",
    ),
    (
        "VSGA",
        "Vocational School Graduate Academy",
        "Pelatihan dan sertifikasi kompetensi berbasis SKKNI bagi lulusan SMK dan pendidikan vokasi, "
        "diselenggarakan bersama politeknik dan BLK.",
    ),
    (
        "TSA",
        "Talent Scouting Academy",
        "Pelatihan lanjutan bagi mahasiswa dan lulusan berbakat di bidang teknologi, bersama "
        "perguruan tinggi mitra, dengan penempatan dan sertifikasi.",
    ),
    (
        "PROA",
        "Professional Academy",
        "Peningkatan kompetensi tenaga profesional dan angkatan kerja di bidang teknologi informasi dengan "
        "sertifikasi global.",
    ),
    (
        "GTA",
        "Government Transformation Academy",
        "Pelatihan kecakapan digital bagi aparatur sipil negara (ASN) pusat dan daerah untuk mendukung "
        "transformasi digital pemerintahan.",
    ),
    (
        "DEA",
        "Digital Entrepreneurship Academy",
        "Pelatihan pemanfaatan teknologi digital bagi pelaku UMKM, wirausaha dan calon wirausaha.",
    ),
    (
        "TA",
        "Thematic Academy",
        "Pelatihan bertema khusus bagi kelompok sasaran tertentu, seperti santri, penyandang disabilitas, "
        "nelayan atau desa digital, bersama kementerian dan lembaga mitra.",
    ),
    (
        "DLA",
        "Digital Leadership Academy",
        "Pelatihan kepemimpinan digital bagi pimpinan instansi pemerintah, mulai dari pejabat pimpinan "
        "tinggi hingga kepala daerah.",
    ),
]
