#!/usr/bin/env bash
# Debian packages infra's tests drive: chromium and chromium-driver for the browser test of the
# /ops page (OpsPageBrowserIT), and prometheus for its promtool, which checks the alert rules
# (OpsDashboardIT). Run by Maven before infra's tests (exec-maven-plugin in infra/pom.xml), so the
# README's test command installs what it needs on a fresh Debian machine. Test tools cannot
# download browsers here; Debian's packages can be installed.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
echo "Installing Debian packages for infra's tests: ${missing[*]}"
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
command -v chromium chromedriver promtool
