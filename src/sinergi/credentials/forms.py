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


REVOKE = "cabut"
REISSUE = "terbitkan-ulang"


class RevokeForm(forms.Form):
    """Revoke, or revoke and re-issue as a correction; the page asks for confirmation before either."""

    tindakan = forms.ChoiceField(
        label=_("Tindakan"),
        choices=[
            (REVOKE, _("Cabut saja (mis. kecurangan, kelulusan dibatalkan)")),
            (REISSUE, _("Cabut lalu terbitkan ulang dengan nomor baru (koreksi data)")),
        ],
        initial=REVOKE,
        required=False,
        widget=forms.RadioSelect,
    )
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

    def clean_tindakan(self) -> str:
        return self.cleaned_data.get("tindakan") or self.fields["tindakan"].initial

    def __init__(self, *args, revoked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if revoked:  # a revoked credential can only be re-issued, when the revocation was a correction
            action = self.fields["tindakan"]
            assert isinstance(action, forms.ChoiceField)
            action.choices = [(REISSUE, _("Terbitkan ulang dengan nomor baru"))]
            self.fields["tindakan"].initial = REISSUE
            self.fields["tindakan"].widget = forms.HiddenInput()
            self.fields["alasan"].label = _("Alasan penerbitan ulang")
