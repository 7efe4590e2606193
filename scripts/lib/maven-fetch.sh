# shellcheck shell=bash disable=SC2154 # prog and dest are set by the sourcing script
# Shared by the fetch scripts (scripts/kafka/fetch-jars.sh, scripts/schema-registry/fetch.sh), which
# source it. They set `prog` (the prefix of their messages) and `dest` (the version's cache folder) and
# define `is_complete` (whether $dest holds a complete copy of what their pom names).

# pom_stamp VERSION POM: what the marker records, "<version> <sha256 of POM>". A changed pom or
# version fetches again.
pom_stamp() {
  local sum
  if command -v sha256sum >/dev/null 2>&1; then sum=$(sha256sum "$2"); else sum=$(shasum -a 256 "$2"); fi
  echo "$1 ${sum%% *}"
}

# done_or_lock OUT: if is_complete, prints OUT and exits 0. Otherwise creates $dest and serialises
# concurrent runs on $dest/.lock (where flock exists), held until the script exits; another run may
# have finished while this one waited for the lock, so that is checked again.
done_or_lock() {
  if is_complete; then
    echo "$1"
    exit 0
  fi
  mkdir -p "$dest"
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$dest/.lock"
    flock 9
    if is_complete; then
      echo "$1"
      exit 0
    fi
  fi
}

# require_tools HINT TOOL...: exits 1 at the first TOOL not on PATH, saying HINT.
require_tools() {
  local hint=$1 tool
  shift
  for tool in "$@"; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      echo "$prog: '$tool' is not on PATH ($hint)" >&2
      exit 1
    fi
  done
}

# run_mvn LOG ARG...: `mvn -B -q ARG...` (batch mode and quiet); Maven's own output goes to LOG, whose
# end is shown only when it fails (then exits 1).
run_mvn() {
  local log=$1
  shift
  if ! mvn -B -q "$@" >"$log" 2>&1; then
    echo "$prog: mvn failed; the end of $log:" >&2
    tail -n 40 "$log" >&2
    exit 1
  fi
}
