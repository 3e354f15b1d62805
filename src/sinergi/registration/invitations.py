"""Invitations for people who arrive by import: they are in the register (NIK, name, domicile…) but have
no account. Everyone with an e-mail address gets a signed link to claim their record: it shows what the
office holds (the NIK masked), asks only for what the import could not supply, and creates the account.

The link is this invitation's id signed with the site's key (django.core.signing, salted), so it cannot
be made up; it works once, for Invitation.VALID_DAYS days, and only while it is the newest invitation of
the person (an officer's re-send replaces it). Nothing about it depends on knowing a NIK, so it is no way
to test NIKs; someone who signs up on their own is joined to the imported record only by the profile's
existing rule (the same NIK *and* the same verified e-mail address, see services.save_profile).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.models import Role
from sinergi.core.audit import record_bulk
from sinergi.core.jobs import enqueue, job_handler
from sinergi.registration.models import Invitation, Participant
from sinergi.registration.selectors import participants_visible_to

SALT = "sinergi.registration.invitations"
SEND = "registration.send_invitations"
User = get_user_model()


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps(invitation.pk, salt=SALT, compress=False)


def invitation_link(invitation: Invitation) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("registration:claim", args=[invitation_token(invitation)])


def _unclaimed(qs: QuerySet[Participant]) -> QuerySet[Participant]:
    return qs.filter(user__isnull=True)


def invite(participant_ids: Iterable[int], *, actor, only_new: bool = False) -> int:
    """Write (and queue the e-mails of) one invitation per unclaimed participant with an address; each
    replaces the person's earlier ones. only_new: skip people who already have a live invitation (an
    import run again). Returns how many invitations were written."""
    now = timezone.now()
    people = list(_unclaimed(Participant.objects.filter(pk__in=list(participant_ids))).exclude(email=""))
    if only_new:
        live = set(
            Invitation.objects.filter(
                participant__in=people, used_at__isnull=True, replaced_at__isnull=True, expires_at__gt=now
            ).values_list("participant_id", flat=True)
        )
        people = [p for p in people if p.pk not in live]
    if not people:
        return 0
    with transaction.atomic():
        Invitation.objects.filter(
            participant__in=people, used_at__isnull=True, replaced_at__isnull=True
        ).update(replaced_at=now)
        made = Invitation.objects.bulk_create(
            Invitation(
                participant=p,
                email=p.email,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
                expires_at=now + timedelta(days=Invitation.VALID_DAYS),
            )
            for p in people
        )
        record_bulk(
            actor=actor,
            target=Invitation,
            operation=_("undangan akun peserta impor"),
            counts={"dikirim": len(made)},
        )
        enqueue(SEND, user=actor, invitations=[i.pk for i in made])
    return len(made)


def invite_visible(user, participant_ids: Iterable[int]) -> int:
    """The officer's (re-)send: only people this officer may see."""
    visible = participants_visible_to(user).filter(pk__in=list(participant_ids)).values_list("pk", flat=True)
    return invite(list(visible), actor=user)


@job_handler(SEND)
def send_invitations_job(job, *, invitations: list[int]) -> dict[str, Any]:
    return {"sent": send_invitations(invitations)}


def send_invitations(invitation_ids: list[int]) -> int:
    """Send each invitation once: it is claimed (sent_at) before sending, released if sending fails."""
    sent = 0
    mail = get_connection()
    for pk in invitation_ids:
        if not Invitation.objects.filter(pk=pk, sent_at__isnull=True).update(sent_at=timezone.now()):
            continue
        invitation = Invitation.objects.select_related("participant").get(pk=pk)
        body = render_to_string(
            "registration/email_invitation.txt",
            {
                "name": invitation.participant.full_name,
                "link": invitation_link(invitation),
                "days": Invitation.VALID_DAYS,
                "expires": timezone.localtime(invitation.expires_at),
            },
        )
        message = EmailMessage(
            _("Undangan: aktifkan akun Sinergi Anda"),
            body,
            None,
            [invitation.email],
            headers={"X-Sinergi-Key": f"invitation:{pk}"},
            connection=mail,
        )
        try:
            message.send()
        except Exception:
            Invitation.objects.filter(pk=pk).update(sent_at=None)
            raise
        sent += 1
    return sent


INVALID = _(
    "Tautan undangan ini tidak berlaku: salah salin, sudah dipakai, sudah diganti undangan yang lebih "
    "baru, atau lebih dari 14 hari. Minta admin daerah mengirim ulang undangan."
)


def invitation_from_token(token: str) -> Invitation:
    """The live invitation the link was made for, or ValidationError (one message for every reason)."""
    try:
        pk = signing.loads(token, salt=SALT, max_age=timedelta(days=Invitation.VALID_DAYS))
    except signing.BadSignature:
        raise ValidationError(INVALID) from None
    invitation = Invitation.objects.select_related("participant__domicile").filter(pk=pk).first()
    if (
        invitation is None
        or invitation.used_at is not None
        or invitation.replaced_at is not None
        or invitation.expires_at <= timezone.now()
        or invitation.participant.user_id is not None
    ):
        raise ValidationError(INVALID)
    return invitation


def missing_fields(participant: Participant) -> list[str]:
    """What the claim asks besides the password: only what the import left empty."""
    missing = []
    if not participant.phone:
        missing.append("phone")
    if not participant.education:
        missing.append("education")
    if participant.consent_version != settings.PRIVACY_NOTICE_VERSION:
        missing.append("consent")
    return missing


@transaction.atomic
def claim(token: str, *, password: str, phone: str = "", education: str = "", consent: bool = False):
    """Create the account of an invited participant and mark the invitation used. Returns the user."""
    invitation = invitation_from_token(token)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    participant = Participant.objects.select_for_update().get(pk=invitation.participant_id)
    if invitation.used_at is not None or participant.user_id is not None:
        raise ValidationError(INVALID)
    missing = missing_fields(participant)
    if "consent" in missing and not consent:
        raise ValidationError({"consent": _("Centang persetujuan pemberitahuan privasi untuk melanjutkan.")})
    email = User.objects.normalize_email(invitation.email).lower()
    if (
        User.objects.filter(email__iexact=email).exists()
        or User.objects.filter(username__iexact=email).exists()
    ):
        # The invitee owns the address (they opened this link): their existing account takes the record
        # over when they save their profile with this NIK.
        raise ValidationError(
            _(
                "Alamat e-mail ini sudah memiliki akun Sinergi. Masuk dengan akun itu dan lengkapi profil "
                "dengan NIK Anda: data dari kantor akan tergabung otomatis."
            )
        )
    now = timezone.now()
    first, _sep, last = participant.full_name.partition(" ")
    user = User(
        username=email,
        email=email,
        role=Role.PARTICIPANT,
        is_active=True,
        email_confirmed_at=now,  # the link reached this address
        first_name=first[:150],
        last_name=last[:150],
    )
    user.set_password(password)
    user.save()
    participant.user = user
    fields = ["user", "updated_at"]
    if "phone" in missing and phone:
        participant.phone = phone.strip()
        fields.append("phone")
    if "education" in missing and education:
        participant.education = education
        fields.append("education")
    if "consent" in missing:
        participant.consent_version = settings.PRIVACY_NOTICE_VERSION
        participant.consented_at = now
        fields += ["consent_version", "consented_at"]
    participant.save(update_fields=fields)
    invitation.used_at = now
    invitation.save(update_fields=["used_at"])
    LogEntry.objects.log_create(
        participant,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        actor=user,
        changes={"user": ["", str(user.pk)]},
        additional_data={"event": "invitation_claimed", "invitation": invitation.pk},
    )
    return user


def imported_without_account(user) -> QuerySet[Participant]:
    """The officer's list: people in their scope who have no account yet, newest invitation first."""
    return _unclaimed(participants_visible_to(user)).order_by("full_name", "pk")


def latest_invitations(participants: Iterable[Participant]) -> dict[int, Invitation]:
    latest: dict[int, Invitation] = {}
    for invitation in Invitation.objects.filter(participant__in=list(participants)).order_by(
        "created_at", "pk"
    ):
        latest[invitation.participant_id] = invitation
    return latest
