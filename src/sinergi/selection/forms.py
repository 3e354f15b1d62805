from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.selection.models import RunKind
from sinergi.selection.services import DEFAULT_RESPONSE_DAYS, MAX_RESPONSE_DAYS


class NewRunForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis alokasi"), choices=RunKind.choices, initial=RunKind.MAIN)
    reason = forms.CharField(
        label=_("Alasan"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wajib untuk alokasi ulang dan alokasi susulan; tercatat di jejak audit."),
    )


class PublishForm(forms.Form):
    response_days = forms.IntegerField(
        label=_("Lama waktu peserta menjawab (hari)"),
        min_value=1,
        max_value=MAX_RESPONSE_DAYS,
        initial=DEFAULT_RESPONSE_DAYS,
    )
    confirm = forms.BooleanField(
        label=_("Saya sudah meninjau statistik; hasil yang diterbitkan tidak dapat diubah."), required=True
    )


class DeclineForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "Saya mengerti bahwa kursi ini akan diberikan kepada pendaftar lain dan tidak dapat dikembalikan."
        ),
        required=True,
    )
