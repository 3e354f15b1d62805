"""`sinergi apply_retention [--dry-run]`: remove the records past their retention period.

The policies per record type: core/retention.py."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from sinergi.core import retention


class Command(BaseCommand):
    help = "Hapus catatan yang melewati masa simpannya (UU 27/2022); --dry-run hanya melaporkan."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Laporkan saja, jangan hapus apa pun.")

    def handle(self, *args, dry_run: bool = False, **options):
        outcomes = retention.apply(dry_run=dry_run)
        title = "Uji coba (tidak ada yang dihapus)" if dry_run else "Masa simpan diterapkan"
        self.stdout.write(title)
        for o in outcomes:
            before = timezone.localtime(o.cutoff).strftime("%d-%m-%Y")
            done = f"akan dihapus {o.count}" if dry_run else f"dihapus {o.removed}"
            self.stdout.write(f"- {o.label}: masa simpan {o.years} tahun, sebelum {before}: {done}")
        self.stdout.write(f"Jumlah: {sum(o.count if dry_run else o.removed for o in outcomes)}")
