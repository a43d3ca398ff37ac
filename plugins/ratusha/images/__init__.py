from .images import *  # NOQA: F403
