# Bootstraps the virtual environment, then hands over to the invoke task of the same
# name in tasks.py. `make serve` and `make test` work on a fresh machine with Python 3.11+.
PYTHON ?= python3
VENV := .venv
INSTALLED := $(VENV)/.installed
# package.json: the search page's stemmer, which a build with search ships, and the browser
# tests' tools (axe-core, the HTML checker).
NODE_INSTALLED := node_modules/.installed

.PHONY: serve build test lint format clean publish-build check preview new publish
.DEFAULT_GOAL := serve

$(INSTALLED): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11 or newer is required"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	# the project itself, for console scripts such as ratusha-crosspost
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

$(NODE_INSTALLED): package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: a build with search will stop, the accessibility and HTML checks will be skipped"; fi

test: $(INSTALLED) $(NODE_INSTALLED)
	$(VENV)/bin/invoke $@

serve build publish-build preview publish: $(INSTALLED) $(NODE_INSTALLED)
	$(VENV)/bin/invoke $@

lint format clean check: $(INSTALLED)
	$(VENV)/bin/invoke $@

# make new TYPE=news TITLE="Заголовок" [DEPARTMENT=obrazovanie]
new: $(INSTALLED)
	$(VENV)/bin/invoke new "$(TYPE)" "$(TITLE)" --department="$(DEPARTMENT)"
