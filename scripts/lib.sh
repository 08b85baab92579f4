# Shared helpers for the scripts in this folder (sourced, not run).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$ROOT/tools/node_modules/.bin:$PATH"
# Keep in step with `wasm-bindgen = "=..."` in Cargo.toml.
WASM_BINDGEN_VERSION="0.2.130"
log() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
need_root() { if [ "$(id -u)" -ne 0 ]; then echo "sudo"; fi; }
apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing Debian packages: ${missing[*]}"
    $(need_root) apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $(need_root) apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}
