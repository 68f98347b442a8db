# Everything sets itself up: a fresh clone needs only `make serve` or `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup site serve test bench clean browser edition

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

setup: $(VENV)/.installed node_modules/.installed

# Debian's tools the tests drive: Chromium and Firefox ESR (Playwright's own downloads do not work here;
# Firefox is driven over WebDriver BiDi), nginx for the hosting tests, a Java runtime for the Nu Html
# Checker, LibreOffice Calc as a real spreadsheet application. As root, whatever is missing is
# installed; otherwise the missing ones are named.
TOOLS := chromium:chromium firefox-esr:firefox-esr nginx:nginx-light java:default-jre-headless soffice:libreoffice-calc-nogui
# A Chinese font, so that pages (and the printed report) are laid out as readers see them, not in boxes.
CJK_FONT := fonts-wqy-microhei
browser:
	@missing=""; for pair in $(TOOLS); do cmd=$${pair%%:*}; pkg=$${pair#*:}; \
	  command -v $$cmd >/dev/null 2>&1 || test -x /usr/sbin/$$cmd || missing="$$missing $$pkg"; done; \
	fc-list :lang=zh 2>/dev/null | grep -q . || missing="$$missing $(CJK_FONT)"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "missing:$$missing (sudo apt-get install$$missing)" >&2; exit 1; fi; fi

site: setup
	$(PY) build.py

# Next year's call: a draft edition made from the last one (FROM defaults to the newest), e.g.
# make edition NEW=2023 FROM=2022; it prints the steps left (README, "Publishing next year's call").
edition: setup
	@test -n "$(NEW)" || { echo "usage: make edition NEW=2023 [FROM=2022]" >&2; exit 2; }
	$(PY) build.py edition $(NEW) $(if $(FROM),--from $(FROM))

# http.server with the headers a deploy sends (serve.py: pages revalidated on every visit).
serve: site
	$(PY) serve.py --port $(PORT)

test: site browser
	$(PY) -m pytest -q tests

bench: site browser
	$(PY) bench/run.py

clean:
	rm -rf site build .pytest_cache .hypothesis checker_py/_data
