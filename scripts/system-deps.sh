#!/usr/bin/env bash
# The Debian packages the project needs beside its Python ones; installs only what is missing.
#   fonts-wqy-microhei   Chinese glyphs in the PDF and PNG print-outs (without it WeasyPrint draws empty boxes)
#   fonts-noto-color-emoji  emoji in names, in the same print-outs (empty boxes too without it)
#   libpango*            WeasyPrint's text layout
#   chromium             the end-to-end browser test (Playwright drives Debian's build; it never downloads one)
#   postgresql           the storage tests against a real PostgreSQL server (.ci/run starts its own cluster)
set -euo pipefail
packages=(fonts-wqy-microhei fonts-noto-color-emoji libpango-1.0-0 libpangoft2-1.0-0 chromium postgresql)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
echo "system-deps: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "system-deps: run as root, or install: ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
