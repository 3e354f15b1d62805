"""Organisation mentions: regional governments, ministries and their units, regional offices (OPD),
universities, companies and a few other bodies — each with its character span.

Detection combines the alias table (`aliases.py`), the region gazetteer (`regions.py`) and generic
patterns ("Pemerintah Kota X", "Universitas X", "PT X", "Dinas X Kabupaten Y"). Acronyms introduced in
brackets ("Universitas Darwan Ali (Unda)") are learned for the rest of the article.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, replace

from rapidfuzz import fuzz

from .aliases import ALL_ENTRIES, BY_KEY, NAME_EXPANSIONS, OPD_SHORT, OrgEntry
from .regions import Region, RegionMention, find_regions, gazetteer, norm_key, resolve_place_name

GOV_KINDS = {"city": "city_gov", "regency": "regency_gov", "province": "province_gov"}
_GOV_WORD = {"city": "Kota", "regency": "Kabupaten", "province": "Provinsi"}


@dataclass
class OrgMention:
    start: int
    end: int
    text: str
    key: str
    name: str
    kind: str
    region: Region | None = None
    parent: str | None = None
    unit_type: str | None = None
    source: str = "table"
    # For government mentions: the level even when the region is not named ("Pemkot" alone).
    level: str | None = None
    priority: int = 5


def gov_name(region: Region) -> str:
    return f"Pemerintah {_GOV_WORD[region.level]} {region.short}"


def gov_key(level: str, region: Region | None) -> str:
    return f"gov:{level}:{region.code if region else '?'}"


# ---------------------------------------------------------------- compiled tables

_EQUIVALENT = {
    "sdm": r"(?:SDM|Sumber\s+Daya\s+(?:Manusia|Masyarakat))",
    "litbang": r"(?:Litbang|Penelitian\s+dan\s+Pengembangan)",
    "kominfo": r"(?:Kominfo|Komunikasi\s+dan\s+Informatika)",
}


def _long_regex(form: str) -> str:
    # Whitespace-flexible, "dan"/"&" interchangeable, and the usual abbreviations inside names
    # ("SDM" = "Sumber Daya Manusia", "Litbang" = "Penelitian dan Pengembangan") accepted both ways.
    form = re.sub(r"Sumber Daya (?:Manusia|Masyarakat)", "SDM", form)
    form = form.replace("Penelitian dan Pengembangan", "Litbang").replace(
        "Komunikasi dan Informatika", "Kominfo"
    )
    parts = []
    for tok in form.split():
        if tok.lower() in ("dan", "&"):
            parts.append(r"(?:dan|&)")
        elif tok.lower() in _EQUIVALENT:
            parts.append(_EQUIVALENT[tok.lower()])
        else:
            parts.append(re.escape(tok))
    return r"\s+".join(parts)


@functools.lru_cache(maxsize=1)
def _table_regexes() -> list[tuple[re.Pattern[str], OrgEntry, bool]]:
    out = []
    for entry in ALL_ENTRIES:
        for form in entry.long_forms:
            out.append(
                (re.compile(r"(?<![\w-])" + _long_regex(form) + r"(?![\w-])", re.IGNORECASE), entry, True)
            )
        for form in entry.short_forms:
            out.append((re.compile(r"(?<![\w-])" + re.escape(form) + r"(?![\w-])"), entry, False))
    return out


_OPD_SHORT_RE = re.compile(
    r"(?<![\w-])(" + "|".join(re.escape(k) for k in sorted(OPD_SHORT, key=len, reverse=True)) + r")(?![\w-])"
    # Regional spellings add letters: "DiskominfoSP", "Diskominfostandi", "DiskominfoTIK".
    r"|(?<![\w-])(Diskominfo)[A-Za-z]{1,8}(?![\w-])"
)

# Words that make up the names of regional offices and national agencies. Limiting office names to
# this vocabulary stops "Kepala Dinas Kominfo Budi" from swallowing the person's name.
_OFFICE_WORDS = {
    w.lower()
    for w in """
    Komunikasi Informatika Informasi Kominfo Kominfotik Statistik Persandian Sandi Pendidikan Kebudayaan
    Kesehatan Tenaga Kerja Transmigrasi Nakertrans Naker Koperasi UKM UMKM Usaha Mikro Kecil Menengah
    Pariwisata Perindustrian Perdagangan Kependudukan Pencatatan Sipil Penanaman Modal Pelayanan Terpadu
    Satu Pintu Sosial Pemuda Olahraga Perhubungan Pertanian Perikanan Kelautan Lingkungan Hidup Pekerjaan
    Umum Perumahan Permukiman Kawasan Penataan Ruang Pemberdayaan Masyarakat Desa Perempuan Perlindungan
    Anak Keluarga Berencana Pengendalian Penduduk Ketahanan Pangan Perpustakaan Kearsipan Arsip Energi
    Sumber Daya Mineral Kehutanan Perkebunan Peternakan Pemadam Kebakaran Kepegawaian Pengembangan Manusia
    SDM Perencanaan Pembangunan Daerah Penelitian Riset Inovasi Keuangan Aset Pendapatan Pengelolaan
    Penanggulangan Bencana Kesatuan Bangsa Politik Organisasi Hukum Pemerintahan Kesejahteraan Rakyat
    Administrasi Teknologi Digital Ekonomi Kreatif Industri Perizinan Litbang Nasional Negara Pusat Siber
    Pelatihan Vokasi Produktivitas Latihan Kesbangpol Kesra Diklat Pengawasan Pemeriksa Pembinaan
    """.split()
}
_CONNECT = {"dan", "&", ","}

_OPD_HEAD_RE = re.compile(r"(?<![\w-])(Dinas|Badan|Bagian|Biro)\s+(?=[A-Z])")
_LEVEL_WORD_RE = re.compile(r"(Kota|Kabupaten|Kab\.|Provinsi|Prov\.)\s+")
_BRACKET_RE = re.compile(r"\s*[(\[]\s*([^()\[\]]{1,40}?)\s*[)\]]")
_ACRONYM_RE = re.compile(r"\s*[(\[]\s*([A-Z][\w\-]{1,15}(?:\s+[A-Z][\w\-]{1,15}){0,2})\s*[)\]]")

_GOV_RE = re.compile(
    r"(?<![\w-])(?:(?P<long>Pemerintah\s+(?P<lvl>Kota|Kabupaten|Kab\.|Provinsi|Prov\.|Daerah))"
    r"|(?P<short>(?i:pemkot|pemko|pemkab|pemprov|pemprop|pemda)))(?![\w-])"
)
_SHORT_LEVEL = {
    "pemkot": "city",
    "pemko": "city",
    "pemkab": "regency",
    "pemprov": "province",
    "pemprop": "province",
}
_LONG_LEVEL = {
    "kota": "city",
    "kabupaten": "regency",
    "kab.": "regency",
    "provinsi": "province",
    "prov.": "province",
}

_LEADER_RE = re.compile(
    r"(?<![\w-])(?P<role>Wakil\s+Wali\s*[Kk]ota|Wali\s*[Kk]ota|Wakil\s+Bupati|Bupati|Wakil\s+Gubernur|Gubernur)"
    r"(?:\s*\([^)]{1,10}\))?\s+"
)
_VENUE_BEFORE_RE = re.compile(
    r"(?:Kantor|Ruang(?:\s+\w+)?|Rumah\s+Jabatan|Rujab|Pendopo|Pendapa|Gedung|Aula)\s*$"
)

_UNIV_RE = re.compile(
    r"(?<![\w-])(Universitas|Institut|Politeknik|Sekolah\s+Tinggi|STMIK|STIKOM|Akademi\s+Komunitas)"
    r"((?:\s+(?:[A-Z][\w'’\-]*|dan|&|\d+))+)"
)
_UNIV_EN_RE = re.compile(r"(?<![\w-])([A-Z][\w\-]+)\s+University(?![\w-])")
_COMPANY_RE = re.compile(
    r"(?<![\w-])(PT\.?|CV\.?|Bank)\s+((?:[A-Z][\w'’\-&.]*)(?:\s+(?:[A-Z][\w'’\-&.]*|&))*)"
    r"(\s*\((?:Persero|Perseroda)\))?(\s+Tbk\.?)?"
)
_OTHER_RE = re.compile(
    r"(?<![\w-])(Yayasan|Asosiasi|Komunitas|Perkumpulan|Himpunan|Ikatan)\s+((?:[A-Z][\w'’\-]*)(?:\s+(?:[A-Z][\w'’\-]*|dan|&))*)"
)
_MINISTRY_GENERIC_RE = re.compile(
    r"(?<![\w-])(?:Kementerian|Kementrian)\s+((?:[A-Z][\w'’\-/]*)(?:\s+(?:[A-Z][\w'’\-/]*|dan|&))*)"
)
_HEADS = {
    "universitas",
    "institut",
    "politeknik",
    "sekolah",
    "stmik",
    "stikom",
    "akademi",
    "pt",
    "cv",
    "bank",
    "kementerian",
    "dinas",
    "badan",
    "yayasan",
    "pemerintah",
    "pemkot",
    "pemkab",
    "pemprov",
}
_NOT_NAME_TAIL = {
    "senin",
    "selasa",
    "rabu",
    "kamis",
    "jumat",
    "sabtu",
    "minggu",
    "prof",
    "dr",
    "ir",
    "rektor",
    "ri",
    "wali",
    "walikota",
    "bupati",
    "gubernur",
    "kepala",
    "direktur",
    "ketua",
    "sekda",
}
_GENERIC_ACRONYMS = {
    "RI",
    "SDM",
    "Persero",
    "Pemkot",
    "Pemkab",
    "Pemprov",
    "Pemko",
    "Pemda",
    "Tbk",
    "PT",
    "NKRI",
}


# ---------------------------------------------------------------- helpers


# Patterns matched at a position of the whole text (never on a slice of it: copying the rest of the
# text for every mention made long inputs quadratic).
_OFFICE_TOKEN_RE = re.compile(r"\s*([\w\-]+|,|&)")
_COUNTRY_TAIL_RE = re.compile(r"\s+(RI|Republik Indonesia)\b")
_MINISTRY_WORD_RE = re.compile(r"(Kominfo|Komdigi|Kemnaker)\s+")
_LOCATION_WORDS_RE = re.compile(r"[A-Z][\w\-]*(?:\s+[A-Z][\w\-]*){0,2}")
_NATIONAL_WORD_RE = re.compile(r"(RI|Pusat)\b")


def _skip_spaces(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t":
        pos += 1
    return pos


def _region_at(text: str, pos: int, regions: list[RegionMention]) -> RegionMention | None:
    # Region mentions are in text order: a binary search, not a scan of every region per lookup.
    i = bisect.bisect_left(regions, pos, key=_start)
    return regions[i] if i < len(regions) and regions[i].start == pos else None


def _start(mention: RegionMention) -> int:
    return mention.start


def _pick_region(cands: tuple[Region, ...], level: str | None) -> Region | None:
    if level:
        for r in cands:
            if r.level == level:
                return r
        if level == "province":
            return None
    order = {"city": 0, "province": 1, "regency": 2}
    return sorted(cands, key=lambda r: order[r.level])[0] if cands else None


def _level_and_region_after(
    text: str, pos: int, regions: list[RegionMention], default_level: str | None
) -> tuple[Region | None, int, str | None]:
    """Parse "[Kota|Kabupaten|Provinsi] REGION" at pos; returns (region, end, level word level)."""
    p = _skip_spaces(text, pos)
    level = default_level
    m = _LEVEL_WORD_RE.match(text, p)
    after_word = p
    if m:
        level = _LONG_LEVEL[m.group(1).lower()]
        after_word = m.end()
    rm = _region_at(text, after_word, regions)
    if rm is None and m is None:
        # "Daerah Istimewa Yogyakarta" and similar multiword names start with a common word.
        rm = _region_at(text, p, regions)
    if rm is None:
        return None, pos, None
    region = _pick_region(rm.candidates, level)
    if region is None:
        return None, pos, None
    return region, rm.end, level


def normalise_org_name(name: str) -> str:
    name = re.sub(r"[(\[][^)\]]*[)\]]", " ", name)
    name = re.sub(r"\b(RI|Republik Indonesia)\b", " ", name)
    return " ".join(name.replace(",", " ").split()).lower()


@functools.lru_cache(maxsize=1)
def _fuzzy_targets() -> list[tuple[str, OrgEntry]]:
    out = []
    for e in ALL_ENTRIES:
        for form in (e.name, *e.long_forms):
            out.append((normalise_org_name(form), e))
    return out


def canonical_entry(
    name: str, kinds: tuple[str, ...] | None = None, threshold: float = 90
) -> OrgEntry | None:
    """Map a free-form organisation name to an alias-table entry (tolerating typos)."""
    target = normalise_org_name(name)
    best: tuple[float, OrgEntry | None] = (0.0, None)
    for form, entry in _fuzzy_targets():
        if kinds and entry.kind not in kinds:
            continue
        score = fuzz.ratio(target, form)
        if score > best[0]:
            best = (score, entry)
    return best[1] if best[0] >= threshold else None


def _expand_office(name: str) -> str:
    words = []
    for w in name.split():
        words.append(NAME_EXPANSIONS.get(w, w))
    return " ".join(words)


def _trim_tokens(body: str, stop_heads: bool = True) -> str:
    toks = body.split()
    out: list[str] = []
    for t in toks:
        if stop_heads and out and t.lower() in _HEADS:
            break
        if t.lower().rstrip(".") in _NOT_NAME_TAIL:
            break
        out.append(t)
        if t in ("RI", "Tbk"):
            # A country marker or listing suffix closes the name.
            break
    while out and out[-1].lower() in ("dan", "&", ","):
        out.pop()
    return " ".join(out)


# ---------------------------------------------------------------- detectors


def _table_mentions(text: str, regions: list[RegionMention]) -> list[OrgMention]:
    out = []
    for rx, entry, is_long in _table_regexes():
        for m in rx.finditer(text):
            out.append(
                OrgMention(
                    m.start(),
                    m.end(),
                    m.group(0),
                    entry.key,
                    entry.name,
                    entry.kind,
                    parent=entry.parent,
                    unit_type=entry.unit_type,
                    source="table",
                    priority=1 if is_long else 2,
                )
            )
    return out


def _gov_mentions(text: str, regions: list[RegionMention]) -> list[OrgMention]:
    out = []
    for m in _GOV_RE.finditer(text):
        if m.group("long"):
            lvl_word = m.group("lvl").lower()
            level = _LONG_LEVEL.get(lvl_word)  # None for "Pemerintah Daerah"
        else:
            short = m.group("short").lower()
            level = _SHORT_LEVEL.get(short)
        pos = m.end()
        b = _BRACKET_RE.match(text, pos)
        if b and len(b.group(1).split()) <= 2:
            pos = b.end()
        region, end, word_level = _level_and_region_after(text, pos, regions, level)
        if region is None and level is None:
            continue
        if region is not None:
            level = region.level if level is None or word_level is None and region.level != level else level
            if region.level != level:
                # "Pemkot Kotim" style mismatch: trust the region.
                level = region.level
            b2 = _ACRONYM_RE.match(text, end)
            if b2 and len(b2.group(1)) <= 12:
                end = b2.end()
            assert level is not None
            out.append(_region_gov_mention(text, m.start(), end, region, level, source="gov", priority=0))
        else:
            assert level is not None
            out.append(
                OrgMention(
                    m.start(),
                    m.end(),
                    m.group(0),
                    gov_key(level, None),
                    "",
                    GOV_KINDS[level],
                    source="gov",
                    level=level,
                    priority=3,
                )
            )
    return out


def _leader_mentions(text: str, regions: list[RegionMention]) -> list[OrgMention]:
    """ "Wali Kota Samarinda", "Bupati Kotim", "Gubernur Bali": evidence for the region's government."""
    out = []
    for m in _LEADER_RE.finditer(text):
        if _VENUE_BEFORE_RE.search(text[max(0, m.start() - 25) : m.start()]):
            continue
        role = m.group("role").lower()
        level = "city" if "kota" in role else "regency" if "bupati" in role else "province"
        region, end, _ = _level_and_region_after(text, m.end(), regions, level)
        if region is None:
            continue
        out.append(
            _region_gov_mention(text, m.start(), end, region, region.level, source="leader", priority=6)
        )
    return out


def _region_gov_mention(
    text: str, start: int, end: int, region: Region, level: str, *, source: str, priority: int
) -> OrgMention:
    """The government of a resolved region, whether named outright ("Pemkot X") or through its leader."""
    return OrgMention(
        start,
        end,
        text[start:end],
        gov_key(level, region),
        gov_name(region),
        GOV_KINDS[level],
        region=region,
        source=source,
        level=level,
        priority=priority,
    )


def _office_body(text: str, pos: int) -> int:
    """End of an office name made of office words starting at pos ("Komunikasi dan Informatika")."""
    end = pos
    i = pos
    last_word_end = pos
    for m in _OFFICE_TOKEN_RE.finditer(text, pos):
        tok = m.group(1)
        if tok.lower() in _CONNECT:
            i = m.end()
            continue
        if tok.lower() in _OFFICE_WORDS and (tok[0].isupper() or tok.isupper()):
            last_word_end = m.end()
            i = last_word_end
            end = last_word_end
            continue
        break
    del i
    return end if end > pos else last_word_end


def _opd_mentions(text: str, regions: list[RegionMention]) -> list[OrgMention]:
    out = []
    for m in _OPD_HEAD_RE.finditer(text):
        head = m.group(1)
        body_end = _office_body(text, m.end())
        if body_end <= m.end():
            continue
        office = _expand_office(f"{head} {text[m.end() : body_end]}".strip())
        end = body_end
        b = _ACRONYM_RE.match(text, end)
        if b:
            end = b.end()
        region, rend, _ = _level_and_region_after(text, end, regions, None)
        if region is None and b:
            end = body_end
        if region is not None:
            end = rend
        if head == "Badan" and region is None:
            # A national agency named generically ("Badan Pusat Statistik"); the table knows most.
            entry = canonical_entry(office, ("agency",))
            key = entry.key if entry else "a:" + norm_key(office)
            out.append(
                OrgMention(
                    m.start(),
                    end,
                    text[m.start() : end],
                    key,
                    entry.name if entry else office,
                    "agency",
                    parent=entry.parent if entry else None,
                    unit_type="badan",
                    source="pattern",
                    priority=4,
                )
            )
            continue
        out.append(_opd(text, m.start(), end, office, region, head.lower()))
    for m in _OPD_SHORT_RE.finditer(text):
        office = OPD_SHORT[m.group(1) or m.group(2)]
        region, end, _ = _level_and_region_after(text, m.end(), regions, None)
        out.append(
            _opd(
                text,
                m.start(),
                end if region else m.end(),
                office,
                region,
                "badan" if office.startswith("Badan") else "dinas",
            )
        )
    return out


def _opd(text: str, start: int, end: int, office: str, region: Region | None, unit: str) -> OrgMention:
    name = f"{office} {region.name}" if region else office
    key = f"opd:{norm_key(office)}@{region.code if region else '?'}"
    return OrgMention(
        start,
        end,
        text[start:end],
        key,
        name,
        "agency",
        region=region,
        unit_type="badan" if unit == "badan" else "dinas",
        source="opd",
        priority=2,
    )


def _pattern_mention(
    text: str, start: int, end: int, name: str, kind: str, entry, fallback_key: str, priority: int = 3
) -> OrgMention:
    """A mention found by a name pattern, named after its table entry when the table knows it."""
    return OrgMention(
        start,
        end,
        text[start:end],
        entry.key if entry else fallback_key,
        entry.name if entry else name,
        kind,
        source="pattern",
        priority=priority,
    )


def _university_mentions(text: str) -> list[OrgMention]:
    out = []
    for m in _UNIV_RE.finditer(text):
        head = " ".join(m.group(1).split())
        body = _trim_tokens(m.group(2).strip())
        if not body:
            continue
        body = _cut_person_after_place(text, m.start(), body)
        name = f"{head} {body}"
        end = text.find(body, m.start()) + len(body)
        entry = canonical_entry(name, ("university",), threshold=92)
        out.append(_pattern_mention(text, m.start(), end, name, "university", entry, "u:" + norm_key(name)))
    for m in _UNIV_EN_RE.finditer(text):
        name = m.group(0)
        entry = canonical_entry(name, ("university",), threshold=92)
        out.append(
            _pattern_mention(text, m.start(), m.end(), name, "university", entry, "u:" + norm_key(name))
        )
    return out


_TITLE_BEFORE_RE = re.compile(
    r"(?:Rektor|Direktur|Dekan|Ketua|Wakil\s+\w+|Kepala|Pimpinan|Presiden\s+Direktur)\s+$"
)


def _cut_person_after_place(text: str, start: int, body: str) -> str:
    """ "Direktur Politeknik X Cilegon Budi, …": after a title, words following the campus's town are the
    title holder's name, not part of the institution's name."""
    if not _TITLE_BEFORE_RE.search(text[max(0, start - 25) : start]):
        return body
    words = body.split()
    gz = gazetteer()
    for i in range(len(words) - 1, 0, -1):
        if norm_key(words[i]) in gz.index or (i > 0 and norm_key(" ".join(words[i - 1 : i + 1])) in gz.index):
            tail = words[i + 1 :]
            if 1 <= len(tail) <= 3:
                return " ".join(words[: i + 1])
            break
    return body


def _company_mentions(text: str) -> list[OrgMention]:
    out = []
    for m in _COMPANY_RE.finditer(text):
        head = m.group(1).rstrip(".")
        body = _trim_tokens(m.group(2), stop_heads=True)
        if not body:
            continue
        end = text.find(body, m.start()) + len(body)
        suffix = ""
        rest = text[end : m.end()]
        if "Persero" in rest or "Perseroda" in rest:
            suffix += " (Persero)" if "Perseroda" not in rest else " (Perseroda)"
        if "Tbk" in rest:
            suffix += " Tbk"
        if suffix and m.end() > end:
            end = m.end()
        if head == "Bank" and body in ("Dunia", "Indonesia"):
            continue
        name = f"{head} {body}{suffix}"
        entry = canonical_entry(f"{body}", ("company",), threshold=90) or canonical_entry(name, ("company",))
        fallback_key = "c:" + norm_key(f"{head} {body}")
        out.append(_pattern_mention(text, m.start(), end, name, "company", entry, fallback_key))
    for m in _OTHER_RE.finditer(text):
        body = _trim_tokens(m.group(2))
        if not body:
            continue
        name = f"{m.group(1)} {body}"
        end = text.find(body, m.start()) + len(body)
        out.append(
            _pattern_mention(text, m.start(), end, name, "other", None, "o:" + norm_key(name), priority=4)
        )
    return out


_DITJEN_RE = re.compile(
    r"(?<![\w-])(?:Direktorat\s+Jenderal|Ditjen)\s+((?:[A-Z][\w'’\-]*)(?:,?\s+(?:[A-Z][\w'’\-]*|dan|&))*)"
)


def _ditjen_generic(text: str) -> list[OrgMention]:
    """A ministry's directorate general not in the table ("Ditjen Vokasi PKPLK"): an agency; the
    ministry named right after it is composed on later."""
    out = []
    for m in _DITJEN_RE.finditer(text):
        body = m.group(1)
        # A comma continues the name only into another unit word ("…, Pendidikan Khusus, dan …").
        for cm in re.finditer(r",\s*(\S+)", body):
            if cm.group(1).lower() not in _OFFICE_WORDS | {"dan", "&"}:
                body = body[: cm.start()]
                break
        body = _trim_tokens(body.rstrip(","))
        if not body:
            continue
        end = text.find(body, m.start()) + len(body)
        name = "Ditjen " + body
        out.append(
            OrgMention(
                m.start(),
                end,
                text[m.start() : end],
                "a:" + norm_key(name),
                name,
                "agency",
                unit_type="ditjen",
                source="pattern",
                priority=4,
            )
        )
    return out


def _ministry_generic(text: str) -> list[OrgMention]:
    out = []
    for m in _MINISTRY_GENERIC_RE.finditer(text):
        body = _trim_tokens(m.group(1))
        if not body:
            continue
        name = "Kementerian " + body
        end = text.find(body, m.start()) + len(body)
        entry = canonical_entry(name, ("ministry",), threshold=88)
        out.append(_pattern_mention(text, m.start(), end, name, "ministry", entry, "m:" + norm_key(name)))
    return out


# ---------------------------------------------------------------- post-processing


def _compose_units(text: str, mentions: list[OrgMention], regions: list[RegionMention]) -> list[OrgMention]:
    """Agency + following ministry ("Badan Litbang SDM Kementerian Kominfo") and located units
    ("BLK Lombok Timur", "BPSDMP Kominfo Denpasar") become one mention."""
    by_start: dict[int, list[OrgMention]] = {}
    for mm in mentions:
        by_start.setdefault(mm.start, []).append(mm)
    out = list(mentions)
    for mm in mentions:
        entry = BY_KEY.get(mm.key)
        if entry is None and mm.key.startswith("a:") and mm.unit_type == "ditjen":
            entry = OrgEntry(mm.key, mm.name, "agency", parent="?", unit_type="ditjen")
        if entry is None or mm.kind not in ("agency", "other") or mm.source not in ("table", "pattern"):
            continue
        end = mm.end
        b = _ACRONYM_RE.match(text, end)
        if b:
            end = b.end()
        nxt = _skip_spaces(text, end)
        ministry = None
        for cand in sorted(by_start.get(nxt, []), key=lambda x: -(x.end - x.start)):
            if cand.kind == "ministry":
                ministry = cand
                break
        if (
            ministry
            and entry.parent in ("?", None, ministry.key)
            and entry.unit_type in ("badan", "ditjen", "balai")
        ):
            full_end = ministry.end
            tail = _COUNTRY_TAIL_RE.match(text, full_end)
            if tail:
                full_end = tail.end()
            # Located units carry their ministry in their own name ("BPSDMP Kominfo").
            name = entry.name if entry.located else f"{entry.name} {ministry.name}"
            composed = replace(
                mm,
                end=full_end,
                text=text[mm.start : full_end],
                parent=ministry.key,
                key=f"{entry.key}@{ministry.key}",
                name=name,
                source="composed",
                priority=0,
            )
            if entry.located:
                composed = _with_location(text, composed, entry, regions)
            out.append(composed)
            continue
        if entry.located:
            located = _with_location(text, replace(mm, end=end), entry, regions)
            if located.end > end:
                out.append(replace(located, priority=0, source="composed"))
        if entry.key == "bpsdm":
            region, rend, _ = _level_and_region_after(text, end, regions, None)
            if region is not None:
                out.append(
                    _opd(text, mm.start, rend, "Badan Pengembangan Sumber Daya Manusia", region, "badan")
                )
    return out


def _with_location(text: str, mm: OrgMention, entry: OrgEntry, regions: list[RegionMention]) -> OrgMention:
    pos = _skip_spaces(text, mm.end)
    m = _MINISTRY_WORD_RE.match(text, pos)
    if m:
        pos = m.end()
    rm = _region_at(text, pos, regions)
    if rm is not None:
        region = _pick_region(rm.candidates, None)
        loc, end = rm.text, rm.end
    else:
        cap = _LOCATION_WORDS_RE.match(text, pos)
        if not cap:
            return mm
        words = cap.group(0).split()
        # Keep the longest prefix that names a known place (or, for LSP, any proper name).
        loc, region = "", None
        for n in range(len(words), 0, -1):
            cand = " ".join(words[:n])
            region = resolve_place_name(cand)
            if region is not None or (entry.key == "lsp" and n == 1):
                loc = cand
                break
        if not loc:
            return mm
        end = pos + len(loc)
    base = entry.name if not mm.parent or "@" not in mm.key else mm.name
    name = f"{base} {loc}"
    return replace(
        mm, end=end, text=text[mm.start : end], name=name, key=f"{mm.key}#{norm_key(loc)}", region=region
    )


def _kominfo_as_office(
    text: str, mentions: list[OrgMention], regions: list[RegionMention]
) -> list[OrgMention]:
    """ "Kominfo Palembang" is the city's office, not the ministry."""
    out = []
    for mm in mentions:
        if mm.key in ("kominfo", "komdigi") and mm.source == "table" and mm.priority == 2:
            pos = _skip_spaces(text, mm.end)
            lvl = _LEVEL_WORD_RE.match(text, pos)
            if lvl:
                pos = lvl.end()
            rm = _region_at(text, pos, regions)
            if rm is None and re.search(
                r"(?:Kadis|Kepala\s+Dinas|Dinas)\s+$", text[max(0, mm.start - 15) : mm.start]
            ):
                out.append(_opd(text, mm.start, mm.end, "Dinas Komunikasi dan Informatika", None, "dinas"))
                continue
            if rm is not None and not _NATIONAL_WORD_RE.match(text, pos):
                region = _pick_region(rm.candidates, None)
                if region is not None:
                    office = "Dinas Komunikasi dan Informatika"
                    out.append(_opd(text, mm.start, rm.end, office, region, "dinas"))
    return out


def _learn_acronyms(text: str, mentions: list[OrgMention]) -> list[OrgMention]:
    table_shorts = {f for e in ALL_ENTRIES for f in e.short_forms}
    gz = gazetteer()
    learned: dict[str, OrgMention] = {}
    for mm in mentions:
        if mm.source == "leader" or not mm.name:
            continue
        b = _ACRONYM_RE.match(text, mm.end)
        if not b:
            # The acronym may already be inside the span ("Universitas Jember (Unej)" kept whole).
            inner = re.search(r"[(\[]([A-Z][\w\-]{1,15}(?:\s+[A-Z][\w\-]{1,15}){0,2})[)\]]", mm.text)
            if not inner:
                continue
            acr = inner.group(1)
        else:
            acr = b.group(1)
        if acr in _GENERIC_ACRONYMS or acr in table_shorts or norm_key(acr) in gz.index:
            continue
        if len(acr) > 30 or acr.lower() in _OFFICE_WORDS:
            continue
        learned.setdefault(acr, mm)
    out = []
    for acr, src in learned.items():
        for m in re.finditer(r"(?<![\w-])" + re.escape(acr) + r"(?![\w-])", text):
            # An abbreviation the article itself defined beats a generic reading of the same words.
            out.append(
                replace(src, start=m.start(), end=m.end(), text=m.group(0), source="acronym", priority=1)
            )
    return out


def _resolve_overlaps(mentions: list[OrgMention]) -> list[OrgMention]:
    """Longest mention wins where mentions overlap; ties go to the more trusted source."""
    kept: list[OrgMention] = []
    taken = bytearray(max((m.end for m in mentions), default=0) + 1)
    for mm in sorted(mentions, key=lambda x: (-(x.end - x.start), x.priority, x.start)):
        if any(taken[mm.start : mm.end]):
            continue
        taken[mm.start : mm.end] = b"\x01" * (mm.end - mm.start)
        kept.append(mm)
    return sorted(kept, key=lambda x: x.start)


def find_org_mentions(text: str) -> tuple[list[OrgMention], list[RegionMention]]:
    regions = find_regions(text)
    pool: list[OrgMention] = _table_mentions(text, regions)
    # A generic pattern ("Kementerian X Y…") is only a fallback: where the alias table recognises a
    # name at the same place, the table's (shorter, exact) reading wins.
    table_starts = {m.start for m in pool}
    generic = _opd_mentions(text, regions) + _university_mentions(text) + _company_mentions(text)
    generic += _ministry_generic(text) + _ditjen_generic(text)
    pool += [g for g in generic if g.start not in table_starts or g.source == "opd"]
    pool += _gov_mentions(text, regions)
    pool += _kominfo_as_office(text, pool, regions)
    pool = _compose_units(text, pool, regions)
    pool += _leader_mentions(text, regions)
    first = _resolve_overlaps(pool)
    pool += _learn_acronyms(text, first)
    return _resolve_overlaps(pool), regions
