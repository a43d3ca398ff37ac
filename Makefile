# Bootstraps the virtual environment, then hands over to the invoke task of the same
# name in tasks.py. `make serve` and `make test` work on a fresh machine with Python 3.11+.
PYTHON ?= python3
VENV := .venv
INSTALLED := $(VENV)/.installed

.PHONY: serve build test lint format clean publish-build
.DEFAULT_GOAL := serve

$(INSTALLED): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11 or newer is required"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

serve build test lint format clean publish-build: $(INSTALLED)
	$(VENV)/bin/invoke $@
