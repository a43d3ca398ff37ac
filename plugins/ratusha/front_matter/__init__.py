from .front_matter import *  # NOQA: F403
