"""Forms of the cooperation office: an agreement with its parties and commitments, lifecycle steps,
documents, TKKSD comments, monev rounds and manual measurements. Forms only parse and check shape;
the rules live in services.py, whose errors are put back on the fields they name."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.core.validators import validate_multiline, validate_name, validate_single_line
from sinergi.partnerships import manage_selectors, services
from sinergi.partnerships.metrics import metric_choices
from sinergi.partnerships.models import (
    Agreement,
    AgreementParty,
    AgreementType,
    MonevRound,
    Scheme,
    Status,
    Topic,
)
from sinergi.partnerships.services import CommitmentInput, PartyInput

PDF_ACCEPT = {"accept": "application/pdf,.pdf"}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _date_field(label, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput())


def _amount_field(label, required: bool = True, initial: Any = None) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        initial=initial,
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )


def apply_service_errors(
    form: forms.BaseForm, error: ValidationError, *, extra: list[str] | None = None
) -> None:
    """Put a service's ValidationError on the form: keys that are form fields on those fields, the rest
    (parties, commitments…) in `extra` when given, else as errors of the whole form."""
    for key, messages in error.message_dict.items():
        for message in messages:
            if key in form.fields:
                form.add_error(key, message)
            elif extra is not None:
                extra.append(message)
            else:
                form.add_error(None, message)


class AgreementForm(forms.Form):
    type = forms.ChoiceField(label=_("Jenis"), choices=AgreementType.choices)
    scheme = forms.ChoiceField(label=_("Skema"), choices=Scheme.choices, initial=Scheme.KSDPK)
    title = forms.CharField(label=_("Judul"), max_length=300, validators=[validate_single_line])
    number = forms.CharField(
        label=_("Nomor"), max_length=120, required=False, validators=[validate_single_line]
    )
    region: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Wilayah pemilik"),
        queryset=None,
        help_text=_("Daerah yang mencatat dan memelihara kerja sama ini."),
    )
    parent: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("MoU induk"),
        queryset=None,
        required=False,
        help_text=_("Diisi untuk PKS: MoU yang dilaksanakannya. Kemajuan PKS ikut dihitung ke MoU induk."),
    )
    topics = forms.MultipleChoiceField(
        label=_("Topik"), choices=Topic.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    scope = forms.CharField(
        label=_("Ruang lingkup"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[validate_multiline],
    )
    signed_date = _date_field(_("Tanggal penandatanganan"), required=False)
    signed_place = forms.CharField(
        label=_("Tempat penandatanganan"), max_length=120, required=False, validators=[validate_single_line]
    )
    start_date = _date_field(_("Tanggal mulai"))
    end_date = _date_field(_("Tanggal berakhir"))
    responsible_officers: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Petugas penanggung jawab"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Menerima pengingat 90, 60, 30, 7 dan 0 hari sebelum kerja sama berakhir."),
    )

    def __init__(self, *args: Any, user, agreement: Agreement | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.agreement = agreement
        region_field: Any = self.fields["region"]
        region_field.queryset = manage_selectors.owner_regions(user)
        parent_field: Any = self.fields["parent"]
        parent_field.queryset = manage_selectors.parent_candidates(user, agreement)
        parent_field.error_messages["invalid_choice"] = _(
            "MoU induk tidak dikenal atau tidak dikelola wilayah Anda."
        )
        officers: Any = self.fields["responsible_officers"]
        officers.queryset = manage_selectors.officer_candidates(user)
        officers.label_from_instance = lambda u: u.get_full_name() or u.username
        if region_field.queryset.count() == 1 and not self.is_bound:
            region_field.initial = region_field.queryset.first()

    @classmethod
    def initial_for(cls, agreement: Agreement) -> dict[str, Any]:
        return {
            "type": agreement.type,
            "scheme": agreement.scheme,
            "title": agreement.title,
            "number": agreement.number,
            "region": agreement.region_id,
            "parent": agreement.parent_id,
            "topics": list(agreement.topics),
            "scope": agreement.scope,
            "signed_date": agreement.signed_date,
            "signed_place": agreement.signed_place,
            "start_date": agreement.start_date,
            "end_date": agreement.end_date,
            "responsible_officers": [u.pk for u in agreement.responsible_officers.all()],
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # The services' rules, asked here too so that they show next to their fields at once.
        errors = services.period_errors(data.get("start_date"), data.get("end_date"))
        errors |= services.parent_errors(
            user=self.user, type=data.get("type"), parent=data.get("parent"), agreement=self.agreement
        )
        for field_name, messages in errors.items():
            for message in messages:
                self.add_error(field_name, message)
        return data

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "type": data["type"],
            "scheme": data["scheme"],
            "title": data["title"].strip(),
            "number": data["number"].strip(),
            "region": data["region"],
            "parent": data["parent"],
            "topics": list(data["topics"]),
            "scope": data["scope"].strip(),
            "signed_date": data["signed_date"],
            "signed_place": data["signed_place"].strip(),
            "start_date": data["start_date"],
            "end_date": data["end_date"],
            "responsible_officers": list(data["responsible_officers"]),
        }


def _row_has_input(form: forms.Form, names: tuple[str, ...]) -> bool:
    return any(str(form.data.get(form.add_prefix(name), "")).strip() for name in names)


class PartyForm(forms.Form):
    organization: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Organisasi"),
        queryset=None,
        error_messages={"invalid_choice": _("Pihak tidak dikenal: pilih organisasi dari daftar.")},
    )
    role = forms.ChoiceField(label=_("Peran"), choices=AgreementParty.Role.choices)
    signatory_name = forms.CharField(
        label=_("Nama penanda tangan"), max_length=120, required=False, validators=[validate_name]
    )
    signatory_position = forms.CharField(
        label=_("Jabatan penanda tangan"),
        max_length=120,
        required=False,
        help_text=_("Mis. Wali Kota, Bupati, Sekda, Kepala Badan."),
        validators=[validate_single_line],
    )
    party_number = forms.CharField(
        label=_("Nomor kerja sama pihak"), max_length=120, required=False, validators=[validate_single_line]
    )

    def __init__(self, *args: Any, user, agreement: Agreement | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organization: Any = self.fields["organization"]
        organization.queryset = manage_selectors.party_organizations(user, agreement)

    def has_changed(self) -> bool:
        # A spare row still submits its role select; it counts as filled only once something is typed
        # or an organisation chosen, so blank spare rows are ignored instead of refused.
        return _row_has_input(self, ("organization", "signatory_name", "signatory_position", "party_number"))


class BasePartyFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        chosen = [
            f.cleaned_data["organization"]
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("organization")
        ]
        if len(chosen) < 2:
            raise ValidationError(_("Para pihak: kerja sama harus memiliki sedikitnya dua pihak."))
        if len({o.pk for o in chosen}) < len(chosen):
            raise ValidationError(_("Para pihak: satu organisasi hanya boleh tercatat sekali."))

    def party_inputs(self) -> list[PartyInput]:
        return [
            PartyInput(
                organization_id=f.cleaned_data["organization"].pk,
                role=f.cleaned_data["role"],
                signatory_name=f.cleaned_data["signatory_name"].strip(),
                signatory_position=f.cleaned_data["signatory_position"].strip(),
                party_number=f.cleaned_data["party_number"].strip(),
            )
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]


PartyFormSet = forms.formset_factory(PartyForm, formset=BasePartyFormSet, extra=1, can_delete=True)


def parse_breakdown(text: str) -> dict[str, Any]:
    """'dasar: 5000' per line → {"dasar": 5000}; a value that is not a number stays text (a note)."""
    result: dict[str, Any] = {}
    for line_no, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        key, sep, value = line.partition(":")
        if not sep:
            key, sep, value = line.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key or not value:
            raise ValidationError(
                _("Rincian target baris %(line)s: tulis 'nama: nilai', mis. 'dasar: 5000'.")
                % {"line": line_no}
            )
        number = _parse_number(value)
        if number is None:
            result[key] = value
        else:
            result[key] = int(number) if number == number.to_integral_value() else float(number)
    return result


def _parse_number(value: str) -> Decimal | None:
    """Indonesian writing first: '10.000' is ten thousand and '2,5' is two and a half."""
    if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d+)?", value) or re.fullmatch(r"\d+,\d+", value):
        value = value.replace(".", "").replace(",", ".")
    try:
        return Decimal(value)
    except InvalidOperation:
        return None


def format_breakdown(breakdown: dict[str, Any]) -> str:
    return "\n".join(f"{k}: {v}" for k, v in breakdown.items())


class CommitmentForm(forms.Form):
    pk = forms.IntegerField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(label=_("Komitmen"), max_length=300, validators=[validate_single_line])
    metric_key = forms.ChoiceField(label=_("Metrik"), choices=metric_choices, initial="manual")
    target_value = _amount_field(_("Target"))
    unit = forms.CharField(
        label=_("Satuan"),
        max_length=40,
        help_text=_("Mis. kursi, ASN, UKM."),
        validators=[validate_single_line],
    )
    deadline = _date_field(_("Tenggat"))
    baseline = _amount_field(_("Nilai awal"), required=False, initial=0)
    weight = _amount_field(_("Bobot"), required=False, initial=1)
    breakdown = forms.CharField(
        label=_("Rincian target"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Satu baris per bagian, mis. 'dasar: 5000'."),
    )

    def has_changed(self) -> bool:
        return _row_has_input(self, ("pk", "title", "target_value", "unit", "deadline", "breakdown"))

    def clean_breakdown(self) -> dict[str, Any]:
        return parse_breakdown(self.cleaned_data.get("breakdown") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        target, baseline = data.get("target_value"), data.get("baseline") or Decimal(0)
        if target is not None and target <= baseline:
            self.add_error("target_value", _("Target harus lebih besar dari nilai awal."))
        weight = data.get("weight")
        if weight is not None and weight < 0:
            self.add_error("weight", _("Bobot tidak boleh negatif."))
        return data


class BaseCommitmentFormSet(forms.BaseFormSet):
    def commitment_inputs(self) -> list[CommitmentInput]:
        rows = []
        for f in self.forms:
            data = f.cleaned_data
            if not data or data.get("DELETE"):
                continue
            rows.append(
                CommitmentInput(
                    title=data["title"].strip(),
                    target_value=data["target_value"],
                    unit=data["unit"].strip(),
                    deadline=data["deadline"],
                    metric_key=data["metric_key"],
                    baseline=data.get("baseline") or Decimal(0),
                    weight=data["weight"] if data.get("weight") is not None else Decimal(1),
                    breakdown=data.get("breakdown") or {},
                    pk=data.get("pk"),
                )
            )
        return rows


CommitmentFormSet = forms.formset_factory(
    CommitmentForm, formset=BaseCommitmentFormSet, extra=1, can_delete=True
)


def commitment_initial(agreement: Agreement) -> list[dict[str, Any]]:
    return [
        {
            "pk": c.pk,
            "title": c.title,
            "metric_key": c.metric_key,
            "target_value": c.target_value,
            "unit": c.unit,
            "deadline": c.deadline,
            "baseline": c.baseline,
            "weight": c.weight,
            "breakdown": format_breakdown(c.breakdown),
        }
        for c in agreement.commitments.all()
    ]


def party_initial(agreement: Agreement) -> list[dict[str, Any]]:
    return [
        {
            "organization": p.organization_id,
            "role": p.role,
            "signatory_name": p.signatory_name,
            "signatory_position": p.signatory_position,
            "party_number": p.party_number,
        }
        for p in agreement.parties.all()
    ]


class TransitionForm(forms.Form):
    # Sent by the button pressed ("Ubah ke …"), so no input of its own is drawn.
    to_status = forms.ChoiceField(label=_("Status baru"), choices=Status.choices, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Alasan"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Alasan wajib diisi untuk mengubah status.")},
    )
    new_end_date = _date_field(_("Tanggal berakhir baru (untuk perpanjangan)"), required=False)
    signed_date = _date_field(_("Tanggal penandatanganan (wajib untuk Berlaku)"), required=False)


class DocumentForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas PDF"),
        widget=forms.ClearableFileInput(attrs=PDF_ACCEPT),
        error_messages={"required": _("Pilih berkas PDF yang akan diunggah.")},
    )


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Komentar"), widget=forms.Textarea(attrs={"rows": 3}))
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    attachment = forms.FileField(
        label=_("Lampiran PDF (opsional)"), required=False, widget=forms.ClearableFileInput(attrs=PDF_ACCEPT)
    )


class MonevForm(forms.Form):
    evaluated_on = _date_field(_("Tanggal evaluasi"))
    period_label = forms.CharField(
        label=_("Periode"), max_length=60, help_text=_("Mis. Semester I 2025 atau Tahun ke-2.")
    )
    recommendation = forms.ChoiceField(
        label=_("Rekomendasi"), choices=MonevRound.Recommendation.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(
        label=_("Bukti PDF (opsional)"), required=False, widget=forms.ClearableFileInput(attrs=PDF_ACCEPT)
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["evaluated_on"].initial = timezone.localdate()


class MeasurementForm(forms.Form):
    value = _amount_field(_("Nilai"))
    evidence_note = forms.CharField(
        label=_("Keterangan bukti"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Dari mana angka ini: dokumen, laporan, tanggal."),
    )
    evidence = forms.FileField(
        label=_("Bukti PDF (opsional)"), required=False, widget=forms.ClearableFileInput(attrs=PDF_ACCEPT)
    )
