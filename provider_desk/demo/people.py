"""Demo people we support: long-term and reablement, care plans with several versions, reviews
(some overdue), risk assessments (some overdue), goals, a few ended and some in hospital, and a
new referral whose plan is not written yet."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

from sqlalchemy.orm import Session

from provider_desk.areas.people.models import Person
from provider_desk.areas.people.rules import DAYS, Visit
from provider_desk.areas.people.services import (
    CarePlanInput,
    GoalInput,
    PersonInput,
    ReviewInput,
    RiskInput,
    record_review_in,
    save_care_plan_in,
    save_goal_in,
    save_person_in,
    save_risk_in,
)
from provider_desk.auth.permissions import program_write
from provider_desk.db.session import Database
from provider_desk.db.versions import current_version
from provider_desk.demo.names import FIRST, LAST, STREETS
from provider_desk.demo.staff import Workforce, keep_loaded
from provider_desk.resources import risk_kinds
from provider_desk.rules.dates import add_months

TITLES = ("Mrs", "Mr", "Miss", "Ms")
CHANGE_REASONS = (
    "Review: needs changed after a fall",
    "Back from hospital",
    "Family asked for a later tea call",
    "Now needs two carers to transfer",
    "Medication support increased to administer",
)
REABLEMENT_GOALS = (
    ("Make a hot drink and a simple meal", "Needs a carer to prepare all food"),
    ("Shower without help", "Help of one to shower"),
    ("Walk to the local shop", "Walks indoors only with a frame"),
)
PLAN_TEXT: dict[str, dict[str, tuple[str, ...]]] = {
    "personal care": {
        "needs": ("Needs help to wash and dress in the morning; can wash face and hands.",
                  "Strip wash at the sink; full shower twice a week with one carer."),
        "outcomes": ("To feel clean and fresh and choose own clothes.",
                     "To keep showering at home rather than move to a care home."),
        "support": ("Run the shower, help with back and feet, lay out two outfits to choose from.",
                    "Prompt and supervise; help with buttons and shoes."),
        "preferences": ("Likes a bath towel warmed on the radiator. Female carers only.",
                        "Prefers an electric razor; likes to shave without help."),
    },
    "medication": {
        "needs": ("Medicines in a pharmacy blister pack, 8am and 6pm.",
                  "Eye drops twice a day; paracetamol when required for knee pain."),
        "outcomes": ("To take medicines safely and on time.",),
        "support": ("Assist: pop tablets from the pack, offer a drink, record on the MAR.",
                    "Prompt only: takes them independently; carer checks and records."),
        "preferences": ("Takes tablets one at a time with orange juice.",),
    },
    "nutrition": {
        "needs": ("Poor appetite since the winter; weight checked monthly by the district nurse.",
                  "Soft diet (IDDSI level 6) on SALT advice."),
        "outcomes": ("To eat two good meals a day and drink enough.",),
        "support": ("Prepare breakfast and a hot lunch; leave a jug of squash within reach.",),
        "preferences": ("Porridge with honey; no pork; tea with two sugars.",),
    },
    "mobility": {
        "needs": ("Walks with a frame indoors; two falls this year.",
                  "Hoist with two carers for all transfers (sling size M)."),
        "outcomes": ("To move around the home safely and sit in the garden in summer.",),
        "support": ("Check the frame is within reach; stand-by when walking to the bathroom.",
                    "Two carers, ceiling hoist, follow the moving and handling plan."),
        "preferences": ("Likes to sit by the window in the afternoon.",),
    },
    "skin": {
        "needs": ("Fragile skin on heels; at risk of pressure damage.",),
        "outcomes": ("To keep skin intact.",),
        "support": ("Apply barrier cream as prescribed; check heels and report redness.",),
        "preferences": ("",),
    },
    "communication": {
        "needs": ("Hard of hearing in the left ear; wears a hearing aid.",
                  "Speaks Polish; good spoken English but reads Polish more easily."),
        "outcomes": ("To understand and be understood.",),
        "support": ("Face the person when speaking; check the hearing aid battery each morning.",),
        "preferences": ("Large print for letters.",),
    },
    "mental health": {
        "needs": ("Diagnosed with Alzheimer's disease; can be anxious in the evening.",
                  "Low mood since a bereavement last year."),
        "outcomes": ("To feel calm and safe at home.",),
        "support": ("Talk about the day, play favourite music; tell the office about any change.",),
        "preferences": ("Likes Radio 2 and talking about the garden.",),
    },
    "social": {
        "needs": ("Lives alone; daughter visits at weekends.",),
        "outcomes": ("To keep going to the lunch club on Wednesdays.",),
        "support": ("Help to get ready by 11am on Wednesdays for the minibus.",),
        "preferences": ("Catholic; likes to watch Mass on television on Sundays.",),
    },
    "home": {
        "needs": ("Key safe by the front door (code held in the office).",
                  "Has a dog; keep it in the kitchen during personal care."),
        "outcomes": ("To stay safe at home.",),
        "support": ("Check smoke alarm monthly; lock the back door on leaving.",),
        "preferences": ("",),
    },
}  # fmt: skip


@program_write("builds demo data through the services' _in forms, which check permissions")
def generate(
    db: Database,
    rng: random.Random,
    day: dt.date,
    team: Workforce,
    *,
    count: int,
    years: int,
) -> int:
    """Put ``count`` people on the list with their plans and records, in one transaction."""
    carers = [m for m in team.in_post if m not in team.supervisors] or team.in_post
    seen: set[tuple[str, str, dt.date]] = set()
    nhs_numbers: set[str] = set()
    with db.session() as s:
        _register = keep_loaded(s)
        for n in range(count):
            # The last one is a new referral whose plan is not written yet.
            new_referral = n == count - 1
            reablement = rng.random() < 0.2 and not new_referral
            if new_referral:
                start = day - dt.timedelta(days=3)
            elif reablement:
                start = day - dt.timedelta(days=rng.randint(10, 300))
            else:
                start = day - dt.timedelta(days=rng.randint(20, 365 * years + 300))
            ended_on = None
            if reablement and (day - start).days > 42:
                ended_on = start + dt.timedelta(days=rng.randint(28, 42))
            elif rng.random() < 0.1 and not new_referral:
                ended_on = start + dt.timedelta(
                    days=rng.randint(30, max(31, (day - start).days - 1))
                )
                ended_on = min(ended_on, day - dt.timedelta(days=1))
            while True:  # the service refuses a second person with the same name and birthday
                first, last = rng.choice(FIRST), rng.choice(LAST)
                born = dt.date(rng.randint(1928, 1962), rng.randint(1, 12), rng.randint(1, 28))
                if (first, last, born) not in seen:
                    seen.add((first, last, born))
                    break
            nhs = _nhs_number(rng)
            while nhs in nhs_numbers:
                nhs = _nhs_number(rng)
            nhs_numbers.add(nhs)
            hours = float(rng.choice([7, 10.5, 14, 17.5, 21])) if reablement else None
            data = PersonInput(
                reference=f"P-{n + 1:04d}",
                first_name=first,
                last_name=last,
                preferred_name=rng.choice(["", "", "", first[:3]]) if len(first) > 4 else "",
                date_of_birth=born,
                nhs_number=nhs,
                address=f"{rng.randint(1, 120)} {rng.choice(STREETS)}, Anytown",
                postcode=f"AN{rng.randint(1, 9)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJ')}"
                f"{rng.choice('LNPQRSTUW')}",
                funding=rng.choices(
                    [
                        "local authority",
                        "NHS continuing healthcare",
                        "self-funded",
                        "direct payment",
                        "mixed",
                    ],
                    [55, 10, 20, 10, 5],
                )[0],
                service_type="reablement" if reablement else "long-term",
                start_date=start,
                status=rng.choices(["active", "in hospital"], [94, 6])[0],
                key_worker_id=rng.choice(carers).id,
                next_of_kin=_next_of_kin(rng),
                power_of_attorney=rng.choice(
                    [
                        "",
                        "",
                        "",
                        "LPA health and welfare: daughter (registered)",
                        "LPA property and financial affairs: son",
                    ]
                ),
                reablement_start_hours=hours,
            )
            # Everyone starts in service; those who have left are ended after their records.
            # Held: validation reads it.
            person = save_person_in(s, None, data, today=day, expected_version=None)
            person_id = person.id
            if new_referral:
                continue
            last_day = ended_on or day
            _plans(s, rng, day, person_id, start, last_day, reablement)
            _reviews(s, rng, day, person_id, first, start, last_day)
            for kind in rng.sample(risk_kinds()[:8], rng.randint(2, 4)):
                assessed = max(start, min(last_day, day - dt.timedelta(days=rng.randint(10, 420))))
                save_risk_in(
                    s,
                    person_id,
                    None,
                    RiskInput(
                        kind=kind,
                        hazard=f"Risk of harm from {kind}.",
                        likelihood=rng.randint(1, 5),
                        severity=rng.randint(1, 5),
                        controls=rng.choice(
                            [
                                "Follow the care plan; report changes to the office.",
                                "Equipment checked each visit; two carers for transfers.",
                                "Clear walkways; pendant alarm worn; OT referral made.",
                            ]
                        ),
                        assessed_on=assessed,
                        assessed_by_id=rng.choice(team.supervisors).id,
                        review_due=add_months(assessed, 12),
                    ),
                    today=day,
                    expected_version=None,
                )
            if reablement:
                for text, starting in REABLEMENT_GOALS[: rng.randint(2, 3)]:
                    outcome = ""
                    if ended_on:
                        outcome = rng.choice(
                            ["achieved", "achieved", "partly achieved", "not achieved"]
                        )
                    save_goal_in(
                        s,
                        person_id,
                        None,
                        GoalInput(
                            goal=text,
                            starting_point=starting,
                            set_on=start,
                            target_date=start + dt.timedelta(weeks=6),
                            progress="Reviewed at the end of reablement."
                            if outcome
                            else "Practising daily with the carer watching, not doing.",
                            outcome=outcome,
                        ),
                        today=day,
                        expected_version=None,
                    )
            if ended_on:
                end_hours = None
                if hours is not None:
                    end_hours = rng.choice([0.0, 0.0, 3.5, 5.25, 7.0, hours])
                ended = replace(
                    data,
                    status="ended",
                    end_date=ended_on,
                    reablement_end_hours=end_hours,
                )
                save_person_in(
                    s,
                    person_id,
                    ended,
                    expected_version=current_version(s, Person, person_id),
                    today=day,
                )
    return count


def _plans(
    s: Session,
    rng: random.Random,
    day: dt.date,
    person_id: int,
    start: dt.date,
    last_day: dt.date,
    reablement: bool,
) -> None:
    """The first plan at the start, then new versions as needs change (none after the end)."""
    versions = 1 if reablement else rng.choice([1, 1, 2, 2, 3, 4])
    span = (last_day - start).days
    changes = {
        start + dt.timedelta(days=rng.randint(30, span)) for _ in range(versions - 1) if span >= 30
    }
    dates = sorted({start} | changes)
    areas = rng.sample(list(PLAN_TEXT), rng.randint(4, len(PLAN_TEXT)))
    visits_per_day = rng.choice([1, 2, 2, 3, 4])
    times = ["08:00", "12:30", "17:00", "20:30"][:visits_per_day]
    two = rng.random() < 0.15
    for i, when in enumerate(dates):
        sections = {
            a: {f: rng.choice(t) for f, t in PLAN_TEXT[a].items() if rng.choice(t)} for a in areas
        }
        visits = tuple(
            Visit(
                DAYS,
                t,
                rng.choice([30, 45, 60]) if t != "20:30" else 30,
                2 if two and t == "08:00" else 1,
            )
            for t in times
        )
        consent = i < len(dates) - 1 or rng.random() < 0.92
        lacks = rng.random() < 0.12
        save_care_plan_in(
            s,
            person_id,
            CarePlanInput(
                effective_from=when,
                sections=sections,
                visits=visits,
                change_reason="" if i == 0 else rng.choice(CHANGE_REASONS),
                consent_by=("representative" if lacks else "person") if consent else "",
                consent_name=f"{rng.choice(TITLES[::2])} {rng.choice(LAST)}"
                if consent and lacks
                else "",
                consent_capacity="LPA for health and welfare, daughter"
                if consent and lacks
                else "",
                consent_on=when if consent else None,
                mca_needed=lacks,
                mca_outcome="lacks capacity" if lacks else "",
                best_interests="Care at home agreed in their best interests with the family "
                "and social worker."
                if lacks
                else "",
            ),
            based_on=i or None,
            today=day,
        )


def _reviews(
    s: Session,
    rng: random.Random,
    day: dt.date,
    person_id: int,
    first: str,
    start: dt.date,
    last_day: dt.date,
) -> None:
    """The first review about six weeks in (some late), then roughly yearly; about one in six
    long-term people have slipped past their review date."""
    review = start + dt.timedelta(days=rng.randint(35, 60))
    slipped = rng.random() < 0.17
    while review < last_day - dt.timedelta(days=5):
        if slipped and review > day - dt.timedelta(days=400):
            break
        record_review_in(
            s,
            person_id,
            ReviewInput(
                reviewed_on=review,
                participants=rng.choice(
                    [
                        f"{first}, key worker, care co-ordinator",
                        f"{first}, daughter, social worker, care co-ordinator",
                        f"{first} and the registered manager",
                    ]
                ),
                outcome=rng.choice(
                    [
                        "Plan meeting needs; no change.",
                        "Happy with carers; tea call moved later.",
                        "More help needed with mobility: plan updated.",
                    ]
                ),
                needs_changed=rng.random() < 0.3,
            ),
            today=day,
        )
        review = add_months(review, rng.choice([6, 9, 11, 12]))


def _next_of_kin(rng: random.Random) -> str:
    relation, title = rng.choice(
        [("daughter", "Mrs"), ("son", "Mr"), ("niece", "Miss"), ("husband", "Mr"), ("wife", "Mrs")]
    )
    return f"{title} {rng.choice(LAST)} ({relation}), 07700 900{rng.randint(100, 999)}"


def _nhs_number(rng: random.Random) -> str:
    """A random number that passes the NHS modulus 11 check."""
    while True:
        digits = [rng.randint(0, 9) for _ in range(9)]
        check = 11 - sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=True)) % 11
        check = 0 if check == 11 else check
        if check != 10:
            return "".join(map(str, digits)) + str(check)
