# Rathaus — the two commands are `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint audit lock bench messages clean browser ocr postgis screens cluster nginx

# Installs exactly the hash-pinned versions of the lock (docs/decisions/0021); a lock
# older than pyproject.toml's dependency lists stops here with what to do.
$(STAMP): pyproject.toml requirements.lock requirements-dev.lock
	$(PYTHON) scripts/dependency_lock.py check
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# Regenerates both lock files from pyproject.toml (after changing or merging its
# dependencies); `make lock LOCK_ARGS=--upgrade` moves every unpinned package too.
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet "$$(grep -o 'uv==[0-9.]*' pyproject.toml)"
	$(PYTHON) scripts/dependency_lock.py lock --uv $(BIN)/uv $(LOCK_ARGS)

# The locked versions against the PyPA Advisory Database; says what it could not check.
audit: $(STAMP)
	$(BIN)/python scripts/dependency_audit.py $(AUDIT_ARGS)

run: $(STAMP) ocr
	$(BIN)/rathaus setup
	$(BIN)/rathaus serve

# The browser journeys drive Debian's Chromium, notice tests read PDFs with poppler, the
# open data tests run GDAL (gdal-bin) against the server, and the SAML login signs and
# verifies with Debian's xmlsec1 (docs/decisions/0028); install them when missing.
browser:
	@command -v chromium >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1 && \
	  command -v ogr2ogr >/dev/null 2>&1 && command -v xmlsec1 >/dev/null 2>&1 && \
	  { command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx; } || { \
	  echo "Installing Debian's chromium, poppler-utils, gdal-bin, xmlsec1 and nginx for the tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    chromium poppler-utils fonts-dejavu-core gdal-bin xmlsec1 nginx >/dev/null; }

# The cluster (and its test) put Debian's nginx in front of the web processes.
nginx:
	@command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx || { \
	  echo "Installing Debian's nginx for the cluster"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; }

# Rathaus as a data centre runs it, on loopback: a scratch PostgreSQL database, an S3
# server for the documents, 2 web processes behind nginx, 2 workers, until Ctrl-C.
# CLUSTER_ARGS: --web N --workers N --no-s3 --keep (scripts/cluster.py --help).
cluster: $(STAMP) nginx
	$(BIN)/python scripts/cluster.py $(CLUSTER_ARGS)

# Scanned incoming mail is read by Debian's OCRmyPDF with Tesseract's German model
# (docs/decisions/0033), installed when missing. A machine that cannot install them
# still serves: the scans wait, and the intake page names the missing package.
ocr:
	@command -v ocrmypdf >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 && \
	  tesseract --list-langs 2>/dev/null | grep -qx deu || { \
	  echo "Installing Debian's ocrmypdf and tesseract-ocr-deu to read scanned mail"; \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    ocrmypdf tesseract-ocr-deu poppler-utils >/dev/null; } || \
	  echo "Could not install them (needs root): scanned mail waits until they are there."; }

test: $(STAMP) browser ocr
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Screenshots of the citizen's and the clerks' journeys at 360 and 1280 px, with an
# index.html, into var/screens/ (or SCREENS_DIR=…); runs its own scratch demo instance.
screens: $(STAMP) browser
	$(BIN)/python scripts/screens.py $(SCREENS_DIR)

lint: $(STAMP)
	$(PYTHON) scripts/dependency_lock.py check
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/lint-imports

# bench/ogc_vs_pygeoapi.py serves the rows to pygeoapi from a PostGIS table: Debian's
# PostGIS for the local PostgreSQL 15, installed when missing (docs/decisions/0027).
postgis:
	@ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1 || { \
	  echo "Installing Debian's postgresql-15-postgis-3 for the benchmarks"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    postgresql-15-postgis-3 >/dev/null; }

bench: $(STAMP) postgis
	$(BIN)/python bench/run.py

# Proof under load and faults against scripts/cluster.py's cluster (nginx, two web
# processes, two workers, moto's S3 server): Locust's 200 users for 10 minutes
# (LOAD_USERS=…, LOAD_MINUTES=…), and 1,000 submissions while a web process and a worker
# are killed and a PostgreSQL of the test's own is restarted (FAULT_SUBMISSIONS=…).
# Separate from `make bench`; see docs/operations.md.
.PHONY: loadtest faulttest
loadtest: $(STAMP) nginx
	$(BIN)/python bench/load/run_load.py

faulttest: $(STAMP) nginx
	$(BIN)/python bench/load/run_faults.py

messages: $(STAMP)
	cd src/rathaus && ../../$(BIN)/rathaus makemessages -l de -l en --no-obsolete && ../../$(BIN)/rathaus compilemessages

clean:
	rm -rf $(VENV) var
