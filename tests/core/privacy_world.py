"""A small provider with records in every area, some long past their retention on TODAY
(23 Nov 2026), for the data protection tests. Rows go in through the ORM, so the change log
records them exactly as the services' saves are recorded."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import select

from provider_desk.areas.actions.models import Action
from provider_desk.areas.audits.models import AuditRun, AuditTemplateVersion
from provider_desk.areas.complaints.models import Complaint, ComplaintEvent, Compliment
from provider_desk.areas.people.models import CarePlan, CareReview, Goal, Person, RiskAssessment
from provider_desk.areas.staff.models import JobRole, RecruitmentCheck, StaffMember
from provider_desk.areas.supervision.models import SupervisionRecord
from provider_desk.areas.training.models import CareCertificateStandard, Course, TrainingRecord
from provider_desk.attachments import store
from provider_desk.db.session import Database

D = dt.date
PDF = b"%PDF-1.4 certificate "


@dataclass(frozen=True)
class World:
    """Ids of what was made."""

    mary: int  # manager, in post
    cathy: int  # carer, in post; line manager Lucy
    lucy: int  # left 31 May 2019: past retention (6 years) on TODAY
    harry: int  # left 2018: past, but held (he led Cathy's supervision)
    peter: int  # care ended 29 Feb 2016: past (8 years)
    nora: int  # in care; key worker Lucy
    edna: int  # care ended 23 Nov 2018: kept until TODAY exactly
    old_complaint: int  # about Peter, closed 31 Mar 2018: past
    open_complaint: int  # about Nora, open; staff concerned Lucy
    old_compliment: int  # 2020: past
    new_compliment: int  # 2025
    old_audit: int  # finished 2021 (revised Feb 2021): past
    follow_up_audit: int  # follows up the old audit, 2025
    shared_file: int  # Lucy's and Cathy's identical certificate
    lucy_check_file: int
    audit_file: int


def build(db: Database) -> World:
    with db.session() as s:
        role = s.scalar(select(JobRole).where(JobRole.name == "Care worker"))
        assert role is not None
        courses = list(s.scalars(select(Course).order_by(Course.id).limit(2)))
        version = s.scalar(select(AuditTemplateVersion).limit(1))
        assert version is not None

        def staff(
            first: str, last: str, start: D, left: D | None = None, **kw: object
        ) -> StaffMember:
            st = StaffMember(
                first_name=first,
                last_name=last,
                job_role_id=role.id,
                start_date=start,
                leaving_date=left,
                status="left" if left else "active",
                **kw,
            )
            s.add(st)
            s.flush()
            return st

        mary = staff("Mary", "Manager", D(2010, 1, 4))
        lucy = staff("Lucy", "Leaver", D(2014, 3, 3), D(2019, 5, 31))
        harry = staff("Harry", "Held", D(2012, 6, 1), D(2018, 1, 31))
        cathy = staff("Cathy", "Current", D(2017, 9, 1), line_manager_id=lucy.id)

        shared = store(s, "certificate.pdf", "application/pdf", PDF + b"moving and handling")
        check_file = store(s, "dbs-lucy.pdf", "application/pdf", PDF + b"dbs of lucy")
        audit_file = store(s, "audit-photo.png", "image/png", b"\x89PNG audit evidence")
        s.add_all(
            [
                TrainingRecord(
                    staff_id=lucy.id,
                    course_id=courses[0].id,
                    completed_on=D(2018, 4, 30),
                    provider="Lucy's trainer",
                    attachment_id=shared.id,
                ),
                TrainingRecord(
                    staff_id=cathy.id,
                    course_id=courses[0].id,
                    completed_on=D(2025, 4, 30),
                    provider="Cathy's trainer",
                    attachment_id=shared.id,
                ),
                CareCertificateStandard(
                    staff_id=lucy.id, standard=1, completed_on=D(2014, 4, 1), assessor="Mary"
                ),
                RecruitmentCheck(
                    staff_id=lucy.id,
                    kind="dbs",
                    status="satisfactory",
                    checked_on=D(2014, 2, 20),
                    reference="001234567890",
                    attachment_id=check_file.id,
                ),
                RecruitmentCheck(
                    staff_id=cathy.id, kind="dbs", status="satisfactory", checked_on=D(2017, 8, 1)
                ),
                SupervisionRecord(
                    staff_id=lucy.id,
                    supervisor_id=mary.id,
                    kind="supervision",
                    held_on=D(2019, 1, 10),
                    sections=json.dumps([["Wellbeing", "Lucy is thinking of moving away"]]),
                ),
                SupervisionRecord(
                    staff_id=cathy.id,
                    supervisor_id=harry.id,
                    kind="supervision",
                    held_on=D(2017, 12, 1),
                    sections=json.dumps([["Wellbeing", "Cathy settling in well"]]),
                ),
                Action(
                    description="Book Lucy on the refresher",
                    source="supervision",
                    source_ref="Supervision 10 Jan 2019: Lucy Leaver",
                    owner_id=mary.id,
                    raised_on=D(2019, 1, 10),
                    due_on=D(2019, 2, 10),
                    completed_on=D(2019, 2, 1),
                ),
            ]
        )

        def person(
            ref: str, first: str, last: str, start: D, end: D | None, **kw: object
        ) -> Person:
            p = Person(
                reference=ref,
                first_name=first,
                last_name=last,
                start_date=start,
                end_date=end,
                status="ended" if end else "active",
                **kw,
            )
            s.add(p)
            s.flush()
            plan = CarePlan(
                person_id=p.id,
                number=1,
                effective_from=start,
                sections=json.dumps({"mobility": {"needs": f"{first} walks with a frame"}}),
            )
            s.add(plan)
            s.flush()
            s.add_all(
                [
                    CareReview(
                        person_id=p.id,
                        care_plan_id=plan.id,
                        reviewed_on=start + dt.timedelta(days=42),
                        outcome=f"{first} is happy with the visits",
                    ),
                    RiskAssessment(
                        person_id=p.id,
                        kind="falls",
                        hazard=f"{first} trips on the rug",
                        assessed_on=start,
                        assessed_by_id=lucy.id,
                        review_due=start + dt.timedelta(days=365),
                    ),
                    Goal(person_id=p.id, goal=f"{first} makes a cup of tea", set_on=start),
                    Action(
                        description=f"Ask the OT to visit {first}",
                        source="care review",
                        source_ref=f"{ref} review {start.day} {start:%b %Y}",
                        owner_id=mary.id,
                        raised_on=start,
                        due_on=start + dt.timedelta(days=30),
                    ),
                ]
            )
            return p

        peter = person("P-0001", "Peter", "Past", D(2012, 5, 1), D(2016, 2, 29))
        nora = person("P-0002", "Nora", "Now", D(2020, 1, 6), None, key_worker_id=lucy.id)
        edna = person("P-0003", "Edna", "Edge", D(2015, 1, 5), D(2018, 11, 23))

        old = Complaint(
            reference="C-2018-001",
            received_on=D(2018, 2, 1),
            complainant_name="Jean Past",
            complainant_relation="daughter",
            person_concerned="Peter Past",
            summary="Peter's carers were late all week",
            outcome="upheld",
            closed_on=D(2018, 3, 31),
        )
        new = Complaint(
            reference="C-2026-001",
            received_on=D(2026, 11, 2),
            complainant_name="Nora Now",
            person_concerned="Nora Now",
            staff_concerned_id=lucy.id,
            summary="Nora's tea was cold",
        )
        s.add_all([old, new])
        s.flush()
        s.add_all(
            [
                ComplaintEvent(complaint_id=old.id, happened_on=D(2018, 2, 2), what="Acknowledged"),
                ComplaintEvent(complaint_id=new.id, happened_on=D(2026, 11, 3), what="Nora called"),
                Action(
                    description="Remind carers about Peter's times",
                    source="complaint",
                    source_ref="C-2018-001",
                    owner_id=mary.id,
                    raised_on=D(2018, 2, 5),
                    due_on=D(2018, 3, 1),
                ),
            ]
        )
        old_compliment = Compliment(
            received_on=D(2020, 1, 1),
            from_name="Peter's son",
            about_person="Peter Past",
            staff_id=lucy.id,
            what_was_said="Lucy was wonderful with Dad",
        )
        new_compliment = Compliment(
            received_on=D(2025, 6, 1), from_name="Nora Now", what_was_said="Lovely carers"
        )
        s.add_all([old_compliment, new_compliment])

        answers = json.dumps({"q1": {"answer": "no", "attachment_id": audit_file.id}})
        first = AuditRun(
            reference="AUD-2021-001",
            template_id=version.template_id,
            template_version_id=version.id,
            audited_on=D(2021, 1, 20),
            auditor_id=mary.id,
            answers=answers,
            finished_on=D(2021, 1, 31),
        )
        s.add(first)
        s.flush()
        revision = AuditRun(
            reference="AUD-2021-001",
            template_id=version.template_id,
            template_version_id=version.id,
            audited_on=D(2021, 1, 20),
            auditor_id=mary.id,
            answers=answers,
            finished_on=D(2021, 2, 28),
            revision=2,
            revision_of_id=first.id,
            revision_reason="Typo",
        )
        follow = AuditRun(
            reference="AUD-2025-001",
            template_id=version.template_id,
            template_version_id=version.id,
            audited_on=D(2025, 6, 1),
            auditor_id=mary.id,
            finished_on=D(2025, 6, 30),
            follow_up_of_id=first.id,
        )
        s.add_all([revision, follow])
        s.flush()
        s.add(
            Action(
                description="Fix the MAR charts",
                source="audit",
                source_ref="AUD-2021-001 Q1",
                owner_id=mary.id,
                raised_on=D(2021, 1, 31),
                due_on=D(2021, 2, 28),
                audit_run_id=first.id,
                audit_item="q1",
            )
        )
        s.flush()
        return World(
            mary.id,
            cathy.id,
            lucy.id,
            harry.id,
            peter.id,
            nora.id,
            edna.id,
            old.id,
            new.id,
            old_compliment.id,
            new_compliment.id,
            first.id,
            follow.id,
            shared.id,
            check_file.id,
            audit_file.id,
        )
