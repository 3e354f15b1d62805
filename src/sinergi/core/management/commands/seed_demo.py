import base64
from time import perf_counter

from django.conf import settings
from django.core.management.base import BaseCommand
from django.test.utils import override_settings
from django_otp.oath import TOTP

from sinergi.core.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, seed_foundation
from sinergi.core.registry import DEMO_STEPS


class Command(BaseCommand):
    help = "Isi data demo dari lima artikel sumber (aman dijalankan ulang) dan tampilkan akun demo."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-accounts", action="store_true", help="Jangan cetak daftar akun demo.")

    def handle(self, *args, **options):
        # The demo people are fictional: the notifications the steps trigger (seat offers, certificates)
        # stay in the app's inbox instead of flooding the console or a real mail server.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            _, users = seed_foundation()
            for _order, name, step in DEMO_STEPS:
                started = perf_counter()
                step(self.stdout)
                self.stdout.write(f"· data demo: {name} ({perf_counter() - started:.1f} s)")
        if options["quiet_accounts"]:
            return
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Akun demo (kata sandi untuk semua: {DEMO_PASSWORD})"))
        for user in users:
            self.stdout.write(f"  {user.username:<18} {user.get_role_display():<22} {user.get_full_name()}")
        code = TOTP(base64.b32decode(DEMO_TOTP_SECRET)).token()
        self.stdout.write(
            "admin.nasional memakai verifikasi dua langkah (wajib untuk admin nasional). Tambahkan kunci "
            f"rahasia {DEMO_TOTP_SECRET} ke aplikasi autentikator, atau buat kodenya dengan "
            f"`oathtool --totp -b {DEMO_TOTP_SECRET}`; kode saat ini: {code:06d} (berganti tiap 30 detik)."
        )
        self.stdout.write(f"Buka {settings.SITE_URL}/ lalu masuk dengan salah satu akun di atas.")
