from .content_model import *  # NOQA: F403
