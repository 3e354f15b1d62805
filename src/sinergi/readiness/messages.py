"""Indonesian (and, through the catalogue, English) texts for the framework checker's problem codes."""

from __future__ import annotations

from django.utils.translation import gettext as _

from sinergi.readiness.frameworks import Problem


def _texts() -> dict[str, str]:
    return {
        "too_large": _("berkas lebih besar dari %(limit_kb)s KB"),
        "yaml_syntax": _("bukan YAML yang sah (%(detail)s)"),
        "empty": _("berkas kosong"),
        "not_mapping": _("%(where)s harus berupa pasangan kunci: nilai"),
        "not_list": _("%(where)s harus berupa daftar yang tidak kosong"),
        "duplicate_key": _("kunci '%(key)s' muncul dua kali di %(where)s"),
        "missing": _("%(where)s tidak memiliki '%(key)s'"),
        "not_text": _("'%(key)s' di %(where)s harus berupa teks yang tidak kosong"),
        "not_number": _("'%(key)s' di %(where)s harus berupa angka"),
        "not_integer": _("'%(key)s' di %(where)s harus berupa bilangan bulat"),
        "not_positive": _("'%(key)s' di %(where)s harus lebih dari 0"),
        "bad_level": _("tingkat '%(key)s' di %(where)s tidak dikenal; gunakan 1 sampai 5"),
        "levels_incomplete": _("uraian tingkat %(missing)s belum ada di %(where)s"),
        "duplicate_code": _("kode '%(code)s' dipakai lebih dari sekali"),
        "weights_mismatch": _("bobot %(where)s adalah %(declared)s, tetapi bobot isinya berjumlah %(total)s"),
        "bad_thresholds": _(
            "ambang metrik di %(where)s harus empat angka yang naik (awal tingkat 2, 3, 4, 5)"
        ),
        "version_exists": _(
            "kerangka '%(slug)s' versi %(version)s sudah dimuat dengan isi lain; versi yang sudah dipakai "
            "tidak dapat diubah, naikkan 'version' untuk isi baru"
        ),
    }


def problem_text(problem: Problem) -> str:
    template = _texts().get(problem.code, problem.code)
    return template % problem.params if problem.params else template


def problem_lines(problems: list[Problem]) -> list[str]:
    """'line N: reason', the form the command line and upload forms report."""
    return [f"line {p.line}: {problem_text(p)}" for p in problems]
