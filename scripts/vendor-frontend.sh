#!/usr/bin/env bash
# Re-vendor GenIUS's front-end assets from the pinned npm packages in frontend/.
#
#   bash scripts/vendor-frontend.sh        (from any directory)
#
# What it does:
#   1. `npm ci --ignore-scripts` in frontend/ (exact versions from package-lock.json;
#      install scripts are skipped: vnu-jar's postinstall would try to download a
#      JDK from GitHub, and nothing here needs a build step).
#   2. Compiles frontend/genius.scss (GOV.UK Frontend without the GOV.UK brand)
#      with the npm `sass` package -> static/govuk/govuk-frontend.min.css.
#   3. Copies govuk-frontend.min.js, the non-brand images the CSS refers to
#      (none, for 6.3.0) and the licence into static/govuk/.
#   4. Copies axe-core's axe.min.js and licences into tests/vendor/axe-core/.
#   4b. Copies the network view's drawing libraries (sigma and graphology, their
#      prebuilt UMD bundles, unchanged) and licences into static/vendor/.
#   5. Checks that frontend/node_modules/vnu-jar/build/dist/vnu.jar exists
#      (used in place by the test suite, never copied).
#   6. Writes static/VENDORED.md and tests/vendor/README.md.
# Output is deterministic: re-running with the same lock file gives no diff.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FRONTEND="$ROOT/frontend"
NM="$FRONTEND/node_modules"
GOVUK_DIST="$NM/govuk-frontend/dist/govuk"
STATIC_GOVUK="$ROOT/static/govuk"
AXE_OUT="$ROOT/tests/vendor/axe-core"
VNU_JAR="$NM/vnu-jar/build/dist/vnu.jar"
STATIC_VENDOR="$ROOT/static/vendor"
ASSETS_URL="/static/govuk/assets/"   # must match $govuk-assets-path in genius.scss

die() { echo "vendor-frontend: ERROR: $*" >&2; exit 1; }
log() { echo "vendor-frontend: $*"; }

command -v node >/dev/null || die "node is not installed"
command -v npm >/dev/null || die "npm is not installed"

# --- 1. install exact pinned packages ----------------------------------------
log "npm ci in $FRONTEND"
(cd "$FRONTEND" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)

pkg_field() { # pkg_field <package> <field>
  node -e 'const p=require(process.argv[1]); const v=p[process.argv[2]]; console.log(typeof v==="string"?v:(v&&v.type)||"")' \
    "$NM/$1/package.json" "$2"
}
pinned() { # version pinned in frontend/package.json
  node -e 'console.log(require(process.argv[1]).devDependencies[process.argv[2]])' "$FRONTEND/package.json" "$1"
}
for p in govuk-frontend sass axe-core vnu-jar sigma graphology; do
  got="$(pkg_field "$p" version)"; want="$(pinned "$p")"
  [[ "$got" == "$want" ]] || die "$p installed $got but package.json pins $want"
done
GOVUK_VER="$(pkg_field govuk-frontend version)"; GOVUK_LIC="$(pkg_field govuk-frontend license)"
SASS_VER="$(pkg_field sass version)";            SASS_LIC="$(pkg_field sass license)"
AXE_VER="$(pkg_field axe-core version)";         AXE_LIC="$(pkg_field axe-core license)"
VNU_VER="$(pkg_field vnu-jar version)";          VNU_LIC="$(pkg_field vnu-jar license)"
SIGMA_VER="$(pkg_field sigma version)";          SIGMA_LIC="$(pkg_field sigma license)"
GRAPHOLOGY_VER="$(pkg_field graphology version)"; GRAPHOLOGY_LIC="$(pkg_field graphology license)"

# --- 2. compile the council build of the CSS ---------------------------------
rm -rf "$STATIC_GOVUK"
mkdir -p "$STATIC_GOVUK"
CSS="$STATIC_GOVUK/govuk-frontend.min.css"
log "sass $SASS_VER: genius.scss -> ${CSS#"$ROOT"/}"
(cd "$FRONTEND" && "$NM/.bin/sass" --no-source-map --style=compressed \
  --load-path=node_modules genius.scss "$CSS")

grep -qi '@font-face' "$CSS" && die "built CSS contains @font-face"
grep -qi 'transport' "$CSS" && die "built CSS mentions GDS Transport"
grep -qiE 'url\([^)]*fonts/' "$CSS" && die "built CSS refers to font files"
grep -qiE 'crest|crown|govuk-icon|opengraph' <(grep -oiE 'url\([^)]*\)' "$CSS" || true) \
  && die "built CSS refers to a GOV.UK brand image"

# --- 3. JS, referenced non-brand images, licence ----------------------------
cp "$GOVUK_DIST/govuk-frontend.min.js" "$STATIC_GOVUK/"

IMAGES=()
while IFS= read -r url; do
  [[ -z "$url" ]] && continue
  case "$url" in
    "${ASSETS_URL}images/"*) ;;
    data:*|"#"*) continue ;;
    *) die "built CSS refers to an unexpected URL: $url" ;;
  esac
  name="${url#"${ASSETS_URL}images/"}"
  case "$name" in
    *crest*|*crown*|favicon*|govuk-icon*|*apple-touch*|*opengraph*)
      die "refusing to vendor GOV.UK brand image: $name" ;;
  esac
  [[ -f "$GOVUK_DIST/assets/images/$name" ]] || die "CSS refers to missing image: $name"
  mkdir -p "$STATIC_GOVUK/assets/images"
  cp "$GOVUK_DIST/assets/images/$name" "$STATIC_GOVUK/assets/images/"
  IMAGES+=("$name")
done < <(grep -oE 'url\([^)]*\)' "$CSS" | sed -E 's/^url\(["'\'']?//; s/["'\'']?\)$//' | sort -u)

if [[ -f "$NM/govuk-frontend/LICENSE.txt" ]]; then
  cp "$NM/govuk-frontend/LICENSE.txt" "$STATIC_GOVUK/LICENSE"
elif [[ -f "$NM/govuk-frontend/LICENSE" ]]; then
  cp "$NM/govuk-frontend/LICENSE" "$STATIC_GOVUK/LICENSE"
else
  # The npm tarball of 6.3.0 ships no licence file; use the upstream text.
  cp "$FRONTEND/licenses/govuk-frontend-LICENSE.txt" "$STATIC_GOVUK/LICENSE"
fi

# --- 4. axe-core for the browser tests --------------------------------------
rm -rf "$AXE_OUT"
mkdir -p "$AXE_OUT"
cp "$NM/axe-core/axe.min.js" "$NM/axe-core/LICENSE" "$AXE_OUT/"
[[ -f "$NM/axe-core/LICENSE-3RD-PARTY.txt" ]] && cp "$NM/axe-core/LICENSE-3RD-PARTY.txt" "$AXE_OUT/"

# --- 4b. sigma + graphology for the network view ----------------------------
# sigma's UMD bundle has its own dependencies (events, graphology-utils) built in
# and takes a graphology instance; graphology's UMD bundle defines `graphology`.
rm -rf "$STATIC_VENDOR/sigma" "$STATIC_VENDOR/graphology"
mkdir -p "$STATIC_VENDOR/sigma" "$STATIC_VENDOR/graphology"
cp "$NM/sigma/dist/sigma.min.js" "$NM/sigma/LICENSE.txt" "$STATIC_VENDOR/sigma/"
cp "$NM/graphology/dist/graphology.umd.min.js" "$NM/graphology/LICENSE.txt" "$STATIC_VENDOR/graphology/"
grep -qE '(^|[^A-Za-z_$.])eval\(|new Function\(' "$STATIC_VENDOR/sigma/sigma.min.js" "$STATIC_VENDOR/graphology/graphology.umd.min.js" \
  && die "a network library uses eval or new Function, which the Content-Security-Policy forbids"

# --- 5. Nu HTML Checker stays in node_modules --------------------------------
[[ -f "$VNU_JAR" ]] || die "missing $VNU_JAR"

# --- 6. records ---------------------------------------------------------------
sha() { sha256sum "$1" | cut -d' ' -f1; }
size() { stat -c %s "$1"; }
row() { echo "| \`${1#"$ROOT"/}\` | $(size "$1") | \`$(sha "$1")\` |"; }

if ((${#IMAGES[@]})); then
  IMG_NOTE="Images copied (referenced by the built CSS): ${IMAGES[*]}."
else
  IMG_NOTE="No images: the only image the GOV.UK Frontend CSS refers to is the GOV.UK crest, which genius.scss maps to \`none\`."
fi

{
  cat <<EOF
# Vendored front-end files

Generated by \`scripts/vendor-frontend.sh\`; do not edit files under
\`static/govuk/\` by hand. To re-vendor (e.g. after changing a pinned version in
\`frontend/package.json\` and running \`npm install\` there to update the lock file):

    bash scripts/vendor-frontend.sh

| Package | Exact version | Licence | Used for |
|---|---|---|---|
| govuk-frontend | $GOVUK_VER | $GOVUK_LIC (\`static/govuk/LICENSE\`) | CSS (compiled from \`frontend/genius.scss\`) and JS |
| sass | $SASS_VER | $SASS_LIC | build tool only, nothing shipped |
| sigma | $SIGMA_VER | $SIGMA_LIC (\`static/vendor/sigma/LICENSE.txt\`) | the network view's drawing (WebGL) |
| graphology | $GRAPHOLOGY_VER | $GRAPHOLOGY_LIC (\`static/vendor/graphology/LICENSE.txt\`) | the graph data structure sigma draws |

## static/govuk/

- \`govuk-frontend.min.css\`: GOV.UK Frontend $GOVUK_VER compiled with sass
  $SASS_VER from \`frontend/genius.scss\`, without the GOV.UK brand: Arial
  instead of GDS Transport, no \`@font-face\`, no crown or crest, assets under
  \`$ASSETS_URL\`.
- \`govuk-frontend.min.js\`: copied unchanged from
  \`govuk-frontend/dist/govuk/\` (an ES module; \`static/js/genius.js\` imports
  \`initAll\` from it). Its trailing \`sourceMappingURL\` comment points at a map
  that is not vendored; browsers only ask for it with developer tools open.
- $IMG_NOTE
- Not vendored, on purpose: the GDS Transport fonts, the crown/crest, GOV.UK
  favicons, apple-touch and app icons, the Open Graph image.
- \`LICENSE\`: the MIT licence of GOV.UK Frontend (the npm package ships none;
  the text is upstream's \`LICENSE.txt\`, kept in \`frontend/licenses/\`).

## static/vendor/ (the network view)

- \`sigma/sigma.min.js\`: sigma $SIGMA_VER's prebuilt UMD bundle (\`dist/sigma.min.js\`, defines
  \`window.Sigma\`; its dependencies events and graphology-utils are built in), unchanged.
- \`graphology/graphology.umd.min.js\`: graphology $GRAPHOLOGY_VER's prebuilt UMD bundle (defines
  \`window.graphology\`), unchanged.
- Both load only on \`/network\`, as classic scripts with the page's CSP nonce, before
  \`static/js/network.js\`. Neither uses \`eval\` or \`new Function\` (the script checks).
- Layout: computed on the server (\`genius/network/layout.py\`), so no layout library
  (graphology-layout-forceatlas2 would need a bundler and a blob: worker, which the CSP forbids).

Our own files, not vendored: \`static/favicon.svg\`, \`static/js/genius.js\`, \`static/js/network.js\`,
\`static/css/network.css\`.

| File | Bytes | SHA-256 |
|---|---|---|
EOF
  for f in "$STATIC_GOVUK"/govuk-frontend.min.css "$STATIC_GOVUK"/govuk-frontend.min.js "$STATIC_GOVUK"/LICENSE \
           "$STATIC_VENDOR"/sigma/sigma.min.js "$STATIC_VENDOR"/sigma/LICENSE.txt \
           "$STATIC_VENDOR"/graphology/graphology.umd.min.js "$STATIC_VENDOR"/graphology/LICENSE.txt; do row "$f"; done
  for name in "${IMAGES[@]+"${IMAGES[@]}"}"; do row "$STATIC_GOVUK/assets/images/$name"; done
} > "$ROOT/static/VENDORED.md"

{
  cat <<EOF
# Test-only vendored tools

Generated by \`scripts/vendor-frontend.sh\`. To re-vendor:

    bash scripts/vendor-frontend.sh

| Package | Exact version | Licence | Where |
|---|---|---|---|
| axe-core | $AXE_VER | $AXE_LIC | \`tests/vendor/axe-core/axe.min.js\` (+ \`LICENSE\`, \`LICENSE-3RD-PARTY.txt\`) |
| vnu-jar (Nu HTML Checker) | $VNU_VER | $VNU_LIC | not copied: \`frontend/node_modules/vnu-jar/build/dist/vnu.jar\` |

## axe-core

Inject into a Playwright page and run, for example:

    page.add_script_tag(path="tests/vendor/axe-core/axe.min.js")
    page.evaluate("axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})")

axe-core is MPL-2.0: \`axe.min.js\` is distributed unmodified with its licence.

## Nu HTML Checker (vnu.jar)

\`vnu.jar\` is large, so it is not copied into the repository. After
\`npm ci\` in \`frontend/\` (which \`scripts/vendor-frontend.sh\` runs) it is at

    frontend/node_modules/vnu-jar/build/dist/vnu.jar

and needs Java 11+ (Java 17 on our machines):

    java -jar frontend/node_modules/vnu-jar/build/dist/vnu.jar --version
    java -jar frontend/node_modules/vnu-jar/build/dist/vnu.jar --format gnu --Werror page.html

Tests should skip (not fail) when the jar or \`java\` is missing.
\`npm ci\` is run with \`--ignore-scripts\`: vnu-jar's postinstall only tries to
download a JDK from GitHub, which is neither needed nor reachable here.

| File | Bytes | SHA-256 |
|---|---|---|
EOF
  for f in "$AXE_OUT"/*; do row "$f"; done
} > "$ROOT/tests/vendor/README.md"

log "done"
log "  $(size "$CSS") bytes  ${CSS#"$ROOT"/}"
log "  $(size "$STATIC_GOVUK/govuk-frontend.min.js") bytes  static/govuk/govuk-frontend.min.js"
log "  images: ${IMAGES[*]:-none}"
log "  sigma $SIGMA_VER, graphology $GRAPHOLOGY_VER -> static/vendor/"
log "  axe-core $AXE_VER -> tests/vendor/axe-core/; vnu.jar $VNU_VER at ${VNU_JAR#"$ROOT"/}"
