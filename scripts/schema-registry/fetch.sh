#!/usr/bin/env bash
# Resolves Apicurio Registry's server distribution named in scripts/schema-registry/pom.xml and unpacks it:
#   .cache/schema-registry/<version>/dist/      (git-ignored)
# then prints that folder's absolute path as the only line on stdout (progress goes to stderr), so
# test/support/schema-registry.ts can start the server's runner jar from it.
#
# Idempotent: a marker file records the pom's checksum after a complete unpack; a later run with the
# same pom prints the path and does nothing else. Concurrent runs are serialised with flock.
#
# Environment:
#   SCHEMA_REGISTRY_VERSION    override the pom's <registry.version> (an Apicurio Registry release)
#   SCHEMA_REGISTRY_CACHE_DIR  where versions are kept (default: <repo>/.cache/schema-registry)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
pom="$here/pom.xml"
prog='schema-registry fetch'
# shellcheck source-path=SCRIPTDIR source=../lib/maven-fetch.sh
source "$root/scripts/lib/maven-fetch.sh"

pom_version=$(sed -n 's:.*<registry\.version>\(.*\)</registry\.version>.*:\1:p' "$pom" | head -n 1)
version=${SCHEMA_REGISTRY_VERSION:-$pom_version}
if [[ -z "$version" ]]; then
  echo "schema-registry fetch: no <registry.version> in $pom and SCHEMA_REGISTRY_VERSION is unset" >&2
  exit 1
fi

cache=${SCHEMA_REGISTRY_CACHE_DIR:-$root/.cache/schema-registry}
dest="$cache/$version"
dist="$dest/dist"
marker="$dest/.complete"
# The marker names what was fetched: a changed pom or version fetches again.
stamp=$(pom_stamp "$version" "$pom")

has_launcher() {
  compgen -G "$1/*-runner.jar" >/dev/null || [[ -f "$1/quarkus-run.jar" ]]
}

is_complete() {
  [[ -f "$marker" && "$(cat "$marker")" == "$stamp" ]] && has_launcher "$dist"
}

done_or_lock "$dist"
require_tools "Apicurio Registry $version needs Java and Maven" java mvn tar

echo "schema-registry fetch: resolving Apicurio Registry $version into $dist" >&2
started=$(date +%s)
staging="$dest/staging.$$"
log="$dest/mvn.log"
rm -rf "$staging"
trap 'rm -rf "$staging"' EXIT

run_mvn "$log" -f "$pom" \
  -Dregistry.version="$version" \
  -DoutputDirectory="$staging/archive" \
  -DincludeTypes=tar.gz \
  dependency:copy-dependencies

archive=$(compgen -G "$staging/archive/apicurio-registry-app-*-all.tar.gz" | head -n 1 || true)
if [[ -z "$archive" ]]; then
  echo "schema-registry fetch: mvn finished but no apicurio-registry-app-*-all.tar.gz in $staging/archive" >&2
  exit 1
fi

mkdir -p "$staging/dist"
tar -xzf "$archive" -C "$staging/dist"
if ! has_launcher "$staging/dist"; then
  echo "schema-registry fetch: $archive holds neither *-runner.jar nor quarkus-run.jar" >&2
  exit 1
fi

rm -rf "$dist"
mv "$staging/dist" "$dist"
echo "$stamp" >"$marker"
echo "schema-registry fetch: Apicurio Registry $version ($(du -sh "$dist" | cut -f1)) in $(($(date +%s) - started)) s" >&2
echo "$dist"
