#!/usr/bin/env bash
# How much a SIGSTOPped replica absorbs before the master's output buffer grows, and what of it
# survives a kill -9 of the master. Run under `flock /tmp/redis-real.lock` (real Redis is shared).
# Usage: [RESUME_AFTER=seconds] scripts/measure-buffers.sh [MB written while the replica is stopped] [port base]
set -euo pipefail
MB=${1:-20}
BASE=${2:-26000}
M=$BASE; R=$((BASE + 1))
dir=$(mktemp -d)
cleanup() { kill -9 "${mpid:-}" "${rpid:-}" 2>/dev/null || true; kill -CONT "${rpid:-}" 2>/dev/null || true; kill -9 "${rpid:-}" 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT
common=(--bind 127.0.0.1 --save '' --appendonly no --daemonize no --repl-diskless-sync-delay 0)
redis-server "${common[@]}" --port $M --dir "$dir" --logfile "$dir/m.log" & mpid=$!
redis-server "${common[@]}" --port $R --dir "$dir" --logfile "$dir/r.log" --replicaof 127.0.0.1 $M & rpid=$!
for _ in $(seq 100); do
  redis-cli -p $M info replication 2>/dev/null | grep -q 'state=online' && break; sleep 0.1
done
off() { redis-cli -p "$1" info replication | tr -d '\r' | sed -n 's/^master_repl_offset://p'; }
# 100 KB values: one SET is 100,035 bytes of replication stream.
node -e "const v='x'.repeat(100000);let s='';for(let i=0;i<$MB*10;i++)s+='*3\r\n\$3\r\nSET\r\n\$'+(('k'+i).length)+'\r\nk'+i+'\r\n\$100000\r\n'+v+'\r\n';process.stdout.write(s)" > "$dir/cmds"
sleep 1
kill -STOP $rpid
o0=$(off $M)
redis-cli -p $M --pipe < "$dir/cmds" > /dev/null
sleep 1
o1=$(off $M)
omem=$(redis-cli -p $M client list type replica | tr ' ' '\n' | sed -n 's/^omem=//p')
tot=$(redis-cli -p $M client list type replica | tr ' ' '\n' | sed -n 's/^tot-mem=//p')
# Recv-Q on the replica's end (its receive buffer), Send-Q on the master's end (its send buffer).
ss -tn "( sport = :$M or dport = :$M )" | awk 'NR>1 {print "ss: local=" $4 " peer=" $5 " recv_q=" $2 " send_q=" $3}'
echo "written_bytes=$((o1 - o0)) omem=$omem tot_mem=$tot absorbed_alive=$((o1 - o0 - omem))"
kill -9 $mpid; sleep "${RESUME_AFTER:-0.5}"
kill -CONT $rpid; sleep 2
r=$(off $R)
echo "replica_offset_after_resume=$r master_offset_at_stop=$o0 absorbed_after_crash=$((r - o0))"
grep -h 'output buffer\|Connection with master lost\|MASTER' "$dir/r.log" "$dir/m.log" | tail -5 || true
