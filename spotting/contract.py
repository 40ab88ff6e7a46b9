"""The public contract (docs/contract.md, version 1.0 names) as constants the code and tests can check.

The questions table in data/ may add fields and values, but never drop or rename these; the
loader refuses a knowledge base that does.
"""

from __future__ import annotations

from typing import Final

ANSWER_FIELDS: Final[dict[str, tuple[str, ...] | tuple[int, int] | str]] = {
    "age": (12, 100),
    "pregnant": ("no", "unsure", "yes"),
    "weeks_pregnant": (1, 42),
    "menopause": ("no", "perimenopause", "postmenopause"),
    "postpartum_or_breastfeeding": "boolean",
    "contraception": (
        "none",
        "combined_hormonal",
        "progestogen_only",
        "hormonal_iud",
        "copper_iud",
        "barrier",
        "other",
    ),
    "contraception_started_recently": "boolean",
    "how_often": ("once", "sometimes", "every_time"),
    "amount": ("spotting", "light", "heavy"),
    "pain_during_sex": "boolean",
    "tummy_pain": ("none", "mild", "severe"),
    "shoulder_tip_pain": "boolean",
    "dizzy_or_faint": "boolean",
    "fever": "boolean",
    "discharge_changed": "boolean",
    "itching_or_soreness": "boolean",
    "dryness": "boolean",
    "sti_risk": "boolean",
    "screening": ("up_to_date", "overdue", "never", "unsure", "not_yet_eligible"),
    "recent_procedure": "boolean",
    "bleeding_between_periods": "boolean",
    "period_due": "boolean",
    "first_time_sex": "boolean",
    "blood_thinners_or_bleeding_disorder": "boolean",
    "bleeding_wont_stop": "boolean",
    "injury_or_rough_sex": "boolean",
    "not_consensual": "boolean",
    "fluid_leak": "boolean",
    "contractions": "boolean",
    "low_lying_placenta": "boolean",
    "history_of_miscarriage": "boolean",
    "twins_or_more": "boolean",
    "cervix_weak_or_short": "boolean",
}
"""Contract §1: a field's allowed values, ``(min, max)`` for integers, or ``"boolean"``."""

CAUSE_IDS: Final[tuple[str, ...]] = (
    "friction_injury",
    "cervical_ectropion",
    "sti_cervicitis",
    "vaginitis",
    "pelvic_inflammatory_disease",
    "cervical_polyp",
    "endometrial_cause",
    "hormonal_contraception",
    "iud",
    "genitourinary_syndrome_of_menopause",
    "period_timing",
    "first_intercourse",
    "pregnancy_cervix_changes",
    "implantation_bleeding",
    "miscarriage",
    "ectopic_pregnancy",
    "placenta_praevia",
    "late_pregnancy_bleeding",
    "cervical_precancer_or_cancer",
    "bleeding_tendency",
    "post_procedure",
    "assault_injury",
    "no_cause_found",
)
"""Contract §4: the minimum set of cause ids."""

REGION_CODES: Final[tuple[str, ...]] = ("GB", "IE", "US", "CA", "AU", "NZ", "other")
"""Contract §1a (1.2): the region codes a caller may send; the loader refuses data that drops one."""

