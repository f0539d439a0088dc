# Medborger: two commands on a fresh machine (Python 3.11 and Node/npm).
#   make run   - the site with demo content on http://127.0.0.1:8000/ (SQLite)
#   make test  - the whole test suite, browser journeys included
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
# uv installs the requirements into the venv: the same packages pip resolves (compared with pip
# freeze), in about 10 s instead of about 3 minutes. It is pinned in requirements-dev.txt and put
# into the venv by the venv's own pip.
UV := $(VENV)/bin/uv
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-dev npm chromium nginx pdf-tools assets demo lint format messages

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet $$(grep -E '^uv==' requirements-dev.txt)
	$(UV) pip install --quiet --python $(PY) -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(UV) pip install --quiet --python $(PY) -r requirements-dev.txt
	touch $@

node_modules/dkfds/dist/css/dkfds.min.css: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

install: $(VENV)/.installed node_modules/dkfds/dist/css/dkfds.min.css
install-dev: $(VENV)/.installed-dev node_modules/dkfds/dist/css/dkfds.min.css

messages: $(VENV)/.installed
	@command -v msgfmt >/dev/null 2>&1 || { [ "$$(id -u)" = "0" ] && apt-get update -qq && apt-get install -y -qq gettext >/dev/null; } || { echo "Install gettext (msgfmt) to compile translations"; exit 1; }
	@if find . -name '*.po' -not -path './.venv/*' -not -path './node_modules/*' | grep -q .; then \
		$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v0; fi

assets: install messages
	$(PY) manage.py collectstatic --noinput -v0

chromium:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = "0" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "The browser tests need Debian's 'chromium' package: sudo apt-get install chromium"; exit 1; fi

# The deployment tests (tests/deploy/) start nginx on loopback from deploy/nginx/medborger.conf.
nginx:
	@if command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx; then :; \
	elif [ "$$(id -u)" = "0" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null; \
	else echo "The deployment tests need Debian's 'nginx-light' package: sudo apt-get install nginx-light"; exit 1; fi

# Poll-card letters embed Noto Naskh Arabic (Arabic, Farsi, Urdu) and DejaVu Sans (Latin, Cyrillic,
# Turkish); the letter tests render the PDF to an image with pdftoppm (poppler-utils).
pdf-tools:
	@if command -v pdftoppm >/dev/null 2>&1 && test -f /usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf && test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf; then :; \
	elif [ "$$(id -u)" = "0" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils fonts-noto-core fonts-dejavu-core >/dev/null; \
	else echo "Poll-card letters need Debian's fonts-noto-core and fonts-dejavu-core, their tests poppler-utils: sudo apt-get install poppler-utils fonts-noto-core fonts-dejavu-core"; exit 1; fi

# The local demo switches off the admin MFA requirement so a newcomer can look around;
# `MEDBORGER_ADMIN_REQUIRES_MFA=1 make run` turns it on. Production and tests always require it.
run: export MEDBORGER_ADMIN_REQUIRES_MFA ?= 0
# Links in emails and the admin's address point at the address the site runs at (HOST, PORT).
run: export BASE_URL ?= http://$(HOST):$(PORT)
run: assets pdf-tools
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py load_demo
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install-dev chromium nginx pdf-tools messages
	$(PY) manage.py collectstatic --noinput -v0 --settings=config.settings.test
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .
