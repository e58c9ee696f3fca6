"""ASC-WDS's rules for the training bulk-upload file, as Skills for Care's own code states them.

Read from the open-source ASC-WDS (github.com/NMDSdevopsServiceAdm/SopraSteria-SFC, commit
b6857156beec5b291ddc66745de5586ec7fc869e; see also shared/reference/regulation.md §3.5.1):

- ``backend/server/routes/establishments/bulkUpload/data/trainingHeaders.js``: the 12 columns in
  order; ``.../bulkUpload/validate/headers/training.js`` compares the header line with ``===``.
- ``lambdas/bulkUpload/classes/trainingCSVValidator.js`` and
  ``lambdas/bulkUpload/validateTraining/errors.js``: every column's rule, reproduced by
  :func:`check_row` with ASC-WDS's own messages. Lengths are JavaScript ``string.length``, so
  they count UTF-16 code units: an emoji counts as two (:func:`~provider_desk.rules.validators.
  utf16_length`).
- ``backend/server/routes/establishments/bulkUpload/download/trainingCSV.js``: how ASC-WDS itself
  writes the file (the codes below, dates as DD/MM/YYYY).
- ``backend/migrations/20251111090512-createTrainingProviderTable.js``,
  ``20251222102131-renameTrainingProviders.js`` and ``20260601142852-updateTrainingProviders.js``:
  the PROVIDERNAME codes (:data:`PROVIDERS`; 999 is "other").
- ``backend/server/routes/establishments/bulkUpload/validate/training/validateTraining.js`` and
  ``noAssociatedWorker.js``: a row whose LOCALESTID and UNIQUEWORKERID are not in the workplace
  and staff files of the same upload is refused, so the training file never goes up alone.

The format changes over time: when ASC-WDS changes its rules, change them here and in
``tests/core/test_asc_wds.py``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from provider_desk.rules.dates import add_months
from provider_desk.rules.validators import utf16_length

HEADER = (
    "LOCALESTID",
    "UNIQUEWORKERID",
    "CATEGORY",
    "TRAININGNAME",
    "ACCREDITED",
    "WHODELIVERED",
    "PROVIDERNAME",
    "HOWDELIVERED",
    "VALIDITY",
    "DATECOMPLETED",
    "EXPIRYDATE",
    "NOTES",
)
LOCALESTID_MAX = 50
UNIQUEWORKERID_MAX = 50
TRAININGNAME_MAX = 120
NOTES_MAX = 1000
VALIDITY_MAX = 999

ACCREDITED = {"yes": "1", "no": "0", "don't know": "999"}
"""Our ``accredited`` words to ASC-WDS's codes."""
HOW_DELIVERED = {"face to face": "1", "e-learning": "2"}
"""Our ``delivery`` words to ASC-WDS's HOWDELIVERED codes; "blended" has none."""
IN_HOUSE = "1"
EXTERNAL = "2"
OTHER_PROVIDER = "999"

PROVIDERS: dict[int, str] = {
    1: "1Stop Training",
    2: "AASOG Education and Training",
    3: "Access Skills Ltd",
    4: "Adams Care Training Ltd",
    5: "Alium Care Training",
    6: "AreYou - Training and Consultancy CIC",
    7: "Autism Together",
    8: "Award Training Limited",
    9: "Bespoke Consultancy and Education",
    10: "Centra Training",
    11: "Cera Care",
    12: "Coleman Training Ltd",
    13: "Crossroads Barnsley Ltd",
    14: "DH Associates",
    15: "Distinction Solutions",
    16: "Dominion Consultancy Group",
    17: "DurhamLearn",
    18: "Empeiria Training",
    19: "Estia Centre",
    20: "Experts by Experience Solihull CIC",
    21: "First Response Training and Consultancy Services Limited",
    22: "Flourish",
    23: "FreeBird Associates",
    24: "Guardian Angels Training",
    25: "Gecko Programmes Ltd",
    26: "Glendale Academy",
    27: "Global Skills Services Ltd",
    28: "Hasca Ltd",
    29: "HCPA in partnership with CPA",
    30: "Howe2 Training & Consultancy Ltd",
    31: "Tend Training (was Impact Futures Training Limited)",
    32: "Inspire London College",
    33: "Inspiro Learning Ltd",
    34: "IPS International",
    35: "JAG Training Limited",
    36: "Leeds City Council",
    37: "Lifetime Training",
    38: "Luminate Education Group",
    39: "National Activity Providers Association",
    40: "National Care Forum",
    41: "Newcastle and Stafford Colleges Group",
    42: "Northbrook",
    43: "Pathways Associates CIC Ltd",
    44: "Pentagon Skills Limited",
    45: "Professional Training Solutions",
    46: "Realise",
    47: "Runway Training",
    48: "Social Works Ltd",
    49: "South West Skills Academy",
    50: "Step Up Training and Care",
    51: "Sutton Coldfield Training Ltd",
    52: "The Autism Wellbeing Project",
    53: "The Education Training Collective (Stockton Riverside College)",
    54: "The Prime College",
    55: "The Sheffield College",
    56: "Training in Care Ltd",
    57: "Unique Training Solutions Ltd",
    58: "United Care Network",
    59: "United Care Network (BrightPath Academy)",
    60: "Universal Vibes Limited (Care Trainings)",
    61: "Vision Training (North East) Ltd",
    62: "Vita Training and Development",
    63: "A1 Education and Training",
    64: "Adada Recruitment and Training Services (arts) Ltd",
    65: "ASH Healthcare Training",
    66: "Blackburn College",
    67: "Bluebird Care Franchises Ltd",
    68: "British Institute of Learning Disabilities",
    69: "BSol ICB OMMT Team",
    70: "Caring Alliance",
    71: "Dynamic Training UK Ltd",
    72: "Edify Consultancy Ltd",
    73: "FuturU",
    74: "Gateshead Council - Learning and Skills",
    75: "L&F Training Ltd",
    76: "Lancaster and Morecambe College",
    77: "Medex Group Ltd",
    78: "National Star",
    79: "Neurodiverse Training",
    80: "Pathway First Limited",
    81: "Retain skills",
    82: "Rochdale Training",
    83: "Saracen Care Services Ltd",
    84: "Shreeji Training Ltd",
    85: "The EdgeWorks Limited",
    86: "The Link Training Academy",
    87: "Tutorcare Ltd",
    88: "Skills for Care",
    999: "other",
}
"""ASC-WDS's training providers by bulk-upload code (the PROVIDERNAME column takes the code, not
the name; there is no column for the name of a provider that is not listed)."""

_IN_HOUSE_WORDS = ("in house", "inhouse", "internal", "our own")
_WORKPLACE_ID = re.compile(r"^[A-Za-z]\d{7}$")
_DATE = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")
_LEADING_INT = re.compile(r"^\s*([+-]?\d+)")


def _key(name: str) -> str:
    """A provider's name reduced to its words: case, punctuation, '&' and 'Limited' aside."""
    text = name.casefold().replace("&", " and ")
    words = re.findall(r"[a-z0-9]+", text)
    return " ".join("ltd" if w == "limited" else w for w in words)


def _provider_keys() -> dict[str, int]:
    keys: dict[str, int] = {}
    for code, name in PROVIDERS.items():
        if code == int(OTHER_PROVIDER):
            continue
        keys.setdefault(_key(name), code)
    for code, name in PROVIDERS.items():  # then "A (B)" as A, and "(was B)" as B, if free
        m = re.match(r"^(.*?)\s*\((was )?(.*)\)$", name)
        if m:
            keys.setdefault(_key(m.group(1)), code)
            if m.group(2):
                keys.setdefault(_key(m.group(3)), code)
    return keys


_PROVIDER_KEYS = _provider_keys()


def provider_code(name: str) -> int | None:
    """ASC-WDS's code for a provider recorded by name, or None when it is not in their list."""
    return _PROVIDER_KEYS.get(_key(name))


def is_in_house(provider: str, organisation: str) -> bool:
    """A provider recorded as in-house ("In-house (J Bloggs)", "Internal") or as ourselves."""
    key = _key(provider)
    own = _key(organisation)
    if not key:
        return False
    return key == own or any(key == w or key.startswith(w + " ") for w in _IN_HOUSE_WORDS)


def looks_like_workplace_id(value: str) -> bool:
    """The 8-character Workplace ID on the ASC-WDS home page (a letter and 7 digits), which is
    not the workplace reference (LOCALESTID) that bulk upload matches rows with."""
    return bool(_WORKPLACE_ID.match(value.strip()))


def format_date(value: dt.date) -> str:
    """DD/MM/YYYY, always two digits for day and month and four for the year."""
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def expiry_from_validity(completed: dt.date, months: int) -> dt.date:
    """ASC-WDS's expiry for a VALIDITY in months: completed + months - 1 day (moment clamps
    31 Jan + 1 month to the end of February, as :func:`add_months` does)."""
    return add_months(completed, months) - dt.timedelta(days=1)


def validity_for(completed: dt.date, expires: dt.date | None, refresher_months: int | None) -> str:
    """The VALIDITY that agrees with the expiry we write.

    ``none`` when nothing expires; the course's interval when the expiry follows from it; for an
    expiry set by hand, the whole number of months that gives exactly that date, else blank (ASC-WDS
    then keeps the EXPIRYDATE as given and has nothing to compare it with).
    """
    if expires is None:
        return "none"
    if (
        refresher_months is not None
        and expiry_from_validity(completed, refresher_months) == expires
    ):
        return str(refresher_months)
    approx = (expires.year - completed.year) * 12 + expires.month - completed.month
    for months in (approx, approx + 1, approx - 1):
        if 1 <= months <= VALIDITY_MAX and expiry_from_validity(completed, months) == expires:
            return str(months)
    return ""


def fit(value: str, limit: int) -> str:
    """The longest start of ``value`` within ``limit`` as ASC-WDS counts (never half an emoji)."""
    used = 0
    for i, ch in enumerate(value):
        used += 2 if ord(ch) > 0xFFFF else 1
        if used > limit:
            return value[:i]
    return value


@dataclass(frozen=True)
class Finding:
    """What ASC-WDS would say about one cell: an error refuses the row, a warning does not."""

    column: str
    message: str
    error: bool


def _date(text: str) -> dt.date | None:
    m = _DATE.match(text)
    if not m:
        return None
    try:
        return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None


def _int(text: str) -> int | None:
    m = _LEADING_INT.match(text)
    return int(m.group(1)) if m else None


def check_header(header: Sequence[str]) -> Finding | None:
    """ASC-WDS recognises a training file only by its exact header line."""
    if ",".join(header) != ",".join(HEADER):
        return Finding("header", "The header is not ASC-WDS's training header.", error=True)
    return None


def check_row(
    row: Sequence[str], *, categories: Collection[int], today: dt.date | None
) -> list[Finding]:
    """ASC-WDS's checks of one training row (trainingCSVValidator.js, in its order).

    ``categories`` are the CATEGORY codes ASC-WDS knows; ``today`` is its "now" for
    DATECOMPLETED (None: not checked).
    """
    if len(row) != len(HEADER):
        return [Finding("row", f"The row has {len(row)} columns, not {len(HEADER)}.", True)]
    cell = dict(zip(HEADER, row, strict=True))
    found: list[Finding] = []

    def error(column: str, message: str) -> None:
        found.append(Finding(column, message, error=True))

    def warning(column: str, message: str) -> None:
        found.append(Finding(column, message, error=False))

    for column, limit in (("LOCALESTID", LOCALESTID_MAX), ("UNIQUEWORKERID", UNIQUEWORKERID_MAX)):
        if not cell[column]:
            error(column, f"{column} has not been supplied")
        elif utf16_length(cell[column]) > limit:
            error(column, f"{column} is longer than {limit} characters")
    completed = None
    if cell["DATECOMPLETED"]:
        completed = _date(cell["DATECOMPLETED"])
        if completed is None:
            error("DATECOMPLETED", "DATECOMPLETED is incorrectly formatted")
        elif today is not None and completed > today:
            error("DATECOMPLETED", "DATECOMPLETED is in the future")
            completed = None
    expiry = None
    if cell["EXPIRYDATE"]:
        expiry = _date(cell["EXPIRYDATE"])
        if expiry is None:
            error("EXPIRYDATE", "EXPIRYDATE is incorrectly formatted")
        elif completed is not None and expiry <= completed:
            error("EXPIRYDATE/DATECOMPLETED", "EXPIRYDATE must be after DATECOMPLETED")
            expiry = None
    if utf16_length(cell["TRAININGNAME"]) > TRAININGNAME_MAX:
        error("TRAININGNAME", f"TRAININGNAME is longer than {TRAININGNAME_MAX} characters")
    if _int(cell["CATEGORY"]) not in categories:
        error("CATEGORY", "CATEGORY has not been supplied")
    if cell["ACCREDITED"] and _int(cell["ACCREDITED"]) not in (0, 1, 999):
        error("ACCREDITED", "ACCREDITED is invalid")
    if utf16_length(cell["NOTES"]) > NOTES_MAX:
        error("NOTES", f"NOTES is longer than {NOTES_MAX} characters")
    who = cell["WHODELIVERED"]
    if who and who not in (IN_HOUSE, EXTERNAL):
        error("WHODELIVERED", "The code you have entered for WHODELIVERED is invalid")
    if cell["PROVIDERNAME"]:
        if who != EXTERNAL:
            warning(
                "WHODELIVERED/PROVIDERNAME",
                "PROVIDERNAME will be ignored as WHODELIVERED is not 2 (External provider)",
            )
        elif _int(cell["PROVIDERNAME"]) not in PROVIDERS:
            error("PROVIDERNAME", "The code you have entered for PROVIDERNAME is invalid")
    if cell["HOWDELIVERED"] and cell["HOWDELIVERED"] not in HOW_DELIVERED.values():
        error("HOWDELIVERED", "The code you have entered for HOWDELIVERED is invalid")
    validity = cell["VALIDITY"]
    if validity == "none":
        if expiry is not None:
            warning(
                "EXPIRYDATE/VALIDITY", "The VALIDITY you have entered does not match the EXPIRYDATE"
            )
    elif validity:
        months = _int(validity)
        if months is None or not 0 < months <= VALIDITY_MAX:
            error("VALIDITY", 'VALIDITY should be either "none" or a number between 1 and 999')
        elif (
            completed is not None
            and expiry is not None
            and expiry_from_validity(completed, months) != expiry
        ):
            warning(
                "EXPIRYDATE/VALIDITY", "The EXPIRYDATE you have entered does not match the VALIDITY"
            )
    return found
