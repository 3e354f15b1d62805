"""Eligibility engine: does a person meet a programme's rules, and if not, why not.

Pure: it takes plain dataclasses, so the catalogue, the apply service, the metrics and the bulk
import all judge a person the same way, and the rules can be tested as a table. Every failed rule
gives its own reason in Indonesian, so a person sees everything to fix at once, before applying.

Rule kinds and `params` (the same as programs.models.EligibilityRule documents):
    age                    {"min": 17, "max": 29}   age in whole years on the batch's close date
    category               {"in": ["asn", "guru"]}
    domicile               {"regions": ["16", "16.71"]}  province or kab/kota codes
    education              {"min": "sma"}
    asn_only               {}                        ASN category with a valid NIP
    not_enrolled_in_batch  {}                        not in another class of the same batch
    exclusion              {"nik_hashes": [...], "reason": "..."}
An unknown kind or malformed params fails closed with a reason naming the rule, so a typo in an
admin's rule never lets everybody in silently.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sinergi.core.i18n import gettext as _

EDUCATION_ORDER = ["sd", "smp", "sma", "d3", "s1", "s2", "s3"]
EDUCATION_LABELS = {
    "sd": "SD",
    "smp": "SMP",
    "sma": "SMA/SMK",
    "d3": "Diploma (D1–D3)",
    "s1": "D4/S1",
    "s2": "S2",
    "s3": "S3",
}
CATEGORY_LABELS = {
    "asn": "ASN",
    "pelajar": "Pelajar/mahasiswa",
    "guru": "Guru SD–SMA",
    "umkm": "Pelaku UMKM",
    "umum": "Umum",
}


@dataclass(frozen=True)
class Person:
    birth_date: date
    category: str
    domicile_code: str  # kab/kota code, e.g. "16.71"
    education: str = ""  # one of EDUCATION_ORDER, "" when unknown
    nip_valid: bool = False
    nik_hash: str = ""
    # Classes of the batch being judged in which the person is already enrolled.
    enrolled_class_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Rule:
    kind: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ProgramTerms:
    target_categories: tuple[str, ...]
    rules: tuple[Rule, ...]
    reference_date: date  # the batch's registration close date: the day ages are counted on
    region_names: Mapping[str, str] = field(default_factory=dict)  # code → name, for readable reasons


def age_on(birth_date: date, day: date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def _category_names(codes: Iterable[str]) -> str:
    return ", ".join(CATEGORY_LABELS.get(code, code) for code in codes)


def _within(code: str, area: str) -> bool:
    return code == area or code.startswith(area + ".")


def _malformed(rule: Rule) -> str:
    return _("Aturan kelayakan “%(kind)s” tidak lengkap; hubungi penyelenggara.") % {"kind": rule.kind}


def _check_age(person: Person, rule: Rule, terms: ProgramTerms) -> str | None:
    low, high = rule.params.get("min"), rule.params.get("max")
    if low is None and high is None:
        return _malformed(rule)
    age = age_on(person.birth_date, terms.reference_date)
    on = terms.reference_date.strftime("%d-%m-%Y")
    if low is not None and age < int(low):
        return _("Usia minimal %(min)d tahun pada %(date)s; usia Anda saat itu %(age)d tahun.") % {
            "min": int(low),
            "date": on,
            "age": age,
        }
    if high is not None and age > int(high):
        return _("Usia maksimal %(max)d tahun pada %(date)s; usia Anda saat itu %(age)d tahun.") % {
            "max": int(high),
            "date": on,
            "age": age,
        }
    return None


def _check_category(person: Person, rule: Rule, terms: ProgramTerms) -> str | None:
    allowed = list(rule.params.get("in") or [])
    if not allowed:
        return _malformed(rule)
    if person.category in allowed:
        return None
    return _("Khusus kategori %(allowed)s; kategori Anda %(mine)s.") % {
        "allowed": _category_names(allowed),
        "mine": CATEGORY_LABELS.get(person.category, person.category),
    }


def _check_domicile(person: Person, rule: Rule, terms: ProgramTerms) -> str | None:
    areas = list(rule.params.get("regions") or [])
    if not areas:
        return _malformed(rule)
    if any(_within(person.domicile_code, area) for area in areas):
        return None
    names = ", ".join(terms.region_names.get(area, area) for area in areas)
    return _("Khusus penduduk berdomisili di %(areas)s; domisili Anda %(mine)s.") % {
        "areas": names,
        "mine": terms.region_names.get(person.domicile_code, person.domicile_code),
    }


def _check_education(person: Person, rule: Rule, terms: ProgramTerms) -> str | None:
    minimum = rule.params.get("min")
    if minimum not in EDUCATION_ORDER:
        return _malformed(rule)
    label = EDUCATION_LABELS[minimum]
    if person.education not in EDUCATION_ORDER:
        return _("Pendidikan minimal %(min)s; isi pendidikan terakhir di profil Anda.") % {"min": label}
    if EDUCATION_ORDER.index(person.education) < EDUCATION_ORDER.index(minimum):
        return _("Pendidikan minimal %(min)s; pendidikan terakhir Anda %(mine)s.") % {
            "min": label,
            "mine": EDUCATION_LABELS[person.education],
        }
    return None


def _check_asn_only(person: Person, rule: Rule, terms: ProgramTerms) -> str | None:
    if person.category != "asn":
        return _("Khusus ASN; kategori Anda %(mine)s.") % {
            "mine": CATEGORY_LABELS.get(person.category, person.category)
        }
    if not person.nip_valid:
        return _("Khusus ASN dengan NIP yang valid; periksa NIP di profil Anda.")
    return None


def _check_not_enrolled(person: Person, rule: Rule, terms: ProgramTerms, class_id: int | None) -> str | None:
    others = person.enrolled_class_ids - ({class_id} if class_id is not None else set())
    if others:
        return _("Anda sudah terdaftar sebagai peserta kelas lain pada gelombang ini.")
    return None


def _check_exclusion(person: Person, rule: Rule, terms: ProgramTerms) -> str | None:
    if person.nik_hash and person.nik_hash in set(rule.params.get("nik_hashes") or []):
        reason = str(rule.params.get("reason") or "").strip()
        return reason or _("Anda dikecualikan dari program ini oleh penyelenggara.")
    return None


_CHECKS = {
    "age": _check_age,
    "category": _check_category,
    "domicile": _check_domicile,
    "education": _check_education,
    "asn_only": _check_asn_only,
    "exclusion": _check_exclusion,
}


def reasons_not_eligible(person: Person, terms: ProgramTerms, class_id: int | None = None) -> list[str]:
    """Every reason the person may not apply (to `class_id`, if given); empty means eligible."""
    reasons: list[str] = []
    if terms.target_categories and person.category not in terms.target_categories:
        reasons.append(
            _("Program ini untuk kategori %(allowed)s; kategori Anda %(mine)s.")
            % {
                "allowed": _category_names(terms.target_categories),
                "mine": CATEGORY_LABELS.get(person.category, person.category),
            }
        )
    for rule in terms.rules:
        try:
            if rule.kind == "not_enrolled_in_batch":
                reason = _check_not_enrolled(person, rule, terms, class_id)
            elif rule.kind in _CHECKS:
                reason = _CHECKS[rule.kind](person, rule, terms)
            else:
                reason = _malformed(rule)
        except (TypeError, ValueError):
            reason = _malformed(rule)
        if reason and reason not in reasons:
            reasons.append(reason)
    return reasons


def is_eligible(person: Person, terms: ProgramTerms, class_id: int | None = None) -> bool:
    return not reasons_not_eligible(person, terms, class_id)
