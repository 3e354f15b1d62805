"""Helpers shared by the `sinergi` commands that read a file named on the command line."""

import sys
from pathlib import Path


class InputFileError(Exception):
    """The file itself could not be read; the message is for the person at the terminal."""


def read_text_argument(name: str, *, kind: str) -> str:
    """Read a UTF-8 file (or stdin for "-"); `kind` names what was expected, e.g. "teks" or "JSON"."""
    try:
        if name == "-":
            return sys.stdin.buffer.read().decode("utf-8")
        return Path(name).read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise InputFileError(f"Berkas tidak ditemukan: {name}") from None
    except IsADirectoryError:
        raise InputFileError(f"{name} adalah folder, bukan berkas {kind}.") from None
    except PermissionError:
        raise InputFileError(f"Berkas tidak dapat dibuka (izin ditolak): {name}") from None
    except UnicodeDecodeError:
        raise InputFileError(
            f"Berkas {name} bukan teks UTF-8. Simpan ulang sebagai teks UTF-8 lalu coba lagi."
        ) from None
    except OSError as exc:
        raise InputFileError(f"Berkas tidak dapat dibaca: {name} ({exc.strerror or exc})") from None
