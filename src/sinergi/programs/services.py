"""Writes of the programme management pages. Each runs in one transaction after its form has been
fully validated, so a refused change leaves nothing half-saved."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.models import User
from sinergi.accounts.scoping import scope_for
from sinergi.core.audit import record_action
from sinergi.programs.models import Batch, EligibilityRule, Program, TrainingClass

if TYPE_CHECKING:
    from sinergi.programs.forms import BatchForm, RuleForm


def _refuse_if_allocated(batch: Batch) -> None:
    if batch.status == Batch.Status.ALLOCATED:
        raise ValidationError(
            _(
                "Kursi gelombang “%(batch)s” sudah dibagi; program, kelas dan aturannya "
                "tidak dapat diubah lagi."
            )
            % {"batch": batch.name}
        )


@transaction.atomic
def save_batch(form: BatchForm, *, user: User) -> Batch:
    batch = form.save(commit=False)
    if not scope_for(user).covers_region(batch.region):
        raise ValidationError(_("Wilayah gelombang berada di luar wilayah Anda."))
    batch.save()
    return batch


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%d-%m-%Y %H:%M")


@transaction.atomic
def close_registration(batch: Batch, *, user, reason: str = "", now=None) -> Batch:
    """Close a batch's registration window now: the status and the closing time move together (the
    only write that sets "closed" early), so the allocation's inputs can be frozen straight after."""
    batch = Batch.objects.select_for_update().get(pk=batch.pk)
    if not scope_for(user).covers_region(batch.region):
        raise ValidationError(_("Wilayah gelombang berada di luar wilayah Anda."))
    now = now or timezone.now()
    if batch.status == Batch.Status.ALLOCATED:
        raise ValidationError(_("Kursi gelombang ini sudah dibagi; pendaftarannya sudah lama ditutup."))
    if batch.status == Batch.Status.DRAFT:
        raise ValidationError(
            _("Gelombang ini masih draf dan belum pernah dibuka, jadi tidak ada pendaftaran untuk ditutup.")
        )
    if batch.status == Batch.Status.CLOSED:
        raise ValidationError(
            _("Pendaftaran gelombang ini sudah ditutup pada %(when)s.")
            % {"when": _when(batch.registration_closes)}
        )
    if batch.registration_opens >= now:
        raise ValidationError(
            _(
                "Pendaftaran gelombang ini baru dibuka %(when)s; ubah tanggal gelombang bila "
                "pendaftaran tidak jadi dibuka."
            )
            % {"when": _when(batch.registration_opens)}
        )
    old_status, old_closes = batch.get_status_display(), batch.registration_closes
    batch.registration_closes = min(old_closes, now)
    batch.status = Batch.Status.CLOSED
    batch.save(update_fields=["registration_closes", "status"])
    record_action(
        actor=user,
        target=batch,
        operation=_("Pendaftaran ditutup"),
        changes={
            _("status"): (old_status, batch.get_status_display()),
            _("pendaftaran ditutup"): (_when(old_closes), _when(batch.registration_closes)),
        },
        reason=(reason or "").strip(),
    )
    return batch


@transaction.atomic
def save_program(form, batch: Batch, *, user) -> Program:
    from sinergi.partnerships.selectors import link_refused, refused_links

    _refuse_if_allocated(batch)
    current = list(form.instance.agreements.values_list("pk", flat=True)) if form.instance.pk else []
    refused = refused_links(user, form.cleaned_data.get("agreements") or [], already_linked=current)
    if refused:
        raise ValidationError({"agreements": [link_refused(a.pk) for a in refused]})
    program = form.save(commit=False)
    program.batch = batch
    program.region = batch.region
    program.save()
    form.save_m2m()
    return program


@transaction.atomic
def save_class(form, program: Program) -> TrainingClass:
    _refuse_if_allocated(program.batch)
    training_class = form.save(commit=False)
    training_class.program = program
    training_class.save()
    return training_class


@transaction.atomic
def save_rule(form: RuleForm, program: Program, *, rule: EligibilityRule | None = None) -> EligibilityRule:
    _refuse_if_allocated(program.batch)
    if rule is None:
        rule = EligibilityRule(program=program, kind=form.kind)
    rule.params = form.params()
    rule.save()
    return rule


@transaction.atomic
def delete_rule(rule: EligibilityRule) -> None:
    _refuse_if_allocated(rule.program.batch)
    rule.delete()
