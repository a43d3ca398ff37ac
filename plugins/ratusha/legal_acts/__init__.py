from .legal_acts import *  # NOQA: F403
