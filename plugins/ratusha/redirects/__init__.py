from .redirects import *  # NOQA: F403
