"""`sinergi allocate INPUT.json`: result JSON on stdout; bad input exits 2 with the reason on stderr only."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from sinergi.selection.engine import allocate, explanation_message, parse_input, result_to_json

INPUT = {
    "seed": 42,
    "classes": [
        {"id": "c1", "capacity": 2, "reserved": {"asn": 1}, "precedence": "open_first"},
        {"id": "c2", "capacity": 1},
    ],
    "applicants": [
        {"id": "a1", "choices": ["c1", "c2"], "score": 71.5},
        {"id": "a2", "choices": ["c1"], "score": 74.0},
        {"id": "a3", "choices": ["c1", "c2"], "score": 60, "categories": ["asn"]},
        {"id": "a4", "choices": ["c1", "c2"], "score": 80},
    ],
}


def run_command(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("allocate", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def input_file(tmp_path: Path) -> Path:
    path = tmp_path / "input.json"
    path.write_text(json.dumps(INPUT), encoding="utf-8")
    return path


def test_prints_the_result_document(input_file):
    code, out, err = run_command(str(input_file))
    assert code == 0 and err == ""
    doc = json.loads(out)
    assert set(doc) == {
        "format",
        "seed",
        "input_sha256",
        "assignment",
        "reserved_seats",
        "cutoffs",
        "waitlists",
        "outcomes",
    }
    assert doc["format"] == "sinergi-allocation-result/2"
    assert doc["assignment"] == {"a4": "c1", "a2": None, "a1": "c2", "a3": "c1"}
    assert doc["reserved_seats"] == {"a3": "asn"}
    assert doc["cutoffs"]["c1"] == {
        "open": {"applicant": "a4", "score": 80.0, "admitted": 1},
        "asn": {"applicant": "a3", "score": 60.0, "admitted": 1},
    }
    assert doc["waitlists"] == {"c1": ["a2", "a1"], "c2": []}
    # Explanations are rendered from the class outcomes, the same text as the engine's.
    message = (
        "Nilai Anda 74,0 di bawah batas 80,0 untuk kursi umum dan "
        "Anda tidak termasuk kategori yang dicadangkan (asn)"
    )
    assert explanation_message("c1", doc["outcomes"]["c1"], 74.0, []) == message
    code, out, _ = run_command(str(input_file), "--explain", "a2")
    assert code == 0 and json.loads(out) == [{"class": "c1", "choice": 1, "message": message}]
    assert json.loads(run_command(str(input_file), "--explain", "a4")[1]) == []
    code, out, err = run_command(str(input_file), "--explain", "zz")
    assert code == 2 and out == "" and "zz" in err
    # The auditor's run equals the engine's run on the same input.
    assert doc == json.loads(json.dumps(result_to_json(allocate(parse_input(INPUT)))))


def test_reads_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(json.dumps(INPUT).encode())))
    code, out, _ = run_command("-")
    assert code == 0
    assert json.loads(out)["assignment"]["a4"] == "c1"


def test_indent_option(input_file):
    code, out, _ = run_command(str(input_file), "--indent", "2")
    assert code == 0 and out.startswith('{\n  "format"')


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            {**INPUT, "applicants": [{"id": "a1", "choices": ["c9"], "score": 50}]},
            "Pelamar 'a1' (applicants[0]): pilihan kelas 'c9' tidak dikenal",
        ),
        (
            {**INPUT, "classes": [{"id": "c1", "capacity": 1, "reserved": {"asn": 2}}], "applicants": []},
            "Kelas 'c1' (classes[0]): jumlah kursi cadangan (2) melebihi kapasitas (1)",
        ),
        (
            {**INPUT, "applicants": [{"id": "a1", "choices": []}]},
            "Pelamar 'a1' (applicants[0]): nilai (score) wajib diisi",
        ),
        (
            {**INPUT, "applicants": INPUT["applicants"] + [{"id": "a1", "choices": [], "score": 1}]},
            "Pelamar 'a1' (applicants[4]): id pelamar 'a1' ganda",
        ),
        ('{"seed": 1,', "Masukan bukan JSON yang valid: baris 1, kolom 12"),
        ('{"seed": 1, "classes": [], "applicants": [{"id": "a", "choices": [], "score": NaN}]}', "nilai NaN"),
        ("[]", "masukan harus berupa objek JSON"),
    ],
)
def test_invalid_input_exits_2_with_message_on_stderr_and_nothing_on_stdout(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    code, out, err = run_command(str(path))
    assert code == 2
    assert out == ""
    assert message in err


def test_missing_file_and_bad_encoding(tmp_path):
    code, out, err = run_command(str(tmp_path / "nope.json"))
    assert (code, out) == (2, "") and "Berkas tidak ditemukan" in err
    latin = tmp_path / "latin.json"
    latin.write_bytes('{"seed": "é"}'.encode("latin-1"))
    code, out, err = run_command(str(latin))
    assert (code, out) == (2, "") and "bukan teks UTF-8" in err


def test_console_command_exit_codes(input_file, tmp_path):
    """The real `sinergi` entry point, as an auditor would run it."""
    ok = subprocess.run(
        [sys.executable, "-m", "sinergi.cli", "allocate", str(input_file)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["input_sha256"] == parse_input(INPUT).sha256
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**INPUT, "classes": [{"id": "c1", "capacity": -3}]}), encoding="utf-8")
    fail = subprocess.run(
        [sys.executable, "-m", "sinergi.cli", "allocate", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert fail.returncode == 2
    assert fail.stdout == ""
    assert "Kelas 'c1' (classes[0]): kapasitas (capacity) tidak boleh negatif (-3)" in fail.stderr
