from .departments import *  # NOQA: F403
