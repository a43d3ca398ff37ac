from .listings import *  # NOQA: F403
