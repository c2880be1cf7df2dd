#!/usr/bin/env bash
# Checks tools/programs.tsv, the list of the programs that the engine, the tests, the benchmarks and the scripts start:
#  1. every program the sources start (C#: ChildProcess.StartAsync, Process.Start, ProcessStartInfo, FFMpegCore;
#     Python: subprocess; shell: the commands of the scripts and their #! lines) is on the list;
#  2. every listed program is found (PATH, as the tests find it; a listed path with a glob, such as
#     /usr/lib/postgresql/*/bin/postgres, as its newest match) in a file that `dpkg -S` says belongs to the package the
#     list names (or to a package it depends on: the metapackage postgresql installs postgresql-15), and that package
#     is in the apt_packages list of each script that needs it, or is on every Debian (Essential, or Priority required).
# ./test.sh runs it once its packages are installed. -v prints every program, where it was found and why it passes.
set -euo pipefail
cd "$(dirname "$0")/.."

verbose=0
[ "${1:-}" = -v ] && verbose=1
list=tools/programs.tsv
shopt -s nullglob
scripts=(run.sh test.sh bench.sh .ci/run tools/*.sh tests/tools/*.sh benchmarks/*.sh)
problems=()
problem() { problems+=("$1"); }

# Programs started through a value rather than a literal name: what the value names. Empty: a wrapper whose callers
# name the program (and are scanned).
declare -A indirect=(
  [FfmpegPath]=ffmpeg # Ingest:FfmpegPath, "ffmpeg" unless configured (src/Ingest/IngestOptions.cs)
  [fileName]=         # ChildProcess's own parameter (tests/Surveillance.Tests/Fixtures/ChildProcess.cs)
  [self]=             # the ownership harness starting itself as a node (benchmarks/Surveillance.Ownership/Run/NodeProcess.cs)
)

declare -A started=() # program -> where
found() { started[$1]+="${started[$1]:+, }$2"; }

# --- 1. What the sources start ------------------------------------------------------------------------------------

# "FILE:LINE:MATCH" for each match of the Perl regex $1 (what follows \K) in the files ending in $2.
matches() { grep -rnoP --include="*$2" --exclude-dir=bin --exclude-dir=obj "$1" src tests benchmarks tools || true; }

while IFS= read -r hit; do
  where=${hit%:*} argument=${hit##*:}
  if [[ $argument == \"*\" ]]; then
    argument=${argument#\"} && found "${argument%\"}" "$where"
  elif [[ -v indirect[${argument##*.}] ]]; then
    [ -z "${indirect[${argument##*.}]}" ] || found "${indirect[${argument##*.}]}" "$where"
  else
    problem "$where starts a program named by '$argument', which this check cannot read: add what it names to the indirect list in tools/check-programs.sh"
  fi
done < <(
  matches '(?:\bChildProcess\.StartAsync|\bnew\s+(?:System\.Diagnostics\.)?ProcessStartInfo)\(\s*\K[^,)\s]+' .cs
  matches '\bFileName\s*=\s*\K[^,;}\s]+' .cs
  # Process.Start(startInfo) takes a ProcessStartInfo, found above where it is made; only a literal name counts here.
  matches '\bProcess\.Start\(\s*\K"[^"]*"' .cs
)
while IFS= read -r hit; do found ffprobe "${hit%:*}"; done < <(matches '\bFFProbe\.\K\w+' .cs)
while IFS= read -r hit; do found ffmpeg "${hit%:*}"; done < <(matches '\bFFMpeg(?:Arguments)?\.\K\w+' .cs)
while IFS= read -r hit; do
  argument=${hit##*:} && found "${argument:1}" "${hit%:*}"
done < <(matches '\b(?:subprocess\.\w+|os\.system|os\.exec\w*|os\.spawn\w*)\(\s*\[?\s*\K["'"'"'][^"'"'"'\s]+' .py)

# The #! lines: "#!/usr/bin/env bash" starts env, then bash.
for file in "${scripts[@]}" tests/tools/*.py tools/*.py; do
  read -r shebang < "$file" || continue
  [[ $shebang == '#!'* ]] || continue
  read -r -a words <<< "${shebang#'#!'}"
  if [ "${words[0]}" = /usr/bin/env ]; then
    found env "$file:1" && found "${words[1]}" "$file:1"
  else
    found "${words[0]}" "$file:1"
  fi
done

# The scripts' commands: the first word of each simple command (and the command that env, sudo or timeout runs), with
# quoted strings, expansions, comments and redirections set aside; the code of a trap is read as code.
# Prints "FILE:LINE<tab>WORD".
read -r -d '' commands_awk <<'AWK' || true
function push(m) { stack[++top] = m; mode = m }
function pop() { mode = stack[--top] }
function reset() { top = 1; stack[1] = "N"; mode = "N"; depth = 0; n[0] = 0; word = ""; had = 0; skip = 0; casing[0] = ""; testing[0] = 0; heredoc = ""; in_heredoc = 0 }
function flush() {
  if (word == "" && !had) return
  if (casing[depth] == "pattern") { if (word == "esac") casing[depth] = ""; word = ""; had = 0; return }
  if (skip) { skip = 0 } else { n[depth]++; words[depth, n[depth]] = word; lines[depth, n[depth]] = FNR }
  if (word == "in" && words[depth, 1] == "case") { n[depth] = 0; casing[depth] = "pattern" }
  if (word == "[[" && n[depth] == 1) testing[depth] = 1
  word = ""; had = 0
}
function emit(w, l) { if (index(w, PH) == 0 && w != "") print FILENAME ":" l "\t" w }
function end_command(   i, w) {
  flush()
  for (i = 1; i <= n[depth]; i++) {
    w = words[depth, i]
    if (w ~ /^[A-Za-z_][A-Za-z0-9_]*(\[[^]]*\])?\+?=/ || w in reserved || index(w, PH)) continue
    if (w in stops) break
    if (w == "exec" || w == "command") continue
    if (w == "env" || w == "sudo" || w == "nohup" || w == "nice" || w == "setsid") { emit(w, lines[depth, i]); while (i < n[depth] && words[depth, i + 1] ~ /^-/) i++; continue }
    if (w == "timeout") { emit(w, lines[depth, i]); while (i < n[depth] && words[depth, i + 1] ~ /^-/) i++; i++; continue }
    emit(w, lines[depth, i]); break
  }
  n[depth] = 0
}
function open_nested(m) {
  # A process substitution after < or > is the redirection's target, not a file name to skip.
  skip = 0
  saved_word[depth] = word; saved_had[depth] = had; word = ""; had = 0
  depth++; n[depth] = 0; casing[depth] = ""; testing[depth] = 0; push(m)
}
function close_nested() { end_command(); depth--; word = saved_word[depth] PH; had = 1; pop() }
BEGIN {
  PH = "\001"
  split("if then else elif fi do done while until ! { } time esac", r, " "); for (k in r) reserved[r[k]] = 1
  split("for case select function [[ [ test", s, " "); for (k in s) stops[s[k]] = 1
  reset()
}
FNR == 1 && NR != 1 { end_command(); reset() }
in_heredoc { l = $0; if (strip_tabs) sub(/^\t+/, "", l); if (l == heredoc) { in_heredoc = 0; heredoc = "" } next }
{
  line = $0; len = length(line); continued = 0
  for (i = 1; i <= len; i++) {
    c = substr(line, i, 1); next_c = substr(line, i + 1, 1)
    if (mode == "S") { if (c == "\047") pop(); continue }
    if (mode == "B") { if (c == "{") braces++; else if (c == "}") { if (braces) braces--; else pop() } continue }
    # Arithmetic, $(( )) or (( )): numbers and names, not commands.
    if (mode == "R") { if (c == "(") parens++; else if (c == ")" && --parens == 0) pop(); continue }
    if (mode == "D") {
      if (c == "\\") i++
      else if (c == "\"") pop()
      else if (c == "$" && next_c == "(" && substr(line, i + 2, 1) == "(") { push("R"); parens = 2; i += 2 }
      else if (c == "$" && next_c == "(") { open_nested("C"); i++ }
      else if (c == "$" && next_c == "{") { push("B"); braces = 0; i++ }
      continue
    }
    if (mode == "A") {
      # An array's elements: words, not commands.
      if (c == "#" && substr(line, i - 1, 1) ~ /^[ \t]?$/) break
      if (c == "\047") push("S"); else if (c == "\"") push("D"); else if (c == ")") pop()
      continue
    }
    if (testing[depth]) {
      # Inside [[ ]]: operands and operators (&&, <, ==), up to the closing ]].
      if (c == "\047") push("S"); else if (c == "\"") push("D"); else if (c == "$" && next_c == "(") { open_nested("C"); i++ }
      else if (c == " " || c == "\t") { if (word == "]]") testing[depth] = 0; word = ""; had = 0 }
      else { word = word c; had = 1 }
      if (word == "]]" && i == len) { testing[depth] = 0; word = ""; had = 0; end_command() }
      continue
    }
    # Code: plain (N), a command substitution (C), a subshell (P), a trap's quoted code (T).
    if (c == "#" && word == "" && !had) break
    if (c == "\\") { if (i == len) { continued = 1; break } word = word next_c; had = 1; i++; continue }
    if (c == "\047") {
      if (mode == "T") { close_nested(); continue }
      if (word == "" && !had && n[depth] == 1 && words[depth, 1] == "trap") { open_nested("T"); continue }
      push("S"); word = word PH; had = 1; continue
    }
    if (c == "\"") { push("D"); word = word PH; had = 1; continue }
    if (c == "$" && next_c == "(" && substr(line, i + 2, 1) == "(") { push("R"); parens = 2; word = word PH; had = 1; i += 2; continue }
    if (c == "$" && next_c == "(") { open_nested("C"); i++; continue }
    if (c == "$" && next_c == "{") { push("B"); braces = 0; word = word PH; had = 1; i++; continue }
    if (c == "(" && next_c == "(" && word == "" && !had) { push("R"); parens = 2; word = PH; had = 1; i++; continue }
    if (c == "$") { word = word PH; had = 1; continue }
    if (c == "(" && word ~ /=$/) { push("A"); word = word PH; had = 1; continue }
    if (c == "(") { if (casing[depth] != "pattern") open_nested("P"); continue }
    if (c == ")") {
      if (casing[depth] == "pattern") { word = ""; had = 0; casing[depth] = "command" }
      else if (mode == "C" || mode == "P") close_nested()
      else end_command()
      continue
    }
    if (casing[depth] == "pattern") { if (c == " " || c == "\t" || c == "|") flush(); else { word = word c; had = 1 } continue }
    if (c == "<" && next_c == "<" && substr(line, i + 2, 1) != "<") {
      # A here-document: its lines, up to the delimiter, are data.
      flush(); j = i + 2; strip_tabs = 0
      if (substr(line, j, 1) == "-") { strip_tabs = 1; j++ }
      while (substr(line, j, 1) ~ /[ \t]/) j++
      heredoc = ""
      while (j <= len && substr(line, j, 1) !~ /[ \t;|&<>)]/) { if (substr(line, j, 1) !~ /["\047]/) heredoc = heredoc substr(line, j, 1); j++ }
      i = j - 1; continue
    }
    if (c == "<" || c == ">" || (c == "&" && next_c == ">")) {
      if (word ~ /^[0-9]+$/) { word = ""; had = 0 } else flush()
      while (substr(line, i + 1, 1) ~ /[<>&]/) i++
      skip = 1; continue
    }
    if (c == ";" && next_c == ";") { end_command(); i++; if (casing[depth] == "command") casing[depth] = "pattern"; continue }
    if (c == ";" || c == "&" || c == "|") { end_command(); continue }
    if (c == " " || c == "\t") { flush(); continue }
    word = word c; had = 1
  }
  if (!continued && (mode == "N" || mode == "C" || mode == "P" || mode == "T")) end_command()
  if (heredoc != "") in_heredoc = 1
}
END { end_command() }
AWK
declare -A functions=()
while IFS= read -r name; do functions[$name]=1; done < <(grep -hoP '^\s*\K[A-Za-z_][A-Za-z0-9_]*(?=\s*\(\))' "${scripts[@]}" || true)
while IFS=$'\t' read -r where command; do
  [[ -v functions[$command] ]] && continue
  case $(type -t "$command" || true) in builtin | keyword) continue ;; esac
  # The project's own scripts (./test.sh, tools/check-programs.sh).
  [[ $command == */* && $command != /* && -e $command ]] && continue
  found "$command" "$where"
done < <(awk "$commands_awk" "${scripts[@]}")

# --- 2. The list ----------------------------------------------------------------------------------------------------

# The packages that script $1 installs: the words after apt_packages, over continued lines.
packages_of() {
  awk '{ sub(/(^|[ \t])#.*/, "") }
       /\\$/ { sub(/\\$/, ""); pending = pending $0 " "; next }
       { $0 = pending $0; pending = "" }
       $1 == "apt_packages" { for (i = 2; i <= NF; i++) print $i }' "$1"
}
declare -A installs=() # "script package" -> 1
for script in run.sh test.sh bench.sh tools/cluster-demo.sh benchmarks/cluster-soak.sh; do
  while IFS= read -r package; do installs["$script $package"]=1; done < <(packages_of "$script")
done

scripts_for() {
  case $1 in
    engine) echo run.sh test.sh bench.sh ;;
    tests) echo test.sh ;;
    bench) echo bench.sh ;;
    readme) echo run.sh ;;
    demo) echo tools/cluster-demo.sh ;;
    soak) echo benchmarks/cluster-soak.sh ;;
    scripts) echo ;;
    *) return 1 ;;
  esac
}

# The files in which dpkg may know the program at $1: the path under /usr and without it (merged /usr), the file its
# symlinks lead to and, for a Debian alternative (/usr/bin/awk), every file that provides it.
files_of() {
  local path=$1 link candidate
  local -a candidates=()
  local -A seen=()
  link=$(readlink "$path" || true)
  if [[ $link == /etc/alternatives/* ]]; then
    mapfile -t candidates < <(update-alternatives --list "${link#/etc/alternatives/}" 2>/dev/null || true)
  fi
  candidates+=("$path" "$(readlink -f "$path")")
  for candidate in "${candidates[@]}"; do
    for candidate in "$candidate" "${candidate#/usr}" "/usr${candidate#/usr}"; do
      [[ -v seen[$candidate] ]] || { seen[$candidate]=1; echo "$candidate"; }
    done
  done
}

# The path a listed path stands for: itself or, with a glob where a directory names a version
# (/usr/lib/postgresql/*/bin/postgres), the newest version installed, as the scripts and the tests pick it.
newest_match() {
  [[ $1 == *[*?[]* ]] || { echo "$1"; return; }
  local -a matches=($1) # nullglob: no match, no path
  [ ${#matches[@]} -eq 0 ] || printf '%s\n' "${matches[@]}" | sort -V | tail -n 1
}

# The names that package $1 provides.
provides_of() { dpkg-query -W -f='${Provides}' "$1" 2> /dev/null | awk -v RS=',' 'NF { print $1 }'; }

# The packages that package $1 depends on (first of each alternative), by name.
depends_of() { dpkg-query -W -f='${Depends}' "$1" 2> /dev/null | awk -v RS='[,|]' 'NF { print $1 }'; }

declare -A listed=() files=() paths=()
rows=()
while IFS=$'\t' read -r program package needed_by started_from; do
  [[ -z $program || $program == '#'* || $program == program ]] && continue
  listed[$program]=1
  rows+=("$program"$'\t'"$package"$'\t'"$needed_by"$'\t'"$started_from")
  [ "$package" = - ] && continue
  if [[ $program == */* ]]; then path=$(newest_match "$program"); else path=$(type -P "$program" || true); fi
  [ -n "$path" ] && [ -x "$path" ] && paths[$program]=$path && files[$program]=$(files_of "$path")
done < "$list"

# One dpkg -S for all of them: it reads its whole database each time.
declare -A owners_of_file=()
all_files=()
for program in "${!files[@]}"; do mapfile -t -O ${#all_files[@]} all_files <<< "${files[$program]}"; done
while IFS= read -r output; do
  [[ $output == diversion\ by* || $output != *': '* ]] && continue
  owners=${output%%: *}
  owners_of_file[${output#*: }]+=" ${owners//,/} "
done < <([ ${#all_files[@]} -eq 0 ] || dpkg -S "${all_files[@]}" 2>/dev/null || true)

report=()
for row in "${rows[@]}"; do
  IFS=$'\t' read -r program package needed_by started_from <<< "$row"
  if [ "$package" = - ]; then
    [ -n "$started_from" ] || problem "$program: package '-' needs the reason in started_from ($list)"
    report+=("$(printf '%-20s not checked: %s' "$program" "$started_from")")
    continue
  fi
  for user in ${needed_by//,/ }; do
    scripts_for "$user" > /dev/null || problem "$program: needed_by '$user' is none of engine, tests, bench, readme, demo, soak, scripts ($list)"
  done
  if [[ ! -v files[$program] ]]; then
    problem "$program: not found (PATH=$PATH); it comes from the Debian package $package, which the scripts should install"
    continue
  fi
  path=${paths[$program]}
  owners=""
  while IFS= read -r file; do owners+=${owners_of_file[$file]:-}; done <<< "${files[$program]}"
  if [ -z "${owners// /}" ]; then
    problem "$program: $path belongs to no Debian package (dpkg -S); $list says $package"
    continue
  fi
  via=
  if [[ $owners != *" $package "* ]]; then
    # A metapackage holds no program: the versioned package it depends on does (postgresql: postgresql-15).
    for dependency in $(depends_of "$package"); do [[ $owners == *" $dependency "* ]] && via=" (in $dependency)"; done
    # Or a package that provides the listed one under its name holds it (NodeSource's nodejs provides npm).
    for owner in $owners; do provides_of "$owner" | grep -qxF "$package" && via=" (provided by $owner)"; done
    if [ -z "$via" ]; then
      read -r -a owners <<< "$owners"
      problem "$program: $path belongs to ${owners[*]} (dpkg -S), not to $package (nor to a package it depends on) as $list says"
      continue
    fi
  fi
  read -r essential priority < <(dpkg-query -W -f='${Essential} ${Priority}\n' "$package" 2>/dev/null || echo "no unknown")
  if [ "$essential" = yes ] || [ "$priority" = required ]; then
    how="on every Debian ($package: Essential $essential, Priority $priority)"
  else
    how="$package$via, installed by"
    for user in ${needed_by//,/ }; do
      if [ "$user" = scripts ]; then
        problem "$program: the scripts run it before they install anything, so its package must be on every Debian, but $package is Essential '$essential', Priority '$priority'"
      fi
      for script in $(scripts_for "$user" || true); do
        if [[ -v installs["$script $package"] ]]; then
          [[ $how == *" $script"* ]] || how+=" $script"
        else
          how+=" (not $script)"
          problem "$program ($needed_by): its package $package is not in $script's apt_packages list"
        fi
      done
    done
  fi
  report+=("$(printf '%-20s %-28s %s' "$program" "$path" "$how")")
done

for program in "${!started[@]}"; do
  [[ -v listed[$program] ]] || problem "$program is started (${started[$program]}) but is not in $list: add it with its Debian package"
done

if [ $verbose -eq 1 ]; then
  printf '%s\n' "${report[@]}"
  for program in "${!listed[@]}"; do
    [[ -v started[$program] ]] || printf '%-20s listed, not started by the scanned sources (see %s)\n' "$program" "$list"
  done
fi
if [ ${#problems[@]} -gt 0 ]; then
  printf 'check-programs: %s\n' "${problems[@]}" >&2
  echo "check-programs: ${#problems[@]} problem(s) with the programs the project starts ($list)" >&2
  exit 1
fi
echo "check-programs: ${#listed[@]} programs listed; every one the sources start is listed, and each comes from a package the scripts install or one on every Debian"
