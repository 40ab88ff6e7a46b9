# Two commands for a newcomer (see README.md):
#   make dashboard   set up .venv if needed and serve the explorer on http://127.0.0.1:8866
#   make test        set up .venv (and Debian's chromium and nginx) if needed and run every test
# Everything is installed from constraints.txt, so a fresh machine gets the same versions.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# `spotting serve` checks data/ first, points Voila at the project's page template and sizes the
# kernel pool and limits (docs/serving.md). For a class: .venv/bin/spotting serve --learners 30 --network
SERVE := $(BIN)/spotting serve

.PHONY: dashboard teaching facilitator review test setup browser lint bench lighthouse check-data clean static

# The static site's build tools live in their own venv, pinned by hash (docs/static-site.md).
STATIC_VENV := .venv-static
STATIC_STAMP := $(STATIC_VENV)/.installed

# The page template lives where Voila looks for templates (<prefix>/share/jupyter/voila/templates),
# so plain `voila notebooks/explorer.ipynb` finds it as well as `spotting serve`. A wheel installs it
# there (pyproject's data-files); an editable install does not, so set-up links it instead, and an
# edit to the template shows at once.
TEMPLATES := $(VENV)/share/jupyter/voila/templates

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e ".[serve,test]"
	mkdir -p $(TEMPLATES) && ln -sfn "$(CURDIR)/share/jupyter/voila/templates/spotting" $(TEMPLATES)/spotting
	touch $(STAMP)

setup: $(STAMP)

# The pinned Lighthouse for bench/lighthouse.py, from bench/package-lock.json (integrity-checked);
# npm ci rewrites node_modules/.package-lock.json, which stamps the install.
LIGHTHOUSE_STAMP := bench/node_modules/.package-lock.json
$(LIGHTHOUSE_STAMP): bench/package.json bench/package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null; \
	  else echo "The Lighthouse benchmark needs Node 18.16+ and npm: run 'sudo apt-get install -y nodejs npm'" >&2; exit 1; fi; }
	npm ci --prefix bench --no-audit --no-fund

# npm fetches the pinned Pyodide and Font Awesome tarballs once (into .static-cache/).
$(STATIC_STAMP): static/build-requirements.txt
	@command -v npm >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq npm >/dev/null; \
	  else echo "The static site needs npm once: run 'sudo apt-get install -y npm'" >&2; exit 1; fi; }
	$(PYTHON) -m venv $(STATIC_VENV)
	$(STATIC_VENV)/bin/pip install --quiet --require-hashes --no-deps -r static/build-requirements.txt
	touch $(STATIC_STAMP)

# dist/: the explorer and the teaching session as a static site that runs in the browser
# (Voici + Pyodide). Everything is pinned; after the first run it builds offline from .static-cache/.
static: $(STAMP) $(STATIC_STAMP)
	$(BIN)/python -m spotting_host.static_site build

# Browser tests drive Debian's chromium; a browser download from elsewhere is not possible here.
# The --workers tests put Debian's nginx in front of Voila (docs/serving.md). nginx is not always
# on a user's PATH (/usr/sbin), hence the second check. Installing it on a machine with systemd
# (or a container without it) also starts the system's nginx on port 80; the tests never use that
# one, so it is stopped (and disabled) again, but only when this target has just installed it.
browser:
	@missing=""; \
	  command -v chromium >/dev/null 2>&1 || missing="chromium"; \
	  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing="$$missing nginx"; \
	  missing="$${missing# }"; \
	  if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" = 0 ]; then \
	      apt-get update -qq && apt-get install -y -qq $$missing >/dev/null || exit 1; \
	      case "$$missing" in *nginx*) { systemctl disable --now nginx || service nginx stop; } >/dev/null 2>&1 || true;; esac; \
	    else echo "Browser tests need Debian's $$missing: run 'sudo apt-get install -y $$missing'" >&2; exit 1; fi; \
	  fi

dashboard: $(STAMP)
	$(SERVE) explorer

teaching: $(STAMP)
	$(SERVE) teaching

# The facilitator's page (notes, answers, worksheet): its own port, this computer only.
facilitator: $(STAMP)
	$(SERVE) facilitator

review: $(STAMP)
	$(SERVE) review

# The whole run keeps its fingerprint stamps in a throw-away folder, never in ~/.cache. Coverage is
# printed for each package: the floor in pyproject holds for spotting/ (the engine and the apps);
# spotting_host/ is measured and shown, but its servers run in other processes that are not counted.
test: $(STAMP) $(STATIC_STAMP) browser $(LIGHTHOUSE_STAMP)
	@cache=$$(mktemp -d) && trap 'rm -rf "$$cache"' EXIT && export SPOTTING_CACHE_DIR="$$cache" && set -x && \
	$(BIN)/ruff check spotting spotting_host tests bench && \
	$(BIN)/mypy && \
	$(BIN)/python -m spotting check-data && \
	$(BIN)/python -m spotting policy-doc --check && \
	$(BIN)/python -m pytest --cov --cov-report= --cov-fail-under=0 && \
	$(BIN)/coverage report --include='spotting/*' && \
	$(BIN)/coverage report --include='spotting_host/*' --fail-under=0 && \
	$(BIN)/python -m pytest --nbval-lax --nbval-current-env notebooks/

lint: $(STAMP)
	$(BIN)/ruff check spotting spotting_host tests bench
	$(BIN)/mypy

bench: $(STAMP) browser $(LIGHTHOUSE_STAMP)
	$(BIN)/python bench/engine.py
	$(BIN)/python bench/languages.py
	$(BIN)/python bench/dashboard.py
	$(BIN)/python bench/classroom.py --client protocol --learners 30
	$(BIN)/python bench/classroom.py --client protocol --learners 30 --workers 2
	$(BIN)/python bench/phone_tasks.py
	$(BIN)/python bench/lighthouse.py
	$(BIN)/python bench/static.py

# Lighthouse (mobile and desktop) on the explorer beside a bare Voila notebook, 3 runs each.
lighthouse: $(STAMP) browser $(LIGHTHOUSE_STAMP)
	$(BIN)/python bench/lighthouse.py

check-data: $(STAMP)
	$(BIN)/python -m spotting check-data

clean:
	rm -rf $(VENV) $(STATIC_VENV) .pytest_cache test-artifacts dist .static-cache bench/node_modules
