#!/usr/bin/env bash
# soak.sh: one fleetd under steady load for a long time. Builds fleetd, fleetctl and fleetsim,
# starts fleetd on a fresh durable database, binds N vehicles to fleetsim's terminals and runs
# them for --duration together with websocket consoles following every position and steady API
# traffic (the console's and the desks' GETs, timed open-loop from when each was due). Every
# 10 s it samples fleetd's RSS, CPU, goroutines, Go heap in use and open descriptors; at the end
# it kills fleetd with SIGKILL and counts the stored positions against the acknowledged ones.
#
#   scripts/soak.sh                          1 h: 2,000 terminals every 1 s (2,000 points/s),
#                                            100 consoles, 20 API requests/s, MariaDB (durable)
#   scripts/soak.sh --duration 3m            the short form
#   scripts/soak.sh --sqlite                 on SQLite (WAL, synchronous=FULL) instead
#   scripts/soak.sh ... -- -alarm-ratio 0.01 extra fleetsim flags after --
#
# Options: --duration D (1h), -n N (2000), --interval D (1s), --clients N (100), --api-rate R
# (20), --settle D (the start of the run left out of the trends: 5m, or a tenth of a shorter
# run), --sqlite, --keep, --dir DIR, --jt808-port P (36808), --http-port P (38080),
# --mysql-port P (33307), --redis-port P (36380): ports of their own, so nothing else is touched.
#
# Verdicts, on the samples after --settle: memory has no growth trend when the least-squares
# line through Go's heap in use rises less than 10 % of its mean (or 8 MB) over the window
# (and RSS's less than 64 MB); goroutines do not leak when the last sample is within 5 % + 20 of the
# first. The result lines start "soak:"; the exit status is 1 when a verdict fails, an
# acknowledged point is missing, an API request failed, fleetd dropped a console or logged a panic.
set -euo pipefail

DURATION=1h
N=2000
INTERVAL=1s
CLIENTS=100
API_RATE=20
SETTLE=
USE_SQLITE=
KEEP=
RUN_DIR=
JT808_PORT=36808
HTTP_PORT=38080
MYSQL_PORT=33307
REDIS_PORT=36380
SIM_EXTRA=()

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION=$2; shift 2 ;;
    -n) N=$2; shift 2 ;;
    --interval) INTERVAL=$2; shift 2 ;;
    --clients) CLIENTS=$2; shift 2 ;;
    --api-rate) API_RATE=$2; shift 2 ;;
    --settle) SETTLE=$2; shift 2 ;;
    --sqlite) USE_SQLITE=1; shift ;;
    --keep) KEEP=1; shift ;;
    --dir) RUN_DIR=$2; shift 2 ;;
    --jt808-port) JT808_PORT=$2; shift 2 ;;
    --http-port) HTTP_PORT=$2; shift 2 ;;
    --mysql-port) MYSQL_PORT=$2; shift 2 ;;
    --redis-port) REDIS_PORT=$2; shift 2 ;;
    --) shift; SIM_EXTRA=("$@"); break ;;
    -h|--help) usage ;;
    *) echo "soak: unknown option $1" >&2; usage ;;
  esac
done

log() { printf 'soak: %s\n' "$*" >&2; }
die() { printf 'soak: error: %s\n' "$*" >&2; exit 1; }
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
# shellcheck source=lib/bench.sh
. "$ROOT/scripts/lib/bench.sh"

[[ "$N" =~ ^[0-9]+$ ]] && [ "$N" -ge 1 ] || die "-n must be a positive number"
[[ "$CLIENTS" =~ ^[0-9]+$ ]] && [ "$CLIENTS" -ge 1 ] || die "--clients must be a positive number"
[[ "$API_RATE" =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "--api-rate must be a number of requests a second"
dur_s=$(secs "$DURATION"); secs "$INTERVAL" >/dev/null
[ "$dur_s" -ge 60 ] || die "--duration must be at least 1m"
if [ -z "$SETTLE" ]; then
  settle_s=$(( dur_s / 10 )); [ "$settle_s" -gt 300 ] && settle_s=300; [ "$settle_s" -lt 45 ] && settle_s=45
else settle_s=$(secs "$SETTLE"); fi
[ "$settle_s" -lt $(( dur_s / 2 )) ] || die "--settle must be under half the duration"
command -v python3 >/dev/null 2>&1 || die "python3 is needed to read the samples"
if [ -z "$(command -v go)" ]; then export PATH=/usr/local/go/bin:$PATH; fi
export CGO_ENABLED=1
check_limits $(( N + CLIENTS ))

if [ -z "$RUN_DIR" ]; then RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/fleet-soak.XXXXXX"); else mkdir -p "$RUN_DIR"; fi
[ "$(stat -f -c %T "$RUN_DIR")" = tmpfs ] && log "warning: $RUN_DIR is on tmpfs: fsync costs nothing there"
export FLEET_TESTENV_DIR="$RUN_DIR/testenv" FLEET_TESTENV_MYSQL_PORT=$MYSQL_PORT FLEET_TESTENV_REDIS_PORT=$REDIS_PORT
FLEETD_PID=; SAMPLER_PID=; WATCHDOG_PID=; SERVERS_STARTED=
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  [ -n "$WATCHDOG_PID" ] && kill "$WATCHDOG_PID" 2>/dev/null
  [ -n "$SAMPLER_PID" ] && kill "$SAMPLER_PID" 2>/dev/null
  [ -n "$FLEETD_PID" ] && kill -KILL "$FLEETD_PID" 2>/dev/null
  [ -n "$SERVERS_STARTED" ] && { "$ROOT/scripts/testenv.sh" stop >/dev/null 2>&1 || true; }
  if [ -n "$KEEP" ]; then log "run directory kept: $RUN_DIR"; else rm -rf "$RUN_DIR"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log "building fleetd, fleetctl and fleetsim into bin/"
mkdir -p bin
go build -o bin/ ./cmd/fleetd ./cmd/fleetctl ./cmd/fleetsim
watchdog $(( dur_s + 900 )) soak

if [ -n "$USE_SQLITE" ]; then
  export FLEET_DB="sqlite:$RUN_DIR/fleet.db"
  DURABILITY="sqlite: WAL, synchronous=FULL"
  count_positions() { python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT COUNT(*) FROM positions").fetchone()[0])' "$RUN_DIR/fleet.db"; }
else
  SERVERS_STARTED=1
  start_durable_mariadb fleet_soak
  count_positions() { sqlq "SELECT COUNT(*) FROM fleet_soak.positions"; }
fi
bin/fleetctl migrate >&2
log "importing $N vehicles bound to fleetsim's phones"
sim_ids=()
for a in "${SIM_EXTRA[@]}"; do case "$a" in -phone-prefix*|-first*) sim_ids+=("$a") ;; esac; done
import_sim_vehicles "$N" "${sim_ids[@]}"

PASSWORD="soak-$RANDOM$RANDOM$RANDOM"
export FLEETSIM_WS_PASSWORD=$PASSWORD
BASE="http://127.0.0.1:$HTTP_PORT"
! curl -fsS --max-time 2 "$BASE/readyz" >/dev/null 2>&1 || die "something already answers on $BASE: a fleetd left over? (--http-port)"
log "starting fleetd (HTTP $BASE, JT/T 808 127.0.0.1:$JT808_PORT)"
FLEET_HTTP_ADDR=127.0.0.1:$HTTP_PORT FLEET_JT808_ADDR=127.0.0.1:$JT808_PORT FLEET_DATA_DIR="$RUN_DIR/data" \
  FLEET_ADMIN_PASSWORD=$PASSWORD FLEET_LOG_LEVEL=warn FLEET_DEMO=false \
  bin/fleetd >"$RUN_DIR/fleetd.out" 2>"$RUN_DIR/fleetd.log" &
FLEETD_PID=$!
for _ in $(seq 120); do
  curl -fsS "$BASE/readyz" >/dev/null 2>&1 && break
  kill -0 "$FLEETD_PID" 2>/dev/null || { tail -n 30 "$RUN_DIR/fleetd.log" >&2; die "fleetd exited during start-up"; }
  sleep 0.5
done
curl -fsS "$BASE/readyz" >/dev/null || die "fleetd not ready after 60s"

# Samples every 10 s: time rss_kb cpu_ticks goroutines heap_inuse_bytes fds
sample() {
  while kill -0 "$FLEETD_PID" 2>/dev/null; do
    # A sample fleetd is too busy to answer within 20 s is left out (and said so), never fatal.
    m=$(curl -fsS --max-time 20 "$BASE/metrics" 2>/dev/null | awk '/^go_goroutines / { g = $2 } /^go_memstats_heap_inuse_bytes / { h = $2 } END { if (g > 0) printf "%d %.0f", g, h }') || m=
    if [ -n "$m" ]; then
      echo "$(date +%s) $(awk '/^VmRSS:/ { print $2 }' "/proc/$FLEETD_PID/status") $(awk '{ print $14 + $15 }' "/proc/$FLEETD_PID/stat") $m $(ls "/proc/$FLEETD_PID/fd" | wc -l)" >> "$RUN_DIR/samples" || true
    else
      echo "$(date +%s) /metrics did not answer" >> "$RUN_DIR/samples.missed"
    fi
    sleep 10
  done
}
: > "$RUN_DIR/samples"
sample & SAMPLER_PID=$!

SIM_FLAGS=(-server "127.0.0.1:$JT808_PORT" -n "$N" -interval "$INTERVAL" -ramp 30s -duration "$DURATION" -drain 30s
  -ws "$BASE" -ws-clients "$CLIENTS" -ws-warmup "${settle_s}s" -api "$BASE" -api-rate "$API_RATE" -progress 60s -json)
log "fleetsim ${SIM_FLAGS[*]} ${SIM_EXTRA[*]}"
sim_rc=0
timeout --signal=INT --kill-after=60 $(( dur_s + 300 )) bin/fleetsim "${SIM_FLAGS[@]}" "${SIM_EXTRA[@]}" \
  >"$RUN_DIR/fleetsim.out" 2> >(tee "$RUN_DIR/fleetsim.log" >&2) || sim_rc=$?
kill "$SAMPLER_PID" 2>/dev/null || true; SAMPLER_PID=
kill -0 "$FLEETD_PID" 2>/dev/null || { tail -n 30 "$RUN_DIR/fleetd.log" >&2; die "fleetd died during the run"; }
[ "$sim_rc" -eq 0 ] || die "fleetsim failed (exit $sim_rc); its log: $RUN_DIR/fleetsim.log"
panics=$(grep -c 'panic' "$RUN_DIR/fleetd.log" || true)
kill -KILL "$FLEETD_PID"; wait "$FLEETD_PID" 2>/dev/null || true; FLEETD_PID=
stored=$(count_positions)
grep -v '^{' "$RUN_DIR/fleetsim.out" >&2
summary=$(grep '^{' "$RUN_DIR/fleetsim.out" | tail -n 1)
[ -n "$summary" ] || die "no JSON summary from fleetsim"
echo "$summary" > "$RUN_DIR/summary.json"

python3 - "$RUN_DIR" "$settle_s" "$(getconf CLK_TCK)" "$stored" "$panics" "$DURABILITY" "$N" "$INTERVAL" "$CLIENTS" "$API_RATE" <<'PY'
import json, sys
run_dir, settle, hz, stored, panics, db, n, interval, clients, rate = sys.argv[1:]
settle, hz, stored, panics = int(settle), int(hz), int(stored), int(panics)
s = json.load(open(run_dir + "/summary.json"))
rows = [list(map(float, l.split())) for l in open(run_dir + "/samples") if len(l.split()) == 6]
t0 = rows[0][0]
win = [r for r in rows if r[0] - t0 >= settle]
ok = True

def slope(col):  # least squares, units per second
    xs = [r[0] for r in win]; ys = [r[col] for r in win]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs), my

span = win[-1][0] - win[0][0]
hs, hmean = slope(4); rs, rmean = slope(1)
heap_rise, rss_rise = hs * span / 2**20, rs * span / 1024
mem_ok = heap_rise < max(0.10 * hmean / 2**20, 8) and rss_rise < 64
g_first, g_last = win[0][3], win[-1][3]
g_ok = g_last <= g_first * 1.05 + 20
ok = ok and mem_ok and g_ok
cpu = (rows[-1][2] - rows[0][2]) / hz / (rows[-1][0] - rows[0][0]) * 100
ws, api = s.get("ws", {}), s.get("api", {})
lost = s["acked"] - stored
ok = ok and lost <= 0 and panics == 0 and api.get("errors", 0) == 0 and not ws.get("dropped")
thirds = []
mins = api.get("minutes", [])
for i in range(3):
    part = mins[i * len(mins) // 3:(i + 1) * len(mins) // 3]
    if part:
        thirds.append(max(m["p99_ms"] for m in part))
print("soak: db=%s terminals=%s interval=%s consoles=%s api_rate=%s/s run=%.0f min (trends after %d s)" % (db, n, interval, clients, rate, (rows[-1][0] - t0) / 60, settle))
print("soak: ingest acked=%d (%.0f/s) stored=%d %s resent=%d errors=%d ack_p50_ms=%.1f ack_p99_ms=%.1f" % (
    s["acked"], s.get("acked_per_s", 0), stored, "ok" if lost <= 0 else "LOST %d ACKNOWLEDGED POINTS" % lost,
    s.get("resent", 0), s.get("errors", 0), s.get("ack_p50_ms", 0), s.get("ack_p99_ms", 0)))
print("soak: consoles subscribed=%s/%s delivered_per_s=%.0f latency_p50_ms=%.1f p99_ms=%.1f behind=%s dropped=%s" % (
    ws.get("subscribed"), ws.get("clients"), ws.get("delivered_per_s", 0), ws.get("p50_ms", 0), ws.get("p99_ms", 0), ws.get("behind"), ws.get("dropped")))
print("soak: api requests=%d (%.1f/s) errors=%d late=%d p50_ms=%.1f p99_ms=%.1f p999_ms=%.1f max_ms=%.1f worst_minute_p99_ms=%.1f p99_by_third_ms=%s" % (
    api.get("requests", 0), api.get("per_s", 0), api.get("errors", 0), api.get("late", 0), api.get("p50_ms", 0), api.get("p99_ms", 0),
    api.get("p999_ms", 0), api.get("max_ms", 0), api.get("worst_minute_p99_ms", 0), "/".join("%.0f" % x for x in thirds)))
for p in api.get("paths", []):
    print("soak:   %-45s p50 %7.1f ms p99 %7.1f ms max %8.1f ms errors %d" % (p["path"], p["p50_ms"], p["p99_ms"], p["max_ms"], p["errors"]))
print("soak: memory heap_inuse %.0f→%.0f MB (mean %.0f, trend %+.1f MB over %.0f min: %s) rss %.0f→%.0f MB (max %.0f, trend %+.1f MB)" % (
    win[0][4] / 2**20, win[-1][4] / 2**20, hmean / 2**20, heap_rise, span / 60, "no growth" if mem_ok else "GROWING",
    win[0][1] / 1024, win[-1][1] / 1024, max(r[1] for r in rows) / 1024, rss_rise))
print("soak: goroutines %d→%d (min %d max %d: %s) fds %d→%d fleetd_cpu=%.0f%% of one core, panics=%d" % (
    g_first, g_last, min(r[3] for r in win), max(r[3] for r in win), "no leak" if g_ok else "LEAK?",
    win[0][5], win[-1][5], cpu, panics))
print("soak: %s; %s" % ("ok" if ok else "FAILED", open("/proc/loadavg").read().strip()))
sys.exit(0 if ok else 1)
PY
