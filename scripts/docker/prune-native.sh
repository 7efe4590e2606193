#!/bin/sh
# Removes the build trees of the native modules from a node_modules folder, keeping what they load at run
# time: the compiled addon (build/Release/*.node), librdkafka's shared libraries (build/deps/*.so*, found
# through the addon's RUNPATH $ORIGIN/../deps) and the JavaScript. Used by the Dockerfile's deps stage so
# the runtime image carries no sources, object files or librdkafka build tree; test/unit/deploy checks it
# on a copy of this machine's node_modules.
#
#   sh scripts/docker/prune-native.sh node_modules
set -eu
nm=${1:?usage: prune-native.sh NODE_MODULES}

# Keeps build/Release/*.node (and build/deps/*.so* when present) of one package, drops everything built.
prune() {
  pkg="$nm/$1"
  [ -d "$pkg" ] || return 0
  keep=$(mktemp -d)
  mkdir -p "$keep/Release" "$keep/deps"
  for f in "$pkg"/build/Release/*.node; do
    case "$f" in *test_extension.node) ;; *) [ -f "$f" ] && cp -p "$f" "$keep/Release/" ;; esac
  done
  for f in "$pkg"/build/deps/*.so*; do [ -e "$f" ] && cp -P "$f" "$keep/deps/"; done
  rm -rf "$pkg/build" "$pkg/deps" "$pkg/src"
  mkdir -p "$pkg/build"
  mv "$keep/Release" "$pkg/build/Release"
  if [ -n "$(ls -A "$keep/deps")" ]; then mv "$keep/deps" "$pkg/build/deps"; fi
  rm -rf "$keep"
}

prune better-sqlite3
prune @confluentinc/kafka-javascript
# Anything else node-gyp left behind.
find "$nm" \( -name '*.o' -o -name '*.a' -o -name '*.obj' -o -name '.deps' -o -name 'obj.target' \) -prune -exec rm -rf {} +
