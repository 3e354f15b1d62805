"""Generic alias data: Indonesian ministries, national agencies and their units, regional offices (OPD),
universities and companies that commonly appear in cooperation news.

This is reference data about institutions, not rules about particular articles. Each entry gives a
canonical name, the kind of organisation, the long forms (matched case-insensitively, whitespace
flexible) and the short forms (matched case-sensitively, whole word).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OrgEntry:
    key: str
    name: str
    kind: str  # ministry / agency / university / company / other
    long_forms: tuple[str, ...] = ()
    short_forms: tuple[str, ...] = ()
    # Key of the organisation this one belongs to (an agency's ministry); "?" = decided by context.
    parent: str | None = None
    # badan / balai / ditjen / dinas / lembaga: decides "Kepala Badan" vs "Kepala Balai"…
    unit_type: str | None = None
    # Units such as BLK or BPSDMP exist in many cities: a following place name is part of the name.
    located: bool = False


def _e(key: str, name: str, kind: str, long_forms: tuple[str, ...] = (), short_forms: tuple[str, ...] = (),
       parent: str | None = None, unit_type: str | None = None, located: bool = False) -> OrgEntry:
    return OrgEntry(key, name, kind, long_forms, short_forms, parent, unit_type, located)


MINISTRIES: tuple[OrgEntry, ...] = (
    _e("kominfo", "Kementerian Komunikasi dan Informatika", "ministry",
       ("Kementerian Komunikasi dan Informatika", "Kementerian Komunikasi dan Informasi",
        "Kementrian Komunikasi dan Informatika", "Kementerian Kominfo", "Kementrian Kominfo"),
       ("Kemenkominfo", "Kemkominfo", "Kominfo", "KOMINFO", "Menkominfo")),
    _e("komdigi", "Kementerian Komunikasi dan Digital", "ministry",
       ("Kementerian Komunikasi dan Digital", "Kementrian Komunikasi dan Digital", "Kementerian Komdigi"),
       ("Komdigi", "Kemkomdigi", "Kemenkomdigi", "KOMDIGI")),
    _e("kemnaker", "Kementerian Ketenagakerjaan", "ministry",
       ("Kementerian Ketenagakerjaan", "Kementrian Ketenagakerjaan", "Kementerian Tenaga Kerja"),
       ("Kemnaker", "Kemenaker", "Kemenakertrans", "Kemenker")),
    _e("kemendagri", "Kementerian Dalam Negeri", "ministry", ("Kementerian Dalam Negeri",), ("Kemendagri",)),
    _e("kemendikbudristek", "Kementerian Pendidikan, Kebudayaan, Riset, dan Teknologi", "ministry",
       ("Kementerian Pendidikan, Kebudayaan, Riset, dan Teknologi", "Kementerian Pendidikan dan Kebudayaan"),
       ("Kemendikbudristek", "Kemendikbud")),
    _e("kemendikdasmen", "Kementerian Pendidikan Dasar dan Menengah", "ministry",
       ("Kementerian Pendidikan Dasar dan Menengah",), ("Kemendikdasmen",)),
    _e("kemdiktisaintek", "Kementerian Pendidikan Tinggi, Sains, dan Teknologi", "ministry",
       ("Kementerian Pendidikan Tinggi, Sains, dan Teknologi",), ("Kemdiktisaintek", "Kemendiktisaintek")),
    _e("kemenpanrb", "Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi", "ministry",
       ("Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi",),
       ("KemenPAN-RB", "KemenPANRB", "Kemenpan RB", "Kemenpan-RB", "KemenPAN RB")),
    _e("kemenkopukm", "Kementerian Koperasi dan UKM", "ministry",
       ("Kementerian Koperasi dan Usaha Kecil dan Menengah", "Kementerian Koperasi dan UKM"),
       ("Kemenkop UKM", "KemenKopUKM", "Kemenkop", "Kemenkopukm")),
    _e("kemenparekraf", "Kementerian Pariwisata dan Ekonomi Kreatif", "ministry",
       ("Kementerian Pariwisata dan Ekonomi Kreatif",), ("Kemenparekraf",)),
    _e("kemendes", "Kementerian Desa, Pembangunan Daerah Tertinggal, dan Transmigrasi", "ministry",
       ("Kementerian Desa, Pembangunan Daerah Tertinggal, dan Transmigrasi", "Kementerian Desa"),
       ("Kemendes PDTT", "Kemendes", "Kemendesa")),
    _e("kemenag", "Kementerian Agama", "ministry", ("Kementerian Agama",), ("Kemenag",)),
    _e("kemenkes", "Kementerian Kesehatan", "ministry", ("Kementerian Kesehatan",), ("Kemenkes",)),
    _e("kemenkeu", "Kementerian Keuangan", "ministry", ("Kementerian Keuangan",), ("Kemenkeu",)),
    _e("kemenperin", "Kementerian Perindustrian", "ministry", ("Kementerian Perindustrian",), ("Kemenperin",)),
    _e("kemendag", "Kementerian Perdagangan", "ministry", ("Kementerian Perdagangan",), ("Kemendag",)),
    _e("bappenas", "Kementerian PPN/Bappenas", "ministry",
       ("Kementerian Perencanaan Pembangunan Nasional",), ("Bappenas",)),
    _e("kemenpora", "Kementerian Pemuda dan Olahraga", "ministry", ("Kementerian Pemuda dan Olahraga",),
       ("Kemenpora",)),
    _e("kemensos", "Kementerian Sosial", "ministry", ("Kementerian Sosial",), ("Kemensos",)),
    _e("kementan", "Kementerian Pertanian", "ministry", ("Kementerian Pertanian",), ("Kementan",)),
    _e("kkp", "Kementerian Kelautan dan Perikanan", "ministry", ("Kementerian Kelautan dan Perikanan",), ("KKP",)),
    _e("kemenhub", "Kementerian Perhubungan", "ministry", ("Kementerian Perhubungan",), ("Kemenhub",)),
    _e("kemenpupr", "Kementerian Pekerjaan Umum dan Perumahan Rakyat", "ministry",
       ("Kementerian Pekerjaan Umum dan Perumahan Rakyat", "Kementerian PUPR"), ("KemenPUPR",)),
    _e("kemenbumn", "Kementerian Badan Usaha Milik Negara", "ministry",
       ("Kementerian Badan Usaha Milik Negara", "Kementerian BUMN"), ()),
    _e("kemenpppa", "Kementerian Pemberdayaan Perempuan dan Perlindungan Anak", "ministry",
       ("Kementerian Pemberdayaan Perempuan dan Perlindungan Anak",), ("KemenPPPA",)),
    _e("kemenp2mi", "Kementerian Pelindungan Pekerja Migran Indonesia", "ministry",
       ("Kementerian Pelindungan Pekerja Migran Indonesia",), ("KemenP2MI",)),
)

# National agencies and ministry units. parent "?" = the ministry named right after it or, failing
# that, the ministry the article talks about.
AGENCIES: tuple[OrgEntry, ...] = (
    _e("balitbang_sdm", "Badan Litbang SDM", "agency",
       ("Badan Penelitian dan Pengembangan Sumber Daya Manusia", "Badan Penelitian dan Pengembangan Sumber Daya Masyarakat",
        "Badan Penelitian dan Pengembangan SDM", "Badan Litbang SDM", "Badan Litbang Sumber Daya Manusia"),
       ("Balitbang SDM", "Litbang SDM", "BLSDM"), parent="kominfo", unit_type="badan"),
    _e("bpsdm", "Badan Pengembangan SDM", "agency",
       ("Badan Pengembangan Sumber Daya Manusia", "Badan Pengembangan SDM"), ("BPSDM",), parent="?",
       unit_type="badan"),
    _e("binalavotas", "Ditjen Binalavotas", "agency",
       ("Direktorat Jenderal Pembinaan Pelatihan Vokasi dan Produktivitas",
        "Direktorat Jenderal Pembinaan Pelatihan dan Produktivitas", "Ditjen Binalavotas", "Ditjen Binalattas"),
       ("Binalavotas", "Binalattas"), parent="kemnaker", unit_type="ditjen"),
    _e("aptika", "Ditjen Aplikasi Informatika", "agency",
       ("Direktorat Jenderal Aplikasi Informatika", "Ditjen Aplikasi Informatika", "Ditjen Aptika"), ("Aptika",),
       parent="kominfo", unit_type="ditjen"),
    _e("bakti", "BAKTI", "agency", ("Badan Aksesibilitas Telekomunikasi dan Informasi",), ("BAKTI",),
       parent="kominfo", unit_type="badan"),
    _e("bpsdmp", "BPSDMP Kominfo", "agency",
       ("Balai Pengembangan Sumber Daya Manusia dan Penelitian Komunikasi dan Informatika",
        "Balai Besar Pengembangan Sumber Daya Manusia dan Penelitian Komunikasi dan Informatika",
        "Balai Pengembangan Sumber Daya Manusia dan Penelitian", "Balai Besar Pengembangan SDM dan Penelitian",
        "BPSDMP Kominfo", "BBPSDMP Kominfo", "BPSDMP Komdigi"),
       ("BPSDMP", "BBPSDMP"), parent="kominfo", unit_type="balai", located=True),
    _e("bbpvp", "BBPVP", "agency",
       ("Balai Besar Pelatihan Vokasi dan Produktivitas", "Balai Pelatihan Vokasi dan Produktivitas"),
       ("BBPVP", "BPVP"), parent="kemnaker", unit_type="balai", located=True),
    _e("blk", "BLK", "agency",
       ("Unit Pelaksana Teknis Pusat Balai Latihan Kerja", "Unit Pelaksana Teknis Daerah Balai Latihan Kerja",
        "Balai Latihan Kerja Komunitas", "Balai Latihan Kerja", "UPTP BLK", "UPTD BLK", "BLK Komunitas"),
       ("BLK",), unit_type="balai", located=True),
    _e("bnsp", "Badan Nasional Sertifikasi Profesi", "agency", ("Badan Nasional Sertifikasi Profesi",), ("BNSP",),
       unit_type="badan"),
    _e("lsp", "LSP", "other", ("Lembaga Sertifikasi Profesi",), ("LSP",), unit_type="lembaga", located=True),
    _e("bssn", "Badan Siber dan Sandi Negara", "agency", ("Badan Siber dan Sandi Negara",), ("BSSN",),
       unit_type="badan"),
    _e("brin", "Badan Riset dan Inovasi Nasional", "agency", ("Badan Riset dan Inovasi Nasional",), ("BRIN",),
       unit_type="badan"),
    _e("bps", "Badan Pusat Statistik", "agency", ("Badan Pusat Statistik",), ("BPS",), unit_type="badan",
       located=True),
    _e("bkn", "Badan Kepegawaian Negara", "agency", ("Badan Kepegawaian Negara",), ("BKN",), unit_type="badan"),
    _e("lan", "Lembaga Administrasi Negara", "agency", ("Lembaga Administrasi Negara",), (),
       unit_type="lembaga"),
    _e("otorita_ikn", "Otorita Ibu Kota Nusantara", "agency", ("Otorita Ibu Kota Nusantara", "Otorita IKN"),
       ("OIKN",)),
    _e("bp2mi", "Badan Pelindungan Pekerja Migran Indonesia", "agency",
       ("Badan Pelindungan Pekerja Migran Indonesia",), ("BP2MI",), unit_type="badan"),
    _e("bank_indonesia", "Bank Indonesia", "agency", ("Bank Indonesia",), (), located=True),
)

# Universities known by a short name. Long names are also caught by the generic pattern.
UNIVERSITIES: tuple[OrgEntry, ...] = tuple(
    _e("u:" + short.lower(), name, "university", (name,), (short,) + extra)
    for short, name, extra in (
        ("UI", "Universitas Indonesia", ()), ("ITB", "Institut Teknologi Bandung", ()),
        ("UGM", "Universitas Gadjah Mada", ()), ("ITS", "Institut Teknologi Sepuluh Nopember", ()),
        ("IPB", "IPB University", ("Institut Pertanian Bogor",)), ("Unair", "Universitas Airlangga", ()),
        ("Undip", "Universitas Diponegoro", ()), ("Unpad", "Universitas Padjadjaran", ()),
        ("UB", "Universitas Brawijaya", ()), ("UNS", "Universitas Sebelas Maret", ()),
        ("UNY", "Universitas Negeri Yogyakarta", ()), ("UNJ", "Universitas Negeri Jakarta", ()),
        ("UPI", "Universitas Pendidikan Indonesia", ()), ("UNM", "Universitas Negeri Makassar", ()),
        ("Unesa", "Universitas Negeri Surabaya", ()), ("UM", "Universitas Negeri Malang", ()),
        ("Unnes", "Universitas Negeri Semarang", ()), ("Unhas", "Universitas Hasanuddin", ()),
        ("Unmul", "Universitas Mulawarman", ()), ("Unsri", "Universitas Sriwijaya", ()),
        ("Unand", "Universitas Andalas", ()), ("USU", "Universitas Sumatera Utara", ()),
        ("USK", "Universitas Syiah Kuala", ("Unsyiah",)), ("Unila", "Universitas Lampung", ()),
        ("Untan", "Universitas Tanjungpura", ()), ("ULM", "Universitas Lambung Mangkurat", ("Unlam",)),
        ("UPR", "Universitas Palangka Raya", ()), ("Unram", "Universitas Mataram", ()),
        ("Undana", "Universitas Nusa Cendana", ()), ("Unud", "Universitas Udayana", ()),
        ("Unsrat", "Universitas Sam Ratulangi", ()), ("Untad", "Universitas Tadulako", ()),
        ("UHO", "Universitas Halu Oleo", ()), ("UNG", "Universitas Negeri Gorontalo", ()),
        ("Unpatti", "Universitas Pattimura", ()), ("Unkhair", "Universitas Khairun", ()),
        ("Uncen", "Universitas Cenderawasih", ()), ("Unipa", "Universitas Papua", ()),
        ("Unej", "Universitas Jember", ()), ("Unsoed", "Universitas Jenderal Soedirman", ()),
        ("Unib", "Universitas Bengkulu", ()), ("Unja", "Universitas Jambi", ()), ("Unri", "Universitas Riau", ("UNRI",)),
        ("UBB", "Universitas Bangka Belitung", ()), ("Umrah", "Universitas Maritim Raja Ali Haji", ()),
        ("Unimal", "Universitas Malikussaleh", ()), ("Unsil", "Universitas Siliwangi", ()),
        ("Untirta", "Universitas Sultan Ageng Tirtayasa", ()), ("UT", "Universitas Terbuka", ()),
        ("UII", "Universitas Islam Indonesia", ()), ("UMY", "Universitas Muhammadiyah Yogyakarta", ()),
        ("UMM", "Universitas Muhammadiyah Malang", ()), ("UMS", "Universitas Muhammadiyah Surakarta", ()),
        ("Binus", "Universitas Bina Nusantara", ("BINUS",)), ("Tel-U", "Telkom University", ("Telkom University",)),
        ("ITK", "Institut Teknologi Kalimantan", ()), ("Itera", "Institut Teknologi Sumatera", ("ITERA",)),
        ("Polnes", "Politeknik Negeri Samarinda", ()), ("PENS", "Politeknik Elektronika Negeri Surabaya", ()),
        ("Polban", "Politeknik Negeri Bandung", ()), ("PNJ", "Politeknik Negeri Jakarta", ()),
        ("Polines", "Politeknik Negeri Semarang", ()), ("Polinema", "Politeknik Negeri Malang", ()),
        ("Unda", "Universitas Darwan Ali", ()), ("Unmus", "Universitas Musamus", ()),
        ("Unima", "Universitas Negeri Manado", ()), ("Unimed", "Universitas Negeri Medan", ()),
        ("UNP", "Universitas Negeri Padang", ()), ("Unsulbar", "Universitas Sulawesi Barat", ()),
        ("Unikama", "Universitas PGRI Kanjuruhan Malang", ()), ("UNU", "Universitas Nahdlatul Ulama", ()),
    )
)

COMPANIES: tuple[OrgEntry, ...] = (
    _e("c:telkom", "PT Telkom Indonesia (Persero) Tbk", "company",
       ("PT Telkom Indonesia (Persero) Tbk", "PT Telkom Indonesia", "Telkom Indonesia", "PT Telekomunikasi Indonesia"),
       ("Telkom", "TelkomGroup")),
    _e("c:telkomsel", "PT Telekomunikasi Selular", "company", ("PT Telekomunikasi Selular",), ("Telkomsel",)),
    _e("c:indosat", "PT Indosat Tbk", "company", ("Indosat Ooredoo Hutchison",), ("Indosat", "IOH")),
    _e("c:xl", "PT XL Axiata Tbk", "company", ("XL Axiata",), ()),
    _e("c:microsoft", "Microsoft Indonesia", "company", ("Microsoft Indonesia",), ("Microsoft",)),
    _e("c:google", "Google Indonesia", "company", ("Google Indonesia",), ("Google",)),
    _e("c:aws", "Amazon Web Services", "company", ("Amazon Web Services",), ("AWS",)),
    _e("c:huawei", "Huawei Indonesia", "company", ("Huawei Indonesia", "Huawei ICT Academy"), ("Huawei",)),
    _e("c:cisco", "Cisco Indonesia", "company", ("Cisco Networking Academy",), ("Cisco",)),
    _e("c:oracle", "Oracle Indonesia", "company", (), ("Oracle",)),
    _e("c:ibm", "IBM Indonesia", "company", (), ("IBM",)),
    _e("c:meta", "Meta Indonesia", "company", ("Meta Indonesia",), ()),
    _e("c:gojek", "GoTo Gojek Tokopedia", "company", ("GoTo Gojek Tokopedia",), ("Gojek", "GoTo")),
    _e("c:tokopedia", "Tokopedia", "company", (), ("Tokopedia",)),
    _e("c:shopee", "Shopee Indonesia", "company", ("Shopee Indonesia",), ("Shopee",)),
    _e("c:grab", "Grab Indonesia", "company", ("Grab Indonesia",), ("Grab",)),
    _e("c:bukalapak", "Bukalapak", "company", (), ("Bukalapak",)),
    _e("c:dicoding", "Dicoding Indonesia", "company", ("Dicoding Indonesia",), ("Dicoding",)),
    _e("c:alibaba", "Alibaba Cloud", "company", ("Alibaba Cloud",), ()),
    _e("c:pln", "PT PLN (Persero)", "company", ("Perusahaan Listrik Negara",), ("PLN",)),
    _e("c:pos", "PT Pos Indonesia (Persero)", "company", ("Pos Indonesia",), ()),
    _e("c:bri", "PT Bank Rakyat Indonesia (Persero) Tbk", "company", ("Bank Rakyat Indonesia",), ("BRI",)),
    _e("c:bni", "PT Bank Negara Indonesia (Persero) Tbk", "company", ("Bank Negara Indonesia",), ("BNI",)),
    _e("c:mandiri", "PT Bank Mandiri (Persero) Tbk", "company", ("Bank Mandiri",), ()),
    _e("c:bsi", "PT Bank Syariah Indonesia Tbk", "company", ("Bank Syariah Indonesia",), ("BSI",)),
    _e("c:lintasarta", "Lintasarta", "company", (), ("Lintasarta",)),
)

OTHERS: tuple[OrgEntry, ...] = (
    _e("o:unesco", "UNESCO", "other", (), ("UNESCO",)),
    _e("o:unicef", "UNICEF", "other", (), ("UNICEF",)),
    _e("o:undp", "UNDP", "other", (), ("UNDP",)),
    _e("o:worldbank", "Bank Dunia", "other", ("Bank Dunia", "World Bank"), ()),
    _e("o:jica", "JICA", "other", (), ("JICA",)),
    _e("o:usaid", "USAID", "other", (), ("USAID",)),
    _e("o:giz", "GIZ", "other", (), ("GIZ",)),
    _e("o:apjii", "Asosiasi Penyelenggara Jasa Internet Indonesia", "other",
       ("Asosiasi Penyelenggara Jasa Internet Indonesia",), ("APJII",)),
    _e("o:kadin", "Kamar Dagang dan Industri", "other", ("Kamar Dagang dan Industri",), ("Kadin",)),
    _e("o:siberkreasi", "Siberkreasi", "other", ("Gerakan Nasional Literasi Digital Siberkreasi",), ("Siberkreasi",)),
)

ALL_ENTRIES: tuple[OrgEntry, ...] = MINISTRIES + AGENCIES + UNIVERSITIES + COMPANIES + OTHERS
BY_KEY: dict[str, OrgEntry] = {e.key: e for e in ALL_ENTRIES}

# Regional offices (OPD): short forms → the office's name without its region.
OPD_SHORT: dict[str, str] = {
    "Diskominfo": "Dinas Komunikasi dan Informatika",
    "Diskominfotik": "Dinas Komunikasi, Informatika dan Statistik",
    "Diskominfosandi": "Dinas Komunikasi, Informatika, Statistik dan Persandian",
    "Diskominfostandi": "Dinas Komunikasi, Informatika, Statistik dan Persandian",
    "Diskominfo SP": "Dinas Komunikasi, Informatika, Statistik dan Persandian",
    "Diskominfo-SP": "Dinas Komunikasi, Informatika, Statistik dan Persandian",
    "Disnakertrans": "Dinas Tenaga Kerja dan Transmigrasi",
    "Disnaker": "Dinas Tenaga Kerja",
    "Disnakerin": "Dinas Tenaga Kerja dan Perindustrian",
    "Disdikbud": "Dinas Pendidikan dan Kebudayaan",
    "Disdik": "Dinas Pendidikan",
    "Dinkes": "Dinas Kesehatan",
    "Diskop UKM": "Dinas Koperasi dan UKM",
    "Diskop UMKM": "Dinas Koperasi dan UMKM",
    "Diskopukm": "Dinas Koperasi dan UKM",
    "Diskop": "Dinas Koperasi",
    "Dispar": "Dinas Pariwisata",
    "Disperindag": "Dinas Perindustrian dan Perdagangan",
    "Disdukcapil": "Dinas Kependudukan dan Pencatatan Sipil",
    "Dispendukcapil": "Dinas Kependudukan dan Pencatatan Sipil",
    "DPMPTSP": "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
    "Bappeda": "Badan Perencanaan Pembangunan Daerah",
    "Bapperida": "Badan Perencanaan Pembangunan, Riset dan Inovasi Daerah",
    "BKPSDM": "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
    "BKPSDMD": "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia Daerah",
    "BKD": "Badan Kepegawaian Daerah",
    "Bapenda": "Badan Pendapatan Daerah",
    "Brida": "Badan Riset dan Inovasi Daerah",
}

# Abbreviations expanded inside an office's name ("Dinas Kominfo" → "Dinas Komunikasi dan Informatika").
NAME_EXPANSIONS: dict[str, str] = {
    "Kominfo": "Komunikasi dan Informatika",
    "Kominfotik": "Komunikasi, Informatika dan Statistik",
    "SDM": "Sumber Daya Manusia",
    "Litbang": "Penelitian dan Pengembangan",
    "UKM": "UKM",
    "Nakertrans": "Tenaga Kerja dan Transmigrasi",
    "Naker": "Tenaga Kerja",
}
