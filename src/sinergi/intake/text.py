"""Segmenting a pasted news article into lines and sentences without losing character offsets.

Every later stage reports spans into the *original* text, so nothing here rewrites the text: we only
compute (start, end) pairs and flags (title, boilerplate, duplicate, dateline).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

# No real sentence is this long (the corpus's longest is under 400 characters). Longer runs without a
# full stop (pasted tables, text with no punctuation, crafted input) are cut into pieces of at most
# this size, so every later per-sentence scan costs a bounded amount and extraction stays linear in
# the length of the text.
MAX_SENTENCE_CHARS = 1000


@dataclass(frozen=True)
class Span:
    start: int
    end: int

    def as_list(self) -> list[int]:
        return [self.start, self.end]


@dataclass
class Sentence:
    index: int
    start: int
    end: int
    text: str
    line: int
    is_title: bool = False
    # Position among body sentences (0 = lead); titles and boilerplate get -1.
    body_index: int = -1
    _found: dict[re.Pattern[str], bool] = field(default_factory=dict, repr=False, compare=False)

    def has(self, pattern: re.Pattern[str]) -> bool:
        """Whether the pattern occurs in this sentence, scanned once however many mentions ask."""
        found = self._found.get(pattern)
        if found is None:
            found = self._found[pattern] = pattern.search(self.text) is not None
        return found


@dataclass
class Document:
    text: str
    sentences: list[Sentence] = field(default_factory=list)
    # Sentences usable as evidence (not boilerplate, not an exact repeat of an earlier line).
    body: list[Sentence] = field(default_factory=list)
    titles: list[Sentence] = field(default_factory=list)
    lines: list[tuple[int, int]] = field(default_factory=list)
    ignored_lines: list[tuple[int, int]] = field(default_factory=list)
    _sentence_starts: list[int] = field(default_factory=list, repr=False)
    _line_starts: list[int] = field(default_factory=list, repr=False)
    _ignored_starts: list[int] = field(default_factory=list, repr=False)

    def sentence_at(self, pos: int) -> Sentence | None:
        # Sentences are in text order and do not overlap: a binary search, not a scan per lookup.
        i = bisect.bisect_right(self._sentence_starts, pos) - 1
        if i >= 0 and pos < self.sentences[i].end:
            return self.sentences[i]
        return None

    def line_at(self, pos: int) -> tuple[int, int] | None:
        i = bisect.bisect_right(self._line_starts, pos) - 1
        if i >= 0 and pos < self.lines[i][1]:
            return self.lines[i]
        return None

    def is_ignored(self, pos: int) -> bool:
        i = bisect.bisect_right(self._ignored_starts, pos) - 1
        return i >= 0 and pos < self.ignored_lines[i][1]

    def _index(self) -> None:
        self._sentence_starts = [s.start for s in self.sentences]
        self._line_starts = [a for a, _ in self.lines]
        self._ignored_starts = [a for a, _ in self.ignored_lines]


# Lines that belong to the web page around the article, not to the article. These are the usual
# Indonesian news-site widgets ("Baca juga" links carry another article's headline, which would
# otherwise leak organisations and numbers into the extraction).
_BOILERPLATE = re.compile(
    r"^\s*(?:[•·\-*]\s*)?(?:baca\s+juga|tag(?:s)?(?:\s+berita)?\s*:|berita\s+terkait|artikel\s+terkait|"
    r"pos\s+terkait|berita\s+terkini|berita\s+lainnya|tinggalkan\s+balasan|alamat\s+email|banner\b|"
    r"bagikan\b|share\b|to\s+top\b|search\b|facebook\b|twitter\b|instagram\b|whatsapp\b|telegram\b|"
    r"editor\s*:|penulis\s*:|reporter\s*:|pewarta\s*:|sumber\s*:|copyright|©|hak\s+cipta|"
    r"simak\s+berita|ikuti\s+kami|klik\s+di\s*sini|lihat\s+juga|komentar\b|iklan\b|advertisement)",
    re.IGNORECASE,
)

# Abbreviations after which a full stop does not end a sentence (titles, degrees, initials).
_ABBREV = {
    "dr",
    "drs",
    "dra",
    "ir",
    "h",
    "hj",
    "prof",
    "st",
    "no",
    "jl",
    "kec",
    "kab",
    "dkk",
    "dll",
    "tbk",
    "s",
    "m",
    "sc",
    "eng",
    "kom",
    "si",
    "pd",
    "sh",
    "mh",
    "ak",
    "mm",
    "mt",
    "ph",
    "bpk",
    "sdr",
    "ny",
    "tn",
    "kh",
    "moh",
    "muh",
    "rp",
    "vs",
    "a",
    "b",
    "c",
    "d",
    "e",
    "f",
    "g",
    "i",
    "j",
    "k",
    "l",
    "n",
    "o",
    "p",
    "q",
    "r",
    "t",
    "u",
    "v",
    "w",
    "x",
    "y",
    "z",
    "prov",
    "kel",
    "ds",
    "sos",
    "ag",
    "ikom",
    "psi",
    "kes",
    "hum",
    "ip",
    "kep",
    "pt",
    "cv",
    "yth",
    "bapak",
    "ibu",
}

# A sentence end starts at the first mark of a run ("...", "?!"): without the look-behind a long run of
# dots is re-scanned from every dot in it.
_SENT_END = re.compile(r"(?<![.!?])[.!?]+[\"”’')\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")
_LAST_WORD = re.compile(r"([A-Za-z]+)$")
_ABBREV_WINDOW = 16
_WORD = re.compile(r"[A-Za-zÀ-ÿ]+")
_DATE_ONLY_LINE = re.compile(
    r"^[\W\d_]*(?:senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu)?[\W\d_]*$", re.I
)


def _is_title_like(line: str) -> bool:
    stripped = line.strip()
    words = stripped.split()
    if not 3 <= len(words) <= 25:
        return False
    if stripped[-1:] in '.!?"”':
        return False
    if not stripped[:1].isupper() and not stripped[:1].isdigit():
        return False
    # Photo captions and credits are not headlines.
    if re.search(r"\b(foto|istimewa|dok\.|ilustrasi)\b", stripped, re.I):
        return False
    return True


def segment(text: str) -> Document:
    """Split text into lines and sentences, marking headline-like lines and page boilerplate."""
    doc = Document(text=text)
    seen_lines: set[str] = set()
    pos = 0
    line_no = 0
    body_seen = 0
    nonempty_seen = 0
    for raw in text.splitlines(keepends=True):
        start, end = pos, pos + len(raw.rstrip("\r\n"))
        pos += len(raw)
        line = text[start:end]
        if not line.strip():
            continue
        line_no += 1
        nonempty_seen += 1
        doc.lines.append((start, end))
        norm = " ".join(line.split()).lower()
        if _BOILERPLATE.match(line) or norm in seen_lines or len(_WORD.findall(line)) == 0:
            doc.ignored_lines.append((start, end))
            continue
        seen_lines.add(norm)
        # Headlines sit before the body starts; a body paragraph ends with punctuation.
        title = body_seen == 0 and nonempty_seen <= 12 and _is_title_like(line)
        if title:
            s = Sentence(len(doc.sentences), start, end, line, line_no, is_title=True)
            doc.sentences.append(s)
            doc.titles.append(s)
            continue
        for a, b in _split_sentences(line):
            s = Sentence(len(doc.sentences), start + a, start + b, line[a:b], line_no)
            if not _DATE_ONLY_LINE.match(s.text) and len(s.text.split()) >= 3:
                s.body_index = body_seen
                body_seen += 1
            doc.sentences.append(s)
            doc.body.append(s)
    doc._index()
    return doc


def _rstripped_end(line: str, end: int) -> int:
    """len(line[:end].rstrip()) without copying the line."""
    while end > 0 and line[end - 1].isspace():
        end -= 1
    return end


def _split_sentences(line: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    begin = 0
    for m in _SENT_END.finditer(line):
        # The token just before the full stop decides whether it is an abbreviation. Looking at a
        # short window (longer than any abbreviation) keeps a long line of "Dr. Dr. …" linear.
        before = line[max(begin, m.start() - _ABBREV_WINDOW) : m.start()]
        last = _LAST_WORD.findall(before)
        if m.group(0).startswith(".") and last and last[0].lower() in _ABBREV and m.group(0).strip() == ".":
            continue
        cut = m.end()
        out.append((begin, _rstripped_end(line, cut)))
        begin = cut
    if begin < len(line):
        out.append((begin, _rstripped_end(line, len(line))))
    # Trim leading spaces of each piece.
    trimmed = []
    for a, b in out:
        while a < b and line[a].isspace():
            a += 1
        while b - a > MAX_SENTENCE_CHARS:
            # Cut at the last space of the allowed stretch (a word is never split unless it alone is
            # longer than the limit).
            cut = line.rfind(" ", a + MAX_SENTENCE_CHARS // 2, a + MAX_SENTENCE_CHARS)
            cut = cut if cut > a else a + MAX_SENTENCE_CHARS
            trimmed.append((a, len(line[:cut].rstrip())))
            a = cut
            while a < b and line[a].isspace():
                a += 1
        if a < b:
            trimmed.append((a, b))
    return trimmed
