"""Personal-data rights (UU 27/2022 PDP) over participant records: the log of every display of
unmasked identifiers to someone other than the person.

A page that shows a NIK, KK or NIP in full, a birth date or a phone number of people other than the
viewer calls `record_views` with the people and the fields it shows; the person reads those rows on
/peserta/data-saya/ (selectors.data_views_of). The person's own pages are not logged: they see only
their own data."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.utils import timezone

from sinergi.registration.models import Participant, PersonalDataView

Field = PersonalDataView.Field


def viewer_label(user) -> str:
    """Who looked, as the person will read it: the officer's name and office."""
    if not getattr(user, "is_authenticated", False):
        return "Pemegang tautan undangan"
    name = user.get_full_name() or user.get_username()
    office = getattr(user, "organization", None)
    return f"{name} ({office})" if office else name


def record_views(
    viewer,
    shown: Iterable[tuple[Participant, Sequence[str]]],
    *,
    page: str,
    page_title: str,
) -> int:
    """One row per person whose unmasked data the page shows. `shown` is (participant, field codes),
    the codes of the fields that actually carry a value on the page; people shown nothing unmasked,
    and the viewer's own record, leave no row. `page_title` is an Indonesian msgid (gettext_noop at
    the caller). Returns how many rows were written."""
    viewer_id = viewer.pk if getattr(viewer, "is_authenticated", False) else None
    now = timezone.now()
    label = viewer_label(viewer)
    rows = [
        PersonalDataView(
            participant_id=participant.pk,
            viewer_id=viewer_id,
            viewer_name=label[:250],
            fields=list(dict.fromkeys(fields)),
            page=page[:300],
            page_title=page_title[:150],
            viewed_at=now,
        )
        for participant, fields in shown
        if fields and not (viewer_id is not None and participant.user_id == viewer_id)
    ]
    PersonalDataView.objects.bulk_create(rows)
    return len(rows)


def shown_fields(participant: Participant, candidates: Sequence[str]) -> list[str]:
    """The codes among `candidates` for which `participant` has a value (an empty phone shows "—")."""
    present: dict[str, bool] = {
        Field.NIK: bool(participant.nik_encrypted),
        Field.KK: bool(participant.kk_encrypted),
        Field.NIP: bool(participant.nip),
        Field.BIRTH_DATE: participant.birth_date is not None,
        Field.PHONE: bool(participant.phone),
    }
    return [code for code in candidates if present.get(code)]
