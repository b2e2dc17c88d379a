"""The issued PDF signed as a whole (PAdES baseline B) by the same key as its seal.

Any PDF reader then shows who issued the document and whether it changed since;
the seal stays the check that survives printing.  pyHanko (MIT) does the work.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from kvisa.documents.signer import SigningKey

T = TypeVar("T")


def sign_pdf(pdf: bytes, key: SigningKey, *, reason: str, location: str = "",
             name: str = "") -> bytes:
    """``pdf`` with an incremental PAdES signature by ``key`` (its certificate embedded)."""
    certificate = asn1_x509.Certificate.load(
        key.certificate.certificate.public_bytes(serialization.Encoding.DER))
    private = asn1_keys.PrivateKeyInfo.load(key.key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    signer = signers.SimpleSigner(
        signing_cert=certificate, signing_key=private,
        cert_registry=SimpleCertificateStore.from_certs([certificate]))
    metadata = signers.PdfSignatureMetadata(
        field_name="IssuerSignature", reason=reason, location=location or None,
        name=name or None, md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    output = _run(signers.async_sign_pdf(writer, metadata, signer=signer))
    return output.getvalue()


def _run(work: Coroutine[Any, Any, T]) -> T:
    """Run pyHanko's coroutine whether or not this thread already runs an event loop
    (a caller inside one — an async view, a test driving a browser — gets a thread)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(work)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, work).result()
