"""A survey's questions as data, and the check of one person's answers against them. No Django here:
the functions take and return plain data, so a version's questions can be checked (and benchmarked)
without a database, and the same rules serve the answer page, an import and the tests.

A question is a dict:
    code       short identifier, unique in the version (letters, digits, _), e.g. "activity"
    type       single | multiple | number | money | text | scale | date
    label      the question as asked (Bahasa Indonesia)
    required   bool (default False); only applies while the question is shown
    options    single/multiple: [{"value": "...", "label": "...", ...}] (extra keys, such as an income
               band's "min"/"max" in rupiah, are kept for the metrics)
    help       optional hint under the question
    show_if    optional skip logic: {"question": "<code of an earlier question>", "in": ["v1", "v2"]}
               — the question is shown only when that question was answered with one of the values
               (for a multiple-choice question: when any of them was ticked). A question hidden this
               way is not asked: a value sent for it is dropped, and "required" does not apply.
    min, max   number/money bounds (optional)

validate(questions, raw) takes the submitted values (text, or a list of texts for multiple choice, as
a form posts them) and returns (answers, problems): the clean answers (str, list[str], int or ISO date
text) of the questions shown, and one Problem per bad answer. Problem.message is Indonesian text that
names the question; the Django caller may translate MESSAGES[problem.code] instead.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

TYPES = ("single", "multiple", "number", "money", "text", "scale", "date")
SCALE = (1, 2, 3, 4, 5)
TEXT_MAX = 1000
_CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def _(text: str) -> str:
    """Marks a message for the translation catalogue (xgettext's default keyword); returns it as is,
    since this module may not import Django's gettext. Indonesian is the source language."""
    return text


MESSAGES = {
    "required": _("Pertanyaan “%(label)s” wajib dijawab."),
    "choice": _("Pertanyaan “%(label)s”: pilih salah satu jawaban yang tersedia."),
    "choices": _("Pertanyaan “%(label)s”: pilihan “%(value)s” tidak tersedia."),
    "number": _("Pertanyaan “%(label)s”: isi dengan angka bulat, misalnya 3."),
    "money": _("Pertanyaan “%(label)s”: isi jumlah rupiah dengan angka, misalnya 3500000 atau 3.500.000."),
    "min": _("Pertanyaan “%(label)s”: paling kecil %(min)s."),
    "max": _("Pertanyaan “%(label)s”: paling besar %(max)s."),
    "scale": _("Pertanyaan “%(label)s”: pilih nilai 1 sampai 5."),
    "date": _("Pertanyaan “%(label)s”: isi tanggal dengan format HH-BB-TTTT, misalnya 17-08-2026."),
    "text_long": _("Pertanyaan “%(label)s”: paling banyak %(max)s karakter."),
}

# Problems in a version's definition (an officer editing a survey), not in someone's answers.
DEFINITION_MESSAGES = {
    "empty": _("Survei harus memiliki sedikitnya satu pertanyaan."),
    "code": _("Pertanyaan ke-%(n)s: kode “%(code)s” harus huruf kecil, angka atau garis bawah."),
    "duplicate": _("Pertanyaan ke-%(n)s: kode “%(code)s” sudah dipakai pertanyaan lain."),
    "type": _("Pertanyaan ke-%(n)s (“%(code)s”): jenis “%(type)s” tidak dikenal."),
    "label": _("Pertanyaan ke-%(n)s (“%(code)s”): teks pertanyaan wajib diisi."),
    "options": _("Pertanyaan ke-%(n)s (“%(code)s”): pilihan ganda memerlukan sedikitnya dua pilihan."),
    "option_value": _(
        "Pertanyaan ke-%(n)s (“%(code)s”): setiap pilihan memerlukan nilai dan label yang unik."
    ),
    "show_if": _(
        "Pertanyaan ke-%(n)s (“%(code)s”): syarat tampil harus merujuk pertanyaan pilihan sebelumnya dan "
        "nilai pilihannya."
    ),
}


@dataclass(frozen=True)
class Problem:
    code: str
    question: str  # the question's code ("" for a problem of the whole definition)
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        template = MESSAGES.get(self.code) or DEFINITION_MESSAGES[self.code]
        return template % self.params


def check_questions(questions: Sequence[Mapping[str, Any]]) -> list[Problem]:
    """Problems of a version's question list (empty list: usable)."""
    if not questions:
        return [Problem("empty", "")]
    problems: list[Problem] = []
    seen: dict[str, Mapping[str, Any]] = {}
    for n, q in enumerate(questions, 1):
        code = str(q.get("code", ""))
        params = {"n": n, "code": code, "type": q.get("type", "")}
        if not _CODE.match(code):
            problems.append(Problem("code", code, params))
        elif code in seen:
            problems.append(Problem("duplicate", code, params))
        if q.get("type") not in TYPES:
            problems.append(Problem("type", code, params))
        if not str(q.get("label", "")).strip():
            problems.append(Problem("label", code, params))
        if q.get("type") in ("single", "multiple"):
            options = q.get("options") or []
            values = [str(o.get("value", "")) for o in options]
            if len(options) < 2:
                problems.append(Problem("options", code, params))
            elif "" in values or len(set(values)) != len(values) or not all(o.get("label") for o in options):
                problems.append(Problem("option_value", code, params))
        condition = q.get("show_if")
        if condition:
            target = seen.get(str(condition.get("question", "")))
            wanted = condition.get("in")
            if (
                target is None
                or target.get("type") not in ("single", "multiple")
                or not isinstance(wanted, list)
                or not wanted
                or not set(map(str, wanted)) <= {str(o.get("value")) for o in target.get("options") or []}
            ):
                problems.append(Problem("show_if", code, params))
        seen.setdefault(code, q)
    return problems


def is_shown(question: Mapping[str, Any], answers: Mapping[str, Any]) -> bool:
    """Whether the question is asked, given the (clean) answers to the questions before it."""
    condition = question.get("show_if")
    if not condition:
        return True
    given = answers.get(condition["question"])
    wanted = {str(v) for v in condition["in"]}
    if isinstance(given, list):
        return bool(wanted & set(given))
    return given is not None and str(given) in wanted


def _blank(value: Any) -> bool:
    if isinstance(value, list):
        return not [v for v in value if str(v).strip()]
    return value is None or not str(value).strip()


def _integer(text: str, *, money: bool) -> int | None:
    cleaned = text.strip()
    if money:
        cleaned = re.sub(r"^(rp\.?)\s*", "", cleaned, flags=re.IGNORECASE)
        cleaned = re.sub(r"[.\s]", "", cleaned)
        cleaned = re.sub(r",00?$", "", cleaned)
    if not re.fullmatch(r"-?\d{1,15}", cleaned):
        return None
    return int(cleaned)


def _date(text: str) -> str | None:
    text = text.strip()
    for pattern in (r"(\d{4})-(\d{1,2})-(\d{1,2})", r"(\d{1,2})[-/](\d{1,2})[-/](\d{4})"):
        match = re.fullmatch(pattern, text)
        if match:
            a, b, c = (int(g) for g in match.groups())
            year, month, day = (a, b, c) if a > 31 else (c, b, a)
            try:
                return date(year, month, day).isoformat()
            except ValueError:
                return None
    return None


def _clean_one(q: Mapping[str, Any], value: Any) -> tuple[Any, Problem | None]:
    code, kind = q["code"], q["type"]
    params: dict[str, Any] = {"label": q["label"]}
    if kind == "multiple":
        values = [str(v).strip() for v in (value if isinstance(value, list) else [value]) if str(v).strip()]
        allowed = [str(o["value"]) for o in q["options"]]
        for v in values:
            if v not in allowed:
                return None, Problem("choices", code, {**params, "value": v[:40]})
        return [v for v in allowed if v in values], None  # in the options' order, each once
    text = str(value[0] if isinstance(value, list) and value else value).strip()
    if kind == "single":
        if text not in [str(o["value"]) for o in q["options"]]:
            return None, Problem("choice", code, params)
        return text, None
    if kind in ("number", "money"):
        number = _integer(text, money=kind == "money")
        if number is None:
            return None, Problem(kind, code, params)
        low = q.get("min", 0)
        if low is not None and number < low:
            return None, Problem("min", code, {**params, "min": low})
        if q.get("max") is not None and number > q["max"]:
            return None, Problem("max", code, {**params, "max": q["max"]})
        return number, None
    if kind == "scale":
        if text not in {str(s) for s in SCALE}:
            return None, Problem("scale", code, params)
        return int(text), None
    if kind == "date":
        iso = _date(text)
        if iso is None:
            return None, Problem("date", code, params)
        return iso, None
    if len(text) > TEXT_MAX:
        return None, Problem("text_long", code, {**params, "max": TEXT_MAX})
    return text, None


def validate(
    questions: Sequence[Mapping[str, Any]], raw: Mapping[str, Any]
) -> tuple[dict[str, Any], list[Problem]]:
    """Check submitted values against the questions, in order (skip logic reads earlier answers)."""
    answers: dict[str, Any] = {}
    problems: list[Problem] = []
    for q in questions:
        if not is_shown(q, answers):
            continue
        value = raw.get(q["code"])
        if _blank(value):
            if q.get("required"):
                problems.append(Problem("required", q["code"], {"label": q["label"]}))
            continue
        clean, problem = _clean_one(q, value)
        if problem:
            problems.append(problem)
        else:
            answers[q["code"]] = clean
    return answers, problems


def option_label(question: Mapping[str, Any], value: Any) -> str:
    for option in question.get("options") or []:
        if str(option["value"]) == str(value):
            return str(option["label"])
    return str(value)
