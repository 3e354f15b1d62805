from __future__ import annotations

from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import Organization
from sinergi.api.models import all_scopes

# A key lives a year at most: an integration that still runs asks for a new one.
MAX_VALIDITY_DAYS = 366


class KeyCreateForm(forms.Form):
    organisasi: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Organisasi"),
        queryset=Organization.objects.none(),
        error_messages={"required": _("wajib diisi."), "invalid_choice": _("pilihan tidak tersedia.")},
    )
    nama = forms.CharField(
        label=_("Nama kunci"),
        max_length=120,
        help_text=_("Untuk apa kunci ini, mis. LMS Kampus."),
        error_messages={"required": _("wajib diisi.")},
    )
    cakupan = forms.MultipleChoiceField(
        label=_("Cakupan"),
        choices=all_scopes,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("pilih sedikitnya satu."),
            "invalid_choice": _("pilihan tidak dikenal."),
        },
    )
    berlaku_sampai = forms.DateField(
        label=_("Berlaku sampai"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("wajib diisi."), "invalid": _("bukan tanggal yang valid.")},
    )

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisasi"].queryset = organizations  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial["berlaku_sampai"] = timezone.localdate() + timedelta(days=90)

    def clean_berlaku_sampai(self):
        day = self.cleaned_data["berlaku_sampai"]
        today = timezone.localdate()
        if day <= today:
            raise forms.ValidationError(_("harus setelah hari ini."))
        if day > today + timedelta(days=MAX_VALIDITY_DAYS):
            raise forms.ValidationError(_("paling lama %(n)s hari dari hari ini.") % {"n": MAX_VALIDITY_DAYS})
        return day

    def expires_at(self) -> datetime:
        # Valid through the whole of the chosen day, local time.
        day = self.cleaned_data["berlaku_sampai"]
        return timezone.make_aware(datetime.combine(day, time.max))


class KeyRevokeForm(forms.Form):
    alasan = forms.CharField(
        label=_("Alasan pencabutan"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("wajib diisi.")},
    )
