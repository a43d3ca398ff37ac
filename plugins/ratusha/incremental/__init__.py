from .incremental import *  # NOQA: F403
