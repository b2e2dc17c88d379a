"""The issued visa as data: what the casework service hands the document layer, and
what both the e-visa's seal and its printed page are drawn from."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from kvisa.documents.errors import DocumentError


class IssuedVisa(BaseModel):
    """An issued visa, as the casework service hands it to the document layer."""

    model_config = ConfigDict(extra="forbid", strict=True)

    surname: str = Field(min_length=1, max_length=80)
    given_names: str = Field(default="", max_length=80)
    nationality: str = Field(pattern=r"^[A-Z<]{1,3}$")
    date_of_birth: dt.date
    sex: Literal["F", "M", "X", "<"]
    passport_number: str = Field(pattern=r"^[A-Z0-9]{1,9}$")
    visa_type: str = Field(pattern=r"^[A-Z][A-Z0-9]?$")
    visa_number: str = Field(pattern=r"^[A-Z0-9]{1,9}$")
    issuing_state: str = Field(pattern=r"^[A-Z<]{1,3}$")
    valid_from: dt.date
    valid_until: dt.date
    entries: int = Field(ge=0, le=255)
    duration_of_stay_days: int = Field(ge=0, le=255)
    format: Literal["MRVA", "MRVB"] = "MRVA"
    place_of_issue: str = Field(default="", max_length=40)

    @model_validator(mode="after")
    def _dates(self) -> IssuedVisa:
        if self.valid_until < self.valid_from:
            raise ValueError("valid_until is before valid_from")
        return self


def visa_from_json(text: str | bytes) -> IssuedVisa:
    try:
        return IssuedVisa.model_validate_json(text)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error["loc"]) or "visa"
        raise DocumentError(f"{where}: {error['msg']}") from None
