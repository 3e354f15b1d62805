"""A certificate holder's erasure (registration.privacy.erase): the certificate stays valid.

The holder's name leaves the stored copy and the certificate row; the salted name hash
(identityHash) stays in it, so the holder can still prove the certificate is theirs by showing their
own file or their name with the salt. The stored copy no longer matches its signature byte for byte,
so the digest of the content as signed is kept beside it (verified first), and /verify checks the
proof against that digest: the number and check code still say "valid"."""

from __future__ import annotations

import json

from django.db.models import Model

from sinergi.credentials import signing
from sinergi.credentials.models import Credential
from sinergi.registration.models import Participant
from sinergi.registration.privacy import add_erasure_step


def _redacted(document: dict) -> dict:
    subjects = document.get("credentialSubject")
    for subject in subjects if isinstance(subjects, list) else [subjects]:
        if isinstance(subject, dict):
            subject.pop("name", None)
    return document


def erase_holder(participant: Participant, pseudonym: str) -> list[Model]:
    credentials = list(Credential.objects.filter(enrolment__participant=participant).select_for_update())
    for credential in credentials:
        document = json.loads(credential.document)
        if not credential.signed_digest:
            credential.signed_digest = signing.document_digest(document)
        credential.document = json.dumps(_redacted(document), ensure_ascii=False, separators=(",", ":"))
        credential.holder_name = pseudonym
        if credential.pdf:  # the stored PDF prints the name; a new one is drawn from the row
            credential.pdf.delete(save=False)
        credential.save(update_fields=["document", "signed_digest", "holder_name", "pdf"])
    return list(credentials)


add_erasure_step(erase_holder)
