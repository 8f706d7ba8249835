#!/usr/bin/env python3
"""An independent implementation of the original byoky extension's crypto formats.

Written against the format description only (PBKDF2-HMAC-SHA256 with 600,000 iterations,
AES-256-GCM, base64 of salt16 || iv12 || ciphertext || tag16), using the `cryptography`
package. Byoky's Swift tests drive it to prove both sides read each other's output.

Reads one JSON request on stdin and prints one JSON answer:
  {"op": "encrypt", "password": p, "plaintext": s}          -> {"ciphertext": b64}
  {"op": "decrypt", "password": p, "ciphertext": b64}       -> {"plaintext": s}
  {"op": "hash", "password": p}                             -> {"hash": b64}
  {"op": "verify", "password": p, "hash": b64}              -> {"valid": bool}
  {"op": "export", "password": p, "backup": {...}}          -> {"file": text}
  {"op": "import", "password": p, "file": text}             -> {"backup": {...}}
In export/import, secrets appear in plain form under "secret"/"refreshToken"/"authToken".
"""
import base64
import json
import os
import sys

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

ITERATIONS = 600_000


def derive(password: str, salt: bytes) -> bytes:
    kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt, iterations=ITERATIONS)
    return kdf.derive(password.encode("utf-8"))


def encrypt(plaintext: str, password: str) -> str:
    salt = os.urandom(16)
    iv = os.urandom(12)
    sealed = AESGCM(derive(password, salt)).encrypt(iv, plaintext.encode("utf-8"), None)
    return base64.b64encode(salt + iv + sealed).decode("ascii")


def decrypt(encoded: str, password: str) -> str:
    raw = base64.b64decode(encoded, validate=True)
    salt, iv, sealed = raw[:16], raw[16:28], raw[28:]
    return AESGCM(derive(password, salt)).decrypt(iv, sealed, None).decode("utf-8")


def hash_password(password: str) -> str:
    salt = os.urandom(16)
    return base64.b64encode(salt + derive(password, salt)).decode("ascii")


def verify_password(password: str, stored: str) -> bool:
    raw = base64.b64decode(stored)
    if len(raw) != 48:
        return False
    import hmac

    return hmac.compare_digest(derive(password, raw[:16]), raw[16:])


def export_backup(backup: dict, password: str) -> str:
    credentials = []
    for item in backup.get("credentials", []):
        record = {k: v for k, v in item.items() if k not in ("secret", "refreshToken")}
        field = "encryptedAccessToken" if item["authMethod"] == "oauth" else "encryptedKey"
        record[field] = encrypt(item["secret"], password)
        if item.get("refreshToken"):
            record["encryptedRefreshToken"] = encrypt(item["refreshToken"], password)
        credentials.append(record)
    gifts = []
    for item in backup.get("gifts", []):
        record = dict(item)
        record["authToken"] = encrypt(item["authToken"], password)
        gifts.append(record)
    gifted = []
    for item in backup.get("giftedCredentials", []):
        record = dict(item)
        record["authToken"] = encrypt(item["authToken"], password)
        gifted.append(record)
    document = {
        "version": 2,
        "exportedAt": backup.get("exportedAt", 0),
        "credentials": credentials,
        "gifts": gifts,
        "giftedCredentials": gifted,
    }
    return encrypt(json.dumps(document), password)


def import_backup(text: str, password: str) -> dict:
    document = json.loads(decrypt(text.strip(), password))
    if document.get("version") != 2 or "credentials" not in document:
        raise ValueError("not a version 2 backup")
    credentials = []
    for item in document["credentials"]:
        record = {
            k: v
            for k, v in item.items()
            if k not in ("encryptedKey", "encryptedAccessToken", "encryptedRefreshToken")
        }
        sealed = item.get("encryptedAccessToken") if item["authMethod"] == "oauth" else item.get("encryptedKey")
        record["secret"] = decrypt(sealed, password)
        if item.get("encryptedRefreshToken"):
            record["refreshToken"] = decrypt(item["encryptedRefreshToken"], password)
        credentials.append(record)
    gifts = [dict(g, authToken=decrypt(g["authToken"], password)) for g in document.get("gifts", [])]
    gifted = [dict(g, authToken=decrypt(g["authToken"], password)) for g in document.get("giftedCredentials", [])]
    return {
        "exportedAt": document.get("exportedAt"),
        "credentials": credentials,
        "gifts": gifts,
        "giftedCredentials": gifted,
    }


def main() -> None:
    request = json.load(sys.stdin)
    op = request["op"]
    password = request["password"]
    if op == "encrypt":
        answer = {"ciphertext": encrypt(request["plaintext"], password)}
    elif op == "decrypt":
        answer = {"plaintext": decrypt(request["ciphertext"], password)}
    elif op == "hash":
        answer = {"hash": hash_password(password)}
    elif op == "verify":
        answer = {"valid": verify_password(password, request["hash"])}
    elif op == "export":
        answer = {"file": export_backup(request["backup"], password)}
    elif op == "import":
        answer = {"backup": import_backup(request["file"], password)}
    else:
        raise SystemExit(f"unknown op {op}")
    json.dump(answer, sys.stdout)


if __name__ == "__main__":
    main()
