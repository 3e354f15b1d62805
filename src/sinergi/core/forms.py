"""Helpers shared by the apps' forms."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's refusal on the form: each message on its field when the form has that field,
    otherwise at the top of the form, so nothing the service said is lost."""
    fields = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
    for field, field_messages in fields.items():
        for message in field_messages:
            form.add_error(field if field in form.fields else None, message)


class TwoFactorCodeForm(forms.Form):
    """One box for the second step: the 6 digits of the authenticator app, or a recovery code."""

    kode = forms.CharField(
        label=_("Kode verifikasi"),
        max_length=40,
        help_text=_("6 angka dari aplikasi autentikator, atau salah satu kode pemulihan."),
        error_messages={"required": _("wajib diisi.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
