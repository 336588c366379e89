"""The cost lines: one table that the engine, every renderer, the JSON/CSV and the tests read.

Adding a line means one row here and the cost model that fills it; the
renderers, the one-time/recurring split and the JSON keys follow from the table.
"""

from __future__ import annotations

from dataclasses import dataclass

IN_HOUSE = frozenset({"in_house"})
OUTSOURCED = frozenset({"kpo", "bpo"})
CONTRACTOR = frozenset({"contractor"})
EVERY_KIND = IN_HOUSE | OUTSOURCED | CONTRACTOR


@dataclass(frozen=True)
class Line:
    """One cost line: its JSON name, its label, and which option kinds book it."""

    name: str
    label: str
    #: one-time lines make up one_time_cost; the others recurring_cost
    one_time: bool
    #: the ``model`` values whose options have this line
    kinds: frozenset[str]


#: In display and JSON order (design section 4, "Line names"; section 8: methodology 2;
#: section 11: methodology 3).
LINES: tuple[Line, ...] = (
    Line("salaries", "Salaries", False, IN_HOUSE),
    Line("benefits", "Benefits", False, IN_HOUSE),
    Line("overhead", "Overhead", False, IN_HOUSE),
    Line("training", "Training", False, IN_HOUSE),
    Line("hiring", "Hiring", True, IN_HOUSE),
    Line("attrition", "Attrition replacement", False, IN_HOUSE),
    Line("severance", "Severance", True, IN_HOUSE),
    Line("vendor_fees", "Vendor fees", False, OUTSOURCED),
    Line("governance", "Governance", False, OUTSOURCED),
    Line("communication", "Communication", False, OUTSOURCED),
    Line("indirect_tax", "Indirect tax", False, OUTSOURCED),
    Line("withholding_tax", "Withholding tax", False, OUTSOURCED),
    Line("retained", "Retained organisation", False, OUTSOURCED),
    Line("vendor_selection", "Vendor selection", True, OUTSOURCED),
    Line("transition", "Transition", True, OUTSOURCED),
    Line("ramp_up", "Vendor ramp-up", True, OUTSOURCED),
    # Methodology 3: contract staff booked by the hour, and named costs of any option.
    Line("contractor_fees", "Contractor fees", False, CONTRACTOR),
    Line("onboarding", "Contractor onboarding", True, CONTRACTOR),
    Line("other_recurring", "Other recurring costs", False, EVERY_KIND),
    Line("other_one_time", "Other one-time costs", True, EVERY_KIND),
    # Demand that cannot be served in time, priced at unmet_hour_cost (0 when unpriced).
    Line("unmet_work", "Unmet work", False, EVERY_KIND),
)

LINE_NAMES: tuple[str, ...] = tuple(line.name for line in LINES)
ONE_TIME_LINES: frozenset[str] = frozenset(line.name for line in LINES if line.one_time)
LINE_LABELS: dict[str, str] = {line.name: line.label for line in LINES}


def lines_of(model: str) -> tuple[str, ...]:
    """The names of the lines an option of kind ``model`` books, in table order."""
    return tuple(line.name for line in LINES if model in line.kinds)


#: Lines booked only for an option that declares ``other_costs`` (so a file without them
#: shows exactly the lines of methodology 2).
OTHER_LINES: frozenset[str] = frozenset({"other_recurring", "other_one_time"})
