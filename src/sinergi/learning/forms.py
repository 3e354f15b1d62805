from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import Organization, User
from sinergi.core.validators import validate_name
from sinergi.learning.models import ClassSession, CompetencyResult, CompetencyUnit, CompletionRule


class SessionForm(forms.ModelForm):
    class Meta:
        model = ClassSession
        fields = ["number", "date", "start_time", "end_time", "hours", "topic", "instructor"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "end_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "hours": forms.NumberInput(attrs={"step": "0.5", "min": "0"}),
        }

    def __init__(self, *args, training_class, **kwargs):
        super().__init__(*args, **kwargs)
        self.training_class = training_class
        self.fields["number"].required = False
        self.fields["number"].help_text = _("Kosongkan untuk nomor berikutnya.")
        self.fields["hours"].help_text = _("Jam pelajaran (JP) sesi ini.")

    def clean_number(self):
        number = self.cleaned_data.get("number")
        if number:
            clash = self.training_class.sessions.filter(number=number).exclude(pk=self.instance.pk)
            if clash.exists():
                raise forms.ValidationError(_("Sesi ke-%(n)s sudah ada di kelas ini.") % {"n": number})
        return number

    def clean_hours(self):
        hours = self.cleaned_data.get("hours")
        if hours is not None and hours < 0:
            raise forms.ValidationError(_("Jam pelajaran tidak boleh negatif."))
        return hours

    def clean(self):
        data = super().clean()
        start, end, day = data.get("start_time"), data.get("end_time"), data.get("date")
        if start and end and end <= start:
            self.add_error("end_time", _("Jam selesai harus setelah jam mulai."))
        tc = self.training_class
        if day and not (tc.starts_on <= day <= tc.ends_on):
            self.add_error(
                "date",
                _("Tanggal harus dalam masa kelas (%(start)s – %(end)s).")
                % {"start": tc.starts_on.strftime("%d/%m/%Y"), "end": tc.ends_on.strftime("%d/%m/%Y")},
            )
        return data


WEEKDAYS = [
    (0, _("Senin")),
    (1, _("Selasa")),
    (2, _("Rabu")),
    (3, _("Kamis")),
    (4, _("Jumat")),
    (5, _("Sabtu")),
    (6, _("Minggu")),
]


class ScheduleForm(forms.Form):
    """A weekly schedule the sessions are laid out from; each can be edited afterwards."""

    hari = forms.TypedMultipleChoiceField(
        label=_("Hari pertemuan"),
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Pilih minimal satu hari pertemuan.")},
    )
    mulai = forms.DateField(
        label=_("Mulai tanggal"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Sesi pertama jatuh pada hari pertemuan pertama sejak tanggal ini."),
    )
    jam_mulai = forms.TimeField(
        label=_("Jam mulai"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    jam_selesai = forms.TimeField(
        label=_("Jam selesai"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    jumlah = forms.IntegerField(label=_("Jumlah sesi"), min_value=1, max_value=200)
    jp = forms.DecimalField(
        label=_("Jam pelajaran per sesi"),
        min_value=Decimal("0.5"),
        max_value=Decimal("24"),
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.5", "min": "0.5"}),
    )
    topik = forms.CharField(
        label=_("Nama sesi"),
        max_length=180,
        initial=_("Pertemuan"),
        help_text=_("Diberi nomor: Pertemuan 1, Pertemuan 2, …"),
    )

    def __init__(self, *args, training_class, **kwargs):
        super().__init__(*args, **kwargs)
        self.training_class = training_class
        self.fields["mulai"].initial = training_class.starts_on
        if training_class.hours and not self.is_bound:
            self.fields["jumlah"].help_text = _("Kelas ini %(hours)s JP.") % {"hours": training_class.hours}

    def clean(self):
        data = super().clean()
        start, end, day = data.get("jam_mulai"), data.get("jam_selesai"), data.get("mulai")
        if start and end and end <= start:
            self.add_error("jam_selesai", _("Jam selesai harus setelah jam mulai."))
        tc = self.training_class
        if day and not (tc.starts_on <= day <= tc.ends_on):
            self.add_error(
                "mulai",
                _("Tanggal harus dalam masa kelas (%(start)s – %(end)s).")
                % {"start": tc.starts_on.strftime("%d/%m/%Y"), "end": tc.ends_on.strftime("%d/%m/%Y")},
            )
        return data


class CompletionRuleForm(forms.ModelForm):
    class Meta:
        model = CompletionRule
        fields = ["min_attendance_percent", "min_assignments_passed", "min_final_score", "requires_competent"]
        widgets = {
            "min_attendance_percent": forms.NumberInput(attrs={"min": "0", "max": "100"}),
            "min_final_score": forms.NumberInput(attrs={"min": "0", "max": "100", "step": "0.01"}),
        }

    def clean_min_attendance_percent(self):
        value = self.cleaned_data["min_attendance_percent"]
        if value > 100:
            raise forms.ValidationError(_("Kehadiran minimal paling tinggi 100 %."))
        return value

    def clean_min_final_score(self):
        value = self.cleaned_data.get("min_final_score")
        if value is not None and not (Decimal(0) <= value <= Decimal(100)):
            raise forms.ValidationError(_("Nilai akhir minimal harus antara 0 dan 100."))
        return value


class CompetencyUnitForm(forms.ModelForm):
    class Meta:
        model = CompetencyUnit
        fields = ["code", "title"]
        help_texts = {"code": _("Kode unit SKKNI, mis. J.620100.004.02")}

    def validate_unique(self):
        # An existing code is reused (attached to this scheme), not an error.
        pass


class AttendanceImportForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas ekspor LMS (.csv atau .xlsx)"),
        help_text=_("Kolom: email atau nik, sesi (nomor atau tanggal), hadir (ya/tidak)."),
    )

    def clean_file(self):
        from sinergi.learning.imports import check_upload

        upload = self.cleaned_data["file"]
        if problem := check_upload(upload.name, upload.size):
            raise forms.ValidationError(problem)
        return upload


class CompetencySheetForm(forms.Form):
    """One unit tested for a whole class: the assessor and LSP once, then each participant's outcome.
    Participants left blank keep whatever was recorded before."""

    unit = forms.ModelChoiceField(label=_("Unit kompetensi"), queryset=CompetencyUnit.objects.none())
    assessor: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Asesor (akun)"), queryset=User.objects.none(), required=False
    )
    assessor_name = forms.CharField(
        label=_("Nama asesor"),
        max_length=150,
        required=False,
        help_text=_("Bila asesor tidak memiliki akun."),
        validators=[validate_name],
    )
    lsp: forms.ModelChoiceField = forms.ModelChoiceField(label=_("LSP"), queryset=Organization.objects.none())
    assessed_at = forms.DateTimeField(
        label=_("Waktu uji"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
    )

    def __init__(self, *args, units, assessors, lsps, enrolments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["assessor"].queryset = assessors
        self.fields["assessor"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.fields["lsp"].queryset = lsps
        self.initial.setdefault("assessed_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
        self.enrolments = list(enrolments)
        choices = [("", _("Tidak diubah")), *CompetencyResult.Outcome.choices]
        for enrolment in self.enrolments:
            self.fields[f"outcome_{enrolment.pk}"] = forms.ChoiceField(
                label=enrolment.participant.full_name,
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
            )

    def outcome_fields(self):
        return [(e, self[f"outcome_{e.pk}"]) for e in self.enrolments]

    def outcomes(self) -> dict[int, str]:
        return {
            e.pk: self.cleaned_data[f"outcome_{e.pk}"]
            for e in self.enrolments
            if self.cleaned_data[f"outcome_{e.pk}"]
        }

    def clean(self):
        data = super().clean()
        if not data.get("assessor") and not (data.get("assessor_name") or "").strip():
            self.add_error("assessor_name", _("Pilih akun asesor atau tulis nama asesor."))
        assessed_at = data.get("assessed_at")
        if assessed_at and assessed_at > timezone.now() + datetime.timedelta(minutes=5):
            self.add_error("assessed_at", _("Waktu uji tidak boleh di masa depan."))
        if self.enrolments and not any(data.get(f"outcome_{e.pk}") for e in self.enrolments):
            raise forms.ValidationError(
                _("Pilih hasil (Kompeten / Belum Kompeten) untuk minimal satu peserta.")
            )
        return data


class ScoreSheetForm(forms.Form):
    """Final score and assignments/tests passed for each participant of a class."""

    def __init__(self, *args, enrolments, **kwargs):
        super().__init__(*args, **kwargs)
        self.enrolments = list(enrolments)
        for e in self.enrolments:
            name = e.participant.full_name
            self.fields[f"score_{e.pk}"] = forms.DecimalField(
                label=_("Nilai akhir %(name)s") % {"name": name},
                required=False,
                min_value=0,
                max_value=100,
                max_digits=5,
                decimal_places=2,
                initial=e.final_score,
                widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
            )
            self.fields[f"passed_{e.pk}"] = forms.IntegerField(
                label=_("Tugas/tes lulus %(name)s") % {"name": name},
                min_value=0,
                max_value=999,
                initial=e.assignments_passed,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )

    def rows(self):
        return [(e, self[f"score_{e.pk}"], self[f"passed_{e.pk}"]) for e in self.enrolments]

    def scores(self) -> dict[int, tuple[Decimal | None, int]]:
        return {
            e.pk: (self.cleaned_data[f"score_{e.pk}"], self.cleaned_data[f"passed_{e.pk}"])
            for e in self.enrolments
        }
