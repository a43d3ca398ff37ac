"""Settings for publishing: absolute URLs at the municipality's own address."""

import sys

sys.path.append(".")
from pelicanconf import *

RATUSHA_USE_SITE_URL = True
RELATIVE_URLS = False
LOAD_CONTENT_CACHE = False
