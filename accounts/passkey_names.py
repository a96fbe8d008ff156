"""django-otp-webauthn's names in the admin, listed so that `make makemessages` keeps them in locale/fr
and locale/ht: the package ships no French or Kreyòl. Nothing imports this module; it is read by
makemessages only (as mss_portal/formats/ht/admin_names.py is for Django's admin)."""

from django.utils.translation import gettext_noop

PASSKEY_ADMIN_NAMES = [
    gettext_noop("OTP WebAuthn"),
    gettext_noop("WebAuthn credential"),
    gettext_noop("WebAuthn credentials"),
]
