"""The parameter registry: every policy lever and model coefficient, and the presets.

One source of truth. The CLI's --set, the scenario files, the GUI's lever dock and the
workbook's Parameters sheet all read the records below. The defaults of the uncertain
coefficients (those with a plausible range) are one calibrated sample: the medoid of the
samples that history matching against resources/data/patterns.csv kept (the "defaults" of
resources/data/calibrated.json, written out here so that a new calibration does not move
them silently; tests/test_calibrated_defaults.py checks the two agree). The other defaults
are illustrative. None is an estimate: the tool explores scenarios, it does not forecast.

Presets are of three kinds: policy packages (levers and lever schedules only: what a
government chooses), world assumptions (coefficients only: what we assume about the world)
and scenarios (one policy package in one world assumption, e.g. the brief's `benign` and
`adverse`). A package holding a coefficient, or a world holding a lever, fails at import.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from model.errors import InputError
from model.plausible import PLAUSIBLE

LEVER = "lever"


@dataclass(frozen=True)
class Parameter:
    key: str
    label: str
    group: str  # "lever" or the name of an advanced group
    default: float
    low: float
    high: float
    unit: str
    meaning: str
    symbol: str = ""
    integer: bool = False
    # what we do not know: the range an exploration samples (None: not uncertain, as the
    # levers, which policies set, the normalisers and the outcome thresholds), and why
    plausible: tuple[float, float] | None = None
    plausible_reason: str = ""

    def check(self, value: object) -> float:
        """The value as a number, or an InputError naming the parameter and its range."""
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            try:
                value = float(str(value).strip())
            except ValueError:
                raise InputError(f"parameter {self.key}: {value!r} is not a number",
                                 fix=f"give a number in [{self.low:g}, {self.high:g}]") from None
        number = float(value)
        if not math.isfinite(number) or not self.low <= number <= self.high:
            raise InputError(f"parameter {self.key}: {value!r} is outside [{self.low:g}, "
                             f"{self.high:g}]", fix=f"give a value in that range ({self.meaning})")
        if self.integer and number != int(number):
            raise InputError(f"parameter {self.key}: {value!r} is not a whole number",
                             fix="give a whole number")
        return number


def _p(key, label, group, default, low, high, unit, meaning, symbol="", integer=False):
    return Parameter(key, label, group, float(default), float(low), float(high), unit, meaning,
                     symbol, integer)


_ALL: tuple[Parameter, ...] = (
    # The policy levers: the seven of MODEL.md section 3, and interoperability (docs/ODD.md).
    _p("antitrust_enforcement", "Antitrust enforcement", LEVER, 0.3, 0, 1, "strength",
       "detects and remedies abuse, reviews acquisitions, restores openness: deters abuse "
       "through the expected penalty", "e"),
    _p("data_protection", "Data protection", LEVER, 0.3, 0, 1, "strength",
       "slows data accumulation from users' data and limits rent taken through it", "pi"),
    _p("foreign_access_parity", "Foreign access parity", LEVER, 0.5, 0, 1, "share",
       "1: foreign firms get the same platform access as domestic ones", "phi"),
    _p("openness_floor", "Openness floor", LEVER, 0.1, 0, 1, "share",
       "mandated minimum openness of every platform", "o_min"),
    _p("talent_retention", "Talent retention", LEVER, 0.2, 0, 1, "strength",
       "damps the outflow of talent from non-hub zones", "r"),
    _p("replication_support", "Replication support", LEVER, 0.3, 0, 1, "rate",
       "speed at which pilot-zone experience spreads along exchange links", "rho"),
    _p("compute_subsidy", "Compute subsidy", LEVER, 0.0, 0, 1, "share",
       "extra compute capacity, as a share of each platform's capacity", "c_sub"),
    _p("interoperability", "Interoperability", LEVER, 0.2, 0, 1, "strength",
       "data portability and interoperability mandates: lower switching costs, lock-in "
       "growth and the platform-specific pull of a standard", "iota"),
    # Capability growth (step 3).
    _p("beta_platform", "Platform learning rate", "capability", 0.100609, 0, 2, "K per quarter",
       "capability a firm gains per unit of effective access times platform quality", "beta_P"),
    _p("gamma_collab", "Collaboration spillover", "capability", 0.0171298, 0, 1, "per quarter",
       "share of a stronger partner's capability lead absorbed per quarter", "gamma"),
    _p("beta_talent", "Talent learning rate", "capability", 0.304083, 0, 2, "K per quarter",
       "capability gained from the firm's talent, saturating", "beta_L"),
    _p("talent_half", "Talent half-saturation", "capability", 17.6382, 0.001, 1000,
       "thousand workers", "firm talent at which talent learning reaches half its maximum",
       "L_0"),
    _p("beta_zone", "Zone support rate", "capability", 0.0310098, 0, 2, "K per quarter",
       "capability gained from the zone's experience times its policy support", "beta_Z"),
    _p("depreciation", "Capability depreciation", "capability", 0.0475228, 0, 0.5, "per quarter",
       "share of capability that becomes obsolete each quarter", "delta"),
    _p("noise_sigma", "Growth noise", "capability", 0.171103, 0, 1, "log-sd",
       "standard deviation of the multiplicative shock to capability growth", "sigma"),
    # Rent and market (steps 3-4).
    _p("rent_rate", "Rent rate", "market", 0.360697, 0, 1, "share",
       "share of growth an abusive operator takes from a fully locked-in dependant", "tau"),
    _p("data_protection_rent", "Data protection effect on rent", "market", 0.613341, 0, 1,
       "share", "how much full data protection cuts the rent rate", "zeta"),
    _p("data_advantage", "Data advantage", "market", 0.342906, 0, 10, "multiplier",
       "market score bonus of an operator per unit of its data advantage (the share of its "
       "platform's data that came from dependants and that it may use)", "psi_D"),
    _p("data_protection_use", "Data protection effect on self-preferencing", "market", 0.456951,
       0, 1, "share", "how much full data protection restricts an operator's use of its "
       "dependants' data for its own products", "chi_U"),
    _p("compliance_cost", "Compliance cost", "capability", 0.00265357, 0, 1, "K per quarter",
       "capability a firm spends per quarter on complying with full data protection (the "
       "same for every firm, so it weighs most on small ones)", "c_pi"),
    _p("score_exponent", "Market score exponent", "market", 1.23288, 0.1, 5, "exponent",
       "returns to capability in market share (above 1: winner takes more)", "eta"),
    _p("standard_bonus", "Standard-power advantage", "market", 1.59086, 0, 10, "multiplier",
       "market score bonus of an operator per unit of its platform's standard power", "psi"),
    _p("market_size", "Initial market size", "market", 25.0, 0.001, 1e6, "RMB bn per subfield",
       "revenue of each subfield at step 0", "M_0"),
    _p("market_growth", "Market growth", "market", 0.0297736, -0.2, 0.5, "per quarter",
       "growth rate of every subfield's market size", "g_M"),
    # Platform power (steps 5-7).
    _p("lock_in_rate", "Lock-in rate", "platform", 0.137821, 0, 1, "per quarter",
       "speed at which lock-in grows toward the share of a firm's work on the platform", "ell"),
    _p("abuse_threshold", "Abuse threshold", "platform", 0.273586, 0, 0.99, "standard power",
       "standard power above which an operator gains from abusing dependants (dominance)",
       "theta"),
    _p("openness_cut", "Openness cut under abuse", "platform", 0.0593302, 0, 1, "per quarter",
       "openness an operator withdraws per quarter at full abuse", "mu"),
    _p("enforcement_restore", "Openness restoration", "platform", 0.136526, 0, 1, "per quarter",
       "share of lost openness that full enforcement restores per quarter", "kappa_e"),
    _p("data_growth", "Data growth", "platform", 0.0269009, 0, 1, "D per quarter",
       "platform data gained per unit of users' capability-weighted access", "eta_D"),
    _p("data_protection_data", "Data protection effect on data", "platform", 0.558391, 0, 1,
       "share", "how much full data protection slows data accumulation", "chi"),
    _p("data_ref", "Data reference size", "platform", 100.0, 0.001, 1e9, "firms",
       "normaliser of the data growth term", "N_ref"),
    _p("algorithm_growth", "Algorithm growth", "platform", 0.0140614, 0, 1, "A per quarter",
       "algorithm gain of a platform per unit of its operator's capability", "eta_A"),
    _p("capability_ref", "Capability reference", "platform", 10.0, 0.001, 1e9, "K",
       "normaliser of the algorithm growth term", "K_ref"),
    _p("acquisition_rate", "Acquisition propensity", "platform", 0.0662308, 0, 1, "per quarter",
       "chance that a top-quartile dependant is bought, per unit of standard power", "kappa_acq"),
    _p("foreign_screening", "Screening of foreign targets", "platform", 0.403896, 0, 1, "share",
       "share of operators' bids for foreign firms that investment screening and ownership "
       "limits stop", "s_F"),
    _p("acquisition_transfer", "Capability transferred", "platform", 0.7031, 0, 1, "share",
       "share of a bought firm's capability that goes to the operator", "nu_acq"),
    # Platform choice and lock-in (docs/ODD.md, "Platform choice").
    _p("redecision_rate", "Re-decision rate", "choice", 0.379613, 0, 1, "per quarter",
       "share of a firm's use of a platform that it decides anew each quarter", "lambda"),
    _p("choice_quality", "Weight of access value", "choice", 2.31821, 0, 20, "utility",
       "weight in a firm's choice of the access value a platform gives (Q o parity ration)",
       "b_Q"),
    _p("choice_rent", "Weight of rent", "choice", 3.77761, 0, 50, "utility",
       "weight in a firm's choice of the rent it pays per unit of use", "b_R"),
    _p("network_effect", "Network effect", "choice", 3.33796, 0, 20, "utility",
       "weight in a firm's choice of how much of its subfield already uses the platform",
       "b_N"),
    _p("switching_cost", "Switching cost", "choice", 2.14303, 0, 20, "utility",
       "weight of a firm's lock-in as a cost of leaving the platform", "b_S"),
    _p("outside_option", "Outside option", "choice", 3.03423, -10, 20, "utility",
       "value of a firm's own or an open stack, against which it weighs a platform", "V_0"),
    _p("exclusivity", "Exclusivity under abuse", "choice", 2.78982, 0, 20, "utility",
       "what an abusive operator's exclusivity terms cost a dependant that leaves or "
       "multi-homes, at full abuse", "b_X"),
    _p("interop_effect", "Effect of interoperability", "choice", 0.606917, 0, 1, "share",
       "how much full interoperability cuts switching costs, lock-in growth and a "
       "standard's platform-specific pull", "k_io"),
    _p("lock_in_decay", "Lock-in decay", "choice", 0.181275, 0, 1, "per quarter",
       "speed at which lock-in falls toward a lower use of the platform", "d_l"),
    # Deterrence: the operator weighs abuse against the expected penalty (step 6).
    _p("closing_share", "Closing share of abuse", "enforcement", 0.412129, 0, 1, "share",
       "share of an operator's gain from abuse that comes from closing its platform: an "
       "openness floor takes away the part below it", "w_c"),
    _p("abuse_gain", "Gain from abuse", "enforcement", 0.027874, 0, 1, "share per quarter",
       "an operator's gain from full abuse at full standard power, as a share of revenue",
       "g"),
    _p("abuse_friction", "Private cost of abuse", "enforcement", 0.0282729, 0.0001, 1,
       "share per quarter", "the operator's own cost of abuse (complaints, goodwill), "
       "growing with its square", "c"),
    _p("fine_rate", "Fine", "enforcement", 0.0437911, 0, 1, "share of revenue",
       "fine for a decided abuse at full gravity, as a share of the operator's revenue",
       "F"),
    _p("detection_rate", "Detection", "enforcement", 0.537839, 0, 1, "per quarter",
       "chance per quarter that full abuse is detected under full enforcement", "d_e"),
    _p("remedy_delay", "Remedy delay", "enforcement", 3, 0, 40, "quarters",
       "quarters from the detection of an abuse to its decision and remedy", "T_r",
       integer=True),
    _p("compliance_period", "Compliance period", "enforcement", 10, 0, 400, "quarters",
       "quarters an operator refrains from abuse after a decision", "T_c", integer=True),
    _p("merger_review", "Merger review", "enforcement", 0.481793, 0, 1, "share",
       "share of an operator's acquisitions of dependants that review blocks under full "
       "enforcement", "b_m"),
    # Talent (step 9).
    _p("employment_share", "Employed share of talent", "talent", 0.870795, 0, 1, "share",
       "share of a zone's talent that works in its AI firms", "emp"),
    _p("revenue_pull", "Revenue pull", "talent", 0.209242, 0, 100, "per RMB bn per worker",
       "weight of local revenue per worker in a zone's attractiveness", "omega"),
    _p("hub_bonus", "Hub pull", "talent", 0.254849, 0, 10, "attractiveness",
       "extra attractiveness of a hub zone", "h_bonus"),
    _p("migrant_selectivity", "Selectivity of movers", "talent", 2.74304, 1, 10, "x stayer",
       "founding talent a mover carries, in multiples of its zone's mean per head (1: "
       "movers are like stayers)", "s_mig"),
    _p("amenity_weight", "Weight of amenity", "talent", 1.2023, 0, 10, "attractiveness",
       "how much a zone's amenity (illustrative levels) counts in its attractiveness",
       "w_amen"),
    _p("congestion", "Hub congestion", "talent", 0.145416, 0, 5, "attractiveness per log",
       "attractiveness a zone loses per unit of log(1 + talent / talent_ref): housing, "
       "wages and commuting cost rise with density", "c_cong"),
    _p("migration_rate", "Migration rate", "talent", 0.0125373, 0, 0.5, "per quarter",
       "share of a zone's talent that may move per quarter at full pull", "chi_T"),
    _p("attraction_scale", "Attraction scale", "talent", 0.884829, 0.001, 100, "attractiveness",
       "damps migration when attractiveness gaps are small", "att_scale"),
    _p("talent_growth", "Talent growth", "talent", 0.00500146, -0.1, 0.2, "per quarter",
       "growth of every zone's talent pool alike", "g_T"),
    # Entry, exit and experience (steps 10-12).
    _p("exit_share", "Exit share", "dynamics", 0.115019, 0, 1, "of equal share",
       "a firm whose share is below this fraction of the equal share is marginal", "m_exit"),
    _p("exit_patience", "Exit patience", "dynamics", 9, 1, 400, "quarters",
       "consecutive marginal quarters after which a firm exits", "k_exit", integer=True),
    _p("entry_rate", "Entry rate", "dynamics", 1.03268, 0, 100, "firms per quarter",
       "new SMEs per quarter in a zone with full experience, support and reference talent",
       "nu"),
    _p("talent_ref", "Talent reference", "dynamics", 20.0, 0.001, 1e6, "thousand workers",
       "zone talent at which entry runs at its reference rate", "T_ref"),
    _p("entry_dependency", "Entrant dependency", "dynamics", 0.660616, 0.001, 1, "share",
       "dependency weight u of a new SME on its platform", "u_0"),
    _p("entry_capability", "Entrant capability", "dynamics", 0.838301, 0, 1e6, "K",
       "capability of a new SME", "K_entry"),
    _p("practice_spread", "Spread of local practice", "dynamics", 0.271533, 0, 1, "support",
       "how far a pilot zone's own practice may lie above or below its approved support "
       "(uniform, drawn per zone in its first quarter)", "sigma_P"),
    _p("replication_speed", "Replication speed", "dynamics", 0.332612, 0, 1, "per quarter",
       "share of its gap to a more experienced partner a zone closes per quarter at full "
       "replication support and full exchange weight", "kappa_rho"),
    _p("experience_learning", "Experience from growth", "dynamics", 0.0131924, 0, 10, "E per K",
       "experience a zone gains per unit of its SMEs' mean capability gain", "xi"),
    # Outcome classification (MODEL.md section 5).
    _p("outcome_hhi_high", "Adverse HHI", "outcome", 2500, 0, 10000, "HHI",
       "end HHI above which concentration counts as adverse (US 2010: highly concentrated)"),
    _p("outcome_sme_drop", "Adverse SME drop", "outcome", 0.25, 0, 1, "share",
       "fall of alive SMEs that counts as adverse"),
    _p("outcome_dependency", "Adverse dependency", "outcome", 0.6, 0, 1, "index",
       "dependency index above which dependence counts as adverse"),
    _p("outcome_gini_rise_adverse", "Adverse Gini rise", "outcome", 0.05, 0, 1, "Gini",
       "rise of the talent Gini that counts as adverse"),
    _p("outcome_hhi_low", "Benign HHI", "outcome", 1500, 0, 10000, "HHI",
       "end HHI below which concentration counts as benign (US 2010: unconcentrated)"),
    _p("outcome_gini_rise_benign", "Benign Gini rise", "outcome", 0.02, 0, 1, "Gini",
       "largest rise of the talent Gini still counted as benign"),
)

_ALL = tuple(replace(p, plausible=PLAUSIBLE[p.key][:2], plausible_reason=PLAUSIBLE[p.key][2])
             if p.key in PLAUSIBLE else p for p in _ALL)

PARAMETERS: Mapping[str, Parameter] = MappingProxyType({p.key: p for p in _ALL})
UNCERTAIN: tuple[str, ...] = tuple(p.key for p in _ALL if p.plausible is not None)
LEVERS: tuple[str, ...] = tuple(p.key for p in _ALL if p.group == LEVER)
GROUPS: tuple[str, ...] = tuple(dict.fromkeys(p.group for p in _ALL))
DEFAULTS: Mapping[str, float] = MappingProxyType({p.key: p.default for p in _ALL})


POLICY, WORLD, SCENARIO = "policy", "world", "scenario"  # the kinds of preset
KINDS: Mapping[str, str] = MappingProxyType({  # each kind's heading, in listing order
    SCENARIO: "Scenarios (a policy package in a world assumption)",
    POLICY: "Policy packages (levers and their schedules)",
    WORLD: "World assumptions (coefficients)"})


@dataclass(frozen=True)
class Preset:
    """Constant values, and schedules: per key, changes (AT, VALUE[, RAMP]) with AT a
    quarter ('2022Q3', a date: before the scenario's start it applies from step 0) or a
    step counted from the scenario's start (model/schedules.py). `kind` is POLICY, WORLD
    or SCENARIO; a scenario's `parts` are its policy package and world assumption."""

    key: str
    title: str
    description: str
    values: Mapping[str, float]
    schedule: Mapping[str, tuple] = field(default_factory=dict)
    kind: str = POLICY
    parts: tuple[str, ...] = ()


def _world(key: str, title: str, description: str, values: Mapping[str, float]) -> Preset:
    return Preset(key, title, description, values, kind=WORLD)


_POLICIES = (
    Preset("benign_policy", "Benign policy",
           "The levers of the brief's benign path: strong enforcement, an openness floor, "
           "active replication of pilot-zone experience and talent retention.",
           {"antitrust_enforcement": 0.8, "openness_floor": 0.5, "replication_support": 0.8,
            "talent_retention": 0.8, "foreign_access_parity": 0.7, "data_protection": 0.5}),
    Preset("adverse_policy", "Adverse policy",
           "The levers of the brief's adverse path: weak enforcement, no openness floor, "
           "little replication and no talent retention.",
           {"antitrust_enforcement": 0.0, "openness_floor": 0.0, "replication_support": 0.1,
            "talent_retention": 0.0, "foreign_access_parity": 0.3, "data_protection": 0.1}),
    Preset("aml2022_pipl", "AML 2022 and PIPL",
           "The Personal Information Protection Law (in force 1 Nov 2021) and the "
           "Anti-Monopoly Law amendment (in force 1 Aug 2022): data protection and "
           "antitrust enforcement rise in the quarters the laws came into force (from "
           "step 0 when the scenario starts after them).",
           {}, {"data_protection": (("2021Q4", 0.7),),
                "antitrust_enforcement": (("2022Q3", 0.6),)}),
    Preset("enforce_now", "Act now: strong enforcement",
           "Antitrust enforcement at 0.8 from the first quarter (compare with "
           "enforce_in_8q: the same policy two years later).",
           {}, {"antitrust_enforcement": ((0, 0.8),)}),
    Preset("enforce_in_8q", "Act in two years",
           "Antitrust enforcement stays as it is for 8 quarters, then rises to 0.8 "
           "(compare with enforce_now).",
           {}, {"antitrust_enforcement": ((8, 0.8),)}),
    Preset("eu_parity", "EU level playing field",
           "The brief's recommendation: European firms get equal access to the platforms.",
           {"foreign_access_parity": 1.0}),
    Preset("interop_mandate", "Portability and interoperability mandate",
           "Data portability and interoperability duties on the platforms, as the EU Digital "
           "Markets Act's articles 6(7), 6(9) and 6(10) impose on gatekeepers.",
           {"interoperability": 0.8}),
)
# one mechanism each; the adverse world holds all three (its numbers are these)
_FAST_LOCK_IN = {"lock_in_rate": 0.15}
_STRONG_HUB_PULL = {"hub_bonus": 1.5}
_ACQUISITIVE_LEADERS = {"acquisition_rate": 0.08}
_WORLDS = (
    _world("benign_world", "Benign world",
           "The world of the brief's benign path: slow lock-in and a weak pull of the major "
           "hubs.", {"lock_in_rate": 0.03, "hub_bonus": 0.2}),
    _world("adverse_world", "Adverse world",
           "The world of the brief's adverse path: fast lock-in, a strong pull of the major "
           "hubs and acquisitive leaders.",
           {**_FAST_LOCK_IN, **_STRONG_HUB_PULL, **_ACQUISITIVE_LEADERS}),
    _world("fast_lock_in", "Fast lock-in",
           "Use of a platform locks its users into its stack fast: a lock-in rate of 0.15 "
           "per quarter, the top of its plausible range.", _FAST_LOCK_IN),
    _world("strong_hub_pull", "Strong hub pull",
           "The major hubs pull talent strongly: a hub pull of 1.5, the top of its "
           "plausible range.",
           _STRONG_HUB_PULL),
    _world("acquisitive_leaders", "Acquisitive leaders",
           "Platform operators buy promising dependants readily: an acquisition "
           "propensity of 0.08 per quarter, above the calibrated default.",
           _ACQUISITIVE_LEADERS),
    _world("tipping", "Standards that tip",
           "Strong network effects and switching costs against strong open alternatives, "
           "so that a standard's adoption has two stable states (docs/ODD.md, 'Tipping'); "
           "operators gain from abuse early and its exclusivity terms push adoption.",
           {"network_effect": 4.0, "switching_cost": 2.5, "outside_option": 4.5,
            "exclusivity": 5.0, "abuse_gain": 0.04, "lock_in_rate": 0.15,
            "abuse_threshold": 0.05}),
)
# (key, title, description, policy package, world assumption)
_SCENARIOS = (
    ("benign", "Benign scenario", "The brief's benign path: the benign policy in the benign "
     "world.", "benign_policy", "benign_world"),
    ("adverse", "Adverse scenario", "The brief's adverse path: the adverse policy in the "
     "adverse world.", "adverse_policy", "adverse_world"),
)


class ParameterSet(Mapping[str, float]):
    """An immutable, validated, complete set of parameter values."""

    __slots__ = ("_values",)

    def __init__(self, values: Mapping[str, object] | None = None):
        merged = dict(DEFAULTS)
        for key, value in (values or {}).items():
            merged[key] = parameter(key).check(value)
        self._values = MappingProxyType(merged)

    def __getitem__(self, key: str) -> float:
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        changed = {k: v for k, v in self._values.items() if v != DEFAULTS[k]}
        return f"ParameterSet({changed})"

    def __hash__(self) -> int:
        return hash(tuple(self._values.items()))

    def __reduce__(self):  # a mappingproxy does not pickle; the plain values do
        return (ParameterSet, (dict(self._values),))

    def replace(self, **changes: object) -> ParameterSet:
        return ParameterSet({**self._values, **changes})

    def with_preset(self, name: str) -> ParameterSet:
        return ParameterSet({**self._values, **preset(name).values})

    def changed(self) -> dict[str, float]:
        """Only the values that differ from the defaults (what a file needs to store)."""
        return {k: v for k, v in self._values.items() if v != DEFAULTS[k]}


def parameter(key: str) -> Parameter:
    try:
        return PARAMETERS[key]
    except KeyError:
        close = [k for k in PARAMETERS if key.lower() in k or k in key.lower()]
        hint = f"did you mean {', '.join(close[:3])}?" if close else \
            "run `python main.py presets` to list the parameters"
        raise InputError(f"unknown parameter {key!r}", fix=hint) from None


def preset(name: str) -> Preset:
    try:
        return PRESETS[name]
    except KeyError:
        raise InputError(f"unknown preset {name!r}",
                         fix=f"use one of: {', '.join(PRESETS)}") from None


def check_preset(p: Preset) -> None:
    """A policy package holds levers only, a world assumption constant coefficients only,
    every value in range: else an InputError naming the preset and the key."""
    if p.kind not in KINDS:
        raise InputError(f"preset {p.key}: unknown kind {p.kind!r}",
                         fix=f"use one of: {', '.join(KINDS)}")
    keys = [*p.values, *p.schedule]
    wrong, why = [], ""
    if p.kind == POLICY:
        wrong = [k for k in keys if k not in LEVERS]
        why = "is not a lever; a policy package holds levers only"
    elif p.kind == WORLD:
        wrong = [k for k in keys if k in LEVERS or k in p.schedule]
        why = "is a lever or a schedule; a world assumption holds constant coefficients only"
    if wrong:
        raise InputError(f"preset {p.key}: {wrong[0]} {why}",
                         fix="move it to a preset of the right kind")
    ParameterSet(p.values)
    for key, changes in p.schedule.items():
        for _at, value, *_ramp in changes:
            parameter(key).check(value)


def build_presets(policies: Iterable[Preset], worlds: Iterable[Preset],
                  scenarios: Iterable[tuple[str, str, str, str, str]]
                  ) -> Mapping[str, Preset]:
    """Every preset by name, each checked: scenarios first (each one policy package and one
    world assumption, merged), then the packages, then the worlds. Names are unique."""
    out: dict[str, Preset] = {}
    for kind, presets in ((POLICY, policies), (WORLD, worlds)):
        for p in presets:
            _add(out, p, kind)
    for key, title, description, policy, world in scenarios:
        parts = (out.get(policy), out.get(world))
        if parts[0] is None or parts[0].kind != POLICY or parts[1] is None or \
                parts[1].kind != WORLD:
            raise InputError(f"preset {key}: {policy!r} and {world!r} are not a policy "
                             "package and a world assumption", fix="name one of each")
        _add(out, Preset(key, title, description, {**parts[0].values, **parts[1].values},
                         parts[0].schedule, SCENARIO, (policy, world)), SCENARIO)
    ordered = sorted(out.values(), key=lambda p: list(KINDS).index(p.kind))  # stable
    return MappingProxyType({p.key: p for p in ordered})


def _add(out: dict, p: Preset, kind: str) -> None:
    if p.kind != kind:
        raise InputError(f"preset {p.key} is of kind {p.kind!r} among the {kind} presets",
                         fix=f"give it kind {kind!r} or move it")
    if p.key in out:
        raise InputError(f"two presets are named {p.key!r}", fix="give each its own name")
    check_preset(p)
    out[p.key] = p


def presets_of(kind: str) -> Mapping[str, Preset]:
    return MappingProxyType({k: p for k, p in PRESETS.items() if p.kind == kind})


def kind_name(kind: str) -> str:
    """'a policy package', 'a world assumption', 'a scenario' (for messages)."""
    return {POLICY: "a policy package", WORLD: "a world assumption",
            SCENARIO: "a scenario (a policy package in a world assumption)"}[kind]


# a preset of the wrong kind, a bad key or value fails here, at import (and so in tests)
PRESETS: Mapping[str, Preset] = build_presets(_POLICIES, _WORLDS, _SCENARIOS)
POLICIES = presets_of(POLICY)
WORLDS = presets_of(WORLD)
SCENARIOS = presets_of(SCENARIO)
