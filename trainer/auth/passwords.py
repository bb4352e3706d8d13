"""Password rules and hashing (argon2id)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _

MIN_LENGTH = 12
MAX_LENGTH = 128

# A short list of the most common passwords that meet the length rule.
COMMON = {
    "123456789012",
    "1234567890123",
    "qwertyuiopas",
    "password1234",
    "losenord1234",
    "lösenord1234",
    "aaaaaaaaaaaa",
    "passwordpassword",
    "qwerty123456",
    "123456123456",
    "iloveyou1234",
    "abcdefghijkl",
    "sommar2024!!",
    "sommar123456",
    "111111111111",
}


def password_problem(password: str) -> str | None:
    """Why a new password is not acceptable, or None when it is."""
    if len(password) < MIN_LENGTH:
        return _("Lösenordet måste ha minst %(n)d tecken.", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _("Lösenordet får ha högst %(n)d tecken.", n=MAX_LENGTH)
    if password.strip().lower() in COMMON:
        return _("Lösenordet är för vanligt. Välj ett annat, gärna några ord i rad.")
    return None


def _hasher() -> PasswordHasher:
    params = current_app.config["ARGON2"]
    return PasswordHasher(**params)


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    """Check a password; with no stored hash, still spend the same time (no enumeration)."""
    hasher = _hasher()
    if not stored:
        stored = current_app.config.setdefault("_DUMMY_HASH", hasher.hash("dummy-password-x"))
        try:
            hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            pass
        return False
    try:
        return hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False
