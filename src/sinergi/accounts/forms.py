from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import User


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Nama pengguna atau kata sandi salah. Periksa kembali; huruf besar dan kecil dibedakan."
        ),
        "inactive": _("Akun ini tidak aktif. Hubungi admin daerah Anda."),
    }


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Also sends the link for a sign-up whose address was never confirmed: the link proves the address
    is the reader's, so it is the way out when someone else chose the password of a pending account."""

    def get_users(self, email):
        accounts = User.objects.filter(email__iexact=email).filter(
            Q(is_active=True) | Q(email_confirmed_at__isnull=True)
        )
        return (user for user in accounts if user.has_usable_password())


class SetPasswordForm(auth_forms.SetPasswordForm):
    """A pending sign-up that sets its password through a reset link is confirmed and active with it."""

    def save(self, commit=True):
        user = super().save(commit=False)
        if user.is_pending_signup:
            user.is_active = True
            user.email_confirmed_at = timezone.now()
        if commit:
            user.save()
        return user
