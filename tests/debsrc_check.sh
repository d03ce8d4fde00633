#!/usr/bin/env bash
# debsrc_check.sh SCRATCH: tools/debsrc.sh on copies of apt configurations (issue 14). Each case
# builds an apt folder under SCRATCH (one-line sources.list and *.list files, deb822 *.sources
# like Debian 12's default debian.sources, mirrors and proxies, options in brackets, disabled
# and foreign entries) and checks the printed deb-src entry byte for byte and, where apt-get is
# installed, that apt reads it; folders with only security entries or none at all must fail
# with exactly one line on stderr. The machine's own /etc/apt is only read, by the last case.
set -euo pipefail
scratch=$1
root=$(cd "$(dirname "$0")/.." && pwd)
debsrc="$root/tools/debsrc.sh"
rm -rf "$scratch" && mkdir -p "$scratch"
failures=0
bad() { echo "debsrc_check: $*" >&2; failures=$((failures + 1)); }

# apt NAME: a fresh apt folder SCRATCH/NAME with an empty sources.list.d/
apt() { rm -rf "${scratch:?}/$1"; mkdir -p "$scratch/$1/sources.list.d"; echo "$scratch/$1"; }

# ok NAME DIR EXPECTED [ARGS...]: debsrc.sh [ARGS] DIR prints EXPECTED and nothing on stderr
ok() {
  local name=$1 dir=$2 want=$3 got rc=0
  shift 3
  got=$("$debsrc" "$@" "$dir" 2>"$scratch/$name.err") || rc=$?
  [ "$rc" -eq 0 ] || { bad "$name: exit $rc: $(cat "$scratch/$name.err")"; return; }
  [ ! -s "$scratch/$name.err" ] || bad "$name: wrote on stderr: $(cat "$scratch/$name.err")"
  [ "$got" = "$want" ] || bad "$name: expected"$'\n'"$want"$'\n'"got"$'\n'"$got"
  # apt itself reads the entry (file name by format, as tools/setup.sh picks it; nothing is
  # fetched, locked or written outside SCRATCH)
  command -v apt-get >/dev/null 2>&1 || return 0
  local parts="$scratch/$name.parts" file=gcnrun-src.list
  grep -q '^Types:' <<<"$got" && file=gcnrun-src.sources
  rm -rf "$parts" && mkdir -p "$parts/d" "$parts/lists/partial"
  printf '%s\n' "$got" >"$parts/d/$file"
  apt-get -o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts="$parts/d" \
    -o Dir::State::Lists="$parts/lists" -o Debug::NoLocking=1 --print-uris update \
    >"$parts/apt.txt" 2>&1 || bad "$name: apt-get cannot read the entry: $(cat "$parts/apt.txt")"
  ! grep -q '^[EW]:' "$parts/apt.txt" || bad "$name: apt-get: $(grep '^[EW]:' "$parts/apt.txt")"
  grep -q "/source/Sources" "$parts/apt.txt" || bad "$name: apt-get lists no source index: $(cat "$parts/apt.txt")"
}

# no NAME DIR: debsrc.sh DIR exits 1 with nothing on stdout and one line on stderr
no() {
  local name=$1 dir=$2 got rc=0
  got=$("$debsrc" "$dir" 2>"$scratch/$name.err") || rc=$?
  [ "$rc" -eq 1 ] || bad "$name: expected exit 1, got $rc (stdout: $got)"
  [ -z "$got" ] || bad "$name: printed an entry: $got"
  [ "$(wc -l <"$scratch/$name.err")" -eq 1 ] || bad "$name: expected one line on stderr, got: $(cat "$scratch/$name.err")"
  grep -q '^debsrc.sh: no enabled deb entry for Debian bookworm main' "$scratch/$name.err" \
    || bad "$name: unexpected message: $(cat "$scratch/$name.err")"
}

# 1. one-line sources.list: the plain suite, not -security or -updates; comments dropped
d=$(apt oneline)
cat >"$d/sources.list" <<'EOF'
# deb http://deb.debian.org/debian bookworm main
deb http://deb.debian.org/debian-security bookworm-security main
deb http://deb.debian.org/debian bookworm-updates main
deb http://deb.debian.org/debian bookworm main contrib  # the main archive
EOF
ok oneline "$d" "# deb-src copy of $d/sources.list line 4 (tools/debsrc.sh)
deb-src http://deb.debian.org/debian bookworm main contrib"

# 2. Debian 12's default deb822 file (two stanzas, comments inside, two suites in the first)
d=$(apt deb822)
cat >"$d/sources.list.d/debian.sources" <<'EOF'
Types: deb
# http://snapshot.debian.org/archive/debian/20250520T000000Z
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
# http://snapshot.debian.org/archive/debian-security/20250520T000000Z
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
ok deb822 "$d" "# deb-src copy of $d/sources.list.d/debian.sources line 1 (tools/debsrc.sh)
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg"

# 3. a local mirror in one-line format, after a security-only entry in the same file
d=$(apt mirror)
cat >"$d/sources.list.d/mirror.list" <<'EOF'
deb http://mirror.example.lan/debian-security bookworm-security main
deb http://mirror.example.lan/debian bookworm main non-free-firmware
EOF
ok mirror "$d" "# deb-src copy of $d/sources.list.d/mirror.list line 2 (tools/debsrc.sh)
deb-src http://mirror.example.lan/debian bookworm main non-free-firmware"

# 4. a caching proxy in deb822, Security stanza first, extra fields and a multi-line field kept
d=$(apt proxy)
cat >"$d/sources.list.d/debian.sources" <<'EOF'
Types: deb
URIs: http://apt-cache.example.lan:3142/security.debian.org/debian-security
Suites: bookworm-security
Components: main

Types: deb
URIs: http://apt-cache.example.lan:3142/deb.debian.org/debian
Suites: bookworm
Components: main contrib
Architectures: amd64 arm64
Signed-By:
 -----BEGIN PGP PUBLIC KEY BLOCK-----
 .
 mQINBGPL0BUBEADmW5NdOOHwPIJlgPu6JDcKw/NZJPR8lsD3K87ZM18gzyQZJD+w
 -----END PGP PUBLIC KEY BLOCK-----
EOF
ok proxy "$d" "# deb-src copy of $d/sources.list.d/debian.sources line 6 (tools/debsrc.sh)
Types: deb-src
URIs: http://apt-cache.example.lan:3142/deb.debian.org/debian
Suites: bookworm
Components: main contrib
Architectures: amd64 arm64
Signed-By:
 -----BEGIN PGP PUBLIC KEY BLOCK-----
 .
 mQINBGPL0BUBEADmW5NdOOHwPIJlgPu6JDcKw/NZJPR8lsD3K87ZM18gzyQZJD+w
 -----END PGP PUBLIC KEY BLOCK-----"

# 5. options in brackets, attached and spaced
d=$(apt options)
cat >"$d/sources.list" <<'EOF'
deb [arch=amd64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] https://mirror.example.org/debian/ bookworm main
EOF
ok options "$d" "# deb-src copy of $d/sources.list line 1 (tools/debsrc.sh)
deb-src [arch=amd64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] https://mirror.example.org/debian/ bookworm main"
d=$(apt options-spaced)
printf 'deb [ arch=amd64,arm64 trusted=yes ]\thttp://10.0.0.5/debian   bookworm   main\n' >"$d/sources.list"
ok options-spaced "$d" "# deb-src copy of $d/sources.list line 1 (tools/debsrc.sh)
deb-src [ arch=amd64,arm64 trusted=yes ] http://10.0.0.5/debian bookworm main"

# 6. a vendor repository with a "bookworm main" suite, read first, loses to the Debian archive;
#    disabled stanzas, deb-src-only stanzas and files apt does not read are skipped
d=$(apt vendor)
echo 'deb [signed-by=/usr/share/keyrings/vendor.gpg] https://apt.vendor.example/repo bookworm main' \
  >"$d/sources.list.d/a-vendor.list"
echo 'deb http://wrong.example/debian bookworm main' >"$d/sources.list.d/b-old.list.disabled"
cat >"$d/sources.list.d/c-debian.sources" <<'EOF'
Types: deb
URIs: http://disabled.example/debian
Suites: bookworm
Components: main
Enabled: no

Types: deb-src
URIs: http://src-only.example/debian
Suites: bookworm
Components: main

Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
EOF
ok vendor "$d" "# deb-src copy of $d/sources.list.d/c-debian.sources line 12 (tools/debsrc.sh)
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main"
#    ... but is copied when it is the only bookworm main entry
rm "$d/sources.list.d/c-debian.sources"
ok vendor-only "$d" "# deb-src copy of $d/sources.list.d/a-vendor.list line 1 (tools/debsrc.sh)
deb-src [signed-by=/usr/share/keyrings/vendor.gpg] https://apt.vendor.example/repo bookworm main"

# 7. another suite on request
d=$(apt suite)
echo 'deb http://deb.debian.org/debian trixie main' >"$d/sources.list"
ok suite "$d" "# deb-src copy of $d/sources.list line 1 (tools/debsrc.sh)
deb-src http://deb.debian.org/debian trixie main" --suite trixie

# 8. only security (and updates) entries, in both formats: one line, exit 1
d=$(apt security)
echo 'deb http://deb.debian.org/debian-security bookworm-security main' >"$d/sources.list"
cat >"$d/sources.list.d/debian.sources" <<'EOF'
Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security bookworm-updates
Components: main
EOF
no security "$d"

# 9. no entries at all: an empty folder, and comments, blank lines, non-main or deb-src only
no empty "$(apt empty)"
d=$(apt comments)
printf '# deb http://deb.debian.org/debian bookworm main\n\n' >"$d/sources.list"
printf 'deb-src http://deb.debian.org/debian bookworm main\ndeb http://deb.debian.org/debian bookworm contrib\n' \
  >"$d/sources.list.d/x.list"
no comments "$d"

# 10. usage errors exit 2; a missing folder is one line and exit 1
rc=0; "$debsrc" --bogus >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 2 ] || bad "unknown option: expected exit 2, got $rc"
rc=0; "$debsrc" "$scratch/missing" >/dev/null 2>"$scratch/missing.err" || rc=$?
if [ "$rc" -ne 1 ] || [ "$(wc -l <"$scratch/missing.err")" -ne 1 ]; then
  bad "missing folder: expected exit 1 and one line, got $rc: $(cat "$scratch/missing.err")"
fi

# 11. this machine's own /etc/apt (read only): an entry, or the one-line refusal
rc=0; "$debsrc" >"$scratch/host.out" 2>"$scratch/host.err" || rc=$?
if [ "$rc" -eq 0 ]; then
  grep -q '^# deb-src copy of /etc/apt/' "$scratch/host.out" || bad "host: no origin line: $(cat "$scratch/host.out")"
  grep -Eq '^(deb-src |Types: deb-src$)' "$scratch/host.out" || bad "host: no deb-src entry: $(cat "$scratch/host.out")"
elif [ "$rc" -ne 1 ] || [ "$(wc -l <"$scratch/host.err")" -ne 1 ]; then
  bad "host: exit $rc: $(cat "$scratch/host.err")"
fi

[ "$failures" -eq 0 ] || { echo "debsrc_check: $failures case(s) failed" >&2; exit 1; }
echo "debsrc_check: ok"
