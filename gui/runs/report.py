"""What the window says about a job, worked out once for every view: how it ended and its
count (RunEnd: the header, the status bar and the progress box show the same), the status
line of a result, and the time left."""
from __future__ import annotations

from dataclasses import dataclass

from gui.runs import jobs
from model.shares import share_words


def seconds_left(elapsed: float, done: int, remaining: int) -> float | None:
    """At the pace of `done` units in `elapsed` seconds (None until that says something)."""
    if done <= 0 or remaining < 0 or elapsed < 0.3:
        return None
    return elapsed * remaining / done


DONE, STOPPED, FAILED = "done", "stopped", "failed"
# the units counted: a Monte Carlo's runs, a single run's steps, the runs of every scenario
# (or lever setting) of a comparison (or sensitivity analysis)
RUNS, STEPS, ALL_RUNS = "runs", "steps", "runs in all"
WHOLE = {jobs.COMPARISON: "a comparison is kept only whole (every scenario on the same "
                          "seeds)",
         jobs.SENSITIVITY: "a sensitivity analysis is kept only whole (every lever setting "
                           "on the same seeds)"}


@dataclass(frozen=True, eq=False)
class RunEnd:
    """How a job ended, said once for every view: the header, the status bar and the
    progress box all show `done` of `total` `unit` and the same words."""

    state: str  # DONE, STOPPED or FAILED
    done: int  # runs (or steps of a single run) finished and in `session`
    total: int  # those asked for
    unit: str  # RUNS, STEPS or ALL_RUNS
    text: str  # the status line
    seconds: float  # from start to end
    session: jobs.Session | None  # what the window shows now
    fresh: bool  # `session` is this job's result (else the previous one, or None)

    @property
    def note(self) -> str:
        """Why the results shown are not this job's (empty when they are)."""
        if self.fresh:
            return ""
        shown = "The results below are the previous ones." if self.session else \
            "There are no results to show."
        return f"{self.text}. {shown}"


def session_count(session: jobs.Session, unit: str, reported: int) -> tuple[int, int]:
    """(done, asked) in the plan's unit: the runs in the result (`reported`: those of a
    whole comparison or sensitivity analysis), or a single run's steps."""
    if unit == STEPS:
        return session.steps, session.steps
    if session.monte_carlo is not None:
        return session.runs, session.planned or session.runs
    return reported, reported


def stopped_without_result(kind: str, done: int, total: int) -> tuple[int, int, str]:
    """(done, total, status line) of a job stopped before it had a result: `done` steps of
    a single run that did not end, else no runs kept."""
    if kind == jobs.RUN:
        return done, total, f"Stopped at step {done} of {total}, before the run ended: " \
                            "nothing kept"
    if kind == jobs.MONTE_CARLO:
        return 0, total, f"Stopped after 0 of {total} runs: the first run (the one " \
                         "replayed) had not finished, nothing kept"
    # finished runs of some of its parts are no result: the parts would differ in seeds
    return 0, total, f"Stopped: {WHOLE[kind]}, so none of its {total} runs is kept"


def describe(session: jobs.Session) -> str:
    if session.monte_carlo is not None:
        shares = session.monte_carlo.outcome_shares
        parts = ", ".join(f"{k} {w}" for k, w in share_words(shares).items() if shares[k])
        if session.stopped:
            kept = f"only the run of seed {session.seed} finished" if session.runs == 1 \
                else f"the {session.runs} that finished are kept"
            return f"Stopped after {session.runs} of {session.planned} runs: {kept}; " \
                   f"outcomes {parts}"
        return f"Done: {session.runs} runs; outcomes {parts}"
    if session.comparison is not None:
        return f"Done: compared {len(session.comparison.labels)} scenarios, " \
               f"{session.runs} runs each"
    if session.sensitivity is not None:
        return "Done: sensitivity of the end metrics"
    return f"Done: outcome {session.result.outcome}"
