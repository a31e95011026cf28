"""The red-flag catalogue, in its stable order (FLAG_IDS follows it; do not reorder).

Severity policy: `high` forces risk high, so it is reserved for asks no real employer makes
(pay us, move money, send ID/bank details, paid 'tasks'); `medium` forces at least medium;
`low` is informational and a model feature. Severities were checked against precision on the
real data (see `qa.py`).
"""

from __future__ import annotations

from detector.flags.base import RedFlag
from detector.flags.catalogue_campaign import KNOWN_SCAM_CAMPAIGN
from detector.flags.catalogue_contact import CHAT_APP_CONTACT, OFF_PLATFORM_CONTACT
from detector.flags.catalogue_data import PERSONAL_DATA_REQUEST
from detector.flags.catalogue_disguise import DISGUISED_TEXT
from detector.flags.catalogue_employer import (
    NO_COMPANY_INFO,
    PRESSURE_TACTICS,
    SUSPICIOUS_LINK,
    VAGUE_EMPLOYER,
)
from detector.flags.catalogue_hype import GUARANTEED_JOB, MLM_RECRUITING, WORK_FROM_HOME_HYPE
from detector.flags.catalogue_money import PAYMENT_SCHEME, UPFRONT_FEE
from detector.flags.catalogue_offer import UNSOLICITED_OFFER
from detector.flags.catalogue_work import TASK_SCAM, UNREALISTIC_PAY

CATALOGUE: tuple[RedFlag, ...] = (
    UPFRONT_FEE,
    PERSONAL_DATA_REQUEST,
    PAYMENT_SCHEME,
    TASK_SCAM,
    UNREALISTIC_PAY,
    OFF_PLATFORM_CONTACT,
    VAGUE_EMPLOYER,
    MLM_RECRUITING,
    GUARANTEED_JOB,
    PRESSURE_TACTICS,
    WORK_FROM_HOME_HYPE,
    CHAT_APP_CONTACT,
    SUSPICIOUS_LINK,
    NO_COMPANY_INFO,
    # Added later: new flags go at the end so existing feature positions stay put.
    UNSOLICITED_OFFER,
    # Produced by the campaign memory's lookup, not by a text rule (detector.campaigns).
    KNOWN_SCAM_CAMPAIGN,
    # Produced by the reading: words disguised to dodge filters (issue 26).
    DISGUISED_TEXT,
)
FLAG_IDS: tuple[str, ...] = tuple(flag.id for flag in CATALOGUE)
_BY_ID: dict[str, RedFlag] = {flag.id: flag for flag in CATALOGUE}


def get_flag(flag_id: str) -> RedFlag:
    """The flag with this id; KeyError for an unknown id."""
    return _BY_ID[flag_id]
