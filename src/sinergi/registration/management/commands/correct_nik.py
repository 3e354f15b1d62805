"""`sinergi correct_nik PESERTA NIK --petugas USERNAME --alasan TEKS`: an officer corrects a saved NIK.

Participants cannot change their NIK once saved; this is the officer's way (national admin, or the
regional admin of the participant's domicile). Exit 0 corrected, 1 refused (the reason on stderr),
2 unknown participant or officer.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from sinergi.accounts.models import User
from sinergi.registration import services
from sinergi.registration.selectors import participants_visible_to

EXIT_REFUSED = 1
EXIT_UNKNOWN = 2


class Command(BaseCommand):
    help = (
        "Koreksi NIK peserta oleh petugas (admin nasional atau admin daerah domisili), "
        "tercatat di jejak audit."
    )

    def add_arguments(self, parser):
        parser.add_argument("participant", type=int, help="nomor (id) peserta")
        parser.add_argument("nik", help="NIK yang benar, 16 digit")
        parser.add_argument("--petugas", required=True, help="nama pengguna petugas yang mengoreksi")
        parser.add_argument("--alasan", required=True, help="alasan koreksi dan dokumen yang diperiksa")

    def handle(self, *args, **options):
        officer = User.objects.filter(username=options["petugas"], is_active=True).first()
        if officer is None:
            message = _("Petugas '%(username)s' tidak ditemukan.") % {"username": options["petugas"]}
            raise CommandError(message, returncode=EXIT_UNKNOWN)
        participant = participants_visible_to(officer).filter(pk=options["participant"]).first()
        if participant is None:
            message = _("Peserta #%(id)s tidak ditemukan di wilayah petugas.") % {
                "id": options["participant"]
            }
            raise CommandError(message, returncode=EXIT_UNKNOWN)
        try:
            participant = services.correct_nik(
                participant=participant, nik=options["nik"], officer=officer, reason=options["alasan"]
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages), returncode=EXIT_REFUSED) from None
        self.stdout.write(f"NIK peserta #{participant.pk} dikoreksi: {participant.masked_nik}.")
