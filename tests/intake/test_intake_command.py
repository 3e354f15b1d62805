"""`sinergi extract FILE.txt`: JSON on stdout, Indonesian message and exit code 2 on bad input."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from tests.intake.evaluate import find_seeds_dir

REPO = Path(__file__).resolve().parents[2]
SEED = sorted(find_seeds_dir().glob("003_*.txt"))
ARTICLE = Path(__file__).resolve().parent / "corpus" / "012.txt"


def run(*args: str) -> tuple[str, str, int]:
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("extract", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        code = int(exc.code or 0)
    return out.getvalue(), err.getvalue(), code


def test_prints_simple_json():
    out, err, code = run(str(ARTICLE))
    assert code == 0 and err == ""
    data = json.loads(out)
    assert data["agreement_type"] == "mou"
    assert {"name": "Pemerintah Kota Medan", "kind": "city_gov", "region": "Kota Medan"} in data["parties"]
    assert "  " in out  # indented
    assert "\\u" not in out  # UTF-8, not ASCII escapes


def test_rich_form_has_spans_and_confidences():
    out, _, code = run(str(ARTICLE), "--rich")
    assert code == 0
    data = json.loads(out)
    text = ARTICLE.read_text(encoding="utf-8")
    c = data["commitments"][0]
    assert text[c["span"][0] : c["span"][1]] == c["text"]
    assert 0 < data["status"]["confidence"] <= 1
    assert data["parties"][0]["region"]["code"] == "12.71"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "tidak ditemukan"),
        (b"\xff\xfe\x00bad", "bukan teks UTF-8"),
        (b"", "kosong"),
        (
            b"The mayor signed a memorandum with the ministry to train ten thousand young people in "
            b"digital skills over the next five years, the city said on Monday in a statement to the press.",
            "bahasa Indonesia",
        ),
    ],
)
def test_bad_input_exits_2_with_indonesian_message(tmp_path, content, message):
    path = tmp_path / "berita.txt"
    if content is not None:
        path.write_bytes(content)
    out, err, code = run(str(path))
    assert code == 2
    assert out == ""
    assert message in err


def test_console_command_end_to_end(tmp_path):
    """The installed `sinergi` console script, as a user runs it."""
    assert SEED, "seed 003 missing in ../shared/seeds"
    exe = Path(sys.executable).with_name("sinergi")
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "LC_ALL": "C"}
    done = subprocess.run([str(exe), "extract", str(SEED[0])], capture_output=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr.decode()
    data = json.loads(done.stdout.decode("utf-8"))
    assert data["status"] == "discussion" and data["commitments"][0]["quantity"] == 10000
    missing = subprocess.run(
        [str(exe), "extract", str(tmp_path / "tidak-ada.txt")], capture_output=True, env=env, timeout=120
    )
    assert missing.returncode == 2
    assert "tidak ditemukan" in missing.stderr.decode("utf-8")


def test_a_huge_file_exits_2_before_it_is_read(tmp_path):
    path = tmp_path / "besar.txt"
    with path.open("wb") as f:  # sparse: a gigabyte on paper, nothing on disk
        f.truncate(1024**3)
    out, err, code = run(str(path))
    assert code == 2 and out == "" and "terlalu besar" in err


def test_a_crafted_text_over_the_limit_exits_2(tmp_path):
    path = tmp_path / "tanggal.txt"
    path.write_text("Kamis, 10 Maret 2022 Senin (1/11) pemerintah kota " * 5_000, encoding="utf-8")
    out, err, code = run(str(path))
    assert code == 2 and out == "" and "terlalu panjang" in err
