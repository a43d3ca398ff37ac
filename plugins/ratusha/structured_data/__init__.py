from .structured_data import *  # NOQA: F403
