#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed for the browser tests (Playwright drives it; no browser
# is ever downloaded by a test tool). Installs the `chromium` package with apt-get when it is missing.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then exit 0; fi
echo "ensure-chromium: installing Debian's chromium package" >&2
if [ "$(id -u)" -ne 0 ]; then echo "ensure-chromium: need root to apt-get install chromium" >&2; exit 1; fi
DEBIAN_FRONTEND=noninteractive apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
test -x /usr/bin/chromium
