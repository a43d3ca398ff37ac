from .assets import *  # NOQA: F403
