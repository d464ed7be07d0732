"""The defaults files of version 5 and earlier meant, where they differ from today's.

Files store only the parameters that differ from the defaults. Up to version 5 (tool 0.3)
the defaults of the uncertain coefficients were set by hand; from version 6 they are the
calibrated medoid (model/parameters.py, docs/decisions.md). A version-5 file that leaves a
coefficient out meant the hand-set value below, so the readers write it in: the file keeps
its meaning. These values are history, read only by the migrations; model/parameters.py
stays the one source of today's defaults.
"""
from __future__ import annotations

# the first version whose files mean the calibrated defaults when they leave a value out
CALIBRATED_SINCE = 6

HAND_SET_DEFAULTS: dict[str, float] = {
    "beta_platform": 0.06,
    "gamma_collab": 0.05,
    "beta_talent": 0.2,
    "talent_half": 12.0,
    "beta_zone": 0.02,
    "depreciation": 0.03,
    "noise_sigma": 0.1,
    "rent_rate": 0.3,
    "data_protection_rent": 0.6,
    "data_advantage": 1.0,
    "data_protection_use": 0.7,
    "compliance_cost": 0.002,
    "score_exponent": 1.5,
    "standard_bonus": 1.0,
    "market_growth": 0.03,
    "lock_in_rate": 0.05,
    "abuse_threshold": 0.3,
    "openness_cut": 0.1,
    "enforcement_restore": 0.2,
    "data_growth": 0.02,
    "data_protection_data": 0.5,
    "algorithm_growth": 0.01,
    "acquisition_rate": 0.05,
    "foreign_screening": 0.5,
    "acquisition_transfer": 0.5,
    "redecision_rate": 0.25,
    "choice_quality": 2.0,
    "choice_rent": 4.0,
    "network_effect": 2.0,
    "switching_cost": 1.5,
    "outside_option": 2.4,
    "exclusivity": 1.0,
    "interop_effect": 0.7,
    "lock_in_decay": 0.1,
    "closing_share": 0.5,
    "abuse_gain": 0.02,
    "abuse_friction": 0.02,
    "fine_rate": 0.04,
    "detection_rate": 0.5,
    "remedy_delay": 2.0,
    "compliance_period": 12.0,
    "merger_review": 0.6,
    "employment_share": 1.0,
    "revenue_pull": 0.2,
    "hub_bonus": 0.3,
    "migrant_selectivity": 2.0,
    "amenity_weight": 1.0,
    "congestion": 0.1,
    "migration_rate": 0.007,
    "attraction_scale": 1.0,
    "talent_growth": 0.0,
    "exit_share": 0.25,
    "exit_patience": 8.0,
    "entry_rate": 0.7,
    "entry_dependency": 0.5,
    "entry_capability": 0.5,
    "practice_spread": 0.2,
    "replication_speed": 0.25,
    "experience_learning": 0.02,
}


def with_hand_set_defaults(values: dict) -> dict:
    """`values` (a file's parameters) with every hand-set default it leaves out."""
    return {**HAND_SET_DEFAULTS, **values}
