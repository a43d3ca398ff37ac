from .atomic_output import *  # NOQA: F403
