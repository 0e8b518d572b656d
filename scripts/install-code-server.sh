#!/usr/bin/env bash
# Installs code-server (VS Code served to a browser, with a real Node extension host) into
# a cache folder outside the repository, for the e2e and integration tests.
#   4.100.3 (VS Code 1.100.3) is the newest code-server that accepts Node 20.
# Reused across runs: a finished install leaves a marker, and a second run only checks it.
# Prints the code-server folder as its last line, so callers can do DIR=$(... | tail -1).
set -euo pipefail

VERSION=4.100.3
CACHE_DIR="${MTS_CACHE_DIR:-$HOME/.cache/multi-task-studio}"
DEST="$CACHE_DIR/code-server-$VERSION"
ENTRY="$DEST/node_modules/code-server/out/node/entry.js"
MARKER="$DEST/.installed"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
log() { echo "[code-server] $*" >&2; }

if [[ -f "$MARKER" && -f "$ENTRY" ]]; then
  log "cached: $DEST"
  echo "$DEST"
  exit 0
fi

log "step 1/4: Debian packages (libkrb5-dev, ripgrep, chromium)"
"$HERE/install-debian-deps.sh" >&2

# @vscode/ripgrep 1.15.11 (inside code-server's VS Code) downloads its binary from a host
# that may be unreachable, but first looks in <os.tmpdir()>/vscode-ripgrep-cache-1.15.11/
# for the archive; a tar.gz with Debian's `rg` at its root is accepted.
log "step 2/4: seeding the ripgrep download cache with $(command -v rg)"
RG_CACHE="${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.11"
RG_ARCHIVE="$RG_CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
RG_STAGE="$(mktemp -d)"
cp "$(command -v rg)" "$RG_STAGE/rg"
mkdir -p "$RG_CACHE"
[[ -s "$RG_ARCHIVE" ]] || tar -czf "$RG_ARCHIVE" -C "$RG_STAGE" rg
rm -rf "$RG_STAGE"

# Installed into a staging folder and renamed at the end, so an interrupted install
# is never mistaken for a finished one.
log "step 3/4: npm install code-server@$VERSION (builds native modules; about 1-2 minutes)"
STAGE="$DEST.partial"
rm -rf "$STAGE"
mkdir -p "$STAGE"
echo '{ "name": "mts-code-server", "private": true }' > "$STAGE/package.json"
started=$SECONDS
(
  cd "$STAGE"
  # npm_config_yes: node-pty's install script runs `npx node-gyp` and must not prompt.
  # npm_config_unsafe_perm: as root, lifecycle scripts must keep root's permissions.
  # nodedir: node-gyp takes Node's headers from the system instead of downloading them.
  export npm_config_yes=true npm_config_unsafe_perm=true
  [[ -f /usr/include/node/node.h ]] && export npm_config_nodedir=/usr
  npm install --no-audit --no-fund --loglevel=error "code-server@$VERSION" >"$STAGE/install.log" 2>&1 \
    || { tail -40 "$STAGE/install.log" >&2; log "npm install failed; full log: $STAGE/install.log"; exit 1; }
)
log "npm install took $((SECONDS - started)) s"

log "step 4/4: checking that code-server starts"
# --config: otherwise code-server writes a default config into ~/.config
node "$STAGE/node_modules/code-server/out/node/entry.js" --config "$STAGE/config.yaml" --version >&2
rm -rf "$DEST"
mv "$STAGE" "$DEST"
date -u +%FT%TZ > "$MARKER"
log "installed: $DEST"
echo "$DEST"
