#!/usr/bin/env bash
# Vendor the web interface's browser libraries into api/static/vendor/ from the versions pinned in
# web/package-lock.json.  Run after changing web/package.json; commit the result.  The service and the
# tests never need npm: they serve the copied files.
set -euo pipefail
cd "$(dirname "$0")"
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
out=../api/static/vendor
rm -rf "$out"
mkdir -p "$out/codemirror/mode/sparql" "$out/cytoscape"
cm=node_modules/codemirror
cp "$cm/lib/codemirror.js" "$cm/lib/codemirror.css" "$cm/LICENSE" "$out/codemirror/"
cp "$cm/mode/sparql/sparql.js" "$out/codemirror/mode/sparql/"
cy=node_modules/cytoscape
cp "$cy/dist/cytoscape.min.js" "$cy/LICENSE" "$out/cytoscape/"
version() { node -p "require('./node_modules/$1/package.json').version"; }
cat > "$out/VERSIONS" <<NOTE
Vendored by web/build.sh from the npm registry; versions pinned in web/package-lock.json.
codemirror $(version codemirror) (MIT): lib/codemirror.js, lib/codemirror.css, mode/sparql/sparql.js
cytoscape $(version cytoscape) (MIT): dist/cytoscape.min.js
NOTE
echo "vendored into api/static/vendor:"; cat "$out/VERSIONS"
