#!/usr/bin/env bash
# Installs what QuantSim needs beyond the Swift toolchain: GMP/MPFR headers and pkg-config.
# Idempotent; uses apt-get (with sudo when not root). On systems without apt it says what to
# install by hand and fails.
set -euo pipefail

if ! command -v swift >/dev/null 2>&1; then
    echo "setup: the Swift toolchain (6.0 or later) is not on PATH; install it from https://www.swift.org/install/" >&2
    exit 1
fi

if command -v pkg-config >/dev/null 2>&1 && pkg-config --exists mpfr; then
    exit 0
fi

echo "setup: MPFR development files (mpfr.h, mpfr.pc) not found; installing libmpfr-dev and pkg-config" >&2
if command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
            echo "setup: not root and no sudo; run as root: apt-get update && apt-get install -y libmpfr-dev pkg-config" >&2
            exit 1
        fi
    fi
    # A fresh machine's package lists may be empty or stale: update first.
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libmpfr-dev libgmp-dev pkg-config >/dev/null
    pkg-config --exists mpfr || { echo "setup: libmpfr-dev installed but pkg-config cannot find mpfr" >&2; exit 1; }
    echo "setup: installed MPFR $(pkg-config --modversion mpfr)" >&2
else
    cat >&2 <<'MSG'
setup: no apt-get on this system. Install by hand, then rerun:
  - GMP and MPFR with headers and the mpfr.pc pkg-config file
    (Fedora: dnf install mpfr-devel gmp-devel pkgconf; Arch: pacman -S mpfr pkgconf;
     macOS: brew install mpfr pkg-config)
MSG
    exit 1
fi
