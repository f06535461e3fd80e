#!/usr/bin/env bash
# Installs what QuantSim needs beyond the Swift toolchain: GMP/MPFR headers, pkg-config, make,
# python3 with venv (the test venv with numpy), chromium (headless rendering of the HTML reports).
# Idempotent; uses apt-get (with sudo when not root). On systems without apt it says what to
# install by hand and fails.
set -euo pipefail

if ! command -v swift >/dev/null 2>&1; then
    echo "setup: the Swift toolchain (6.0 or later) is not on PATH; install it from https://www.swift.org/install/" >&2
    exit 1
fi

packages=()
if ! { command -v pkg-config >/dev/null 2>&1 && pkg-config --exists mpfr; }; then
    echo "setup: MPFR development files (mpfr.h, mpfr.pc) not found; installing libmpfr-dev and pkg-config" >&2
    packages+=(libmpfr-dev libgmp-dev pkg-config)
fi
if ! { command -v python3 >/dev/null 2>&1 && python3 -m venv --help >/dev/null 2>&1; }; then
    echo "setup: python3 with venv not found (the tests read --save output with numpy); installing python3-venv" >&2
    packages+=(python3 python3-venv)
fi
if ! command -v chromium >/dev/null 2>&1; then
    echo "setup: chromium not found (the tests render the HTML reports headless); installing chromium" >&2
    packages+=(chromium)
fi
if ! command -v make >/dev/null 2>&1; then
    echo "setup: make not found; installing it" >&2
    packages+=(make)
fi
[ ${#packages[@]} -eq 0 ] && exit 0

if command -v apt-get >/dev/null 2>&1; then
    SUDO=()
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1; then
            # Without a terminal sudo must not wait for a password prompt nobody can answer.
            if [ -t 0 ]; then SUDO=(sudo); else SUDO=(sudo -n); fi
        else
            echo "setup: not root and no sudo; run as root: apt-get update && apt-get install -y ${packages[*]}" >&2
            exit 1
        fi
    fi
    # A fresh machine's package lists may be empty or stale: update first. Wait for a dpkg lock
    # held by a boot-time unattended upgrade instead of failing.
    apt=("${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300)
    "${apt[@]}" update -qq
    "${apt[@]}" install -y -qq "${packages[@]}" >/dev/null
    if [[ " ${packages[*]} " == *" libmpfr-dev "* ]]; then
        pkg-config --exists mpfr || { echo "setup: libmpfr-dev installed but pkg-config cannot find mpfr" >&2; exit 1; }
        echo "setup: installed MPFR $(pkg-config --modversion mpfr)" >&2
    fi
else
    cat >&2 <<'MSG'
setup: no apt-get on this system. Install by hand, then rerun:
  - make
  - GMP and MPFR with headers and the mpfr.pc pkg-config file
    (Fedora: dnf install mpfr-devel gmp-devel pkgconf; Arch: pacman -S mpfr pkgconf;
     macOS: brew install mpfr pkg-config)
MSG
    exit 1
fi
