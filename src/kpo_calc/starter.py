"""Starter scenarios for ``kpo-calc init``: one commented template, filled per domain.

The template (``templates/starter.yaml``) carries the structure, the comments
and the values every domain shares; a domain supplies only what differs (the
work, the salary, the rates and their sources).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class Domain:
    """What a domain's starter scenario fills into the template."""

    title: str
    description: str
    work: str
    salary: int
    salary_note: str
    ramp_up: float
    kpo_rate: int
    kpo_note: str
    bpo_rate: int
    bpo_note: str
    bpo_max: str
    risk_name: str
    risk_impact: int
    unmet_cost: int
    #: the incumbent team; 0 for new work (kpo-calc then warns about hiring lead time)
    existing_fte: int


def _work(*items: str) -> str:
    return "\n".join(items)


DOMAINS: dict[str, Domain] = {
    "investment-research": Domain(
        title="Investment research support",
        description="Recurring sector reports and model updates for a research desk.",
        work=_work(
            "  - {name: Sector reports, kind: recurring, fte: 4.5, specialization: high, "
            "growth: 0.05}",
            "  - {name: Model updates, kind: recurring, hours_per_month: 160, "
            "specialization: medium}"),
        salary=95000,
        salary_note="assumption; CFO magazine: US financial analysts $34/h in 2004",
        ramp_up=4.6, kpo_rate=2500,
        kpo_note="~$30/h; CIOL: complex offshore work bills $20-40/h",
        bpo_rate=700, bpo_note="~$12.60/h; BusinessWorld 2021: $12-14/h premium tier",
        bpo_max="low", risk_name="IP leakage", risk_impact=500000, unmet_cost=150,
        existing_fte=6),
    "legal": Domain(
        title="Legal document review and research",
        description="First-pass document review and research memos for litigation.",
        work=_work(
            "  - {name: Document review, kind: recurring, hours_per_month: 2100, "
            "specialization: medium}",
            "  - {name: Research memos, kind: recurring, hours_per_month: 420, "
            "specialization: high}"),
        salary=78000, salary_note="assumption for US review attorneys",
        ramp_up=2, kpo_rate=2300,
        kpo_note="~$27.60/h; LawyersClubIndia: review from $21/h, research ~$60/h",
        bpo_rate=700, bpo_note="~$12.60/h; BusinessWorld 2021: $12-14/h premium tier",
        bpo_max="low", risk_name="Confidentiality breach", risk_impact=750000,
        unmet_cost=120, existing_fte=18),
    "data-analytics": Domain(
        title="Data analytics project",
        description="A one-off analytics project: segmentation, churn model, pricing study.",
        work=_work(
            "  - {name: Segmentation and churn model, kind: one_off, total_hours: 2400, "
            "start_month: 2, duration_months: 5, specialization: high}",
            "  - {name: Pricing study, kind: one_off, total_hours: 640, start_month: 5, "
            "duration_months: 2, specialization: high}"),
        salary=120000, salary_note="assumption for a senior data scientist",
        ramp_up=3, kpo_rate=2000,
        kpo_note="~$24/h; CIOL: complex offshore work bills $20-40/h",
        bpo_rate=700, bpo_note="~$12.60/h; BusinessWorld 2021: $12-14/h premium tier",
        bpo_max="low", risk_name="Customer data leak", risk_impact=2000000, unmet_cost=200,
        existing_fte=0),
    "rnd-patent-search": Domain(
        title="Patent search and landscaping",
        description="Recurring prior-art searches and a one-off patent landscape study.",
        work=_work(
            "  - {name: Prior-art searches, kind: recurring, hours_per_month: 380, "
            "specialization: high, growth: 0.1}",
            "  - {name: Landscape study, kind: one_off, total_hours: 900, start_month: 4, "
            "duration_months: 3, specialization: high}"),
        salary=90000, salary_note="assumption for a patent information specialist",
        ramp_up=4.6, kpo_rate=5500,
        kpo_note="~$66/h; NZ Herald: patent research in India $50-80/h (US $150-350/h)",
        bpo_rate=700, bpo_note="~$12.60/h; BusinessWorld 2021: $12-14/h premium tier",
        bpo_max="low", risk_name="Invention disclosure leak", risk_impact=1500000,
        unmet_cost=90, existing_fte=3),
    "medical-coding": Domain(
        title="Medical coding",
        description="Outpatient encounter coding for billing, with an audit sample.",
        work=_work(
            "  - {name: Outpatient coding, kind: recurring, fte: 24, specialization: medium, "
            "growth: 0.04}",
            "  - {name: Coding audit sample, kind: recurring, hours_per_month: 140, "
            "specialization: medium}"),
        salary=50000, salary_note="Point1 ROI example: $50,000 salary",
        ramp_up=2, kpo_rate=1750,
        kpo_note="~$21/h; CIOL: BPO in India $12-15/h, complex work $20-40/h",
        bpo_rate=950,
        bpo_note="~$17/h; BusinessWorld: $12-14/h premium, +40-50% for knowledge work (NZ Herald)",
        bpo_max="medium", risk_name="Patient data breach", risk_impact=1000000, unmet_cost=60,
        existing_fte=25),
    "financial-consulting": Domain(
        title="FP&A and management reporting",
        description="Monthly management pack, rolling forecast and board analysis.",
        work=_work(
            "  - {name: Management pack and forecast, kind: recurring, fte: 3, "
            "specialization: high}",
            "  - {name: Board analysis, kind: recurring, hours_per_month: 120, "
            "specialization: high}"),
        salary=85000, salary_note="assumption for an FP&A analyst",
        ramp_up=4.6, kpo_rate=1700,
        kpo_note="~$20/h; CIOL: complex offshore work bills $20-40/h",
        bpo_rate=700, bpo_note="~$12.60/h; BusinessWorld 2021: $12-14/h premium tier",
        bpo_max="low", risk_name="Leak of unpublished results", risk_impact=2000000,
        unmet_cost=150, existing_fte=4),
}

DEFAULT_DOMAIN = "investment-research"


def starter_scenario(domain: str, file_name: str = "scenario.yaml") -> str:
    """The commented starter scenario for ``domain``, as YAML text."""
    d = DOMAINS[domain]
    template = resources.files("kpo_calc").joinpath("templates/starter.yaml").read_text(
        encoding="utf-8")
    return template.format(
        domain=domain, file_name=file_name, title=d.title,
        description=d.description, work=d.work, salary=d.salary, salary_note=d.salary_note,
        overhead=int(round(0.12 * d.salary * 1.42, -2)), ramp_up=d.ramp_up,
        kpo_rate=d.kpo_rate, kpo_note=d.kpo_note, bpo_rate=d.bpo_rate, bpo_note=d.bpo_note,
        bpo_max=d.bpo_max, risk_name=d.risk_name, risk_impact=d.risk_impact,
        unmet_cost=d.unmet_cost, existing_fte=d.existing_fte)
