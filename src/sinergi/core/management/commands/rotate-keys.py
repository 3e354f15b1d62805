"""`sinergi rotate-keys [--batch N]`: re-encrypt NIK/KK numbers and issuers' signing keys under the
first key of their key lists (procedure and resumption: core/rotation.py, docs/personal-data.md)."""

from django.core.management.base import BaseCommand, CommandError

from sinergi.core import rotation


class Command(BaseCommand):
    help = "Enkripsi ulang NIK/KK dan kunci tanda tangan penerbit dengan kunci terbaru; dapat dilanjutkan."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=rotation.BATCH, help="Baris per transaksi.")

    def handle(self, *args, batch: int, **options):
        if batch < 1:
            raise CommandError("--batch harus bilangan bulat positif.")
        job, report = rotation.rotate(
            batch=batch, after_batch=lambda name, last: self.stdout.write(f"  {name}: sampai id {last}")
        )
        for p in report:
            resumed = f" (dilanjutkan setelah id {p.resumed_after})" if p.resumed_after else ""
            self.stdout.write(f"- {p.name}: {p.rows} baris dienkripsi ulang{resumed}")
        self.stdout.write(
            f"Rotasi kunci selesai (pekerjaan #{job.pk}). Kunci lama boleh dilepas dari daftar."
        )
