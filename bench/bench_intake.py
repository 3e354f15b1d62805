"""Intake extraction time against text length (issue 12: crafted text took minutes; 30,000 characters
took 15 s inside a web request).

    .venv/bin/python bench/bench_intake.py            # 10k, 30k, 100k, 300k characters
    .venv/bin/python bench/bench_intake.py --quick    # 10k, 30k, 100k

Texts: `news` repeats the test corpus's articles; `dates` is one endless sentence of date-like
phrases; `organisations` and `people` repeat names and titles without a full stop. Baseline: one
linear pass over the same text (`re.findall(r"\\w+", text)`, i.e. tokenising), timed in the same run.
`µs/char` and `× baseline` stay flat when the cost is linear; the run fails when extraction per
character at the largest size is more than 3× that at 10k (a quadratic part would make it 30×).
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from sinergi.intake.extract import extract  # noqa: E402

CORPUS = REPO / "tests" / "intake" / "corpus"
TODAY = dt.date(2026, 12, 1)


def _repeat(phrase: str, n: int) -> str:
    return (phrase * (n // len(phrase) + 1))[:n]


def news(n: int) -> str:
    articles = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    return _repeat("\n\n".join(articles) + "\n\n", n)


TEXTS = {
    "news": news,
    "dates": lambda n: _repeat("Kamis, 10 Maret 2022 Senin (1/11) 12/09/2023 pada hari Senin ", n),
    "organisations": lambda n: _repeat(
        "Pemerintah Kota Makassar dan Kementerian Komunikasi dan Informatika ", n
    ),
    "people": lambda n: _repeat(
        "Wali Kota Makassar Syamsul Rizal dan Kepala Balitbang SDM Bambang Pratomo ", n
    ),
}


def best_of(repeat: int, function, *args) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function(*args)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip 300k characters")
    args = parser.parse_args()
    sizes = [10_000, 30_000, 100_000] + ([] if args.quick else [300_000])
    extract(news(5_000), today=TODAY)  # load the gazetteer and alias tables once
    token = re.compile(r"\w+")
    columns = ("chars", "extract s", "µs/char", "baseline s", "× baseline")
    print(f"{'text':14s} " + " ".join(f"{c:>{w}s}" for c, w in zip(columns, (8, 10, 8, 11, 11), strict=True)))
    failed = []
    for name, make in TEXTS.items():
        per_char = []
        for size in sizes:
            text = make(size)
            seconds = best_of(1 if size > 30_000 else 3, lambda t=text: extract(t, today=TODAY))
            baseline = best_of(5, lambda t=text: len(token.findall(t)))
            per_char.append(seconds / size)
            print(
                f"{name:14s} {size:8,d} {seconds:10.2f} {seconds / size * 1e6:8.1f} "
                f"{baseline:11.4f} {seconds / baseline:11.0f}",
                flush=True,
            )
        growth = per_char[-1] / per_char[0]
        print(f"{name:14s} cost per character at {sizes[-1]:,} / at {sizes[0]:,}: {growth:.2f}")
        if growth > 3:
            failed.append(name)
    if failed:
        print("super-linear:", ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
