#!/usr/bin/env bash
# Resolves the Apache Kafka broker jars named in scripts/kafka/pom.xml into a classpath folder:
#   .cache/kafka/<version>/libs/*.jar      (git-ignored)
# and prints that folder's absolute path as the only line on stdout (progress goes to stderr), so
# test/support/kafka-broker.ts can run `java -cp '<libs>/*' kafka.Kafka ...`.
#
# Idempotent: a marker file records the pom's checksum after a complete copy; a later run with the
# same pom prints the path and does nothing else. Concurrent runs are serialised with flock.
#
# Environment:
#   KAFKA_VERSION    override the pom's <kafka.version> (a 4.x release; 4.x needs Java 17+)
#   KAFKA_CACHE_DIR  where versions are kept (default: <repo>/.cache/kafka)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
pom="$here/pom.xml"
prog=fetch-jars
# shellcheck source-path=SCRIPTDIR source=../lib/maven-fetch.sh
source "$root/scripts/lib/maven-fetch.sh"

pom_version=$(sed -n 's:.*<kafka\.version>\(.*\)</kafka\.version>.*:\1:p' "$pom" | head -n 1)
version=${KAFKA_VERSION:-$pom_version}
if [[ -z "$version" ]]; then
  echo "fetch-jars: no <kafka.version> in $pom and KAFKA_VERSION is unset" >&2
  exit 1
fi

cache=${KAFKA_CACHE_DIR:-$root/.cache/kafka}
dest="$cache/$version"
libs="$dest/libs"
marker="$dest/.complete"
# The marker names what was fetched: a changed pom (another binding, say) or version fetches again.
stamp=$(pom_stamp "$version" "$pom")

is_complete() {
  [[ -f "$marker" && "$(cat "$marker")" == "$stamp" ]] && compgen -G "$libs/kafka_2.13-*.jar" >/dev/null
}

done_or_lock "$libs"
require_tools "Kafka $version needs Java 17+ and Maven" java mvn

echo "fetch-jars: resolving Apache Kafka $version broker jars into $libs" >&2
started=$(date +%s)
staging="$dest/libs.partial.$$"
log="$dest/mvn.log"
rm -rf "$staging"
trap 'rm -rf "$staging"' EXIT

run_mvn "$log" -f "$pom" \
  -Dkafka.version="$version" \
  -DoutputDirectory="$staging" \
  -DincludeScope=runtime \
  dependency:copy-dependencies

if ! compgen -G "$staging/kafka_2.13-$version.jar" >/dev/null; then
  echo "fetch-jars: mvn finished but kafka_2.13-$version.jar is missing from $staging" >&2
  exit 1
fi

rm -rf "$libs"
mv "$staging" "$libs"
echo "$stamp" >"$marker"
echo "fetch-jars: $(find "$libs" -name '*.jar' | wc -l) jars in $(($(date +%s) - started)) s" >&2
echo "$libs"
