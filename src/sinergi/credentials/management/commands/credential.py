"""`sinergi credential verify|export|list`: certificates from the command line.

verify FILE.json [--key KEYFILE]
    Checks the eddsa-rdfc-2022 signature offline: with the public key in KEYFILE (the issuer's
    profile JSON from /credentials/issuers/<id>/, a bare publicKeyMultibase, or a PEM key) or, without
    --key, with the key of the issuer as known in this installation's database. Revocation is checked
    against the issuer's Bitstring Status List as last published and cached in the database (nothing is
    fetched); when the issuer is not in the database, revocation cannot be checked offline and a note
    says so. Exit 0: valid. Exit 1: invalid, tampered, revoked, expired or unknown issuer — the reason
    is printed on stderr. Exit 2: the file could not be read (not UTF-8 JSON, over 256 KB,
    nested too deeply, absurd numbers).
export NUMBER
    Prints the credential's signed JSON exactly as issued.
list [--limit N]
    Prints certificate numbers, newest first, one per line.
"""

from __future__ import annotations

import sys
from typing import NoReturn

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError

from sinergi.core.commandline import InputFileError, read_text_argument
from sinergi.credentials import services, signing
from sinergi.credentials.models import Credential

EXIT_INVALID = 1
EXIT_BAD_INPUT = 2
VERDICTS = {
    services.VALID: "SAH",
    services.REVOKED: "DICABUT",
    services.EXPIRED: "KEDALUWARSA",
    services.TAMPERED: "TIDAK SAH (dimodifikasi)",
    services.UNKNOWN: "TIDAK DIKENAL",
    services.INVALID: "TIDAK SAH",
}


class Command(BaseCommand):
    help = "Verifikasi, ekspor dan daftar sertifikat (Open Badges 3.0)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="verifikasi berkas kredensial JSON secara luring")
        verify.add_argument("file", help="berkas kredensial JSON; '-' untuk stdin")
        verify.add_argument("--key", help="berkas kunci publik penerbit (profil JSON, multibase, atau PEM)")
        export = sub.add_parser("export", help="cetak JSON bertanda tangan sebuah sertifikat")
        export.add_argument("number", help="nomor sertifikat, mis. DTS/2026/PLG/000123")
        listing = sub.add_parser("list", help="cetak nomor sertifikat, satu per baris")
        listing.add_argument("--limit", type=int, default=None, help="jumlah maksimum baris")

    def handle(self, *args, **options) -> None:
        if self.stdout._out is sys.stdout and hasattr(sys.stdout, "reconfigure"):
            sys.stdout.reconfigure(encoding="utf-8")  # Indonesian names survive any terminal locale
        getattr(self, "_" + options["action"])(**options)

    def _verify(self, *, file: str, key: str | None, **_options) -> None:
        try:
            raw = read_text_argument(file, kind="JSON")
            key_raw = signing.load_public_key(read_text_argument(key, kind="kunci")) if key else None
        except (InputFileError, signing.SigningError) as exc:
            self._fail(str(exc), EXIT_BAD_INPUT)
        try:
            document = services.parse_uploaded(raw.encode("utf-8"))
        except ValidationError as exc:
            self._fail(f"Berkas tidak dapat dibaca: {exc.messages[0]}", EXIT_BAD_INPUT)
        try:
            result = services.check_document(document, public_key=key_raw)
        except DatabaseError:
            if key_raw is None:
                self._fail(
                    "Basis data tidak tersedia; berikan --key untuk verifikasi tanpa basis data.",
                    EXIT_BAD_INPUT,
                )
            check = signing.verify_proof(document, key_raw)
            if not check.ok:
                self._fail(f"TIDAK SAH (dimodifikasi): {check.reason}", EXIT_INVALID)
            self.stdout.write(
                "SAH: tanda tangan cocok (status pencabutan tidak diperiksa: basis data tidak tersedia)."
            )
            return
        if not result.is_valid:
            detail = result.reason
            if result.status == services.REVOKED and result.revocation_reason:
                detail += f" Alasan: {result.revocation_reason}"
            self._fail(f"{VERDICTS.get(result.status, 'TIDAK SAH')}: {detail}", EXIT_INVALID)
        line = f"SAH: {result.number} — {result.holder_masked} — {result.programme} ({result.issuer_name})"
        if key_raw is not None and result.credential is None:
            line += " [status pencabutan tidak diperiksa: penerbit tidak dikenal di basis data ini]"
        self.stdout.write(line)

    def _export(self, *, number: str, **_options) -> None:
        credential = Credential.objects.filter(number=number).first()
        if credential is None:
            self._fail(f"Nomor sertifikat tidak terdaftar: {number}", EXIT_INVALID)
        self.stdout.write(credential.document)

    def _list(self, *, limit: int | None, **_options) -> None:
        if limit is not None and limit < 1:
            self._fail("--limit harus bilangan bulat positif.", EXIT_BAD_INPUT)
        numbers = Credential.objects.order_by("-issued_at", "-pk").values_list("number", flat=True)
        for number in numbers[:limit] if limit else numbers.iterator():
            self.stdout.write(number)

    def _fail(self, message: str, code: int) -> NoReturn:
        self.stderr.write(message)
        raise SystemExit(code)
