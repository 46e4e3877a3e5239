"""Sealed ballots: what an organisation voted is encrypted from the moment it is cast until the count.

A cast writes two rows in one transaction: the cast record (organisation, person, time) and a sealed
box holding the approved nominations. In PostgreSQL both rows carry that transaction's id (``xmin``)
and lie next to each other on disk, so the box must not be readable from the database: it is a
libsodium sealed box (X25519 + XSalsa20-Poly1305, PyNaCl) to the round's public key, whose private
key is derived from a master secret in the environment (``ELECTIONS_BALLOT_KEY``), never stored.

The count (``services.round_count``) opens every box, shuffles the contents and writes them as
plain ``Ballot`` rows with fresh random ids in one transaction, then deletes the boxes: the stored
ballots share the count's transaction id and lie in random order, so nothing pairs them with casts.

The plaintext is padded to a length that depends only on the round's number of seats, so the
length of a box says nothing about how many candidates it approves.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import struct
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox

MAGIC = b"SVB1"
HEADER = struct.Struct(">4sH")  # magic, number of approvals
ID = struct.Struct(">Q")
SLOT_BLOCK = 32  # room for approvals is reserved in blocks of this many
SEAL_OVERHEAD = 48  # ephemeral public key (32) + MAC (16)
MASTER_LABEL = b"samverkan/elections/ballot-master/v1"
ROUND_LABEL = b"samverkan/elections/ballot-round/v1:"


class BallotKeyError(Exception):
    """No key in the environment opens (or may seal) a round's ballots."""


class BallotOpenError(Exception):
    """A sealed ballot did not open or held something that is not a ballot."""


# Keys ------------------------------------------------------------------------------------------------


def _decode_master(value: str) -> bytes:
    try:
        raw = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 32:
        raise ImproperlyConfigured(
            "ELECTIONS_BALLOT_KEY must be 32 random bytes in base64 (e.g. `head -c 32 /dev/urandom | base64`); "
            "several keys are separated by commas, the first one in use."
        )
    return raw


def configured_keys(value: str | None = None) -> list[bytes]:
    """The master keys given in ``ELECTIONS_BALLOT_KEY`` (comma-separated, the first in use)."""
    value = settings.ELECTIONS_BALLOT_KEY if value is None else value
    return [_decode_master(part) for part in (value or "").split(",") if part.strip()]


def _derived_from_secret_key(secret: str) -> bytes:
    # A distinct label: the ballot master is not a key Django uses for anything else.
    return hmac.new(secret.encode(), MASTER_LABEL, hashlib.sha256).digest()


def master_keys() -> list[bytes]:
    """Every master key the environment holds, the one new rounds are sealed with first.

    ``ELECTIONS_BALLOT_KEY`` (its keys in order); then keys derived from ``SECRET_KEY`` and
    ``SECRET_KEY_FALLBACKS``, so that a round begun before the key was set, or before the secret
    key was rotated (the old one kept as a fallback), can still be counted.
    """
    keys = configured_keys()
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    keys += [_derived_from_secret_key(secret) for secret in secrets if secret]
    unique = []
    for key in keys:
        if key not in unique:
            unique.append(key)
    return unique


def round_private_key(master: bytes, round_id: int) -> PrivateKey:
    """The round's X25519 key: HMAC-SHA256(master, label + round id). Deterministic, never stored."""
    return PrivateKey(hmac.new(master, ROUND_LABEL + str(int(round_id)).encode(), hashlib.sha256).digest())


def encode_public_key(key: PublicKey) -> str:
    return base64.b64encode(bytes(key)).decode()


@dataclass(frozen=True)
class RoundKey:
    private: PrivateKey

    @property
    def public(self) -> PublicKey:
        return self.private.public_key

    @property
    def public_b64(self) -> str:
        return encode_public_key(self.public)


def key_for_round(round_id: int, stored_public_key: str) -> RoundKey:
    """The key pair whose public half is the one stored on the round, from a master in the environment.

    A round's ballots are sealed only to a key whose private half the environment can derive: a
    public key written into the database by someone else is refused, so ballots cannot be redirected
    to a key an intruder holds.
    """
    for master in master_keys():
        candidate = RoundKey(round_private_key(master, round_id))
        if not stored_public_key or hmac.compare_digest(candidate.public_b64, stored_public_key):
            return candidate
    raise BallotKeyError(
        f"No key in the environment (ELECTIONS_BALLOT_KEY, SECRET_KEY, SECRET_KEY_FALLBACKS) belongs to the "
        f"ballot key of selection round {round_id}."
    )


# Boxes ------------------------------------------------------------------------------------------------


def capacity(seats: int) -> int:
    """Approvals a box has room for: the seats, rounded up to a whole block (at least one block)."""
    return max(1, -(-int(seats) // SLOT_BLOCK)) * SLOT_BLOCK


def plaintext_size(seats: int) -> int:
    return HEADER.size + ID.size * capacity(seats)


def sealed_size(seats: int) -> int:
    return plaintext_size(seats) + SEAL_OVERHEAD


def pad(nomination_ids, *, seats: int) -> bytes:
    """The approvals in a fixed-length plaintext: magic, count, ids, zeros up to the round's size."""
    ids = sorted({int(pk) for pk in nomination_ids})
    if len(ids) > capacity(seats):
        raise ValueError("more approvals than the ballot has room for")
    body = HEADER.pack(MAGIC, len(ids)) + b"".join(ID.pack(pk) for pk in ids)
    return body + bytes(plaintext_size(seats) - len(body))


def unpad(plaintext: bytes) -> list[int]:
    if len(plaintext) < HEADER.size or (len(plaintext) - HEADER.size) % ID.size:
        raise BallotOpenError("a sealed ballot has the wrong length")
    magic, count = HEADER.unpack_from(plaintext)
    end = HEADER.size + count * ID.size
    if magic != MAGIC or end > len(plaintext) or any(plaintext[end:]):
        raise BallotOpenError("a sealed ballot is not in the ballot format")
    ids = [ID.unpack_from(plaintext, HEADER.size + i * ID.size)[0] for i in range(count)]
    if len(set(ids)) != len(ids) or 0 in ids:
        raise BallotOpenError("a sealed ballot approves a candidate twice")
    return ids


def seal(nomination_ids, *, public_key: PublicKey, seats: int) -> bytes:
    """A box only the round's private key opens; every box of a round has the same length."""
    return SealedBox(public_key).encrypt(pad(nomination_ids, seats=seats))


def open_box(box: bytes, *, private_key: PrivateKey) -> list[int]:
    """The nomination ids in a box; ``BallotOpenError`` if it does not open or is not a ballot."""
    try:
        plaintext = SealedBox(private_key).decrypt(bytes(box))
    except CryptoError as exc:
        raise BallotOpenError("a sealed ballot does not open with the round's key") from exc
    return unpad(plaintext)
