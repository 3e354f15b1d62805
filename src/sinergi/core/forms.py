"""Helpers shared by the apps' forms."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's refusal on the form: each message on its field when the form has that field,
    otherwise at the top of the form, so nothing the service said is lost."""
    fields = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
    for field, field_messages in fields.items():
        for message in field_messages:
            form.add_error(field if field in form.fields else None, message)
