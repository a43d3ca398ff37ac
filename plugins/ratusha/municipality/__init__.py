from .municipality import *  # NOQA: F403
