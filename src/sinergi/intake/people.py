"""People and their positions: "Wali Kota Padang Budi Santoso", "Kepala Badan Litbang SDM Kementerian
Kominfo, Siti Rahayu", "Rektor Unand, Prof. Dr. Ir. Budi …, M.Sc.", "Dr Eng Siti Rahayu MKom Kepala Badan …"
(names here are placeholders).

A position is followed by qualifiers (its organisation or region, a "Bidang …" portfolio, bracketed
abbreviations) and then the name; or the name comes first, directly before the position.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .orgs import _OFFICE_WORDS, OrgMention
from .regions import Region, RegionMention, gazetteer, norm_key

# (regex, canonical position). Order matters: longer titles first.
_POSITIONS: list[tuple[str, str]] = [
    (r"Wakil\s+Wali\s*[Kk]ota|Wawali(?:\s*[Kk]ota)?|Wawalkot", "Wakil Wali Kota"),
    (r"Wali\s*[Kk]ota|Walkot|Wako", "Wali Kota"),
    (r"Wakil\s+Bupati|Wabup", "Wakil Bupati"),
    (r"Bupati", "Bupati"),
    (r"Wakil\s+Gubernur|Wagub", "Wakil Gubernur"),
    (r"Gubernur", "Gubernur"),
    (r"Sekretaris\s+Daerah(?:\s*[(\[]\s*Sekda\s*[)\]])?|Sekdaprov|Sekdakot|Sekdakab|Sekkot|Sekda", "Sekda"),
    (r"Sekretaris\s+Jenderal|Sekjen", "Sekjen"),
    (r"Sekretaris\s+Badan|Sesban", "Sekretaris Badan"),
    (r"Sekretaris\s+Dinas|Sekdis", "Sekretaris Dinas"),
    (r"Sekretaris\s+(?:Ditjen|Direktorat\s+Jenderal)|Sesditjen", "Sekretaris Ditjen"),
    (r"Sekretaris(?=\s+[A-Z])", "Sekretaris"),
    (r"Direktur\s+Jenderal|Dirjen", "Dirjen"),
    (r"Direktur\s+Utama|Dirut", "Direktur Utama"),
    (r"Presiden\s+Direktur|Presdir", "Presiden Direktur"),
    (r"Wakil\s+Direktur", "Wakil Direktur"),
    (r"Direktur", "Direktur"),
    (r"Wakil\s+Rektor|Warek", "Wakil Rektor"),
    (r"Rektor", "Rektor"),
    (r"Wakil\s+Dekan", "Wakil Dekan"),
    (r"Dekan", "Dekan"),
    (r"Wakil\s+Menteri|Wamen(?:kominfo|komdigi|naker)?", "Wakil Menteri"),
    (r"Menteri|Menkominfo|Menkomdigi|Menaker|Mendagri|Menpan(?:\s*-?RB)?", "Menteri"),
    (r"Wakil\s+Presiden|Wapres", "Wakil Presiden"),
    (r"Presiden(?!\s+Direktur)", "Presiden"),
    (r"Kepala\s+Dinas|Kadis(?=\s)|Kadin(?=\s)", "Kepala Dinas"),
    (r"Kepala\s+Badan|Kaban(?=\s)|Kabalitbang|Kabadan", "Kepala Badan"),
    (r"Kepala\s+Balai|Kepala\s+UPT[DP]?", "Kepala Balai"),
    (r"Kepala\s+Bidang|Kabid", "Kepala Bidang"),
    (r"Kepala\s+Bagian|Kabag", "Kepala Bagian"),
    (r"Kepala\s+Pusat|Kapus", "Kepala Pusat"),
    (r"Kepala\s+Biro", "Kepala Biro"),
    (r"Kepala\s+Kantor", "Kepala Kantor"),
    (r"Kepala\s+Desa|Kades", "Kepala Desa"),
    (r"Lurah", "Lurah"),
    (r"Camat", "Camat"),
    (r"Kepala(?=\s+[A-Z])", "Kepala"),  # "Kepala Diskominfo Kotim": refined by the organisation
    (r"Kadiskominfo|Kadisnaker|Kadisdik|Kadisnakertrans", "Kepala Dinas"),
    (r"Asisten(?:\s+(?:I{1,3}|IV|[1-4]))?", "Asisten"),
    (r"Staf\s+Ahli", "Staf Ahli"),
    (r"Wakil\s+Ketua", "Wakil Ketua"),
    (r"Ketua", "Ketua"),
    (r"General\s+Manager|GM(?=\s)", "General Manager"),
    (r"Country\s+(?:Director|Manager)|Managing\s+Director", "Country Director"),
    (r"Chief\s+Executive\s+Officer|CEO", "CEO"),
    (r"Manajer|Manager", "Manajer"),
    (r"Koordinator", "Koordinator"),
]
_PREFIXES: list[tuple[str, str]] = [
    (r"Pelaksana\s+Harian(?:\s*[(\[]\s*Plh\.?\s*[)\]])?|Plh\.?", "Plh"),
    (r"Pelaksana\s+Tugas(?:\s*[(\[]\s*Plt\.?\s*[)\]])?|Plt\.?", "Plt"),
    (r"Penjabat(?:\s*[(\[]\s*Pj\.?\s*[)\]])?|Pj\.?", "Pj"),
]
_POSITION_RE = re.compile(
    r"(?<![\w-])(?:(?P<prefix>" + "|".join(f"(?:{p})" for p, _ in _PREFIXES) + r")\s+)?"
    r"(?P<pos>" + "|".join(f"(?:{p})" for p, _ in _POSITIONS) + r")(?![\w-])"
)
_POS_COMPILED = [(re.compile(p.replace(r"(?=\s)", "") + r"$"), c) for p, c in _POSITIONS]
_PREFIX_COMPILED = [(re.compile(p + r"$"), c) for p, c in _PREFIXES]

# Academic and religious titles and ranks before a name; they are not part of the name.
_TITLES = {
    "prof",
    "dr",
    "drs",
    "dra",
    "ir",
    "h",
    "hj",
    "kh",
    "dr.h",
    "drg",
    "eng",
    "ns",
    "apt",
    "ustadz",
    "hajjah",
    "letjen",
    "mayjen",
    "brigjen",
    "irjen",
    "komjen",
    "kombes",
    "akbp",
    "kolonel",
    "jenderal",
    "laksamana",
    "marsekal",
    "bapak",
    "ibu",
    "pak",
    "bu",
    "sdr",
    "saudara",
    "tgk",
    "habib",
    "buya",
    "kiai",
    "kyai",
}
_DEGREE_RE = re.compile(
    r"^(?:[SMDB]\.?\s?[A-Z][A-Za-z]{0,4}\.?(?:\s?[A-Z][a-z]{0,3}\.?)?|Ph\.?\s?D\.?|MBA|MM|MT|MH|SH|SE|ST|"
    r"MKom|MSi|MPd|MSc|MEng|SKom|SSos|SIP|SPd|SSTP|MAP|MAk|Ak|CA|CPA|IPU|ASEAN\s?Eng|Dipl\.?\s?Ing\.?)$"
)
_NAME_TOKEN_RE = re.compile(r"[A-Z][a-zà-ÿ'’\-]+|[A-Z]\.|[A-Z]{2,4}\.?|[A-Z]")
# Capitalised words that start sentences or name things but are never person names.
_NOT_NAME = {
    w.lower()
    for w in """
    Sementara Menurut Menurutnya Kata Ujar Dalam Pada Untuk Dengan Dan Atau Yang Ini Itu Hal Selain Saat
    Adapun Adapula Sedangkan Lalu Kini Saat Turut Hadir Tampak Didampingi Bersama Oleh Juga Pun Usai
    Sebelumnya Selanjutnya Kemudian Namun Tetapi Bahkan Karena Sehingga Jika Apabila Bila Setelah Sebelum
    Senin Selasa Rabu Kamis Jumat Sabtu Minggu Januari Februari Maret April Mei Juni Juli Agustus September
    Oktober November Desember Kota Kabupaten Provinsi Pemerintah Pemkot Pemkab Pemprov Pemko Pemda RI
    Republik Indonesia Kementerian Badan Dinas Balai Universitas Institut Politeknik Kominfo Komdigi
    Kemnaker Kemenkominfo Litbang SDM Bidang Pusat Wilayah Regional Nasional Daerah Negara Bagian Seksi
    Kegiatan Program Acara Rapat Penandatanganan Kerja Sama MoU PKS Nota Kesepakatan Kesepahaman Kantor
    Ruang Gedung Hotel Aula Balaikota Pendopo Sekretaris Kepala Wakil Ketua Direktur Rektor Dekan Menteri
    Gubernur Bupati Wali Walikota Sekda Asisten Staf Presiden Kabid Kadis Tim Para Seluruh Semua Ia Dia
    Beliau Mereka Kami Kita Anda Saya Tbk PT Persero Umum Komunikasi Informatika Digital Teknologi
    Informasi Pembangunan Pendidikan Kebudayaan Tenaga Transmigrasi Koperasi Pemerintahan Kesejahteraan
    Rakyat Ekonomi Administrasi Fakultas Sekolah Program Academy Talent Scholarship Smart City Hub
    """.split()
}
# Titles whose holder serves another title holder ("Staf Ahli Gubernur", "Asisten Bupati").
_QUALIFIED_BY_TITLE = {
    "Staf Ahli",
    "Asisten",
    "Kepala Bagian",
    "Kepala Biro",
    "Kepala Bidang",
    "Sekretaris Dinas",
    "Sekretaris Badan",
    "Koordinator",
    "Manajer",
}
_VENUE_BEFORE_RE = re.compile(
    r"(?:Kantor|Ruang(?:\s+\w+)?|Rumah\s+Jabatan|Rujab|Pendopo|Pendapa|Gedung|Aula|Balai)\s*$"
)


@dataclass
class PersonMention:
    name: str
    position: str
    name_start: int
    name_end: int
    pos_start: int
    pos_end: int
    org: OrgMention | None
    region: Region | None
    confidence: float


def _canonical_position(prefix: str | None, pos_text: str) -> str:
    pos_text = " ".join(pos_text.split())
    canon = pos_text
    for rx, c in _POS_COMPILED:
        if rx.match(pos_text):
            canon = c
            break
    if prefix:
        p = " ".join(prefix.split())
        for rx, c in _PREFIX_COMPILED:
            if rx.match(p):
                return f"{c} {canon}"
    return canon


def _refine_kepala(position: str, org: OrgMention | None) -> str:
    if position != "Kepala" or org is None:
        return position
    unit = org.unit_type
    if unit == "dinas":
        return "Kepala Dinas"
    if unit in ("badan", "ditjen"):
        return "Kepala Badan"
    if unit in ("balai", "lembaga"):
        return "Kepala Balai" if unit == "balai" else "Kepala"
    return position


def _clean_name(raw: str) -> tuple[str, int, int] | None:
    """Strip titles before and degrees after a name; returns (name, offset_in_raw_start, end)."""
    # "Eng.Hary": a title glued to the name by its full stop is still a separate token.
    tokens = list(re.finditer(r"(?:Prof|Dr|Drs|Dra|Ir|Hj|H|KH|Eng|drg|dr)\.(?=[A-Z])|[^\s,]+", raw))
    if not tokens:
        return None
    i, j = 0, len(tokens)
    while i < j and tokens[i].group(0).rstrip(".").lower() in _TITLES:
        i += 1
    while j > i and (_DEGREE_RE.match(tokens[j - 1].group(0)) or tokens[j - 1].group(0).lower() in _TITLES):
        j -= 1
    words = [t.group(0) for t in tokens[i:j]]
    if not words or len(words) > 5:
        return None
    for w in words:
        if not _NAME_TOKEN_RE.fullmatch(w) or w.rstrip(".").lower() in _NOT_NAME | _OFFICE_WORDS:
            return None
    if len(words) == 1 and (len(words[0]) < 3 or words[0].isupper()):
        return None
    gz = gazetteer()
    if len(words) == 1 and norm_key(words[0]) in gz.index:
        return None
    name = " ".join(w for w in words)
    return name, tokens[i].start(), tokens[j - 1].end()


# A name run: capitalised tokens, initials, and titles/degrees with their dots and commas.
def _name_after(text: str, pos: int, limit: int) -> tuple[str, int, int] | None:
    """Name starting at pos: capitalised tokens up to a lowercase word or punctuation."""
    m = re.match(
        r"(?:(?:Prof|Dr|Drs|Dra|Ir|H|Hj|KH|drg|dr|Eng|Ns)(?:\.\s*|,?\s+))*"
        r"(?:[A-Z][a-zà-ÿ'’\-]+|[A-Z]\.|[A-Z])(?:\s+(?:[A-Z][a-zà-ÿ'’\-]+|[A-Z](?:\.|(?=[\s,]|$))))*"
        r"(?:,?\s+(?:[SMDB]\.?\s?[A-Z][A-Za-z]{0,4}\.?|Ph\.?\s?D\.?|MKom|MSi|MPd|MSc|MT|MM|MH|SH|SE|ST|SKom))*",
        text[pos:limit],
    )
    if not m or not m.group(0).strip():
        return None
    raw = m.group(0)
    cleaned = _clean_name(raw)
    if cleaned is None:
        return None
    name, a, b = cleaned
    return name, pos + a, pos + b


_NAME_WINDOW = 200


def _name_before(text: str, pos: int, floor: int) -> tuple[str, int, int] | None:
    """Name ending right before pos ("Siti Rahayu, Kepala …", "Dr Eng Siti Rahayu MKom Kepala …")."""
    # A name with its titles is a few words long; a bounded window keeps this end-anchored search from
    # re-scanning a long run of capitalised words for every position in it.
    floor = max(floor, pos - _NAME_WINDOW)
    window = text[floor:pos]
    m = re.search(
        r"((?:[A-Z][\w'’\-]*\.?\s+)*[A-Z][\w'’\-]*\.?)\s*,?\s*(?:selaku\s+|sebagai\s+|yang\s+juga\s+)?$",
        window,
    )
    if not m:
        return None
    raw = m.group(1)
    start = floor + m.start(1)
    # Sentence openers glued to the name ("Sementara Dr …") are dropped from the front.
    lead = re.match(r"(?:[A-Z][\w'’\-]*\s+)", raw)
    while lead and lead.group(0).strip().lower() in _NOT_NAME:
        if _POSITION_RE.match(lead.group(0)):
            return None  # "Bupati X Y, Wali Kota …": X Y is the Bupati's, not the next position's
        raw = raw[lead.end() :]
        start += lead.end()
        lead = re.match(r"(?:[A-Z][\w'’\-]*\s+)", raw)
    first = raw.split()[0] if raw.split() else ""
    if norm_key(first) in gazetteer().index:
        return None
    cleaned = _clean_name(raw)
    if cleaned is None:
        return None
    name, a, b = cleaned
    return name, start + a, start + b


def find_people(
    text: str,
    sentences: list[tuple[int, int]],
    orgs: list[OrgMention],
    regions: list[RegionMention],
) -> list[PersonMention]:
    out: list[PersonMention] = []
    all_orgs, all_regions = orgs, regions
    # Both lists are in text order without overlaps (so the ends are in order too): each sentence's
    # mentions are found by binary search, which keeps long inputs linear.
    org_starts, org_ends = [o.start for o in all_orgs], [o.end for o in all_orgs]
    region_starts = [r.start for r in all_regions]
    for s_start, s_end in sentences:
        orgs = all_orgs[bisect.bisect_right(org_ends, s_start) : bisect.bisect_left(org_starts, s_end)]
        regions = all_regions[
            bisect.bisect_left(region_starts, s_start) : bisect.bisect_left(region_starts, s_end)
        ]
        if not _POSITION_RE.search(text, s_start, s_end):
            continue
        prev_end, prev_position = -10, ""
        for m in _POSITION_RE.finditer(text, s_start, s_end):
            stacked = m.start() - prev_end <= 1 and prev_position in _QUALIFIED_BY_TITLE
            prev_end, prev_position = m.end(), _canonical_position(None, m.group("pos"))
            if stacked:
                continue  # "Staf Ahli Gubernur …": the second title qualifies the first
            if _VENUE_BEFORE_RE.search(text[max(s_start, m.start() - 25) : m.start()]):
                continue
            position = _canonical_position(m.group("prefix"), m.group("pos"))
            pos = m.end()
            org: OrgMention | None = None
            region: Region | None = None
            # An organisation mention that overlaps the position ("Kepala [Dinas Kominfo]") or
            # follows it is the person's organisation; keep consuming qualifiers.
            for _ in range(6):
                pos = _skip(text, pos)
                hit = next(
                    (o for o in orgs if o.start <= pos < o.end or (o.start < pos and o.end > pos)), None
                )
                if hit is None:
                    hit = next((o for o in orgs if o.start == pos), None)
                if hit is not None and hit.end > pos:
                    if org is None or hit.source != "leader":
                        org = hit if (org is None or org.source == "leader") else org
                    pos = hit.end
                    continue
                # A portfolio before the organisation: "Direktur Kerja Sama UI", "Dirjen (Dirjen) Pembinaan
                # Pelatihan Vokasi dan Produktivitas (Binalatvoktas) Kemnaker".
                ahead = next(
                    (
                        o
                        for o in orgs
                        if pos < o.start <= pos + 90
                        and o.source != "leader"
                        and _is_portfolio(text[pos : o.start], text[pos : o.end])
                    ),
                    None,
                )
                if ahead is not None:
                    org = org or ahead
                    pos = ahead.end
                    continue
                rm = next((r for r in regions if r.start == pos), None)
                if rm is not None:
                    region = region or rm.candidates[0]
                    pos = rm.end
                    continue
                stacked_title = _POSITION_RE.match(text, pos, s_end)
                if stacked_title and stacked_title.end() > pos and position in _QUALIFIED_BY_TITLE:
                    pos = stacked_title.end()
                    continue
                office = re.match(r"(?:[A-Z][a-z]+)(?:\s+(?:dan\s+)?[A-Z][a-z]+)*", text[pos:s_end])
                if office and all(w.lower() in _OFFICE_WORDS for w in office.group(0).split() if w != "dan"):
                    # "Kadis Komunikasi Informasi (Kominfo) Budi": the office's name without "Dinas".
                    pos += office.end()
                    continue
                q = re.match(
                    r"(?:RI|Republik\s+Indonesia|Indonesia|Pusat|[IVX]{1,4}(?![\w])|"
                    r"(?:Kota|Kabupaten|Kab\.|Provinsi|Prov\.)(?=\s+[A-Z])|"
                    r"Bidang(?:\s+(?:[A-Z][\w\-]*|dan|&))+|[(\[][^)\]]{1,30}[)\]])",
                    text[pos:s_end],
                )
                if q:
                    pos += q.end()
                    continue
                break
            pos = _skip(text, pos)
            found = _pick_name(text, pos, s_end, orgs)
            conf = 0.8
            if found is None:
                found = _name_before(text, m.start(), s_start)
                conf = 0.6
                if found is not None and any(p.name_start <= found[1] < p.name_end for p in out):
                    found = None
            if found is None:
                continue
            name, a, b = found
            position = _refine_kepala(position, org)
            out.append(PersonMention(name, position, a, b, m.start(), m.end(), org, region, conf))
    return out


def _pick_name(text: str, pos: int, limit: int, orgs: list[OrgMention]) -> tuple[str, int, int] | None:
    """The name after a position and its qualifiers.

    "Wali Kota Padang Budi Santoso", "… Kemenkominfo Siti Rahayu, Kamis (…)": the name comes
    directly. "Direktur Kebijakan Publik PT X, Siti R": an unrecognised qualifier ends at a comma and
    the name follows it.
    """
    comma = re.match(
        r"((?:[A-Z][\w\-]*|dan|&|di)(?:\s+(?:[A-Z][\w\-]*|dan|&|[(\[][^)\]]{1,20}[)\]]))*)?\s*,\s*",
        text[pos:limit],
    )
    stretch = comma.group(1) if comma and comma.group(1) else ""
    stretch_is_qualifier = bool(stretch) and (
        any(pos <= o.start < pos + len(stretch) for o in orgs)
        or any(
            w.lower() in _NOT_NAME
            or w.lower() in _OFFICE_WORDS
            or w in ("dan", "&")
            or norm_key(w) in gazetteer().index
            for w in stretch.split()
        )
    )
    if stretch and _POSITION_RE.search(stretch):
        # "Wali Kota X Budi dan General Manager Y, Siti": the comma belongs to the next person.
        stretch_is_qualifier = False
        comma = None
    direct = _name_after(text, pos, limit)
    if (
        direct is not None
        and re.match(r"\s+(?:dan|&)\s+[A-Z]", text[direct[2] : limit])
        and not _POSITION_RE.match(text[direct[2] : limit].split(None, 1)[-1])
    ):
        # "Manajer Marketing dan Registrasi X": a portfolio, not a name.
        direct = None
    after_comma = _name_after(text, pos + comma.end(), limit) if comma else None
    if stretch_is_qualifier and after_comma is not None:
        return after_comma
    if direct is not None:
        return direct
    return after_comma


def _is_portfolio(stretch: str, with_org: str = "") -> bool:
    """Capitalised words (and bracketed abbreviations) between a title and its organisation, with no
    other title among them: "Kerja Sama", "Pembinaan Pelatihan Vokasi dan Produktivitas (Binalatvoktas)"."""
    if not re.fullmatch(r"(?:\s*(?:[A-Z][\w\-]*|dan|&|[(\[][^)\]]{1,30}[)\]]))+\s*", stretch):
        return False
    bare = re.sub(r"[(\[][^)\]]*[)\]]", " ", stretch)
    if len(bare.split()) > 7:
        return False
    # Another title inside ("Budi dan Kepala Badan X") means the stretch holds a name, not a portfolio.
    probe = with_org or stretch
    return not any(m.start() < len(stretch) for m in _POSITION_RE.finditer(probe))


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t":
        pos += 1
    return pos
