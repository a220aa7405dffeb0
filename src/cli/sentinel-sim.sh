#!/bin/sh
# sentinel-sim, the package's bin (copied to dist/cli/sentinel-sim by scripts/bundle-cli.mjs).
#
# `run` starts from the start-up snapshot that scripts/build-snapshot.mjs built with this machine's
# node (dist/cli/sentinel-sim.blob): its modules come already loaded and compiled, which saves
# most of the CLI's start-up. Everything else, and `run` whenever the snapshot cannot serve, runs
# the bundled bin, dist/cli/sentinel-sim.js. Both print the same bytes.
#
# The snapshot serves only when the node on PATH is the one that built it (its path recorded in
# sentinel-sim.blob.node) and has not changed since (a blob from another node or V8 build makes
# node exit 14), NODE_OPTIONS is empty (V8 flags must match the build's), and the run needs none
# of the packages left out of the snapshot (vega for --html and --out).

self=$0
# npm links the bin into node_modules/.bin: find the folder of the file itself.
while [ -L "$self" ]; do
  link=$(readlink "$self")
  case $link in
    /*) self=$link ;;
    *) self=${self%/*}/$link ;;
  esac
done
case $self in
  */*) dir=${self%/*} ;;
  *) dir=. ;;
esac
bin=$dir/sentinel-sim.js
blob=$dir/sentinel-sim.blob

# No command opens a TLS connection, so the CA certificates named by NODE_EXTRA_CA_CERTS are never
# used, yet node 20 reads and parses that whole file before it runs a line of JavaScript (38 ms of
# CPU for Debian's bundle of ~140 certificates: more than the rest of node's own start-up), and
# warns on stderr when the file cannot be read.
unset NODE_EXTRA_CA_CERTS

if [ "$1" = run ] && [ -z "$NODE_OPTIONS" ] && [ -f "$blob" ] && [ -f "$blob.node" ] && read -r built < "$blob.node" \
  && node=$(command -v node) && [ "$node" = "$built" ] && ! [ "$node" -nt "$blob" ]; then
  for arg in "$@"; do
    case $arg in
      --html | --html=* | --out | --out=*) exec "$node" "$bin" "$@" ;;
    esac
  done
  exec "$node" --snapshot-blob "$blob" "$bin" "$@"
fi
exec node "$bin" "$@"
