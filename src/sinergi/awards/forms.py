from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.scoping import scope_for
from sinergi.awards.models import AwardCategory
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
