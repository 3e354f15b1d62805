from django import forms
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from sinergi.credentials.models import Credential


class VerifyUploadForm(forms.Form):
    berkas = forms.FileField(
        label=_("Berkas kredensial (JSON)"),
        help_text=_("Unggah berkas .json sertifikat untuk memeriksa tanda tangan dan statusnya."),
        error_messages={"required": _("Pilih berkas kredensial JSON yang akan diperiksa.")},
    )

    @classmethod
    def refused(cls, message: str) -> "VerifyUploadForm":
        """The form as shown after a POST whose file was refused without being read."""
        form = cls(data={}, files=MultiValueDict())
        form.errors["berkas"] = form.error_class([message])
        return form


class IssueForm(forms.Form):
    jenis = forms.ChoiceField(
        label=_("Jenis sertifikat"), choices=Credential.Kind.choices, initial=Credential.Kind.COMPLETION
    )


class RevokeForm(forms.Form):
    alasan = forms.CharField(
        label=_("Alasan pencabutan"),
        min_length=5,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Alasan pencabutan wajib diisi."),
            "min_length": _("Alasan pencabutan terlalu singkat (minimal 5 karakter)."),
        },
    )
