#!/usr/bin/env bash
# Re-fetch vendored third-party browser files from the npm registry.
# Uses `npm pack` in a temp dir (no node_modules/package.json in the repo),
# copies a fixed set of files to fixed places and prints their sha256 sums.
# Deterministic: pinned versions, so running it twice gives identical files.
# After changing a version here, update templates/static/vendor/VENDOR.md.
set -euo pipefail

UTRECHT_CSS="@utrecht/component-library-css@9.0.4"
VOORBEELD_TOKENS="@nl-design-system-unstable/voorbeeld-design-tokens@7.4.1"
AXE_CORE="axe-core@4.14.1"
# Decoders of the door's scan page (/deur): the BarcodeDetector ponyfill, the zxing-cpp
# WebAssembly reader it loads (its version must be the one the ponyfill was built for:
# see ZXING_WASM_VERSION in the ponyfill), and jsQR as the fallback without WebAssembly.
BARCODE_DETECTOR="barcode-detector@3.2.2"
ZXING_WASM="zxing-wasm@3.1.3"
JSQR="jsqr@1.4.0"

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# fetch SPEC NAME: npm pack SPEC into $tmp and extract it to $tmp/NAME/package
fetch() {
  local spec="$1" name="$2" tgz
  tgz="$(cd "$tmp" && npm pack --silent --ignore-scripts "$spec" | tail -n 1)"
  mkdir -p "$tmp/$name"
  tar -xzf "$tmp/$tgz" -C "$tmp/$name"
}

# put SRC DEST: copy one file with fixed mode
put() {
  mkdir -p "$(dirname "$repo/$2")"
  install -m 0644 "$1" "$repo/$2"
}

fetch "$UTRECHT_CSS" utrecht
fetch "$VOORBEELD_TOKENS" tokens
fetch "$AXE_CORE" axe
fetch "$BARCODE_DETECTOR" barcode-detector
fetch "$ZXING_WASM" zxing-wasm
fetch "$JSQR" jsqr

put "$tmp/utrecht/package/dist/index.css" templates/static/vendor/utrecht/index.css
put "$tmp/utrecht/package/LICENSE.md"     templates/static/vendor/utrecht/LICENSE.md

put "$tmp/tokens/package/dist/theme.css"  templates/static/vendor/voorbeeld-tokens/theme.css
put "$tmp/tokens/package/LICENSE.md"      templates/static/vendor/voorbeeld-tokens/LICENSE.md

put "$tmp/axe/package/axe.min.js"         browsertest/axe.min.js
# axe.min.js bundles MIT-licensed code, so keep both notices in one file.
cat "$tmp/axe/package/LICENSE" "$tmp/axe/package/LICENSE-3RD-PARTY.txt" > "$tmp/AXE-LICENSE.txt"
put "$tmp/AXE-LICENSE.txt"                browsertest/AXE-LICENSE.txt

door=templates/static/vendor/door
put "$tmp/barcode-detector/package/dist/iife/ponyfill.js" $door/barcode-detector.js
put "$tmp/barcode-detector/package/LICENSE"                $door/barcode-detector.LICENSE
put "$tmp/zxing-wasm/package/dist/reader/zxing_reader.wasm" $door/zxing_reader.wasm
put "$tmp/zxing-wasm/package/LICENSE"                      $door/zxing-wasm.LICENSE
put "$tmp/jsqr/package/dist/jsQR.js"                       $door/jsQR.js
put "$tmp/jsqr/package/LICENSE"                            $door/jsqr.LICENSE

cd "$repo"
# The pages load trimmed copies of the NL Design System CSS (see VENDOR.md): make them anew.
go test ./templates -count=1 -run TestVendorCSSTrimmed -update >/dev/null
sha256sum \
  templates/static/vendor/utrecht/index.css \
  templates/static/vendor/utrecht/LICENSE.md \
  templates/static/vendor/voorbeeld-tokens/theme.css \
  templates/static/vendor/voorbeeld-tokens/LICENSE.md \
  browsertest/axe.min.js \
  browsertest/AXE-LICENSE.txt \
  $door/barcode-detector.js \
  $door/barcode-detector.LICENSE \
  $door/zxing_reader.wasm \
  $door/zxing-wasm.LICENSE \
  $door/jsQR.js \
  $door/jsqr.LICENSE
