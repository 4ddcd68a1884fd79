"""Every model, for migrations: pwmigrate URL generate NAME domain.schema:ALL_MODELS"""
from domain.group_models import GROUP_MODELS
from domain.letter_models import LETTER_MODELS
from domain.mail_models import MAIL_MODELS
from domain.models import CORE_MODELS
from domain.oversight_models import OVERSIGHT_MODELS
from domain.security_models import SECURITY_MODELS
from domain.stage_models import STAGE_MODELS
from domain.stats_models import STATS_MODELS

ALL_MODELS = (CORE_MODELS + STAGE_MODELS + LETTER_MODELS + GROUP_MODELS + OVERSIGHT_MODELS
              + MAIL_MODELS + SECURITY_MODELS + STATS_MODELS)
