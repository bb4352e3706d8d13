"""Imports every model module so SQLAlchemy's metadata knows all tables."""

from trainer.activities.models import (  # noqa: F401
    Activity,
    ActivityTransition,
    CalendarToken,
    Evaluation,
    SignUp,
    WaitlistOffer,
)
from trainer.applicants.models import Applicant, applicant_interest  # noqa: F401
from trainer.audit.models import AuditEvent  # noqa: F401
from trainer.auth.models import AuthToken, LoginFailure, User, UserRole  # noqa: F401
from trainer.certification.models import PledgeAcceptance  # noqa: F401
from trainer.learning.models import ModuleVersion, SectionRead  # noqa: F401
from trainer.places.models import District, Place  # noqa: F401
from trainer.quizzes.models import AttemptAnswer, QuizAttempt, Reflection  # noqa: F401
from trainer.workgroups.models import Membership, Workgroup  # noqa: F401
