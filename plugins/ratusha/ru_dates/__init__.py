from .ru_dates import *  # NOQA: F403
