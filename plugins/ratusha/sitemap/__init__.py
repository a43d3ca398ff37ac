from .sitemap import *  # NOQA: F403
