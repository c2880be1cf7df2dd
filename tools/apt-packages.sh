# Sourced by run.sh, test.sh and bench.sh: installs the Debian packages given that are not installed yet.

# Whether an installed package provides $1 under its name: NodeSource's nodejs provides npm (and conflicts with
# Debian's), so asking apt for npm there would fail.
provided() {
  dpkg-query -W -f='${Status}\t${Provides}\n' 2>/dev/null | awk -F '\t' -v wanted="$1" '
    $1 == "install ok installed" { n = split($2, names, /, */); for (i = 1; i <= n; i++) { sub(/ .*/, "", names[i]); if (names[i] == wanted) found = 1 } }
    END { exit !found }'
}

apt_packages() {
  local missing=() package
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || provided "$package" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing ${missing[*]} with apt..." >&2
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
