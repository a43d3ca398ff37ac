from .precompress import *  # NOQA: F403
