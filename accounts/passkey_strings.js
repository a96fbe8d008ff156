// django-otp-webauthn's script strings, listed so that `make makemessages` keeps them in locale/fr and
// locale/ht (djangojs): the package ships no French or Kreyòl, and its catalog view
// (/accounts/passkeys/jsi18n/) merges ours. Nothing loads this file (it is not under static/); it is
// read by makemessages only. The strings are exactly django-otp-webauthn 0.10.3's.
export const PASSKEY_SCRIPT_STRINGS = [
  gettext("An error occurred during verification."),
  gettext("Finishing verification..."),
  gettext("Verification aborted."),
  gettext("Verification canceled or not allowed."),
  gettext("Verification failed. A server error occurred."),
  gettext("Verification failed. An unknown error occurred."),
  gettext("Verification failed. An unknown server error occurred."),
  gettext("Verification failed. Could not retrieve parameters from the server."),
  gettext("Verification successful!"),
  gettext("Verify with Passkey"),
  gettext("Verifying..."),
  gettext("An error occurred during registration."),
  gettext("Finishing registration..."),
  gettext("Register a Passkey"),
  gettext("Registering..."),
  gettext("Registration aborted or not allowed."),
  gettext("Registration aborted."),
  gettext("Registration failed. A server error occurred."),
  gettext("Registration failed. A technical problem occurred that prevents you from registering a Passkey for this site."),
  gettext("Registration failed. An unknown error occurred."),
  gettext("Registration failed. The server was unable to verify this passkey."),
  gettext("Registration failed. Unable to fetch registration options from server."),
  gettext("Registration failed. You most likely already have a Passkey registered for this site."),
  gettext("Registration successful!"),
];
