"""Links sent by e-mail that prove the reader owns the address: Django's token machinery, no own crypto."""

from django.contrib.auth.tokens import PasswordResetTokenGenerator


class EmailConfirmationTokenGenerator(PasswordResetTokenGenerator):
    """The sign-up confirmation link: valid for PASSWORD_RESET_TIMEOUT, and dead as soon as the address is
    confirmed (single use), the password changes, the account signs in or the address changes."""

    key_salt = "sinergi.accounts.tokens.EmailConfirmationTokenGenerator"

    def _make_hash_value(self, user, timestamp: int) -> str:
        confirmed = "" if user.email_confirmed_at is None else user.email_confirmed_at.isoformat()
        return super()._make_hash_value(user, timestamp) + f"|{user.is_active}|{confirmed}"


email_confirmation_token = EmailConfirmationTokenGenerator()
