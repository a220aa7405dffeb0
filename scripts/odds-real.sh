#!/bin/sh
# N real runs of the odds drill (src/conformance/odds.ts), one JSON line each, every run under the
# shared real-Redis lock so no other real run shares its ports or CPU bursts. Ports 27000-27452.
# Usage: npm run build && sh scripts/odds-real.sh 40 odds-real.jsonl && node dist/conformance/odds.js summary odds-real.jsonl
set -e
n=${1:-20}
out=${2:-odds-real.jsonl}
i=0
while [ "$i" -lt "$n" ]; do
  base=$((27000 + (i % 5) * 100))
  flock /tmp/redis-real.lock node dist/conformance/odds.js real --base "$base" --out "$out" || echo "run $i failed" >&2
  i=$((i + 1))
done
