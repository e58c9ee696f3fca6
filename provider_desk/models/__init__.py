"""All models, imported so that ``Base.metadata`` knows every table."""

from provider_desk.models.actions import Action
from provider_desk.models.attachment import Attachment
from provider_desk.models.audits import AuditRun, AuditTemplate, AuditTemplateVersion
from provider_desk.models.base import Base
from provider_desk.models.changelog import ChangeLogEntry
from provider_desk.models.complaints import (
    Complaint,
    ComplaintEvent,
    Compliment,
    LetterTemplate,
)
from provider_desk.models.people import CarePlan, CareReview, Goal, Person, RiskAssessment
from provider_desk.models.settings import OrganisationSettings
from provider_desk.models.staff import JobRole, RecruitmentCheck, StaffMember
from provider_desk.models.supervision import (
    SupervisionKind,
    SupervisionRecord,
    SupervisionRoleInterval,
)
from provider_desk.models.training import (
    CareCertificateStandard,
    Course,
    RoleRequirement,
    TrainingRecord,
)

__all__ = [
    "Action",
    "Attachment",
    "AuditRun",
    "AuditTemplate",
    "AuditTemplateVersion",
    "Base",
    "CareCertificateStandard",
    "CarePlan",
    "CareReview",
    "ChangeLogEntry",
    "Complaint",
    "ComplaintEvent",
    "Compliment",
    "Course",
    "Goal",
    "JobRole",
    "LetterTemplate",
    "OrganisationSettings",
    "Person",
    "RecruitmentCheck",
    "RiskAssessment",
    "RoleRequirement",
    "StaffMember",
    "SupervisionKind",
    "SupervisionRecord",
    "SupervisionRoleInterval",
    "TrainingRecord",
]
