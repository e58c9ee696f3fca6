"""All models, imported so that ``Base.metadata`` knows every table."""

from provider_desk.areas.actions.models import Action
from provider_desk.areas.audits.models import AuditRun, AuditTemplate, AuditTemplateVersion
from provider_desk.areas.complaints.models import (
    Complaint,
    ComplaintEvent,
    Compliment,
    LetterTemplate,
)
from provider_desk.areas.people.models import CarePlan, CareReview, Goal, Person, RiskAssessment
from provider_desk.areas.staff.models import JobRole, RecruitmentCheck, StaffMember
from provider_desk.areas.supervision.models import (
    SupervisionKind,
    SupervisionRecord,
    SupervisionRoleInterval,
)
from provider_desk.areas.training.models import (
    CareCertificateStandard,
    Course,
    RoleRequirement,
    TrainingRecord,
)
from provider_desk.auth.models import UserAccount
from provider_desk.models.attachment import Attachment
from provider_desk.models.base import Base
from provider_desk.models.changelog import ChangeLogEntry
from provider_desk.models.counter import ReferenceCounter
from provider_desk.settings.models import OrganisationSettings, RetentionSetting

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
    "ReferenceCounter",
    "RetentionSetting",
    "RiskAssessment",
    "RoleRequirement",
    "StaffMember",
    "SupervisionKind",
    "SupervisionRecord",
    "SupervisionRoleInterval",
    "TrainingRecord",
    "UserAccount",
]
