from __future__ import annotations

from django import forms
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.scoping import scope_for
from sinergi.readiness.region_metrics import REGION_METRICS
from sinergi.regions.models import Region
from sinergi.reporting.models import RegionalTarget
from sinergi.reporting.services import TARGET_LEVELS


class RegionalTargetForm(forms.Form):
    """A plain form, not a ModelForm: the service checks and writes the target, so the form never
    changes the record it shows before the service has accepted the change."""

    region = forms.ModelChoiceField(label=_("Wilayah"), queryset=Region.objects.none())
    year = forms.IntegerField(label=_("Tahun target"))
    title = forms.CharField(
        label=_("Nama target"), max_length=200, help_text=_("Mis. ASN Pemprov terlatih digital.")
    )
    metric = forms.ChoiceField(label=_("Ukuran dari catatan Sinergi"), choices=())
    target_percent = forms.DecimalField(
        label=_("Target (%)"),
        max_digits=5,
        decimal_places=2,
        help_text=_("Persentase sasaran yang harus tercapai pada tahun target."),
    )
    denominator = forms.IntegerField(
        label=_("Jumlah sasaran"), help_text=_("Jumlah seluruh sasaran, mis. 23000 ASN.")
    )
    denominator_label = forms.CharField(
        label=_("Sasaran"),
        max_length=200,
        help_text=_("Siapa sasarannya, mis. ASN Pemerintah Provinsi Sulawesi Selatan."),
    )
    denominator_source = forms.CharField(
        label=_("Sumber jumlah sasaran"),
        max_length=300,
        help_text=_("Dari mana jumlah sasaran itu, mis. BKD Provinsi, data per 31 Desember."),
    )
    denominator_year = forms.IntegerField(label=_("Tahun data sasaran"), min_value=2000, max_value=2100)

    def __init__(self, *args, user, instance: RegionalTarget | None = None, **kwargs):
        if instance is not None:
            kwargs.setdefault("initial", model_to_dict(instance))
        super().__init__(*args, **kwargs)
        scope = scope_for(user)
        region_field = self.fields["region"]
        assert isinstance(region_field, forms.ModelChoiceField)
        # Only regions the officer acts for are offered.
        region_field.queryset = scope.regions(Region.objects.filter(level__in=TARGET_LEVELS))
        metric_field = self.fields["metric"]
        assert isinstance(metric_field, forms.ChoiceField)
        metric_field.choices = [(key, str(m.label)) for key, m in REGION_METRICS.items()]
        if instance is None:
            self.fields["year"].initial = timezone.localdate().year + 1
            self.fields["denominator_year"].initial = timezone.localdate().year
            if scope.is_regional:
                region_field.initial = scope.region_code
