"""``kvisa mrz|prid|vds|evisa|keys``: travel-document commands, JSON on stdout.

Exit codes: 0 valid, 1 invalid (a readable document that fails a check),
2 unusable input.  No traceback ever reaches the user.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from kvisa.cli.options import parse_date
from kvisa.cli.output import emit, fail, guarded
from kvisa.documents import issued_visa, mrz, resident_id, vds
from kvisa.documents.errors import DocumentError

# The e-visa, signer and verifier modules (PDF, fonts, PAdES, X.509) are
# imported inside the commands that use them: at the top they added two
# seconds to the start of every ``kvisa`` command.

mrz_app = typer.Typer(help="ICAO 9303 machine-readable zones.", no_args_is_help=True)
prid_app = typer.Typer(help="Foreign Permanent Resident ID numbers.", no_args_is_help=True)
vds_app = typer.Typer(help="ICAO Visible Digital Seals.", no_args_is_help=True)
evisa_app = typer.Typer(help="E-visa documents.", no_args_is_help=True)
keys_app = typer.Typer(help="Visa signer keys and certificates.", no_args_is_help=True)


def _date(value: str | None, option: str) -> dt.date | None:
    """An optional date option: None when not given (the document's own default)."""
    return None if value is None else parse_date(value, option)


def _lines(values: list[str]) -> list[str]:
    return [line for value in values for line in value.splitlines()]


@mrz_app.command("parse")
def mrz_parse(lines: Annotated[list[str], typer.Argument(help="The MRZ lines.")],
              on: Annotated[str | None, typer.Option(help="Reference date for centuries.")]
              = None) -> None:
    """Parse and check an MRZ (TD1, TD2, TD3, MRV-A, MRV-B)."""
    parsed = guarded(lambda: mrz.parse(_lines(lines), today=_date(on, "--on")))
    emit(parsed.as_dict(), 0 if parsed.valid else 1)


@mrz_app.command("compose")
def mrz_compose(
    source: Annotated[Path | None, typer.Argument(help="JSON file of fields (or use options).")]
    = None,
    format: Annotated[str, typer.Option("--format", help="TD1, TD2, TD3, MRVA or MRVB.")] = "TD3",
    surname: Annotated[str | None, typer.Option()] = None,
    given_names: Annotated[str, typer.Option()] = "",
    document_number: Annotated[str | None, typer.Option()] = None,
    nationality: Annotated[str | None, typer.Option()] = None,
    birth_date: Annotated[str | None, typer.Option()] = None,
    sex: Annotated[str, typer.Option()] = "<",
    expiry_date: Annotated[str | None, typer.Option()] = None,
    issuing_state: Annotated[str | None, typer.Option()] = None,
    document_code: Annotated[str | None, typer.Option()] = None,
    optional_data: Annotated[str, typer.Option()] = "",
) -> None:
    """Compose MRZ lines from fields, with every check digit."""
    fields: dict[str, Any]
    if source is not None:
        try:
            fields = json.loads(source.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            fail(f"{source}: {exc}")
        if not isinstance(fields, dict):
            fail(f"{source}: must be a JSON object of fields")
        format = str(fields.pop("format", format))
    else:
        fields = {"surname": surname, "given_names": given_names,
                  "document_number": document_number, "nationality": nationality,
                  "birth_date": birth_date, "sex": sex, "expiry_date": expiry_date,
                  "issuing_state": issuing_state, "document_code": document_code,
                  "optional_data": optional_data}
        missing = [k for k in ("surname", "document_number", "nationality", "issuing_state")
                   if not fields[k]]
        if missing:
            fail(f"--{missing[0].replace('_', '-')}: required")
    try:
        lines = mrz.compose(format.upper(), **fields)  # type: ignore[arg-type]
    except DocumentError as exc:
        fail(str(exc))
    except TypeError as exc:
        fail(f"fields: {exc}")
    emit({"format": format.upper(), "lines": lines})


@prid_app.command("check")
def prid_check(number: str) -> None:
    """Decode and check a permanent-resident ID number (2023 or older card)."""
    parsed = guarded(lambda: resident_id.parse(number))
    emit(parsed.as_dict(), 0 if parsed.valid else 1)


@prid_app.command("new")
def prid_new(
    province: Annotated[str, typer.Option(help="Province code, e.g. 31 Shanghai.")],
    nationality: Annotated[str, typer.Option(help="ISO 3166-1 alpha-3 or numeric.")],
    birth_date: Annotated[str, typer.Option(help="YYYY-MM-DD.")],
    sex: Annotated[str, typer.Option(help="M or F.")],
    sequence: Annotated[int, typer.Option(help="0-499.")] = 0,
) -> None:
    """Generate a 2023-version number with its check character."""
    number = guarded(lambda: resident_id.generate(
        province_code=province, nationality=nationality, birth_date=birth_date, sex=sex,
        sequence=sequence))
    emit(resident_id.parse(number).as_dict())


def read_seal(argument: str) -> bytes:
    """Seal bytes from hex text, a file of bytes or hex, or a PNG/JPEG/PDF with the barcode."""
    path = Path(argument)
    try:
        is_file = len(argument) < 1024 and path.is_file()
    except OSError:  # a long hex string is not a usable file name
        is_file = False
    if is_file:
        data = path.read_bytes()
        if data[:1] == bytes((vds.MAGIC,)):
            return data
        if data[:5] == b"%PDF-" or data[:8] == b"\x89PNG\r\n\x1a\n" or data[:3] == b"\xff\xd8\xff":
            from kvisa.documents import evisa

            return evisa.find_seal(data)
        try:
            return bytes.fromhex(data.decode("ascii").replace(" ", "").strip())
        except (UnicodeDecodeError, ValueError):
            raise DocumentError(f"{path}: neither seal bytes, hex, PNG, JPEG nor PDF") from None
    try:
        return bytes.fromhex(argument.replace(" ", ""))
    except ValueError:
        raise DocumentError("SEAL is not hex and not a readable file") from None


@vds_app.command("decode")
def vds_decode(seal: Annotated[str, typer.Argument(help="Hex, a file, or a PNG/PDF.")]) -> None:
    """Decode a seal of any document type (visa features by name)."""
    decoded = guarded(lambda: vds.decode(read_seal(seal)))
    features = guarded(lambda: vds.describe_features(decoded))
    emit({"header": decoded.header.as_dict(), "features": features,
          "signature": decoded.signature.hex() if decoded.signature else None})


@vds_app.command("verify")
def vds_verify(
    seal: Annotated[str, typer.Argument(help="Hex, a file, or a PNG/PDF.")],
    cert: Annotated[list[Path], typer.Option("--cert", help="Signer certificate (PEM/DER); "
                                             "repeatable.")],
    passport_mrz: Annotated[list[str] | None, typer.Option(help="Passport MRZ line "
                                                           "(repeat per line).")] = None,
    printed_mrz: Annotated[list[str] | None, typer.Option(help="Printed visa MRZ line "
                                                          "(repeat per line).")] = None,
    on: Annotated[str | None, typer.Option(help="Date of the check (default today).")] = None,
) -> None:
    """Verify a seal offline; exit 0 only for status valid."""
    from kvisa.documents.signer import read_certificate
    from kvisa.documents.verify import verify

    when = _date(on, "--on")
    certificates = guarded(lambda: [read_certificate(path) for path in cert])
    data = guarded(lambda: read_seal(seal))
    result = verify(data, certificates, on=when,
                    passport_mrz=_lines(passport_mrz) if passport_mrz else None,
                    printed_mrz=_lines(printed_mrz) if printed_mrz else None)
    emit(result.as_dict(), 0 if result.valid else 1)


@evisa_app.command("issue")
def evisa_issue(
    visa: Annotated[Path, typer.Argument(help="Issued visa JSON.")],
    key: Annotated[Path, typer.Option(help="Signer private key (PEM).")],
    cert: Annotated[Path, typer.Option(help="Signer certificate (PEM/DER).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="PDF to write.")],
    seal_out: Annotated[Path | None, typer.Option(help="Also write the seal bytes.")] = None,
) -> None:
    """Issue an e-visa PDF; print the seal as hex."""
    from kvisa.documents import evisa
    from kvisa.documents.signer import load_signing_key

    try:
        record = issued_visa.visa_from_json(visa.read_bytes())
        signing = load_signing_key(key, cert)
        issued = evisa.issue(record, signing)
    except OSError as exc:
        fail(f"{visa}: cannot read ({exc.strerror})")
    except DocumentError as exc:
        fail(str(exc))
    output.write_bytes(issued.pdf)
    if seal_out:
        seal_out.write_bytes(issued.seal)
    sys.stdout.write(issued.seal.hex().upper() + "\n")


@keys_app.command("init")
def keys_init(
    folder: Annotated[Path, typer.Option("--dir", help="Where to write the key and "
                                         "certificate.")] = Path("var/keys"),
    country: Annotated[str, typer.Option(help="Two-letter country of the signer.")] = "CN",
    common_name: Annotated[str, typer.Option("--cn", help="Two-character signer name.")] = "KV",
    curve: Annotated[str, typer.Option(help="P-256, P-384, P-521 or brainpool.")] = "P-256",
    force: Annotated[bool, typer.Option(help="Replace an existing key.")] = False,
) -> None:
    """Create a demo visa signer key and self-signed certificate."""
    from kvisa.documents.signer import create_signer, read_certificate

    if (folder / "visa-signer.key.pem").exists() and not force:
        fail(f"{folder}/visa-signer.key.pem exists (use --force to replace it)")
    key_path, cert_path = guarded(lambda: create_signer(
        folder, country=country, common_name=common_name, curve=curve))
    certificate = read_certificate(cert_path)
    emit({"key": str(key_path), "certificate": str(cert_path), "signer": certificate.signer,
          "certificate_reference": certificate.reference, "curve": certificate.curve})


def register(app: typer.Typer) -> None:
    app.add_typer(mrz_app, name="mrz")
    app.add_typer(prid_app, name="prid")
    app.add_typer(vds_app, name="vds")
    app.add_typer(evisa_app, name="evisa")
    app.add_typer(keys_app, name="keys")
