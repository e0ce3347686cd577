#!/usr/bin/env bash
# The benchmark (bench/README.md): `bash bench/run.sh` (~10 minutes on 2 cores, a few more the
# first time, to generate the posts; writes bench/RESULTS.md) or
# `bash bench/run.sh --quick` (small blogs, 3 runs: a smoke test, writes bench/.work/).
# Installs what it needs: studylog's dependencies in .venv (the posts are rendered by studylog),
# studylog as a user installs it in bench/.work/studylog, jrnl in bench/.work/jrnl, and (as
# root) hugo, jekyll, jekyll-compose, git and GNU time from Debian. A peer that cannot be
# installed is reported as missing.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=bench/.work
mkdir -p "$WORK"

log() { printf '[bench] %s\n' "$*" >&2; }

missing_debs=()
command -v hugo >/dev/null 2>&1 || missing_debs+=(hugo)
command -v jekyll >/dev/null 2>&1 || missing_debs+=(jekyll)
command -v git >/dev/null 2>&1 || missing_debs+=(git)
[ -x /usr/bin/time ] || missing_debs+=(time)
[ -d /usr/share/rubygems-integration/all/gems ] \
  && ls /usr/share/rubygems-integration/all/gems | grep -q '^jekyll-compose-' \
  || missing_debs+=(ruby-jekyll-compose)
if [ ${#missing_debs[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    log "installing from Debian: ${missing_debs[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq || log "apt-get update failed"
    for pkg in "${missing_debs[@]}"; do
      apt-get install -y -qq --no-install-recommends "$pkg" >/dev/null 2>&1 \
        || log "could not install $pkg: it is reported as missing"
    done
  else
    log "not root: ${missing_debs[*]} not installed; they are reported as missing"
  fi
fi

pip_q() {  # quiet pip; its output only when it fails
  if ! "$@" -q --disable-pip-version-check >"$WORK/pip.log" 2>&1; then
    cat "$WORK/pip.log" >&2
    return 1
  fi
}

log "studylog's dependencies in .venv (the bench renders posts with studylog itself)"
[ -x .venv/bin/python ] || python3 -m venv .venv
pip_q .venv/bin/python -m pip install -e .

log "studylog as a user installs it (pip install ., not editable) in $WORK/studylog"
[ -x "$WORK/studylog/bin/python" ] || python3 -m venv "$WORK/studylog"
pip_q "$WORK/studylog/bin/python" -m pip install .

if [ ! -x "$WORK/jrnl/bin/jrnl" ]; then
  log "jrnl from PyPI in $WORK/jrnl"
  { python3 -m venv "$WORK/jrnl" && pip_q "$WORK/jrnl/bin/python" -m pip install jrnl; } \
    || log "could not install jrnl: it is reported as missing"
fi

exec .venv/bin/python bench/run.py "$@"
