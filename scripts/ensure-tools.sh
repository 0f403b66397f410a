#!/usr/bin/env bash
# Makes sure the tools the tests need are installed: `promtool` (checks and unit-tests the alert rules) and the
# `prometheus` server (the integration test starts its own on a free port), both from the Debian package
# `prometheus`; and Chromium for the browser tests (Debian package `chromium`, at /usr/bin/chromium). Idempotent:
# when all are there it does nothing and takes milliseconds.
#
#   scripts/ensure-tools.sh    install what is missing (root on Debian), otherwise say exactly what to install
#
# The package's own daemon (port 9090, user prometheus) is kept from starting during the install and, should it
# start anyway, stopped and disabled: the tests never use it, and a stray server on 9090 surprises operators.
set -euo pipefail

log() { printf 'tools: %s\n' "$*" >&2; }

have_prometheus() { command -v promtool >/dev/null 2>&1 && command -v prometheus >/dev/null 2>&1; }
have_chromium() { [[ -x ${CHROMIUM_PATH:-/usr/bin/chromium} ]]; }
have_tools() { have_prometheus && have_chromium; }

have_tools && exit 0
packages=()
have_prometheus || packages+=(prometheus)
have_chromium || packages+=(chromium)

howto() {
  log "$1"
  log "the Grafana and alert-rule tests need promtool and prometheus (Debian/Ubuntu package 'prometheus'); the browser"
  log "tests need Chromium at /usr/bin/chromium (package 'chromium', or set CHROMIUM_PATH). Install with:"
  log "  apt-get update && apt-get install -y --no-install-recommends ${packages[*]}"
  log "elsewhere: Prometheus from https://prometheus.io/download/ on PATH; any Chromium, with CHROMIUM_PATH."
  exit 1
}

[[ $(id -u) == 0 ]] || howto "${packages[*]} missing and installing needs root."
command -v apt-get >/dev/null 2>&1 && [[ -f /etc/debian_version ]] || howto "${packages[*]} missing and this is not a Debian-based machine."

# policy-rc.d exit 101 = "do not start services" for invoke-rc.d/deb-systemd-invoke during the install. Only add one
# when the machine has none (containers usually ship one), and remove only the one added here.
policy=/usr/sbin/policy-rc.d
added_policy=0
if [[ ! -e $policy ]]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod 755 "$policy"
  added_policy=1
fi
cleanup() { if [[ $added_policy == 1 ]]; then rm -f "$policy"; fi; }
trap cleanup EXIT

log "installing the Debian packages: ${packages[*]}"
out="$(mktemp "${TMPDIR:-/tmp}/recon-tools.XXXXXX")"
if ! { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${packages[@]}"; } >"$out" 2>&1; then
  tail -n 15 "$out" | sed 's/^/tools:   | /' >&2
  rm -f "$out"
  howto "apt-get install ${packages[*]} failed (output above)."
fi
rm -f "$out"

# Should the packaged service have started anyway (no policy honoured, a real init), stop it and keep it off.
if command -v systemctl >/dev/null 2>&1 && [[ -d /run/systemd/system ]]; then
  systemctl disable --now prometheus >/dev/null 2>&1 || true
elif command -v update-rc.d >/dev/null 2>&1; then
  update-rc.d prometheus disable >/dev/null 2>&1 || true
fi
for pid in $(pgrep -u prometheus -x prometheus || true); do
  log "stopping the packaged prometheus daemon (pid $pid): the tests start their own"
  kill "$pid" 2>/dev/null || true
done

have_tools || howto "the packages are installed but promtool, prometheus or chromium is still missing."
log "ready ($(promtool --version 2>&1 | head -n 1); $(${CHROMIUM_PATH:-/usr/bin/chromium} --version 2>/dev/null | head -n 1))"
