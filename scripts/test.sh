#!/usr/bin/env bash
# Install everything the tests need (Python packages in .venv, Jekyll from Debian) and run them.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v jekyll >/dev/null 2>&1 || [ ! -d /usr/share/rubygems-integration/all/gems ] \
   || ! ls /usr/share/rubygems-integration/all/gems | grep -q '^minima-'; then
  if [ "$(id -u)" = 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq jekyll jekyll-theme-minima >/dev/null
  else
    echo "jekyll and jekyll-theme-minima are missing: run 'sudo apt-get install jekyll jekyll-theme-minima'" >&2
  fi
fi
command -v git >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq git >/dev/null; }
command -v chattr >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq e2fsprogs >/dev/null; }

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
exec .venv/bin/python -m pytest "$@"
