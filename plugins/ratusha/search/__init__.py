from .search import *  # NOQA: F403
