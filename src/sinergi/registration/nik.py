"""NIK (Nomor Induk Kependudukan) composition; validation lives beside it.

Layout: 6 digits kecamatan code (province, kab/kota, kecamatan) + DDMMYY birth date, where women
add 40 to the day + 4 digits serial.
"""

from __future__ import annotations

from datetime import date


def compose_nik(kecamatan_code: str, birth_date: date, sex: str, serial: int) -> str:
    """kecamatan_code dotted ("16.71.01") or plain ("167101"); sex "L" or "P"."""
    prefix = kecamatan_code.replace(".", "")
    if len(prefix) != 6 or not prefix.isdigit():
        raise ValueError(f"Kode kecamatan harus 6 digit: {kecamatan_code!r}")
    day = birth_date.day + (40 if sex == "P" else 0)
    return f"{prefix}{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}{serial:04d}"
