#!/usr/bin/env bash
# Vendor Rathaus' front-end files from pinned npm packages.
#
# Running Rathaus never needs Node: the files below are committed as plain
# static files. Node/npm are only needed to (re-)run this script, e.g. after
# bumping a version pin.
#
#   scripts/vendor-frontend.sh           fetch the pinned packages and (re)write
#                                        the vendored files
#   scripts/vendor-frontend.sh --check   fetch into a scratch directory and fail
#                                        if the committed files differ
#
# Managed directories (each one is rebuilt from scratch; do not put other
# files in them):
#   src/rathaus/static/vendor/kern/   KERN UX CSS (+ Fira Sans fonts)  EUPL-1.2 / OFL-1.1
#   src/rathaus/static/vendor/htmx/   htmx.min.js                      0BSD
#   src/rathaus/static/vendor/leaflet/ Leaflet JS, CSS and images      BSD-2-Clause
#   tests/e2e/vendor/                 axe.min.js (test-only)           MPL-2.0
#
# To upgrade: change a version and its integrity below (npm view PKG@VER
# dist.integrity), run the script, review the diff, and re-check
# docs/frontend/kern-ux.md when KERN changes.
set -euo pipefail

# --- pinned versions ---------------------------------------------------------
KERN_PKG="@kern-ux/native"
KERN_VERSION="2.7.2"
KERN_INTEGRITY="sha512-TN0Mqbasp7S1IOqurXickde8MDj5hIcgT4s3f1i33wyv2iVgA1dTO/FoQyi6rgM9KYTYkIthl9k72g7fBUUvHg=="

HTMX_PKG="htmx.org"
HTMX_VERSION="2.0.11"
HTMX_INTEGRITY="sha512-Thx/WtpeOQqSrqBCw/A1cwGJGg4UrVa3+sW0GmrM3p4gJgO89ecH4qtbnyzDDWFvBTqjnIMCgELTNt636dtamA=="

LEAFLET_PKG="leaflet"
LEAFLET_VERSION="1.9.4"
LEAFLET_INTEGRITY="sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQixURb+FA74PA=="

AXE_PKG="axe-core"
AXE_VERSION="4.14.1"
AXE_INTEGRITY="sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="

# The KERN package ships the Fira Sans font files but not the text of their
# licence (SIL OFL 1.1, which must accompany redistributed copies). The OFL
# text is taken from this package; none of its font files are used.
OFL_PKG="@fontsource/fira-sans"
OFL_VERSION="5.3.0"
OFL_INTEGRITY="sha512-z1SKSG7eRhm3srlb7rQ3j77QP4TP7OFxCZ4wUWhCdt+3hOF9K0AyvybpAsz6+JWNcCVV7AqC7dbOT3e67P2r5A=="

# Size guard for everything this script writes (bytes).
MAX_TOTAL_BYTES=$((4 * 1024 * 1024))
# -----------------------------------------------------------------------------

export LC_ALL=C

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KERN_DEST_REL="src/rathaus/static/vendor/kern"
HTMX_DEST_REL="src/rathaus/static/vendor/htmx"
LEAFLET_DEST_REL="src/rathaus/static/vendor/leaflet"
AXE_DEST_REL="tests/e2e/vendor"

MODE="write"
case "${1:-}" in
  "") ;;
  --check) MODE="check" ;;
  -h|--help) sed -n '2,21p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

die() { echo "vendor-frontend: error: $*" >&2; exit 1; }

command -v npm >/dev/null || die "npm is required to run this script (not to run Rathaus)"
command -v node >/dev/null || die "node is required to run this script (not to run Rathaus)"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/rathaus-vendor.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/tarballs" "$WORK/out" "$WORK/npm-cache"

# fetch PKG VERSION INTEGRITY -> prints the directory of the extracted package
fetch() {
  local pkg="$1" version="$2" integrity="$3"
  local json file actual dir
  json="$(npm pack "${pkg}@${version}" --json --ignore-scripts --cache "$WORK/npm-cache" \
            --pack-destination "$WORK/tarballs" 2>"$WORK/npm-pack.log")" \
    || { cat "$WORK/npm-pack.log" >&2; die "npm pack ${pkg}@${version} failed"; }
  file="$(node -e 'const j=JSON.parse(process.argv[1]);process.stdout.write(j[0].filename)' "$json")"
  actual="$(node -e 'const j=JSON.parse(process.argv[1]);process.stdout.write(j[0].integrity)' "$json")"
  [[ "$actual" == "$integrity" ]] \
    || die "${pkg}@${version}: integrity mismatch (expected ${integrity}, got ${actual})"
  dir="$WORK/pkg/${pkg//\//__}"
  mkdir -p "$dir"
  tar -xzf "$WORK/tarballs/${file##*/}" -C "$dir" --no-same-owner --no-same-permissions
  [[ -f "$dir/package/package.json" ]] || die "${pkg}: unexpected tarball layout"
  local got
  got="$(node -e 'process.stdout.write(require(process.argv[1]).version)' "$dir/package/package.json")"
  [[ "$got" == "$version" ]] || die "${pkg}: package.json says ${got}, expected ${version}"
  echo "$dir/package"
}

# copy_file SRC DEST (creates parent dirs, plain 0644 file)
copy_file() {
  [[ -f "$1" ]] || die "missing file in package: $1"
  mkdir -p "$(dirname "$2")"
  install -m 0644 "$1" "$2"
}

# css_asset_refs CSS_FILE -> relative url(...) targets, one per line
# (data: URIs, absolute URLs and fragment-only refs are skipped)
css_asset_refs() {
  grep -o 'url([^)]*)' "$1" \
    | sed -e 's/^url(//' -e 's/)$//' -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' \
          -e 's/^["'\'']//' -e 's/["'\'']$//' \
    | grep -v -E '^(data:|[a-zA-Z][a-zA-Z0-9+.-]*:|//|#)' \
    | sed -e 's/[?#].*$//' \
    | sort -u || true
}

# copy_css_with_assets PKG_DIR REL_CSS DEST_DIR
# Copies PKG_DIR/REL_CSS to DEST_DIR/REL_CSS' (with the package's dist/ prefix
# stripped) plus every file it references via url(...), keeping relative paths.
copy_css_with_assets() {
  local pkgdir="$1" rel="$2" dest="$3"
  local src="$pkgdir/$rel" out_rel="${rel#dist/}"
  copy_file "$src" "$dest/$out_rel"
  local ref srcdir asset
  srcdir="$(dirname "$src")"
  while IFS= read -r ref; do
    [[ -n "$ref" ]] || continue
    asset="$(node -e 'process.stdout.write(require("path").resolve(process.argv[1], process.argv[2]))' "$srcdir" "$ref")"
    case "$asset" in
      "$pkgdir"/dist/*) ;;
      *) die "$rel references $ref outside the package's dist/ directory" ;;
    esac
    copy_file "$asset" "$dest/${asset#"$pkgdir"/dist/}"
  done < <(css_asset_refs "$src")
}

# write_version DEST NAME VERSION LICENSE UPSTREAM INTEGRITY [NOTE...]
write_version() {
  local dest="$1" name="$2" version="$3" license="$4" upstream="$5" integrity="$6"
  shift 6
  {
    echo "${name} ${version}"
    echo "license: ${license}"
    echo "source: npm package ${name}@${version} (${integrity})"
    echo "upstream: ${upstream}"
    echo "vendored by: scripts/vendor-frontend.sh (do not edit these files by hand)"
    local note
    for note in "$@"; do echo "$note"; done
  } > "$dest/VERSION"
}

echo "vendor-frontend: fetching ${KERN_PKG}@${KERN_VERSION}, ${HTMX_PKG}@${HTMX_VERSION}, ${LEAFLET_PKG}@${LEAFLET_VERSION}, ${AXE_PKG}@${AXE_VERSION}, ${OFL_PKG}@${OFL_VERSION}"
KERN_DIR="$(fetch "$KERN_PKG" "$KERN_VERSION" "$KERN_INTEGRITY")"
HTMX_DIR="$(fetch "$HTMX_PKG" "$HTMX_VERSION" "$HTMX_INTEGRITY")"
LEAFLET_DIR="$(fetch "$LEAFLET_PKG" "$LEAFLET_VERSION" "$LEAFLET_INTEGRITY")"
AXE_DIR="$(fetch "$AXE_PKG" "$AXE_VERSION" "$AXE_INTEGRITY")"
OFL_DIR="$(fetch "$OFL_PKG" "$OFL_VERSION" "$OFL_INTEGRITY")"

# --- KERN UX ------------------------------------------------------------------
# kern.min.css is the complete build (it already contains kern-grid.css and
# kern-utilities.css). Its url(...) references are all inline data: SVG icons.
# The typeface is separate: dist/fonts/fira-sans.css + the woff2 files it names.
KOUT="$WORK/out/$KERN_DEST_REL"
mkdir -p "$KOUT"
copy_css_with_assets "$KERN_DIR" "dist/kern.min.css" "$KOUT"
copy_css_with_assets "$KERN_DIR" "dist/fonts/fira-sans.css" "$KOUT"
copy_file "$KERN_DIR/LICENSE.md" "$KOUT/LICENSE.md"
{
  echo "Fira Sans font files in this directory (fira-sans/*.woff2), as shipped in"
  echo "the npm package ${KERN_PKG}@${KERN_VERSION} (dist/fonts/)."
  echo
  echo "Digitized data copyright (c) 2012-2015, The Mozilla Foundation and Telefonica S.A."
  echo "Fira Sans is a trademark of The Mozilla Corporation."
  echo
  echo "This Font Software is licensed under the SIL Open Font License, Version 1.1."
  echo "This license is copied below, and is also available with a FAQ at:"
  echo "https://openfontlicense.org"
  echo
  echo
  echo "-----------------------------------------------------------"
  sed -n '/^SIL OPEN FONT LICENSE Version 1\.1/,$p' "$OFL_DIR/LICENSE"
} > "$KOUT/fonts/OFL.txt"
grep -q '^SIL OPEN FONT LICENSE Version 1\.1' "$KOUT/fonts/OFL.txt" \
  && grep -q 'OTHER DEALINGS IN THE FONT SOFTWARE' "$KOUT/fonts/OFL.txt" \
  || die "could not extract the OFL 1.1 text from ${OFL_PKG}@${OFL_VERSION}"
write_version "$KOUT" "$KERN_PKG" "$KERN_VERSION" "EUPL-1.2 (LICENSE.md); fonts: SIL OFL 1.1 (fonts/OFL.txt)" \
  "https://gitlab.opencode.de/kern-ux/kern-ux-plain (https://www.kern-ux.de)" "$KERN_INTEGRITY" \
  "files: kern.min.css <- dist/kern.min.css; fonts/ <- dist/fonts/fira-sans.css and the files it references" \
  "not vendored: kern.css, kern-grid*.css, kern-utilities*.css (subsets of kern.min.css), Noto Sans, dist/js/kern-kopfzeile.js, src/ (SCSS)"

# --- htmx ---------------------------------------------------------------------
HOUT="$WORK/out/$HTMX_DEST_REL"
mkdir -p "$HOUT"
copy_file "$HTMX_DIR/dist/htmx.min.js" "$HOUT/htmx.min.js"
copy_file "$HTMX_DIR/LICENSE" "$HOUT/LICENSE"
write_version "$HOUT" "$HTMX_PKG" "$HTMX_VERSION" "0BSD (LICENSE)" \
  "https://github.com/bigskysoftware/htmx (https://htmx.org)" "$HTMX_INTEGRITY" \
  "files: htmx.min.js <- dist/htmx.min.js"

# --- Leaflet ------------------------------------------------------------------
# leaflet.js without its last line (a reference to the source map, not vendored);
# leaflet.css with the images it references, plus the marker images Leaflet's
# default icon derives from them (marker-icon-2x.png, marker-shadow.png).
LOUT="$WORK/out/$LEAFLET_DEST_REL"
mkdir -p "$LOUT"
grep -v '^//# sourceMappingURL=' "$LEAFLET_DIR/dist/leaflet.js" > "$LOUT/leaflet.js"
chmod 0644 "$LOUT/leaflet.js"
copy_css_with_assets "$LEAFLET_DIR" "dist/leaflet.css" "$LOUT"
copy_file "$LEAFLET_DIR/dist/images/marker-icon-2x.png" "$LOUT/images/marker-icon-2x.png"
copy_file "$LEAFLET_DIR/dist/images/marker-shadow.png" "$LOUT/images/marker-shadow.png"
copy_file "$LEAFLET_DIR/LICENSE" "$LOUT/LICENSE"
write_version "$LOUT" "$LEAFLET_PKG" "$LEAFLET_VERSION" "BSD-2-Clause (LICENSE)" \
  "https://github.com/Leaflet/Leaflet (https://leafletjs.com)" "$LEAFLET_INTEGRITY" \
  "files: leaflet.js <- dist/leaflet.js (without its last line, the reference to its source map); leaflet.css <- dist/leaflet.css; images/ <- dist/images/" \
  "not vendored: leaflet-src*.js, source maps, src/"

# --- axe-core (test-only) -----------------------------------------------------
AOUT="$WORK/out/$AXE_DEST_REL"
mkdir -p "$AOUT"
copy_file "$AXE_DIR/axe.min.js" "$AOUT/axe.min.js"
copy_file "$AXE_DIR/LICENSE" "$AOUT/LICENSE"
copy_file "$AXE_DIR/LICENSE-3RD-PARTY.txt" "$AOUT/LICENSE-3RD-PARTY.txt"
write_version "$AOUT" "$AXE_PKG" "$AXE_VERSION" "MPL-2.0 (LICENSE; bundled third-party code: LICENSE-3RD-PARTY.txt)" \
  "https://github.com/dequelabs/axe-core" "$AXE_INTEGRITY" \
  "files: axe.min.js <- axe.min.js (test-only: injected by the Playwright browser tests; never served by Rathaus)"

# --- sanity checks ------------------------------------------------------------
if find "$WORK/out" -type f \( -name '*.map' -o -name 'package.json' -o -path '*/node_modules/*' \) | grep -q .; then
  die "unexpected files in output"
fi
if grep -l 'sourceMappingURL' -r "$WORK/out" >/dev/null 2>&1; then
  # Django's ManifestStaticFilesStorage (whitenoise) fails on dangling source map references.
  die "a vendored file references a source map that is not vendored"
fi
TOTAL_BYTES="$(find "$WORK/out" -type f -exec cat {} + | wc -c | tr -d ' ')"
(( TOTAL_BYTES <= MAX_TOTAL_BYTES )) \
  || die "vendored files total ${TOTAL_BYTES} bytes, more than the ${MAX_TOTAL_BYTES} byte budget"

# --- write or check -----------------------------------------------------------
status=0
for rel in "$KERN_DEST_REL" "$HTMX_DEST_REL" "$LEAFLET_DEST_REL" "$AXE_DEST_REL"; do
  if [[ "$MODE" == "check" ]]; then
    if ! diff -r -q "$WORK/out/$rel" "$REPO_ROOT/$rel"; then
      echo "vendor-frontend: $rel is out of date (run scripts/vendor-frontend.sh)" >&2
      status=1
    fi
  else
    rm -rf "${REPO_ROOT:?}/$rel"
    mkdir -p "$(dirname "$REPO_ROOT/$rel")"
    cp -R "$WORK/out/$rel" "$REPO_ROOT/$rel"
  fi
done

if [[ "$MODE" == "check" ]]; then
  (( status == 0 )) && echo "vendor-frontend: vendored files match the pinned packages"
  exit "$status"
fi

echo "vendor-frontend: wrote ${TOTAL_BYTES} bytes:"
(cd "$REPO_ROOT" && find "$KERN_DEST_REL" "$HTMX_DEST_REL" "$LEAFLET_DEST_REL" "$AXE_DEST_REL" -type f | sort \
  | while IFS= read -r f; do printf '%10s  %s\n' "$(wc -c < "$f" | tr -d ' ')" "$f"; done)
