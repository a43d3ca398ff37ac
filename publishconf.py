"""Settings for publishing: absolute URLs at the municipality's own address."""

import runpy
from pathlib import Path

# Everything of pelicanconf.py, read by path: no sys.path edit to import it.
globals().update(
    {k: v for k, v in runpy.run_path(str(Path(__file__).with_name("pelicanconf.py"))).items() if k.isupper()}
)

RATUSHA_USE_SITE_URL = True
RELATIVE_URLS = False
LOAD_CONTENT_CACHE = False

# Where `invoke publish` sends the site (see publish/publish.py); pick one with
# `invoke publish --target=s3`. S3 keys come from the environment
# (RCLONE_S3_ACCESS_KEY_ID, RCLONE_S3_SECRET_ACCESS_KEY), never from this file.
RATUSHA_PUBLISH_TARGETS = {
    "server": {"type": "rsync", "destination": "deploy@severogorsk.example.ru:/var/www/ratusha/"},
    "s3": {
        "type": "s3",
        "bucket": "severogorsk-site",
        "endpoint": "https://storage.yandexcloud.net",
        "region": "ru-central1",
    },
}
RATUSHA_PUBLISH_TARGET = "server"
