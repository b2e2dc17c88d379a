"""``kvisa mrz|prid|vds|evisa|keys``: JSON out, exit 0 valid / 1 invalid / 2 unusable."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from kvisa.cli import app
from kvisa.documents.mrz import compose

from .test_mrz import SPECIMENS
from .test_vds import VDSTOOLS_VISA, VISA

runner = CliRunner()


def run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


def test_mrz_parse_exit_codes() -> None:
    good = run("mrz", "parse", *SPECIMENS["TD3"])
    assert good.exit_code == 0
    document = json.loads(good.stdout)
    assert document["format"] == "TD3" and document["valid"] is True
    assert {"field", "expected", "found", "ok"} <= set(document["checks"][0])
    bad_digit = SPECIMENS["TD3"][1].replace("L898902C36", "L898902C35")
    assert run("mrz", "parse", SPECIMENS["TD3"][0], bad_digit).exit_code == 1
    unusable = run("mrz", "parse", "hello")
    assert unusable.exit_code == 2 and "error:" in unusable.stderr
    assert "Traceback" not in unusable.output


def test_mrz_compose_from_options_and_json(tmp_path: Path) -> None:
    result = run("mrz", "compose", "--format", "TD3", "--surname", "Eriksson",
                 "--given-names", "Anna Maria", "--document-number", "L898902C3",
                 "--nationality", "UTO", "--birth-date", "1974-08-12", "--sex", "F",
                 "--expiry-date", "2012-04-15", "--issuing-state", "UTO",
                 "--optional-data", "ZE184226B")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["lines"] == SPECIMENS["TD3"]
    fields = tmp_path / "f.json"
    fields.write_text(json.dumps({"format": "MRVB", "surname": "Eriksson",
                                  "given_names": "Anna Maria", "document_number": "L8988901C",
                                  "nationality": "XXX", "birth_date": "1974-08-12", "sex": "F",
                                  "expiry_date": "1996-12-10", "issuing_state": "UTO"}))
    assert json.loads(run("mrz", "compose", str(fields)).stdout)["lines"] == SPECIMENS["MRVB"]
    assert run("mrz", "compose", "--surname", "A").exit_code == 2


def test_prid_commands() -> None:
    new = run("prid", "new", "--province", "44", "--nationality", "DEU", "--birth-date",
              "1988-08-08", "--sex", "M", "--sequence", "3")
    assert new.exit_code == 0
    number = json.loads(new.stdout)["number"]
    assert run("prid", "check", number).exit_code == 0
    assert run("prid", "check", number[:17] + ("1" if number[17] == "0" else "0")).exit_code == 1
    assert run("prid", "check", "hello").exit_code == 2


def test_vds_decode_from_hex_file_and_pdf(tmp_path: Path) -> None:
    hex_result = run("vds", "decode", VDSTOOLS_VISA.hex())
    assert hex_result.exit_code == 0
    document = json.loads(hex_result.stdout)
    assert set(document["header"]) == {"version", "issuing_state", "signer",
                                       "certificate_reference", "issue_date",
                                       "signature_date", "feature_definition",
                                       "document_type"}
    assert document["features"]["passport_number"] == "47110815P"
    raw = tmp_path / "seal.bin"
    raw.write_bytes(VDSTOOLS_VISA)
    assert json.loads(run("vds", "decode", str(raw)).stdout) == document
    assert run("vds", "decode", "DC03").exit_code == 2
    assert run("vds", "decode", "zz").exit_code == 2


def test_keys_evisa_issue_and_verify(tmp_path: Path) -> None:
    keys = run("keys", "init", "--dir", str(tmp_path / "keys"))
    assert keys.exit_code == 0, keys.output
    info = json.loads(keys.stdout)
    assert run("keys", "init", "--dir", str(tmp_path / "keys")).exit_code == 2  # no overwrite
    visa = tmp_path / "visa.json"
    visa.write_text(json.dumps(VISA))
    pdf, seal_file = tmp_path / "visa.pdf", tmp_path / "seal.bin"
    issued = run("evisa", "issue", str(visa), "--key", info["key"], "--cert",
                 info["certificate"], "-o", str(pdf), "--seal-out", str(seal_file))
    assert issued.exit_code == 0, issued.output
    assert bytes.fromhex(issued.stdout.strip()) == seal_file.read_bytes()
    for source in (str(pdf), str(seal_file), issued.stdout.strip()):
        result = run("vds", "verify", source, "--cert", info["certificate"], "--on",
                     "2026-06-01")
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["status"] == "valid"
    expired = run("vds", "verify", str(seal_file), "--cert", info["certificate"], "--on",
                  "2032-01-01")
    assert expired.exit_code == 1 and json.loads(expired.stdout)["status"] == "expired"
    passport = compose("TD3", surname="Sharma", given_names="Priya Devi",
                       document_number="Z1234567", nationality="IND", birth_date="1996-05-14",
                       sex="F", expiry_date="2033-01-01", issuing_state="IND")
    checked = run("vds", "verify", str(seal_file), "--cert", info["certificate"], "--on",
                  "2026-06-01", "--passport-mrz", passport[0], "--passport-mrz", passport[1])
    assert json.loads(checked.stdout)["status"] == "valid"
    bad_visa = tmp_path / "bad.json"
    bad_visa.write_text(json.dumps({**VISA, "sex": "Q"}))
    assert run("evisa", "issue", str(bad_visa), "--key", info["key"], "--cert",
               info["certificate"], "-o", str(pdf)).exit_code == 2
