"""Forms of the programme management pages: batches, programmes, classes, eligibility rules, academies.

Choices are limited to what the admin's scope covers (regions, organisations, agreements), so a
regional admin cannot even pick another region. Every message names the field in Indonesian.
"""

from __future__ import annotations

from typing import cast

from django import forms
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinergi.accounts.models import Organization
from sinergi.accounts.scoping import scope_for
from sinergi.core import pii
from sinergi.programs.models import (
    DISABILITY,
    RESERVABLE_CATEGORIES,
    Academy,
    Batch,
    Category,
    Education,
    EligibilityRule,
    Program,
    TrainingClass,
)
from sinergi.regions.models import Region
from sinergi.regions.widgets import RegionPicker

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
RESERVED_LABELS = {**dict(Category.choices), DISABILITY: gettext_lazy("Penyandang disabilitas")}


def regions_for(user):
    """Provinces and kab/kota an admin may attach records to: all for national, theirs for regional."""
    scope = scope_for(user)
    qs = Region.objects.exclude(level=Region.Level.DISTRICT)
    if scope.is_national:
        return qs
    return qs.filter(scope.region_q("parent") | Q(code=scope.region_code))


def organizations_for(user):
    return scope_for(user).organizations(Organization.objects.all()).order_by("name")


def _choices(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    return cast(forms.ModelChoiceField, form.fields[name])


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} — {obj.name}"


class BatchForm(forms.ModelForm):
    class Meta:
        model = Batch
        fields = [
            "name",
            "region",
            "organizer",
            "registration_opens",
            "registration_closes",
            "max_choices",
            "status",
        ]
        field_classes = {"region": RegionChoiceField}
        widgets = {"registration_opens": DATETIME_INPUT, "registration_closes": DATETIME_INPUT}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _choices(self, "region").queryset = regions_for(user)
        self.fields["region"].required = True
        _choices(self, "organizer").queryset = organizations_for(user)
        for name in ("registration_opens", "registration_closes"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M"]
        self.fields["max_choices"].widget.attrs.update(min=1, max=10)
        # The allocation run sets "allocated"; an admin cannot claim it by hand.
        statuses = [c for c in Batch.Status.choices if c[0] != Batch.Status.ALLOCATED]
        if self.instance.pk and self.instance.status == Batch.Status.ALLOCATED:
            statuses = [c for c in Batch.Status.choices if c[0] == Batch.Status.ALLOCATED]
        self.fields["status"].choices = statuses

    def clean_max_choices(self):
        value = self.cleaned_data["max_choices"]
        if not 1 <= value <= 10:
            raise forms.ValidationError(_("Jumlah pilihan kelas harus antara 1 dan 10."))
        return value

    def clean(self):
        data = super().clean()
        opens, closes = data.get("registration_opens"), data.get("registration_closes")
        if opens and closes and closes <= opens:
            self.add_error(
                "registration_closes", _("Pendaftaran ditutup harus sesudah waktu pendaftaran dibuka.")
            )
        return data


class ProgramForm(forms.ModelForm):
    target_categories = forms.MultipleChoiceField(
        label=gettext_lazy("Kategori sasaran"),
        choices=Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Kosongkan bila terbuka untuk semua kategori."),
    )

    class Meta:
        model = Program
        fields = ["academy", "name", "description", "level", "target_categories", "agreements"]
        widgets = {
            "agreements": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, batch: Batch, **kwargs):
        from sinergi.partnerships.models import Agreement
        from sinergi.partnerships.selectors import manageable_agreements

        super().__init__(*args, **kwargs)
        self.batch = batch
        academies = Academy.objects.filter(region__isnull=True)
        if batch.region is not None:
            region = batch.region
            codes = [region.code, region.province_code]
            academies = Academy.objects.filter(Q(region__isnull=True) | Q(region__code__in=codes))
        _choices(self, "academy").queryset = academies
        # Agreements the admin's scope manages, plus the programme's current links (kept as they are).
        offered = Q(pk__in=manageable_agreements(user).values("pk"))
        if self.instance.pk:
            offered |= Q(pk__in=self.instance.agreements.values("pk"))
        agreements = _choices(self, "agreements")
        agreements.queryset = Agreement.objects.filter(offered).order_by("title")
        agreements.error_messages["invalid_choice"] = _(
            "Kerja sama dengan id %(value)s tidak dikenal atau tidak dikelola wilayah Anda."
        )
        self.fields["agreements"].help_text = _(
            "Komitmen kerja sama yang dipilih menghitung peserta dan kelas program ini."
        )


class TrainingClassForm(forms.ModelForm):
    class Meta:
        model = TrainingClass
        fields = [
            "code",
            "name",
            "provider",
            "mode",
            "venue",
            "region",
            "starts_on",
            "ends_on",
            "schedule",
            "hours",
            "capacity",
            "precedence",
            "language",
        ]
        field_classes = {"region": RegionChoiceField}
        widgets = {"starts_on": DATE_INPUT, "ends_on": DATE_INPUT}

    def __init__(self, *args, user, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        _choices(self, "provider").queryset = organizations_for(user)
        _choices(self, "region").queryset = regions_for(user)
        self.fields["region"].required = True
        if not self.instance.pk and program.region_id:
            self.initial.setdefault("region", program.region_id)
        self.fields["capacity"].widget.attrs["min"] = 1
        current = self.instance.reserved_seats or {}
        for category in RESERVABLE_CATEGORIES:
            self.fields[f"reserved_{category}"] = forms.IntegerField(
                label=_("Kursi cadangan: %(category)s") % {"category": RESERVED_LABELS[category]},
                min_value=0,
                required=False,
                initial=current.get(category, 0),
                widget=forms.NumberInput(attrs={"min": 0}),
            )

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper()
        if not code.replace("-", "").replace("_", "").isalnum():
            raise forms.ValidationError(_("Kode kelas hanya boleh berisi huruf, angka, - dan _."))
        return code

    def clean_capacity(self):
        capacity = self.cleaned_data["capacity"]
        if capacity < 1:
            raise forms.ValidationError(_("Kapasitas minimal 1 kursi."))
        return capacity

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
        if data.get("mode") in (TrainingClass.Mode.OFFLINE, TrainingClass.Mode.HYBRID) and not data.get(
            "venue"
        ):
            self.add_error("venue", _("Tempat wajib diisi untuk kelas luring atau hibrida."))
        reserved = {c: data.get(f"reserved_{c}") or 0 for c in RESERVABLE_CATEGORIES}
        capacity = data.get("capacity")
        if capacity and sum(reserved.values()) > capacity:
            self.add_error(
                None,
                _("Jumlah kursi cadangan (%(sum)d) melebihi kapasitas kelas (%(cap)d).")
                % {"sum": sum(reserved.values()), "cap": capacity},
            )
        self.instance.reserved_seats = {c: n for c, n in reserved.items() if n}
        return data

    def reserved_fields(self):
        return [self[f"reserved_{c}"] for c in RESERVABLE_CATEGORIES]


class AcademyForm(forms.ModelForm):
    class Meta:
        model = Academy
        fields = ["code", "name", "description", "region"]
        field_classes = {"region": RegionChoiceField}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        scope = scope_for(user)
        _choices(self, "region").queryset = regions_for(user)
        if not scope.is_national:
            # A region defines academies for itself; national academies are the national admin's.
            self.fields["region"].required = True
            self.fields["region"].help_text = _("Akademi yang Anda tambahkan berlaku di wilayah Anda.")

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper()
        if not code.replace("-", "").isalnum():
            raise forms.ValidationError(_("Kode akademi hanya boleh berisi huruf, angka dan -."))
        return code


# --- Eligibility rules: one small form per kind, each turning its fields into the rule's params ----


class RuleForm(forms.Form):
    kind: str = ""

    def __init__(self, *args, program: Program, rule: EligibilityRule | None = None, user=None, **kwargs):
        if rule is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(rule.params)
        super().__init__(*args, **kwargs)
        self.program = program
        self.rule = rule

    def initial_from(self, params: dict) -> dict:
        return dict(params)

    def params(self) -> dict:
        return {}

    def clean(self):
        data = super().clean()
        if self.kind != EligibilityRule.Kind.EXCLUSION:
            others = self.program.rules.filter(kind=self.kind)
            if self.rule is not None:
                others = others.exclude(pk=self.rule.pk)
            if others.exists():
                raise forms.ValidationError(
                    _("Program ini sudah punya aturan “%(kind)s”; ubah aturan yang ada.")
                    % {"kind": EligibilityRule.Kind(self.kind).label}
                )
        return data


class AgeRuleForm(RuleForm):
    kind = EligibilityRule.Kind.AGE
    min = forms.IntegerField(label=gettext_lazy("Usia minimum"), min_value=0, max_value=100, required=False)
    max = forms.IntegerField(label=gettext_lazy("Usia maksimum"), min_value=0, max_value=100, required=False)

    def clean(self):
        data = super().clean()
        low, high = data.get("min"), data.get("max")
        if low is None and high is None and not self.errors:
            raise forms.ValidationError(_("Isi usia minimum, usia maksimum, atau keduanya."))
        if low is not None and high is not None and low > high:
            self.add_error("max", _("Usia maksimum tidak boleh lebih kecil dari usia minimum."))
        return data

    def params(self):
        return {k: self.cleaned_data[k] for k in ("min", "max") if self.cleaned_data.get(k) is not None}


class CategoryRuleForm(RuleForm):
    kind = EligibilityRule.Kind.CATEGORY
    categories = forms.MultipleChoiceField(
        label=gettext_lazy("Kategori yang boleh mendaftar"),
        choices=Category.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def initial_from(self, params):
        return {"categories": params.get("in", [])}

    def params(self):
        return {"in": list(self.cleaned_data["categories"])}


class RegionPickerField(forms.MultipleChoiceField):
    """Ticked region codes, each checked against the regions the widget was allowed to offer."""

    widget = RegionPicker

    def __init__(self, **kwargs):
        super().__init__(choices=(), **kwargs)
        self.allowed_codes: set[str] = set()

    def set_allowed(self, regions) -> None:
        cast(RegionPicker, self.widget).allowed = regions
        self.allowed_codes = set(regions.values_list("code", flat=True))

    def valid_value(self, value):
        return str(value) in self.allowed_codes


class DomicileRuleForm(RuleForm):
    kind = EligibilityRule.Kind.DOMICILE
    regions = RegionPickerField(
        label=gettext_lazy("Wilayah domisili"),
        help_text=gettext_lazy(
            "Cari provinsi atau kabupaten/kota dengan namanya, lalu centang; peserta yang berdomisili di "
            "salah satu wilayah yang dicentang (atau di kabupaten/kota dalam provinsi yang dicentang) "
            "memenuhi aturan ini."
        ),
        error_messages={
            "required": gettext_lazy("Centang paling sedikit satu wilayah."),
            "invalid_choice": gettext_lazy("Wilayah %(value)s tidak dapat Anda pilih."),
        },
    )

    def __init__(self, *args, user=None, search_term: str = "", search_url: str = "", **kwargs):
        super().__init__(*args, user=user, **kwargs)
        field = cast(RegionPickerField, self.fields["regions"])
        # The officer's own area; codes an existing rule already holds stay valid, so editing a rule
        # set by the national office never drops a region behind the officer's back.
        allowed = (
            regions_for(user) if user is not None else Region.objects.exclude(level=Region.Level.DISTRICT)
        )
        if self.rule is not None:
            allowed = allowed | Region.objects.filter(code__in=self.rule.params.get("regions", []))
        field.set_allowed(allowed)
        widget = cast(RegionPicker, field.widget)
        widget.term, widget.search_url = search_term, search_url

    def initial_from(self, params):
        return {"regions": list(params.get("regions", []))}

    def matches_fragment(self, selected: list[str]) -> dict:
        """The context of the search results alone, for the htmx request made while typing."""
        widget = cast(RegionPicker, self.fields["regions"].widget)
        matches, total, needs_term = widget.matches(widget.term, selected)
        return {
            "widget": {
                "name": "regions",
                "matches": matches,
                "total": total,
                "more": total > len(matches),
                "needs_term": needs_term,
                "term": widget.term,
            }
        }

    def clean_regions(self):
        return list(dict.fromkeys(self.cleaned_data["regions"]))

    def params(self):
        return {"regions": self.cleaned_data["regions"]}


class EducationRuleForm(RuleForm):
    kind = EligibilityRule.Kind.EDUCATION
    min = forms.ChoiceField(label=gettext_lazy("Pendidikan terakhir minimum"), choices=Education.choices)

    def params(self):
        return {"min": self.cleaned_data["min"]}


class NoParamsRuleForm(RuleForm):
    def params(self):
        return {}


class AsnOnlyRuleForm(NoParamsRuleForm):
    kind = EligibilityRule.Kind.ASN_ONLY


class NotEnrolledRuleForm(NoParamsRuleForm):
    kind = EligibilityRule.Kind.NOT_ENROLLED_IN_BATCH


class ExclusionRuleForm(RuleForm):
    kind = EligibilityRule.Kind.EXCLUSION
    niks = forms.CharField(
        label=gettext_lazy("NIK yang dikecualikan"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Satu NIK per baris. NIK tidak disimpan; hanya sidik kuncinya (hash)."),
        required=False,
    )
    reason = forms.CharField(label=gettext_lazy("Alasan (ditampilkan kepada peserta)"), max_length=200)

    def initial_from(self, params):
        return {"reason": params.get("reason", "")}

    def clean_niks(self):
        lines = [line.strip() for line in self.cleaned_data["niks"].splitlines() if line.strip()]
        bad = [
            line
            for line in lines
            if len(pii.normalise_number(line)) != 16 or not line.replace(" ", "").isdigit()
        ]
        if bad:
            raise forms.ValidationError(
                _("Bukan NIK 16 angka: %(values)s.") % {"values": ", ".join(pii.mask(b) for b in bad[:5])}
            )
        if not lines and self.rule is None:
            raise forms.ValidationError(_("Isi paling sedikit satu NIK."))
        return lines

    def params(self):
        hashes = [pii.keyed_hash(nik) for nik in self.cleaned_data["niks"]]
        if not hashes and self.rule is not None:  # editing only the reason keeps the list
            hashes = list(self.rule.params.get("nik_hashes", []))
        return {"nik_hashes": sorted(set(hashes)), "reason": self.cleaned_data["reason"]}


RULE_FORMS: dict[str, type[RuleForm]] = {
    form.kind: form
    for form in (
        AgeRuleForm,
        CategoryRuleForm,
        DomicileRuleForm,
        EducationRuleForm,
        AsnOnlyRuleForm,
        NotEnrolledRuleForm,
        ExclusionRuleForm,
    )
}
