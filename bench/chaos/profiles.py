"""How hard a chaos run shakes the stack, and the floors a run must reach to count."""
from __future__ import annotations

from dataclasses import dataclass, field

from bench.chaos.verdicts import Verdict

# Per Shopify request; `slow` answers after 6 s, past the connector's 4 s read timeout here.
# null_nodes only hits answers to nodes(ids:), the order details.
FAULTS = {"throttle": 0.06, "server_error": 0.05, "drop": 0.04, "malformed": 0.02, "empty": 0.03, "slow": 0.02,
          "null_nodes": 0.2}


@dataclass(frozen=True)
class Profile:
    name: str
    seconds: float           # breaking things
    drain_seconds: float     # catching up afterwards, at most
    orders: int              # per shop in the simulator's store
    kill_every: float
    race_every: float
    order_every: float
    webhook_every: float
    max_lateness: int        # QUEUE_ENTRY_MAX_LATENESS_SECONDS: a due entry waiting longer restarts the workers
    min_faulted_share: float = 0.0
    min_kills: int = 0
    min_races: int = 0
    runs: int = 1            # seeds run one after the other by default
    faults: dict = field(default_factory=lambda: dict(FAULTS))

    def floors(self, stats: dict, counts) -> list[Verdict]:
        """Verdicts that the run shook as hard as the profile promises (a gentle run proves little)."""
        requests_made = sum(s["requests"] for s in stats.values())
        faulted = sum(n for s in stats.values() for kind, n in s["faults"].items() if kind != "null_nodes")
        share = faulted / max(requests_made, 1)
        kills = counts["kills busy"] + counts["kills idle"]
        races = counts["races shop card"] + counts["races run now"] + counts["races command"]
        return [
            Verdict(f"at least {self.min_faulted_share:.0%} of Shopify answers faulted",
                    share >= self.min_faulted_share, f"{share:.1%} of {requests_made}"),
            Verdict(f"at least {self.min_kills} workers killed", kills >= self.min_kills,
                    f"{kills} ({counts['kills busy']} busy, {counts['kills idle']} idle)"),
            Verdict(f"at least {self.min_races} racing presses", races >= self.min_races, f"{races}"),
        ]


PROFILES = {
    # Run by .ci/run: about six minutes on two cores, set-up and checks included.
    "ci": Profile("ci", seconds=150, drain_seconds=90, orders=250, kill_every=11, race_every=4, order_every=8,
                  webhook_every=2, max_lateness=45, min_faulted_share=0.15, min_kills=10, min_races=50),
    # By hand, at full size (bench/chaos): longer, more orders, the same floors.
    "full": Profile("full", seconds=420, drain_seconds=240, orders=500, kill_every=12, race_every=3, order_every=5,
                    webhook_every=1.5, max_lateness=60, min_faulted_share=0.15, min_kills=20, min_races=150,
                    runs=2),
}
