"""History matching (issue 24): observed patterns, the implausibility of a coefficient set
against them, waves of samples that keep the not-implausible ones, and the calibrated
futures stored as a resource (docs/ODD.md, "Calibration")."""
