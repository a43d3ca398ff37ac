"""What the law asks a municipal site to publish: open data sets and appeals through ПОС."""

from .open_data import *  # NOQA: F403
