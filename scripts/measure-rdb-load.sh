#!/usr/bin/env bash
# How long a real 7.0.15 replica takes to load the RDB of a full sync: from "MASTER <-> REPLICA
# sync: Loading DB in memory" to "MASTER <-> REPLICA sync: Finished with success" in its log (ms
# timestamps), against the RDB's size ("receiving N bytes from master to disk": the master syncs
# through disk so the size is logged; the load is the same as after a diskless transfer).
# Also probes the replica while it loads: what a client gets (-LOADING) and INFO's loading flag.
# Run under `flock /tmp/redis-real.lock` (real Redis is shared).
# Values are random (base64 of random bytes): DEBUG POPULATE's zero-padded values compress ~70x
# with rdbcompression, so its RDB says little about the dataset (718 KB of RDB took 490 ms to
# load into 50 MB), while the model's datasetBytes is the size of a real RDB.
# Usage: scripts/measure-rdb-load.sh [keys] [value bytes] [repeats] [port base]
set -euo pipefail
KEYS=${1:-500000}
VAL=${2:-100}
REPEATS=${3:-3}
BASE=${4:-28600}
M=$BASE; R=$((BASE + 1))
dir=$(mktemp -d)
cleanup() { kill -9 "${mpid:-}" "${rpid:-}" 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT
common=(--bind 127.0.0.1 --save '' --appendonly no --daemonize no --enable-debug-command local)
redis-server "${common[@]}" --port $M --dir "$dir" --logfile "$dir/m.log" --repl-diskless-sync no & mpid=$!
for _ in $(seq 100); do redis-cli -p $M ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done
node -e "const {randomBytes}=require('node:crypto');const n=$KEYS,v=$VAL;let out=[];for(let i=0;i<n;i++){const k='key:'+i,x=randomBytes(Math.ceil(v*3/4)).toString('base64').slice(0,v);out.push('*3\\r\\n\$3\\r\\nSET\\r\\n\$'+k.length+'\\r\\n'+k+'\\r\\n\$'+x.length+'\\r\\n'+x+'\\r\\n');if(out.length===10000){process.stdout.write(out.join(''));out=[];}}process.stdout.write(out.join(''))" | redis-cli -p $M --pipe > /dev/null
# Log timestamps look like "12345:S 07 Dec 2026 01:58:41.123 * text": ms since midnight.
ms() { sed -n "s/^[0-9]*:S [0-9]* [A-Za-z]* [0-9]* \([0-9]*\):\([0-9]*\):\([0-9]*\)\.\([0-9]*\) .*$1.*/\1 \2 \3 \4/p" "$dir/r$2.log" | tail -1 | awk '{print (($1*60+$2)*60+$3)*1000+$4}'; }
for i in $(seq "$REPEATS"); do
  redis-server "${common[@]}" --port $R --dir "$dir" --dbfilename "r$i.rdb" --logfile "$dir/r$i.log" --replicaof 127.0.0.1 $M & rpid=$!
  probe=""
  for _ in $(seq 600); do
    if grep -q 'Loading DB in memory' "$dir/r$i.log" 2>/dev/null && ! grep -q 'Finished with success' "$dir/r$i.log"; then
      probe="$(redis-cli -p $R get key:1 2>&1 | head -1) | $(redis-cli -p $R ping 2>&1) | $(redis-cli -p $R info persistence 2>&1 | tr -d '\r' | grep '^loading:' | head -1)"
      break
    fi
    grep -q 'Finished with success' "$dir/r$i.log" 2>/dev/null && break
    sleep 0.01
  done
  for _ in $(seq 600); do grep -q 'Finished with success' "$dir/r$i.log" && break; sleep 0.05; done
  bytes=$(sed -n 's/.*receiving \([0-9]*\) bytes from master to disk.*/\1/p' "$dir/r$i.log" | tail -1)
  t0=$(ms 'Loading DB in memory' "$i"); t1=$(ms 'Finished with success' "$i")
  load=$((t1 - t0))
  echo "run=$i keys=$KEYS value_bytes=$VAL rdb_bytes=$bytes load_ms=$load bytes_per_ms=$(( load > 0 ? bytes / load : 0 )) probe_while_loading=[${probe:-none}]"
  kill -9 $rpid; wait $rpid 2>/dev/null || true; rpid=""
done
