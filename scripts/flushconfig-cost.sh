#!/bin/sh
# What one sentinelFlushConfig() costs on this machine: a real redis-sentinel 7.0.15 with the odds
# drill's sentinel.conf (3 nodes, 2 known Sentinels) in a temp dir under /tmp (the harness's
# filesystem), traced with strace -T while it answers N `SENTINEL FLUSHCONFIG` (each is one
# sentinelFlushConfig(): rewriteConfig() = write temp file, fsync, rename, fsync dir; then open,
# fsync, close of sentinel.conf). Prints, per flush, the ms from the read of the old config to
# the return of the last fsync, then min/quartiles/max. Run under the shared lock:
#   flock /tmp/redis-real.lock sh scripts/flushconfig-cost.sh 300 27490 [raw-ms-file]
set -e
n=${1:-200}
port=${2:-27490}
raw=${3:-}   # optional file to append each flush's ms to (pooling several measurements)
dir=$(mktemp -d /tmp/flushconfig-cost.XXXXXX)
cat > "$dir/sentinel.conf" <<CONF
port $port
bind 127.0.0.1
daemonize no
dir $dir
logfile $dir/log.txt
sentinel monitor mymaster 127.0.0.1 $((port + 1)) 2
sentinel down-after-milliseconds mymaster 2000
sentinel failover-timeout mymaster 6000
sentinel parallel-syncs mymaster 1
sentinel known-replica mymaster 127.0.0.1 $((port + 2))
sentinel known-replica mymaster 127.0.0.1 $((port + 3))
sentinel known-sentinel mymaster 127.0.0.1 $((port + 4)) 0123456789012345678901234567890123456789
sentinel known-sentinel mymaster 127.0.0.1 $((port + 5)) 1123456789012345678901234567890123456789
CONF
redis-sentinel "$dir/sentinel.conf" &
pid=$!
trap 'kill $pid 2>/dev/null; [ -n "$KEEP" ] || rm -rf "$dir"' EXIT
sleep 0.5
strace -q -tt -T -e trace=openat,fsync,fdatasync -p "$pid" -o "$dir/trace.txt" &
spid=$!
sleep 0.5
# One flush every 50 ms on one connection: isolated flushes, as in a failover, not a burst.
redis-cli -p "$port" -r "$n" -i 0.05 SENTINEL FLUSHCONFIG > /dev/null
sleep 0.3
kill "$spid"; wait "$spid" 2>/dev/null || true
# A flush starts at the openat of sentinel.conf for reading (rewriteConfigReadOldFile()) and ends
# when serverLog() opens the log for "Sentinel new configuration saved on disk".
awk -v conf="$dir/sentinel.conf" -v lg="$dir/log.txt" '
  function sec(t) { split(t, a, ":"); return a[1] * 3600 + a[2] * 60 + a[3] }
  $0 ~ "openat\\(.*\"" conf "\", O_RDONLY" && f == 0 { start = sec($1); f = 1; next }
  f == 1 && index($0, "\"" lg "\"") { printf "%.3f\n", (sec($1) - start) * 1000; f = 0 }
' "$dir/trace.txt" | sort -n > "$dir/ms.txt"
[ -n "$raw" ] && cat "$dir/ms.txt" >> "$raw"
awk '{ a[NR] = $1 } END {
  printf "flushes %d; ms: min %.2f p25 %.2f median %.2f p75 %.2f p90 %.2f max %.2f\n", NR, a[1], a[int(NR/4)+1], a[int(NR/2)+1], a[int(3*NR/4)+1], a[int(0.9*NR)+1], a[NR]
  printf "deciles (p0 p10 .. p100) ms:"; for (q = 0; q <= 10; q++) { i = int(q * (NR - 1) / 10) + 1; printf " %.2f", a[i] }; printf "\n"
}' "$dir/ms.txt"
