"""Writes of the programme management pages. Each runs in one transaction after its form has been
fully validated, so a refused change leaves nothing half-saved."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sinergi.accounts.scoping import scope_for
from sinergi.programs.models import Batch, EligibilityRule, Program, TrainingClass


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
def save_batch(form, user) -> Batch:
    batch = form.save(commit=False)
    if not scope_for(user).covers_region(batch.region):
        raise ValidationError(_("Wilayah gelombang berada di luar wilayah Anda."))
    batch.save()
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
def save_rule(form, program: Program, rule: EligibilityRule | None = None) -> EligibilityRule:
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
