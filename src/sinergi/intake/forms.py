"""Forms for intake: the source (text or file) and the review of a draft (agreement, parties,
commitments). Messages are Indonesian and name the field (and the row, for parties and commitments)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import Organization
from sinergi.intake.services import MAX_UPLOAD_BYTES
from sinergi.partnerships import services as partnership_services
from sinergi.partnerships.metrics import metric_choices
from sinergi.partnerships.models import AgreementParty, AgreementType, Scheme, Status, Topic
from sinergi.regions.models import Region

NEW = "baru"
SKIP = "abaikan"
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# The statuses a confirmed draft may start in; later ones (Selesai, Diperpanjang…) come through the lifecycle.
CREATABLE_STATUSES = (Status.USULAN, Status.PEMBAHASAN, Status.MENUNGGU_TTD, Status.BERLAKU)


class SourceForm(forms.Form):
    text = forms.CharField(
        label=_("Teks berita atau naskah"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
        help_text=_("Tempelkan satu berita atau satu naskah kerja sama berbahasa Indonesia."),
    )
    file = forms.FileField(
        label=_("atau unggah berkas PDF/DOCX"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".pdf,.docx,application/pdf,"
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
        ),
        help_text=_("Paling besar 5 MB. PDF hasil pindaian (gambar) tidak dapat dibaca."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        text, upload = (data.get("text") or ""), data.get("file")
        if upload and text.strip():
            raise forms.ValidationError(
                _("Pilih salah satu: tempelkan teks atau unggah berkas, jangan keduanya.")
            )
        if not upload and not text.strip() and not self.errors:
            self.add_error(
                "text", _("Teks kosong. Tempelkan isi berita atau naskah kerja sama, atau unggah berkas.")
            )
        if upload and upload.size > MAX_UPLOAD_BYTES:
            self.add_error(
                "file",
                _("Berkas terlalu besar (%(size).1f MB; batas 5 MB).") % {"size": upload.size / 1024 / 1024},
            )
        return data


def region_choices() -> list[tuple[str, str]]:
    rows = Region.objects.filter(level__in=("province", "regency", "city")).values_list("code", "name")
    return [("", gettext("Nasional (tanpa wilayah)"))] + [(code, f"{name} ({code})") for code, name in rows]


class AgreementDraftForm(forms.Form):
    title = forms.CharField(label=_("Judul"), max_length=300)
    type = forms.ChoiceField(label=_("Jenis"), choices=AgreementType.choices)
    status = forms.ChoiceField(label=_("Status"), choices=[(s.value, s.label) for s in CREATABLE_STATUSES])
    scheme = forms.ChoiceField(label=_("Skema"), choices=Scheme.choices, initial=Scheme.KSDPK)
    signed_date = forms.DateField(label=_("Tanggal penandatanganan"), required=False, widget=DATE_WIDGET)
    signed_place = forms.CharField(label=_("Tempat penandatanganan"), max_length=120, required=False)
    start_date = forms.DateField(label=_("Tanggal mulai"), widget=DATE_WIDGET)
    end_date = forms.DateField(label=_("Tanggal berakhir"), widget=DATE_WIDGET)
    topics = forms.MultipleChoiceField(
        label=_("Topik"), choices=Topic.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    region = forms.ModelChoiceField(
        label=_("Wilayah pemilik"),
        queryset=Region.objects.none(),
        required=False,
        help_text=_("Wilayah yang mengelola kerja sama ini."),
    )
    confirm = forms.BooleanField(
        label=_("Saya sudah memeriksa draf ini terhadap teks sumber dan ingin membuat kerja sama."),
        required=False,
    )

    def __init__(self, *args: Any, regions, region_required: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = self.fields["region"]
        assert isinstance(region, forms.ModelChoiceField)
        region.queryset = regions
        region.required = region_required
        region.empty_label = gettext("— pilih wilayah —")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # The agreement rules of partnerships.services, shown on this form's fields before saving.
        errors = partnership_services.period_errors(data.get("start_date"), data.get("end_date"))
        if data.get("status"):
            errors |= partnership_services.signing_errors(data["status"], data.get("signed_date"))
        for field_name, messages in errors.items():
            for message in messages:
                self.add_error(field_name, message)
        return data


class PartyForm(forms.Form):
    organization = forms.ChoiceField(label=_("Organisasi"), required=False)
    role = forms.ChoiceField(
        label=_("Peran"), choices=AgreementParty.Role.choices, initial=AgreementParty.Role.OTHER
    )
    new_name = forms.CharField(label=_("Nama organisasi baru"), max_length=200, required=False)
    new_kind = forms.ChoiceField(
        label=_("Jenis organisasi baru"), choices=Organization.Kind.choices, required=False
    )
    new_region = forms.ChoiceField(label=_("Wilayah organisasi baru"), required=False)
    signatory_name = forms.CharField(label=_("Nama penanda tangan"), max_length=120, required=False)
    signatory_position = forms.CharField(label=_("Jabatan penanda tangan"), max_length=120, required=False)

    def __init__(self, *args: Any, org_choices, regions: list[tuple[str, str]], row: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.row = row
        cast(forms.ChoiceField, self.fields["organization"]).choices = org_choices
        cast(forms.ChoiceField, self.fields["new_region"]).choices = regions

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        choice = data.get("organization") or ""
        if choice == NEW:
            for name in ("new_name", "new_kind"):
                if not (data.get(name) or "").strip():
                    self.add_error(name, _("Wajib diisi untuk membuat organisasi baru."))
        if choice == "" and not self.empty_permitted:
            self.add_error(
                "organization", _("Pilih organisasi yang ada, buat organisasi baru, atau abaikan pihak ini.")
            )
        return data

    @property
    def is_party(self) -> bool:
        return self.cleaned_data.get("organization") not in (None, "", SKIP)


class BasePartyFormSet(forms.BaseFormSet):
    def __init__(
        self,
        *args: Any,
        per_form: list[dict[str, Any]],
        extra_kwargs: dict[str, Any],
        extra_rows: int = 1,
        **kw: Any,
    ) -> None:
        self.per_form, self.extra_kwargs = per_form, extra_kwargs
        # Enough blank rows to reach the two parties every agreement needs when the text named fewer.
        self.extra = extra_rows
        super().__init__(*args, **kw)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        base = self.per_form[index] if index is not None and index < len(self.per_form) else self.extra_kwargs
        return {**base, "row": (index or 0) + 1}

    def clean(self) -> None:
        if any(self.errors):
            return
        chosen = [f for f in self.forms if f.cleaned_data and f.is_party]
        if len(chosen) < 2:
            raise forms.ValidationError(
                _(
                    "Para pihak: kerja sama harus memiliki sedikitnya dua pihak. "
                    "Pilih atau buat organisasinya."
                )
            )
        seen: dict[str, int] = {}
        for f in chosen:
            choice = f.cleaned_data["organization"]
            if choice == NEW:
                continue
            if choice in seen:
                raise forms.ValidationError(
                    _("Para pihak: baris %(a)d dan %(b)d memilih organisasi yang sama.")
                    % {"a": seen[choice], "b": f.row}
                )
            seen[choice] = f.row


PartyFormSet = cast(
    type[BasePartyFormSet],
    forms.formset_factory(PartyForm, formset=BasePartyFormSet, extra=1, max_num=12),
)


class CommitmentForm(forms.Form):
    include = forms.BooleanField(label=_("Sertakan"), required=False, initial=True)
    title = forms.CharField(label=_("Komitmen"), max_length=300, required=False)
    target_value = forms.DecimalField(
        label=_("Target"), max_digits=14, decimal_places=2, required=False, min_value=0
    )
    unit = forms.CharField(label=_("Satuan"), max_length=40, required=False)
    deadline = forms.DateField(label=_("Tenggat"), required=False, widget=DATE_WIDGET)
    metric_key = forms.ChoiceField(label=_("Diukur dengan"), initial="manual")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["metric_key"]).choices = metric_choices()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("include"):
            return data
        for name in ("title", "unit", "deadline"):
            if data.get(name) in (None, ""):
                self.add_error(name, _("Wajib diisi untuk komitmen yang disertakan."))
        target = data.get("target_value")
        if target is None:
            self.add_error("target_value", _("Wajib diisi untuk komitmen yang disertakan."))
        elif target <= 0:
            self.add_error("target_value", _("Target harus lebih besar dari nol."))
        return data


CommitmentFormSet = forms.formset_factory(CommitmentForm, extra=1, max_num=30)
