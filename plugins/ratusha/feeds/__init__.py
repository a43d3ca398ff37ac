from .feeds import *  # NOQA: F403
