"""Plausible ranges of the coefficients (MODEL.md section 8): the prior of the history
matching. None has an empirical estimate (docs/MODEL_NOTES.md, "Calibration"): a range
says how far the hand-set default of release 0.3 (docs/MODEL_NOTES.md lists them) could be
off, from the brief's mechanisms and the world assumptions' values where they bear on it.
"The default" in a reason below is that hand-set value; the registry's defaults are now a
calibrated sample inside these ranges.

model/parameters.py attaches each range and its reason to its parameter: the one place the
registry is read from.
"""
from __future__ import annotations

_HALF_TO_TWICE = "no estimate exists: half to twice the hand-set default"
PLAUSIBLE: dict[str, tuple[float, float, str]] = {
    "beta_platform": (0.03, 0.12, _HALF_TO_TWICE),
    "gamma_collab": (0.0, 0.15, "collaboration spillovers: from none to three times the "
                                "default"),
    "beta_talent": (0.1, 0.4, _HALF_TO_TWICE + " (talent is what keeps leaders ahead)"),
    "talent_half": (6.0, 24.0, _HALF_TO_TWICE),
    "beta_zone": (0.0, 0.05, "pilot-zone support: from no effect to 2.5 times the default"),
    "depreciation": (0.015, 0.06, "capability ageing of 6 % to 22 % a year (AI methods date "
                                  "fast)"),
    "noise_sigma": (0.05, 0.2, "quarterly growth shocks with a spread of 5 % to 20 %"),
    "rent_rate": (0.1, 0.5, "the toll an abusive operator can take: light to heavy"),
    "data_protection_rent": (0.3, 0.9, "how far data protection cuts rent: a law on paper to "
                                       "a well-enforced one"),
    "score_exponent": (1.0, 2.5, "returns to capability: proportional (1) to strongly "
                                 "winner-take-more (2.5)"),
    "standard_bonus": (0.5, 2.0, _HALF_TO_TWICE),
    "market_growth": (0.01, 0.06, "AI market growth of 4 % to 26 % a year"),
    "lock_in_rate": (0.02, 0.15, "lock-in speed: slow, to the fast_lock_in world's 0.15"),
    "abuse_threshold": (0.15, 0.5, "the standard power at which operators start to abuse: "
                                   "corporate conduct is not known in advance"),
    "openness_cut": (0.05, 0.2, _HALF_TO_TWICE),
    "enforcement_restore": (0.1, 0.4, "how fast enforcement restores openness: "
                                      + _HALF_TO_TWICE),
    "data_growth": (0.01, 0.04, _HALF_TO_TWICE),
    "data_protection_data": (0.25, 0.75, "how far data protection slows data accumulation"),
    "algorithm_growth": (0.005, 0.02, _HALF_TO_TWICE),
    "acquisition_rate": (0.02, 0.1, "acquisition appetite: cautious, to beyond the "
                                    "acquisitive_leaders world's 0.08"),
    "acquisition_transfer": (0.25, 0.75, "how much of a bought firm's capability the buyer "
                                         "absorbs"),
    "employment_share": (0.7, 1.0, "the share of a zone's AI talent its firms employ"),
    "revenue_pull": (0.1, 0.4, _HALF_TO_TWICE),
    "hub_bonus": (0.1, 1.5, "the pull of the major hubs: weak, to the strong_hub_pull "
                            "world's 1.5"),
    "migrant_selectivity": (1.0, 3.0, "movers are positively selected (Borjas 1987): in "
                                      "China the highly educated are the most mobile between "
                                      "cities (Liu and Shen 2014)"),
    "amenity_weight": (0.5, 2.0, "the zones' amenity levels have no source (docs/ODD.md 5): "
                                 "half to twice their weight covers the doubt"),
    "congestion": (0.03, 0.2, "urban costs rise with city size at an elasticity of about "
                              "0.04 (Combes, Duranton and Gobillon 2019), near the wage "
                              "gain of density: congestion offsets a third to all of the "
                              "hub pull"),
    "migration_rate": (0.0035, 0.014, "talent mobility: half to twice the hand-set rate, "
                                      "a brain drain of a fifth of non-hub talent in ten "
                                      "years"),
    "attraction_scale": (0.5, 2.0, _HALF_TO_TWICE),
    "talent_growth": (-0.01, 0.02, "the AI talent pool: from slight shrinkage to 8 % growth "
                                   "a year"),
    "exit_share": (0.1, 0.4, "how small a share makes a firm marginal"),
    "exit_patience": (4.0, 12.0, "one to three years of marginal share before a firm exits"),
    "entry_rate": (0.35, 1.4, _HALF_TO_TWICE),
    "entry_dependency": (0.25, 0.75, "how much a new SME depends on its platform"),
    "entry_capability": (0.25, 1.0, "the capability a new SME starts with"),
    "experience_learning": (0.0, 0.05, "experience from local growth: none to 2.5 times the "
                                       "default"),
    "data_advantage": (0.25, 2.0, "no estimate of self-preferencing through dependants' data: "
                                  "a quarter to twice the default"),
    "data_protection_use": (0.4, 0.9, "how far the PIPL's purpose limits bind an operator's "
                                      "own use of dependants' data"),
    "compliance_cost": (0.0, 0.006, "from negligible to three times the default, 5 % of an "
                                    "average SME's gross capability growth at full "
                                    "protection (GDPR studies find compliance weighs most "
                                    "on small firms)"),
    "closing_share": (0.25, 0.75, "closing is one of three channels of abuse (closing, rent, "
                                  "exclusivity): a quarter to three quarters of its gain"),
    "practice_spread": (0.1, 0.3, "pilot zones try their own versions of a policy "
                                  "(Heilmann 2008, experimentation under hierarchy) with "
                                  "uneven results; the range is illustrative"),
    "replication_speed": (0.1, 0.5, "policy transfer between regions takes years (pilot "
                                    "points expand to the surface gradually): a gap closes "
                                    "in one to six years at full support"),
    "foreign_screening": (0.2, 0.8, "home-country screening of outward deals and ownership "
                                    "limits (the EU's FDI Screening Regulation 2019/452 and "
                                    "member states' reviews): light to strict"),
    "redecision_rate": (0.1, 0.5, "firms revisit their stack every two to ten quarters "
                                  "(planning and contract cycles)"),
    "choice_quality": (1.0, 4.0, "no estimate of AI firms' platform choice exists: half to "
                                 "twice the default"),
    "choice_rent": (2.0, 8.0, _HALF_TO_TWICE),
    "network_effect": (0.5, 4.0, "a standard's pull, from weak to strong enough to tip with "
                                 "the switching cost"),
    "switching_cost": (0.5, 3.0, "the cost of leaving a stack one is locked into, weak to "
                                 "strong"),
    "outside_option": (1.2, 4.8, "half to twice the hand-set default 2.4, which made "
                                 "the built-in network's drawn use the firms' own choice "
                                 "at step 0"),
    "exclusivity": (0.0, 5.0, "exclusivity terms under abuse, from none to strong (the 2021 "
                              "Alibaba decision's 'choose one of two')"),
    "interop_effect": (0.4, 0.9, "how far mandates reach in practice: partial to nearly "
                                 "full portability"),
    "lock_in_decay": (0.05, 0.2, "skills, data and code move back in one to five years"),
    "abuse_gain": (0.01, 0.04, _HALF_TO_TWICE),
    "abuse_friction": (0.01, 0.04, _HALF_TO_TWICE),
    "fine_rate": (0.01, 0.1, "the fines of the 2021 decisions (Alibaba 4 %, Meituan 3 % of "
                             "sales) within the 2022 Anti-Monopoly Law's 1-10 %"),
    "detection_rate": (0.2, 0.8, "an enforcer that finds full abuse within five quarters "
                                 "to one that finds it within one or two"),
    "remedy_delay": (1.0, 6.0, "the 2021 cases took one to two quarters from probe to "
                               "decision; longer cases are common elsewhere"),
    "compliance_period": (4.0, 16.0, "commitments of one to four years (Alibaba 2021: three "
                                     "years of rectification reports)"),
    "merger_review": (0.3, 0.9, "the share of platform deals review catches: many were never "
                                "notified (failure-to-notify fines 2020-2022)"),
}
