from __future__ import annotations

from decimal import Decimal
from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import Role, User
from sinergi.accounts.scoping import scope_for
from sinergi.readiness import region_selection
from sinergi.readiness.models import (
    Framework,
    Indicator,
    Initiative,
    Masterplan,
    Milestone,
    ReferenceIndex,
)
from sinergi.readiness.services import INITIATIVE_FIELDS
from sinergi.regions.models import Region

LEVEL_CHOICES = [(level, str(level)) for level in range(1, 6)]


class StartAssessmentForm(forms.Form):
    framework = forms.ModelChoiceField(label=_("Kerangka"), queryset=Framework.objects.none())
    region = forms.ModelChoiceField(label=_("Wilayah"), queryset=Region.objects.none())
    year = forms.IntegerField(label=_("Tahun penilaian"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework"].queryset = Framework.objects.order_by("slug", "-version")
        scope = scope_for(user)
        # Only the officer's own region and the kab/kota inside it are offered.
        self.fields["region"].queryset = scope.regions(
            Region.objects.filter(level__in=[Region.Level.PROVINCE, Region.Level.REGENCY, Region.Level.CITY])
        )
        if scope.is_regional:
            self.fields["region"].initial = scope.region_code
        self.fields["year"].initial = timezone.localdate().year


class SelfScoreForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("Tingkat"), choices=LEVEL_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    justification = forms.CharField(
        label=_("Penjelasan"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_("Mengapa tingkat ini: apa yang sudah berjalan, sejak kapan, siapa penanggung jawabnya."),
    )
    evidence_url = forms.URLField(
        label=_("Tautan bukti"), required=False, max_length=500, assume_scheme="https"
    )
    evidence_file = forms.FileField(
        label=_("Berkas bukti"), required=False, help_text=_("PDF, PNG atau JPEG, paling besar 5 MB.")
    )

    def __init__(self, *args, indicator: Indicator, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["level"]).choices = [
            (int(level), f"{level} · {text}") for level, text in sorted(indicator.levels.items())
        ]


class AssignAssessorForm(forms.Form):
    assessor = forms.ModelChoiceField(label=_("Asesor"), queryset=User.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessor"].queryset = User.objects.filter(role=Role.ASSESSOR, is_active=True).order_by(
            "username"
        )


class NoConflictForm(forms.Form):
    confirmed = forms.BooleanField(
        label=_(
            "Saya menyatakan tidak memiliki benturan kepentingan dengan wilayah ini: bukan pegawai, "
            "konsultan atau keluarga pejabat pemerintah daerahnya, dan tidak terlibat dalam penyusunan "
            "penilaian mandirinya."
        ),
        required=False,
    )


class AssessorScoresForm(forms.Form):
    """One level and note per indicator; the other assessor's levels are never shown."""

    def __init__(
        self, *args, indicators: list[Indicator], initial_levels: dict[str, tuple[int, str]], **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        for indicator in indicators:
            level, note = initial_levels.get(indicator.code, (None, ""))
            self.fields[f"level_{indicator.code}"] = forms.TypedChoiceField(
                label=f"{indicator.code} {indicator.name}",
                choices=[("", "—"), *LEVEL_CHOICES],
                coerce=int,
                required=False,
                initial=level,
            )
            self.fields[f"note_{indicator.code}"] = forms.CharField(
                label=_("Catatan %(code)s") % {"code": indicator.code},
                required=False,
                max_length=2000,
                initial=note,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def levels(self) -> dict[str, tuple[int, str]]:
        result = {}
        for indicator in self.indicators:
            level = self.cleaned_data.get(f"level_{indicator.code}")
            if level:
                result[indicator.code] = (level, self.cleaned_data.get(f"note_{indicator.code}", ""))
        return result


class ConsensusForm(forms.Form):
    indicator = forms.CharField(widget=forms.HiddenInput)
    level = forms.TypedChoiceField(label=_("Tingkat yang disepakati"), choices=LEVEL_CHOICES, coerce=int)
    note = forms.CharField(
        label=_("Dasar kesepakatan"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class SelectionApplyForm(forms.Form):
    region = forms.ModelChoiceField(label=_("Wilayah yang didaftarkan"), queryset=Region.objects.none())

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions


class InitiativeForm(forms.ModelForm):
    evidence_url = forms.URLField(
        label=_("Tautan bukti"), required=False, max_length=500, assume_scheme="https"
    )

    class Meta:
        model = Initiative
        # The fields the service writes, plus the agreements it links.
        fields = [*INITIATIVE_FIELDS, "agreements"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "agreements": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from sinergi.partnerships.selectors import manageable_agreements

        # Only agreements the officer's office manages are offered (another region's are never listed).
        cast(forms.ModelMultipleChoiceField, self.fields["agreements"]).queryset = manageable_agreements(user)


class MasterplanForm(forms.ModelForm):
    class Meta:
        model = Masterplan
        fields = ["title", "vision", "start_year", "target_year"]
        widgets = {"vision": forms.Textarea(attrs={"rows": 3})}


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["stage", "title", "target_year"]


class WeightedCriteriaForm(forms.Form):
    """A published formula entered as a percentage per criterion; a criterion left at 0 is not used.
    `formula` in cleaned_data is the list the ranking services take, weights as fractions of 1."""

    def __init__(self, *args, criteria: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for i, (_key, label) in enumerate(criteria):
            self.fields[f"weight_{i}"] = forms.DecimalField(
                label=_("Bobot: %(criterion)s") % {"criterion": label},
                help_text=_("Dalam persen, 0–100."),
                required=False,
                min_value=0,
                max_value=100,
                decimal_places=2,
                initial=0,
            )

    def clean(self):
        data = super().clean()
        weights = [
            (key, data.get(f"weight_{i}") or Decimal(0)) for i, (key, _label) in enumerate(self.criteria)
        ]
        if not any(self.has_error(f"weight_{i}") for i in range(len(self.criteria))):
            total = sum((weight for _key, weight in weights), Decimal(0))
            if total == 0:
                self.add_error(None, _("Isi bobot setidaknya satu kriteria."))
            elif total != 100:
                self.add_error(
                    None,
                    _("Jumlah bobot kriteria harus 100%% (sekarang %(total)s%%).")
                    % {"total": format(total.normalize(), "f")},
                )
        data["formula"] = [
            {"key": key, "weight": format((weight / 100).normalize(), "f")}
            for key, weight in weights
            if weight
        ]
        return data


def selection_criteria() -> list[tuple[str, str]]:
    built_in = [(key, str(label)) for key, label in region_selection.CRITERION_LABELS.items()]
    references = [
        (f"{region_selection.REFERENCE_PREFIX}{index.code}", f"{index.name} ({index.year})")
        for index in ReferenceIndex.objects.order_by("code")
    ]
    return built_in + references


class SelectionCallForm(WeightedCriteriaForm):
    name = forms.CharField(label=_("Nama panggilan seleksi"), max_length=200)
    description = forms.CharField(
        label=_("Uraian"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    year = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100)
    quota = forms.IntegerField(
        label=_("Kuota wilayah"), min_value=1, help_text=_("Jumlah wilayah yang dipilih.")
    )
    framework = forms.ModelChoiceField(label=_("Kerangka penilaian"), queryset=Framework.objects.none())

    field_order = ["name", "description", "year", "quota", "framework"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, criteria=selection_criteria(), **kwargs)
        self.fields["framework"].queryset = Framework.objects.order_by("slug", "-version")
        self.fields["year"].initial = timezone.localdate().year
        self.order_fields(self.field_order)
