from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import Role, User
from sinergi.accounts.scoping import scope_for
from sinergi.awards import services
from sinergi.awards.models import AwardCategory
from sinergi.readiness.forms import WeightedCriteriaForm
from sinergi.readiness.models import SmartCityDimension
from sinergi.readiness.region_metrics import REGION_METRICS
from sinergi.regions.models import Region


class NominationForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Kategori"), queryset=AwardCategory.objects.none())
    region = forms.ModelChoiceField(label=_("Wilayah"), queryset=Region.objects.none())
    nominee_name = forms.CharField(
        label=_("Nama calon"),
        max_length=200,
        help_text=_("Untuk kategori pemerintah daerah: nama wilayahnya."),
    )
    nominee_position = forms.CharField(label=_("Jabatan"), max_length=200, required=False)
    evidence = forms.CharField(
        label=_("Uraian prestasi dan bukti"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
    evidence_url = forms.URLField(
        label=_("Tautan bukti"), required=False, max_length=500, assume_scheme="https"
    )

    def __init__(self, *args, cycle, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = cycle.categories.all()
        scope = scope_for(user)
        self.fields["region"].queryset = scope.regions(
            Region.objects.filter(level__in=[Region.Level.PROVINCE, Region.Level.REGENCY, Region.Level.CITY])
        )
        if scope.is_regional:
            self.fields["region"].initial = scope.region_code


class JuryScoreForm(forms.Form):
    has_conflict = forms.BooleanField(
        label=_("Saya memiliki benturan kepentingan dengan calon ini (tidak menilai)"), required=False
    )
    score = forms.IntegerField(label=_("Nilai (0–100)"), min_value=0, max_value=100, required=False)
    note = forms.CharField(
        label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class AwardCycleForm(forms.Form):
    name = forms.CharField(label=_("Nama siklus penghargaan"), max_length=200)
    year = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100)
    description = forms.CharField(
        label=_("Uraian"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    jurors = forms.ModelMultipleChoiceField(
        label=_("Juri"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Akun asesor yang menilai calon; setiap juri menyatakan konflik kepentingan per calon."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        jurors = self.fields["jurors"]
        assert isinstance(jurors, forms.ModelMultipleChoiceField)
        jurors.queryset = User.objects.filter(role=Role.ASSESSOR, is_active=True).order_by("username")
        jurors.label_from_instance = lambda user: user.get_full_name() or user.username
        self.fields["year"].initial = timezone.localdate().year


def award_criteria() -> list[tuple[str, str]]:
    built_in = [(key, str(label)) for key, label in services.CRITERION_LABELS.items()]
    metrics = [
        (f"{services.METRIC_PREFIX}{key}", str(metric.label)) for key, metric in REGION_METRICS.items()
    ]
    return built_in + metrics


class AwardCategoryForm(WeightedCriteriaForm):
    name = forms.CharField(label=_("Nama kategori"), max_length=200)
    nominee_kind = forms.ChoiceField(label=_("Jenis calon"), choices=AwardCategory.NomineeKind.choices)
    dimension = forms.ChoiceField(
        label=_("Dimensi smart city"),
        choices=[("", _("— tanpa dimensi —")), *SmartCityDimension.choices],
        required=False,
        help_text=_("Wajib bila kriteria memakai skor dimensi kategori."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, criteria=award_criteria(), **kwargs)
        self.order_fields(["name", "nominee_kind", "dimension"])
