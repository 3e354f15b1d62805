"""The printable certificate: an A4 landscape PDF in Bahasa Indonesia with a QR code to the public
verification page. Rendered by WeasyPrint from a template and stylesheet in this app (fonts are the
system's DejaVu faces; nothing is fetched), on first download, then kept in storage under a name that
carries the public address its QR and links point to: a copy made under another SITE_URL is never
served, it is rendered again."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import segno
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone

from sinergi.credentials.models import Credential
from sinergi.credentials.services import site_url, verify_url

STYLESHEET = Path(__file__).resolve().parent / "static" / "credentials" / "certificate.css"
MAX_PRINTED_UNITS = 5  # more would push the table into the signature block
MONTHS = [
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
]  # fmt: skip


def tanggal(value: dt.date | dt.datetime) -> str:
    """20 Desember 2026 — the Indonesian long date, whatever the active locale."""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def qr_data_uri(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=4, border=0, dark="#1b2a4a")


def _award_context(credential: Credential) -> dict[str, Any]:
    """An award has no class: the signed document says what it recognises."""
    achievement = credential.signed["credentialSubject"]["achievement"]
    issuer = credential.issuer
    region = issuer.organization.region
    return {
        "credential": credential,
        "is_award": True,
        "holder": credential.holder_name,
        "program": achievement.get("name", ""),
        "award_cycle": achievement.get("fieldOfStudy", ""),
        "award_category": achievement.get("specialization", ""),
        "narrative": achievement.get("criteria", {}).get("narrative", ""),
        "issued_on": tanggal(credential.issued_at),
        "valid_until": "",
        "place": region.name.replace("Kota ", "").replace("Kabupaten ", "") if region else "Jakarta",
        "issuer": issuer.organization.name,
        "signer_name": issuer.signer_name,
        "signer_title": issuer.signer_title,
        "units": [],
        "more_units": 0,
        "verify_url": verify_url(credential),
        "check_code": credential.check_code,
        "qr": qr_data_uri(verify_url(credential)),
        "key_hint": issuer.public_key_multibase[:16] + "…",
    }


def certificate_context(credential: Credential) -> dict[str, Any]:
    enrolment = credential.enrolment
    if enrolment is None:
        return _award_context(credential)
    tclass = enrolment.training_class
    program = tclass.program
    issuer = credential.issuer
    document = credential.signed
    achievement = document["credentialSubject"]["achievement"]
    units = [(a.get("targetCode", ""), a.get("targetName", "")) for a in achievement.get("alignment", [])]
    more_units = max(len(units) - MAX_PRINTED_UNITS, 0)  # the rest are in the credential and on /verify
    place = ""
    region = issuer.organization.region or tclass.region
    if region is not None:
        place = region.name.replace("Kota ", "").replace("Kabupaten ", "").replace("Kab. ", "")
    return {
        "credential": credential,
        "is_competency": credential.kind == Credential.Kind.COMPETENCY,
        "holder": credential.holder_name,
        "program": program.name,
        "level": program.get_level_display(),
        "hours": tclass.hours,
        "academy": program.academy.name,
        "provider": tclass.provider.name,
        "class_name": tclass.name,
        "period": f"{tanggal(tclass.starts_on)} – {tanggal(tclass.ends_on)}",
        "issued_on": tanggal(credential.issued_at),
        "valid_until": tanggal(credential.valid_until) if credential.valid_until else "",
        "place": place,
        "issuer": issuer.organization.name,
        "signer_name": issuer.signer_name,
        "signer_title": issuer.signer_title,
        "units": units[:MAX_PRINTED_UNITS],
        "more_units": more_units,
        "verify_url": verify_url(credential),
        "check_code": credential.check_code,
        "qr": qr_data_uri(verify_url(credential)),
        "key_hint": issuer.public_key_multibase[:16] + "…",
    }


def certificate_html(credential: Credential) -> str:
    return render_to_string("credentials/certificate.html", certificate_context(credential))


def render_pdf(credential: Credential) -> bytes:
    from weasyprint import CSS, HTML

    html = HTML(string=certificate_html(credential), base_url=str(STYLESHEET.parent))
    return html.write_pdf(stylesheets=[CSS(filename=str(STYLESHEET))])


def stored_pdf_name(credential: Credential) -> str:
    """Where the PDF rendered for the current public address is kept."""
    address = hashlib.sha256(site_url().encode()).hexdigest()[:12]
    return f"credentials/{credential.uuid}-{address}.pdf"


def certificate_pdf(credential: Credential) -> bytes:
    """The stored PDF when it was rendered for the current public address; otherwise rendered now and
    stored in place of the old copy."""
    wanted = stored_pdf_name(credential)
    if credential.pdf and credential.pdf.name == wanted:
        try:
            with credential.pdf.open("rb") as handle:
                return handle.read()
        except FileNotFoundError:
            pass  # storage lost the file: render again
    stale = credential.pdf.name if credential.pdf else ""
    content = render_pdf(credential)
    storage = credential.pdf.storage
    if storage.exists(wanted):
        storage.delete(wanted)
    saved = storage.save(wanted, ContentFile(content))
    Credential.objects.filter(pk=credential.pk).update(pdf=saved)
    credential.pdf.name = saved
    if stale and stale != saved:
        storage.delete(stale)
    return content
