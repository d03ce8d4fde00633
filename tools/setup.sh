#!/usr/bin/env bash
# Fresh-machine set-up for gcnrun on Debian 12: installs the Debian packages the build and
# tests need, builds StarPU 1.3 from Debian's own source package with FxT and up to 64 CPU
# workers into .deps/starpu (cached: skipped when already built with the same flags), then
# configures and builds the project in build/.
#
# Usage: tools/setup.sh [--starpu-prefix DIR] [-- MESON_SETUP_ARGS...]
#   --starpu-prefix DIR  use an already installed StarPU 1.3 (pkg-config starpu-1.3 under DIR)
#                        instead of building one; gcnrun reports its worker cap at run time.
#   GCNRUN_BUILD_DIR     build folder (default build)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
deps="$root/.deps"
prefix="$deps/starpu"
starpu_flags="--with-fxt --enable-maxcpus=64 --enable-blocking-drivers --disable-cuda --disable-opencl
  --enable-mpi --with-mpicc=/usr/bin/mpicc --disable-fortran --disable-build-examples --disable-build-tests
  --disable-build-doc --disable-starpufft --disable-socl --disable-gcc-extensions --disable-hdf5"
build_dir="${GCNRUN_BUILD_DIR:-build}"
user_prefix=""
meson_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --starpu-prefix) user_prefix="$2"; shift 2 ;;
    --) shift; meson_args=("$@"); break ;;
    *) echo "setup.sh: unknown argument '$1' (see the comment at the top of tools/setup.sh)" >&2; exit 2 ;;
  esac
done

say() { printf 'setup: %s\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

packages=(build-essential pkg-config meson ninja-build libhwloc-dev libopenblas-dev check
  libinih-dev libzip-dev libmetis-dev libfxt-dev gnuplot-nox python3-numpy python3-scipy
  dpkg-dev autoconf automake libtool libjson-c-dev libblis4-pthread vite xvfb xauth libopenmpi-dev openmpi-bin)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi

if [ -n "$user_prefix" ]; then
  starpu_pc="$user_prefix/lib/pkgconfig:$user_prefix/lib/x86_64-linux-gnu/pkgconfig"
  PKG_CONFIG_PATH="$starpu_pc" pkg-config --exists starpu-1.3 || { echo "setup.sh: no starpu-1.3.pc under $user_prefix; point --starpu-prefix at a StarPU 1.3 install prefix" >&2; exit 1; }
  say "using the StarPU found under $user_prefix ($(pkg-config --modversion starpu-1.3))"
else
  stamp="$prefix/.gcnrun-stamp"
  want="starpu 1.3.10 | $(echo $starpu_flags)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$prefix/bin/starpu_fxt_tool" ]; then
    say "StarPU already built in $prefix (cached)"
  else
    if ! grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ && ! grep -qs '^deb-src' /etc/apt/sources.list; then
      # a deb-src copy of the machine's own bookworm entry: same mirror or proxy, same options
      entry=$("$root/tools/debsrc.sh" --suite bookworm /etc/apt) || exit 1
      if grep -q '^Types:' <<<"$entry"; then src_list=gcnrun-src.sources; else src_list=gcnrun-src.list; fi
      say "no deb-src entry configured: adding /etc/apt/sources.list.d/$src_list, a $(head -n 1 <<<"$entry" | sed 's/^# //')"
      printf '%s\n' "$entry" | as_root tee "/etc/apt/sources.list.d/$src_list" >/dev/null
      as_root apt-get update -q
    fi
    rm -rf "$deps/src" "$prefix"
    mkdir -p "$deps/src"
    say "fetching Debian's StarPU source package"
    (cd "$deps/src" && apt-get source -q starpu=1.3.10+dfsg-2 >/dev/null)
    src=$(find "$deps/src" -maxdepth 1 -type d -name 'starpu-*' | head -n 1)
    say "building StarPU with FxT and 64 CPU workers (about 2 minutes on 2 cores)"
    (cd "$src" && ./configure -q --prefix="$prefix" $starpu_flags >"$deps/starpu-configure.log" 2>&1 \
      && make -j"$(nproc)" >"$deps/starpu-build.log" 2>&1 && make install >>"$deps/starpu-build.log" 2>&1) \
      || { echo "setup.sh: StarPU build failed; see $deps/starpu-configure.log and $deps/starpu-build.log" >&2; exit 1; }
    echo "$want" >"$stamp"
    rm -rf "$deps/src"
  fi
  starpu_pc="$prefix/lib/pkgconfig"
fi

# meson keeps pkg_config_path as an option (an environment variable would be forgotten when
# the build regenerates itself)

# quiet when it works, the whole output when it does not
quiet() { local out; out=$("$@" 2>&1) || { printf '%s\n' "$out" >&2; echo "setup.sh: '$*' failed" >&2; exit 1; }; }
if [ -f "$build_dir/build.ninja" ]; then
  quiet meson configure "$build_dir" -Dpkg_config_path="$starpu_pc" "${meson_args[@]}"
else
  quiet meson setup "$build_dir" --buildtype=release -Dpkg_config_path="$starpu_pc" "${meson_args[@]}"
fi
quiet ninja -C "$build_dir"
say "built gcnrun in $build_dir"
