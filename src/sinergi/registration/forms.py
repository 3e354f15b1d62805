from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from sinergi.core import pii
from sinergi.core.validators import validate_name
from sinergi.programs.models import Category
from sinergi.regions.models import Region
from sinergi.registration.models import ActivityStatus, DuplicateFlag, Education, Participant, Sex
from sinergi.registration.nik import validate_identity
from sinergi.registration.services import ProfileData, nik_correction_help


def _word_consent(field: forms.Field) -> None:
    """The consent box names the privacy notice (linked) and its version, and says why it is needed."""
    field.label = format_html(
        '{} <a href="{}">{}</a> {}',
        _("Saya telah membaca dan menyetujui"),
        reverse("registration:privacy"),
        _("pemberitahuan privasi"),
        _("(versi %(v)s).") % {"v": settings.PRIVACY_NOTICE_VERSION},
    )
    field.summary_label = _("Persetujuan")  # type: ignore[attr-defined]  # the label is a sentence
    field.error_messages["required"] = _("Centang persetujuan pemberitahuan privasi untuk melanjutkan.")


class SignupForm(forms.Form):
    full_name = forms.CharField(
        label=_("Nama lengkap"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        validators=[validate_name],
    )
    email = forms.EmailField(
        label=_("Alamat e-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password1 = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Minimal 10 karakter, tidak hanya angka, tidak mirip nama atau e-mail."),
    )
    password2 = forms.CharField(
        label=_("Ulangi kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("Kedua kata sandi tidak sama."))
        elif p1:
            probe = get_user_model()(username=data.get("email", ""), email=data.get("email", ""))
            probe.first_name = data.get("full_name", "")
            try:
                password_validation.validate_password(p1, probe)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class ResendForm(forms.Form):
    email = forms.EmailField(label=_("Alamat e-mail"))


class DomicileSelect(forms.Select):
    """Kab/kota grouped by province; a search box above it narrows the options (see profile.html)."""


def kabkota_choices(term: str = "") -> list:
    regions = Region.objects.filter(level__in=[Region.Level.CITY, Region.Level.REGENCY]).select_related(
        "parent"
    )
    if term.strip():
        regions = regions.search(term)
    groups: dict[str, list[tuple[str, str]]] = {}
    for region in regions.order_by("parent__name", "name"):
        province = region.parent.name if region.parent else ""
        groups.setdefault(province, []).append((region.code, region.name))
    return [("", _("— pilih kabupaten/kota —")), *groups.items()]


class ProfileForm(forms.Form):
    nik = forms.CharField(
        label=_("NIK"),
        max_length=24,
        required=False,  # validate_identity names the missing NIK itself
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("16 digit sesuai KTP/KK."),
    )
    kk = forms.CharField(
        label=_("Nomor KK"),
        max_length=24,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("16 digit nomor Kartu Keluarga."),
    )
    full_name = forms.CharField(
        label=_("Nama lengkap sesuai KTP"), max_length=150, validators=[validate_name]
    )
    birth_date = forms.DateField(
        label=_("Tanggal lahir"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"],
    )
    sex = forms.ChoiceField(label=_("Jenis kelamin"), choices=Sex.choices, widget=forms.RadioSelect)
    phone = forms.RegexField(
        label=_("Nomor HP"),
        regex=r"^(\+62|62|0)8[0-9 -]{7,14}$",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        error_messages={"invalid": _("Nomor HP diawali 08 atau +628, 10–15 digit.")},
    )
    domicile = forms.ChoiceField(label=_("Domisili (kabupaten/kota)"), widget=DomicileSelect)
    education = forms.ChoiceField(label=_("Pendidikan terakhir"), choices=Education.choices)
    category = forms.ChoiceField(label=_("Kategori"), choices=Category.choices)
    nip = forms.CharField(
        label=_("NIP"),
        max_length=24,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("Wajib untuk ASN: 18 digit."),
    )
    has_disability = forms.BooleanField(label=_("Saya penyandang disabilitas"), required=False)
    activity_before = forms.ChoiceField(
        label=_("Kegiatan utama Anda saat ini"),
        choices=[("", _("— tidak ingin menjawab —")), *ActivityStatus.choices],
        required=False,
        help_text=_(
            "Tidak wajib. Dibandingkan dengan jawaban survei pelacakan (tracer) setelah pelatihan, untuk "
            "melihat dampak pelatihan."
        ),
    )
    consent = forms.BooleanField(label=_("Persetujuan"), required=True)

    def __init__(self, *args, participant: Participant | None = None, domicile_term: str = "", **kwargs):
        self.participant = participant
        if participant is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "full_name": participant.full_name,
                "birth_date": participant.birth_date,
                "sex": participant.sex,
                "phone": participant.phone,
                "domicile": participant.domicile_id,
                "education": participant.education,
                "category": participant.category,
                "nip": participant.nip,
                "has_disability": participant.has_disability,
                "activity_before": participant.activity_before,
                "consent": participant.consent_version == settings.PRIVACY_NOTICE_VERSION,
            }
        super().__init__(*args, **kwargs)
        domicile = self.fields["domicile"]
        assert isinstance(domicile, forms.ChoiceField)
        domicile.choices = kabkota_choices(domicile_term)
        _word_consent(self.fields["consent"])
        if participant is not None:
            # The stored numbers are never sent back to the browser. The NIK is fixed once saved (an
            # officer corrects it); a blank KK keeps the stored one.
            nik = self.fields["nik"]
            nik.disabled = True
            nik.initial = participant.masked_nik
            nik.help_text = nik_correction_help()
            self.fields["kk"].help_text = _("Tersimpan. Kosongkan bila tidak berubah.")
            if not participant.kk_encrypted or not pii.decrypt(participant.kk_encrypted):
                self.fields["kk"].help_text = _(
                    "Tidak wajib: data Anda dikirim oleh kantor pelatihan, yang sudah memeriksa NIK Anda. "
                    "Admin dapat memintanya bila NIK Anda perlu dikoreksi."
                )

    def clean_domicile(self):
        code = self.cleaned_data["domicile"]
        if not Region.objects.filter(code=code, level__in=[Region.Level.CITY, Region.Level.REGENCY]).exists():
            raise forms.ValidationError(_("Pilih kabupaten/kota domisili dari daftar."))
        return code

    def clean(self):
        data = super().clean()
        nik = self.participant.nik if self.participant else data.get("nik", "")
        kk = data.get("kk") or ""
        if not kk and self.participant is not None:
            kk = pii.decrypt(self.participant.kk_encrypted)
        data["nik"], data["kk"] = nik, kk
        if "birth_date" in self.errors or "sex" in self.errors:
            return data
        # The KK is the check on a NIK someone types in themself; a record the office imported (whose
        # NIK the office vouched for) needs none, so an imported person is never stopped for it.
        if not kk and self.participant is None:
            self.add_error(
                "kk",
                _(
                    "Nomor KK wajib diisi: bersama tanggal lahir dan jenis kelamin, KK memastikan NIK yang "
                    "Anda masukkan memang milik Anda."
                ),
            )
        for field, message in validate_identity(
            nik,
            data.get("birth_date"),
            data.get("sex"),
            kk=kk or None,
            nip=data.get("nip") or None,
            category=data.get("category"),
        ):
            self.add_error(field if field in self.fields else None, message)
        return data

    def profile_data(self) -> ProfileData:
        d = self.cleaned_data
        return ProfileData(
            nik=d["nik"],
            kk=d["kk"],
            full_name=d["full_name"],
            birth_date=d["birth_date"],
            sex=d["sex"],
            phone=d.get("phone") or "",
            domicile_id=d["domicile"],
            education=d["education"],
            category=d["category"],
            nip=d.get("nip") or "",
            has_disability=d.get("has_disability", False),
            activity_before=d.get("activity_before") or "",
        )


class DuplicateDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Keputusan"),
        choices=[
            (DuplicateFlag.Decision.DISTINCT, _("Orang berbeda — keduanya boleh ikut seleksi")),
            (DuplicateFlag.Decision.DUPLICATE, _("Data ganda — data yang ditandai tidak diikutkan seleksi")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Catatan"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ClaimForm(forms.Form):
    """An invited participant's account: a password, and only what the import did not supply."""

    password1 = SignupForm.base_fields["password1"]
    password2 = SignupForm.base_fields["password2"]
    phone = forms.RegexField(
        label=_("Nomor HP"),
        regex=r"^(\+62|62|0)8[0-9 -]{7,14}$",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        error_messages={"invalid": _("Nomor HP diawali 08 atau +628, 10–15 digit.")},
    )
    education = forms.ChoiceField(
        label=_("Pendidikan terakhir"), choices=[("", "—"), *Education.choices], required=False
    )
    consent = forms.BooleanField(label=_("Persetujuan"), required=True)

    def __init__(self, *args, participant: Participant, missing: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.participant = participant
        for name in ("phone", "education", "consent"):
            if name not in missing:
                del self.fields[name]
        if "consent" in self.fields:
            _word_consent(self.fields["consent"])

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("Kedua kata sandi tidak sama."))
        elif p1:
            probe = get_user_model()(username=self.participant.email, email=self.participant.email)
            probe.first_name = self.participant.full_name
            try:
                password_validation.validate_password(p1, probe)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data
