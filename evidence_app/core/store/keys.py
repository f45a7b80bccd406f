"""The keys of an encrypted case: the key file, the passphrase, the recovery key.

An encrypted case has one random 256-bit data key. It never touches the disk in the
clear: `case.key` (JSON) holds it twice, wrapped with AES-256-GCM

- by a key derived from the passphrase with Argon2id (memory-hard: each guess costs an
  attacker the same memory and time as an unlock, see `DEFAULT_KDF`), and
- by a key derived from the recovery key (random, 175 bits, so a fast derivation is
  enough), shown once when the case is made.

Changing the passphrase re-wraps the data key only: nothing else in the case changes.
The keys for the database, the files, their names and the cache are derived from the
data key (HKDF-SHA256, one label each), so one never reveals another.

Nothing here logs, and no error message carries a passphrase or a key.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import os
import secrets
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from evidence_app.core.errors import (
    CaseError,
    RecoveryKeyInvalid,
    WrongPassphrase,
    WrongRecoveryKey,
)
from evidence_app.core.store.folder import KEY_FILE
from evidence_app.core.store.folder import has_key_file as has_key_file  # its old home

FORMAT = "evidence-app encrypted case"
VERSION = 1
# Argon2id with RFC 9106's second recommended setting (for memory-constrained
# environments): 64 MiB, 3 passes, 4 lanes. About 0.1 s on an idle 2-core machine and
# under 0.5 s on a loaded one (bench/bench_encrypted.py); every guess an attacker makes
# costs the same. Stored in the key file, so a later version may raise it.
DEFAULT_KDF: dict[str, Any] = {"name": "argon2id", "time_cost": 3,
                               "memory_cost_kib": 64 * 1024, "parallelism": 4}
MIN_MEMORY_KIB = 64 * 1024
MIN_PASSPHRASE = 8

# Crockford's base32: no I, L, O or U, so nothing is misread when typed back.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_READ_AS = {"I": "1", "L": "1", "O": "0"}
RECOVERY_GROUPS = 7  # groups of 5 random characters (175 bits), then one checksum group
GROUP = 5


@dataclass(frozen=True)
class CaseKeys:
    """The keys an open encrypted case works with (all derived from the data key)."""

    database: bytes  # SQLCipher's raw key
    files: bytes     # AES-256-GCM for originals
    names: bytes     # HMAC-SHA256 for the names stored files are kept under
    cache: bytes     # AES-256-GCM for thumbnails and renditions

    def __repr__(self) -> str:  # never print a key, even in a traceback's locals
        return "CaseKeys(<hidden>)"

    @classmethod
    def from_data_key(cls, data_key: bytes) -> CaseKeys:
        return cls(*(_derive(data_key, label) for label in
                     (b"database", b"files", b"names", b"cache")))


class ClosedKeys:
    """Stands in for a closed (or locked) case's keys, so the stores that held them no
    longer refer to them: any later use says the case is closed."""

    def __getattr__(self, name: str) -> bytes:
        raise CaseError("The case is closed (or locked); open it again to go on.")

    def __repr__(self) -> str:
        return "CaseKeys(<closed>)"


def closed_keys() -> CaseKeys:
    """A `ClosedKeys`, typed as the keys it replaces."""
    return cast(CaseKeys, ClosedKeys())


def _derive(data_key: bytes, label: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=b"evidence-app/v1/" + label).derive(data_key)


def key_file(folder: Path) -> Path:
    """Where a case folder keeps its wrapped keys."""
    return Path(folder) / KEY_FILE


# --------------------------------------------------------------------- passphrase KDF
def normalise_passphrase(passphrase: str) -> bytes:
    """The bytes a passphrase stands for: NFC, so the same words typed on another
    keyboard or system give the same key (spaces are kept: they are part of it)."""
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def check_new_passphrase(passphrase: str) -> None:
    """Refuse a passphrase too short to protect anything (ValueError-free: a CaseError)."""
    if len(passphrase.strip()) < MIN_PASSPHRASE:
        raise CaseError(f"Choose a passphrase of at least {MIN_PASSPHRASE} characters; a few "
                        "ordinary words in a row are easy to remember and hard to guess.")


def passphrase_key(passphrase: str, salt: bytes, kdf: dict[str, Any]) -> bytes:
    """The key that wraps the data key, stretched from the passphrase with Argon2id."""
    from argon2.low_level import Type, hash_secret_raw

    if kdf.get("name") != "argon2id":
        raise CaseError(f"This case's key file uses a key derivation this version of the app "
                        f"does not know ({kdf.get('name')!r}).")
    return hash_secret_raw(normalise_passphrase(passphrase), salt,
                           time_cost=int(kdf["time_cost"]),
                           memory_cost=int(kdf["memory_cost_kib"]),
                           parallelism=int(kdf["parallelism"]), hash_len=32, type=Type.ID)


# ----------------------------------------------------------------------- recovery key
def new_recovery_key() -> str:
    """A fresh recovery key, formatted for writing down."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(RECOVERY_GROUPS * GROUP))
    return format_recovery_key(body + _checksum(body))


def _checksum(body: str) -> str:
    digest = int.from_bytes(hashlib.sha256(b"evidence-app recovery " + body.encode()).digest()[:4])
    return "".join(ALPHABET[(digest >> (5 * i)) & 31] for i in range(GROUP))


def format_recovery_key(key: str) -> str:
    """The recovery key as groups of five: 'ABCDE-FGHJK-...'."""
    clean = normalise_recovery_key(key)
    return "-".join(clean[i:i + GROUP] for i in range(0, len(clean), GROUP))


def normalise_recovery_key(text: str) -> str:
    """A recovery key as typed (any spacing, case or dashes; I, L read as 1 and O as 0)
    reduced to its characters. RecoveryKeyInvalid when it cannot be one."""
    chars = [_READ_AS.get(ch, ch) for ch in text.upper() if ch.isalnum()]
    clean = "".join(chars)
    wanted = (RECOVERY_GROUPS + 1) * GROUP
    bad = sorted({ch for ch in clean if ch not in ALPHABET})
    if bad:
        raise RecoveryKeyInvalid(f"A recovery key has no {', '.join(bad)} in it; check what "
                                 "you typed against what you wrote down.")
    if len(clean) != wanted:
        raise RecoveryKeyInvalid(f"A recovery key has {wanted} letters and digits (8 groups "
                                 f"of 5); this has {len(clean)}.")
    if _checksum(clean[:-GROUP]) != clean[-GROUP:]:
        raise RecoveryKeyInvalid("That recovery key has a typing mistake in it (its last "
                                 "group does not match the others); check each group.")
    return clean


def recovery_wrap_key(recovery_key: str, salt: bytes) -> bytes:
    """The key that wraps the data key for the recovery key (random enough for HKDF)."""
    clean = normalise_recovery_key(recovery_key)
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt,
                info=b"evidence-app/v1/recovery").derive(clean.encode("ascii"))


# ------------------------------------------------------------------------- wrapping
def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any) -> bytes:
    return base64.b64decode(str(text), validate=True)


def _wrap(kek: bytes, data_key: bytes, aad: bytes) -> str:
    nonce = os.urandom(12)
    return _b64(nonce + AESGCM(kek).encrypt(nonce, data_key, aad))


def _unwrap(kek: bytes, wrapped: str, aad: bytes) -> bytes:
    raw = _unb64(wrapped)
    return AESGCM(kek).decrypt(raw[:12], raw[12:], aad)


@dataclass
class KeyFile:
    """What `case.key` holds (see module docstring)."""

    kdf: dict[str, Any]
    salt: bytes
    by_passphrase: str
    recovery_salt: bytes
    by_recovery: str
    case_id: str

    def _aad(self, which: str) -> bytes:
        return f"{FORMAT} v{VERSION} {self.case_id} {which}".encode()

    @classmethod
    def new(cls, passphrase: str, kdf: dict[str, Any] | None = None,
            ) -> tuple[KeyFile, bytes, str]:
        """A key file for a new case: (key file, data key, recovery key)."""
        check_new_passphrase(passphrase)
        kdf = dict(kdf or DEFAULT_KDF)
        if int(kdf["memory_cost_kib"]) < MIN_MEMORY_KIB:
            raise ValueError("the passphrase derivation must use at least 64 MiB")
        data_key = secrets.token_bytes(32)
        recovery = new_recovery_key()
        made = cls(kdf=kdf, salt=secrets.token_bytes(16), by_passphrase="",
                   recovery_salt=secrets.token_bytes(16), by_recovery="",
                   case_id=secrets.token_hex(16))
        made.by_passphrase = _wrap(passphrase_key(passphrase, made.salt, kdf), data_key,
                                   made._aad("passphrase"))
        made.by_recovery = _wrap(recovery_wrap_key(recovery, made.recovery_salt), data_key,
                                 made._aad("recovery"))
        return made, data_key, recovery

    def unlock(self, passphrase: str) -> bytes:
        """The data key (WrongPassphrase if the passphrase does not open it)."""
        try:
            return _unwrap(passphrase_key(passphrase, self.salt, self.kdf),
                           self.by_passphrase, self._aad("passphrase"))
        except InvalidTag:
            raise WrongPassphrase("That passphrase does not open this case. Check Caps Lock "
                                  "and the keyboard layout, then try again.") from None

    def unlock_with_recovery(self, recovery_key: str) -> bytes:
        """The data key (WrongRecoveryKey if this recovery key is not the case's)."""
        try:
            return _unwrap(recovery_wrap_key(recovery_key, self.recovery_salt),
                           self.by_recovery, self._aad("recovery"))
        except InvalidTag:
            raise WrongRecoveryKey("That recovery key is not this case's. Check it against "
                                   "the sheet made when the case was created.") from None

    def rewrap(self, data_key: bytes, new_passphrase: str) -> KeyFile:
        """The same key file with the data key wrapped by a new passphrase (new salt)."""
        check_new_passphrase(new_passphrase)
        salt = secrets.token_bytes(16)
        kdf = dict(self.kdf)
        if int(kdf["memory_cost_kib"]) < int(DEFAULT_KDF["memory_cost_kib"]):
            kdf = dict(DEFAULT_KDF)  # an older, weaker setting is brought up to date
        made = KeyFile(kdf=kdf, salt=salt, by_passphrase="", recovery_salt=self.recovery_salt,
                       by_recovery=self.by_recovery, case_id=self.case_id)
        made.by_passphrase = _wrap(passphrase_key(new_passphrase, salt, kdf), data_key,
                                   made._aad("passphrase"))
        return made

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "version": VERSION, "case_id": self.case_id,
                "kdf": {**self.kdf, "salt": _b64(self.salt)},
                "wrapped_keys": {"passphrase": self.by_passphrase,
                                 "recovery": {"salt": _b64(self.recovery_salt),
                                              "key": self.by_recovery}},
                "cipher": {"database": "SQLCipher 4 (raw key)",
                           "files": "AES-256-GCM, 64 KiB chunks"}}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> KeyFile:
        if data.get("format") != FORMAT:
            raise CaseError("The case's key file (case.key) is not one this app made.")
        if int(data.get("version", 0)) > VERSION:
            raise CaseError("This case was encrypted by a newer version of the app. Please "
                            "update the app to open it.")
        kdf = dict(data["kdf"])
        salt = _unb64(kdf.pop("salt"))
        wrapped = data["wrapped_keys"]
        return cls(kdf=kdf, salt=salt, by_passphrase=str(wrapped["passphrase"]),
                   recovery_salt=_unb64(wrapped["recovery"]["salt"]),
                   by_recovery=str(wrapped["recovery"]["key"]), case_id=str(data["case_id"]))


def read_key_file(folder: Path) -> KeyFile:
    """The folder's key file (CaseError when it is missing or damaged)."""
    path = key_file(folder)
    try:
        return KeyFile.from_json(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise CaseError(f"The case in {folder} is encrypted but its key file ({KEY_FILE}) is "
                        "missing; it cannot be opened without it. Restore the case folder "
                        "from a backup.") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CaseError(f"The key file of the case in {folder} ({KEY_FILE}) cannot be read "
                        f"({type(exc).__name__}); restore the case folder from a "
                        "backup.") from None


def write_key_file(folder: Path, keys: KeyFile) -> None:
    """Write the key file whole or not at all (temp file, fsync, rename, fsync folder)."""
    text = json.dumps(keys.to_json(), indent=2) + "\n"
    fd, tmp = tempfile.mkstemp(prefix=".case.key-", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, key_file(folder))
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if os.name == "posix":
        dfd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)


def name_for(names_key: bytes, label: str) -> str:
    """The name a stored file is kept under: an HMAC of what it is, so a name reveals
    nothing (not even the plain SHA-256 of an original)."""
    return hmac.new(names_key, label.encode("utf-8"), hashlib.sha256).hexdigest()


def forget(data: bytearray) -> None:
    """Overwrite key material held in a bytearray (as far as Python allows)."""
    with contextlib.suppress(Exception):
        for i in range(len(data)):
            data[i] = 0
