#!/usr/bin/env bash
# bench-ingest.sh: JT/T 808 ingest benchmark. Builds fleetd, fleetctl and fleetsim, starts fleetd
# on a fresh database, binds N vehicles to the simulator's terminal phones, runs fleetsim against
# it while sampling fleetd's CPU and memory from /proc, then kills fleetd with SIGKILL and counts
# the stored positions: every point fleetsim saw acknowledged must be there (the gateway acks only
# after the commit), so the rate reported is of durable points.
#
#   scripts/bench-ingest.sh                      SQLite (synchronous=FULL) in a temp dir, 10,000 terminals
#   scripts/bench-ingest.sh --mysql              a MariaDB of its own, durable: see below
#   scripts/bench-ingest.sh -n 2000 --duration 20s
#   scripts/bench-ingest.sh --idle               10,000 terminals connected and heartbeating only:
#                                                fleetd's memory per idle connection
#   scripts/bench-ingest.sh ... -- -alarm-ratio 0.01   extra fleetsim flags after --
#
# Options: -n N (10000), --interval D (1s), --ramp D (20s), --duration D (60s), --drain D (20s),
# --mysql, --idle, --keep (leave the run directory), --dir DIR (run directory; default a new one
# under $TMPDIR or /tmp), --jt808-port P (16808), --http-port P (18080), --mysql-port P (13307).
#
# Durability. SQLite: fleet opens it in WAL mode with synchronous=FULL, so each commit is fsynced.
# MariaDB: scripts/testenv.sh installs and initialises a server in a run directory of this script's
# own (separate FLEET_TESTENV_DIR and ports, so a running `make test` is untouched); testenv runs
# it with durability relaxed for tests, so this script restarts it on the same datadir with the
# defaults that matter: innodb_flush_log_at_trx_commit=1 (redo log fsynced at each commit) and the
# doublewrite buffer on; the binary log stays off, MariaDB's default, so sync_binlog (default 0)
# plays no part. The result line says which it was, read back from the server. A run directory on
# tmpfs makes fsync free: the script warns when it is.
#
# Bounded: builds first, then a watchdog ends the whole run after ramp + duration + drain + 5 min.
# Prints progress on stderr and one result line on stdout, starting "bench-ingest:".
set -euo pipefail

N=10000
INTERVAL=1s
RAMP=20s
DURATION=60s
DRAIN=20s
USE_MYSQL=
IDLE=
KEEP=
RUN_DIR=
JT808_PORT=16808
HTTP_PORT=18080
MYSQL_PORT=13307
REDIS_PORT=16380
SIM_EXTRA=()

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    -n) N=$2; shift 2 ;;
    --interval) INTERVAL=$2; shift 2 ;;
    --ramp) RAMP=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --drain) DRAIN=$2; shift 2 ;;
    --mysql) USE_MYSQL=1; shift ;;
    --idle) IDLE=1; shift ;;
    --keep) KEEP=1; shift ;;
    --dir) RUN_DIR=$2; shift 2 ;;
    --jt808-port) JT808_PORT=$2; shift 2 ;;
    --http-port) HTTP_PORT=$2; shift 2 ;;
    --mysql-port) MYSQL_PORT=$2; shift 2 ;;
    --) shift; SIM_EXTRA=("$@"); break ;;
    -h|--help) usage ;;
    *) echo "bench-ingest: unknown option $1" >&2; usage ;;
  esac
done

log() { printf 'bench-ingest: %s\n' "$*" >&2; }
die() { printf 'bench-ingest: error: %s\n' "$*" >&2; exit 1; }

ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib/bench.sh
. "$ROOT/scripts/lib/bench.sh"
[[ "$N" =~ ^[0-9]+$ ]] && [ "$N" -ge 1 ] || die "-n must be a positive number"
for d in "$RAMP" "$DURATION" "$DRAIN"; do [[ "$(secs "$d")" =~ ^[0-9]+$ ]] || die "bad duration $d"; done
[ "$(secs "$DURATION")" -ge 1 ] || die "--duration must be at least 1s: the run must end by itself"

cd "$ROOT"
command -v python3 >/dev/null 2>&1 || die "python3 is needed to read fleetsim's JSON summary"
TESTENV="$ROOT/scripts/testenv.sh"
if [ -z "$(command -v go)" ]; then export PATH=/usr/local/go/bin:$PATH; fi
export CGO_ENABLED=1

# --- limits: one descriptor per connection in fleetd and in fleetsim, which share this limit.
check_limits "$N"

# --- run directory
if [ -z "$RUN_DIR" ]; then
  RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/fleet-bench.XXXXXX")
else
  mkdir -p "$RUN_DIR"
fi
if [ "$(stat -f -c %T "$RUN_DIR")" = tmpfs ]; then
  log "warning: $RUN_DIR is on tmpfs: fsync costs nothing there, so the figures are not of durable commits"
fi
BIN="$ROOT/bin"
FLEETD_PID=
SAMPLER_PID=
WATCHDOG_PID=
MYSQL_STARTED=

export FLEET_TESTENV_DIR="$RUN_DIR/testenv"
export FLEET_TESTENV_MYSQL_PORT=$MYSQL_PORT
export FLEET_TESTENV_REDIS_PORT=$REDIS_PORT
MY_DIR="$FLEET_TESTENV_DIR/mariadb"
MY_SOCK="$MY_DIR/mariadb.sock"
MY_PID="$MY_DIR/mariadb.pid"

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  [ -n "$WATCHDOG_PID" ] && kill "$WATCHDOG_PID" 2>/dev/null
  [ -n "$SAMPLER_PID" ] && kill "$SAMPLER_PID" 2>/dev/null
  if [ -n "$FLEETD_PID" ] && kill -0 "$FLEETD_PID" 2>/dev/null; then kill -KILL "$FLEETD_PID" 2>/dev/null; fi
  if [ -n "$MYSQL_STARTED" ]; then "$TESTENV" stop >/dev/null 2>&1 || true; fi
  if [ -n "$KEEP" ]; then log "run directory kept: $RUN_DIR"; else rm -rf "$RUN_DIR"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- build (before the watchdog: a first build may take a while)
log "building fleetd, fleetctl and fleetsim into bin/"
mkdir -p "$BIN"
go build -o "$BIN/" ./cmd/fleetd ./cmd/fleetctl ./cmd/fleetsim

limit=$(( $(secs "$RAMP") + $(secs "$DURATION") + $(secs "$DRAIN") + 300 ))
watchdog "$limit" bench-ingest

# --- database
if [ -n "$USE_MYSQL" ]; then
  log "starting MariaDB in $FLEET_TESTENV_DIR (via scripts/testenv.sh), port $MYSQL_PORT"
  MYSQL_STARTED=1
  start_durable_mariadb fleet_bench
  count_positions() { sqlq "SELECT COUNT(*) FROM fleet_bench.positions"; }
  count_blind() { sqlq "SELECT COUNT(*) FROM fleet_bench.positions WHERE blind = 1"; }
else
  export FLEET_DB="sqlite:$RUN_DIR/fleet.db"
  DURABILITY="sqlite: WAL, synchronous=FULL"
  sqlite_count() {
    if command -v sqlite3 >/dev/null 2>&1; then sqlite3 "$RUN_DIR/fleet.db" "$1"
    else python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$RUN_DIR/fleet.db" "$1"; fi
  }
  count_positions() { sqlite_count "SELECT COUNT(*) FROM positions"; }
  count_blind() { sqlite_count "SELECT COUNT(*) FROM positions WHERE blind = 1"; }
fi

# --- vehicles bound to the simulator's phones
log "migrating and importing $N vehicles"
"$BIN/fleetctl" migrate >&2
sim_ids=()
for a in "${SIM_EXTRA[@]}"; do case "$a" in -phone-prefix*|-first*) sim_ids+=("$a") ;; esac; done
import_sim_vehicles "$N" "${sim_ids[@]}"

# --- fleetd
log "starting fleetd (JT/T 808 on 127.0.0.1:$JT808_PORT, HTTP on 127.0.0.1:$HTTP_PORT)"
FLEET_HTTP_ADDR=127.0.0.1:$HTTP_PORT FLEET_JT808_ADDR=127.0.0.1:$JT808_PORT FLEET_DATA_DIR="$RUN_DIR/data" \
  FLEET_ADMIN_PASSWORD="bench-$RANDOM$RANDOM" FLEET_LOG_LEVEL=warn FLEET_DEMO=false \
  "$BIN/fleetd" >"$RUN_DIR/fleetd.out" 2>"$RUN_DIR/fleetd.log" &
FLEETD_PID=$!
for _ in $(seq 120); do
  curl -fsS "http://127.0.0.1:$HTTP_PORT/readyz" >/dev/null 2>&1 && break
  kill -0 "$FLEETD_PID" 2>/dev/null || { tail -n 30 "$RUN_DIR/fleetd.log" >&2; die "fleetd exited during start-up"; }
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$HTTP_PORT/readyz" >/dev/null || die "fleetd not ready after 60s"
(exec 3<>"/dev/tcp/127.0.0.1/$JT808_PORT") 2>/dev/null ||
  die "fleetd does not listen on 127.0.0.1:$JT808_PORT: is the JT/T 808 gateway wired (FLEET_JT808_ADDR)?"

# --- sampler: CPU ticks and RSS of a process every second, into a file
CLK_TCK=$(getconf CLK_TCK)
# cpu_ticks PID: utime + stime (fields 14 and 15 of /proc/PID/stat; the name in field 2 has no spaces here).
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }
hwm_kb() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }
sample() { # sample PID FILE: "seconds ticks rss_kb" lines until PID ends
  while kill -0 "$1" 2>/dev/null; do
    echo "$(date +%s.%N) $(cpu_ticks "$1") $(rss_kb "$1")" >> "$2"
    sleep 1
  done
}

# --- the run
SIM_FLAGS=(-server "127.0.0.1:$JT808_PORT" -n "$N" -interval "$INTERVAL" -ramp "$RAMP" -duration "$DURATION" -drain "$DRAIN" -json)
[ -n "$IDLE" ] && SIM_FLAGS+=(-idle)
log "fleetsim ${SIM_FLAGS[*]} ${SIM_EXTRA[*]}"
sim_limit=$(( $(secs "$RAMP") + $(secs "$DURATION") + $(secs "$DRAIN") + 60 ))
t0=$(date +%s.%N)
d_ticks0=$(cpu_ticks "$FLEETD_PID")
base_rss=$(rss_kb "$FLEETD_PID")
: > "$RUN_DIR/fleetd.samples"
sample "$FLEETD_PID" "$RUN_DIR/fleetd.samples" &
SAMPLER_PID=$!
timeout --signal=INT --kill-after=30 "$sim_limit" "$BIN/fleetsim" "${SIM_FLAGS[@]}" "${SIM_EXTRA[@]}" \
  >"$RUN_DIR/fleetsim.out" 2> >(tee "$RUN_DIR/fleetsim.log" >&2) &
SIM_PID=$!
: > "$RUN_DIR/fleetsim.samples"
sleep 0.2
SIM_CHILD=$(pgrep -P "$SIM_PID" -x fleetsim || true)
[ -n "$SIM_CHILD" ] && { sample "$SIM_CHILD" "$RUN_DIR/fleetsim.samples" & }
# In idle mode, fleetd's memory once every terminal is connected: just before the end.
idle_rss=0
if [ -n "$IDLE" ]; then
  sleep "$(( $(secs "$RAMP") + $(secs "$DURATION") - 2 ))" || true
  idle_rss=$(rss_kb "$FLEETD_PID")
fi
sim_rc=0
wait "$SIM_PID" || sim_rc=$?
t1=$(date +%s.%N)
d_ticks1=$(cpu_ticks "$FLEETD_PID")
d_hwm=$(hwm_kb "$FLEETD_PID")
kill "$SAMPLER_PID" 2>/dev/null || true
SAMPLER_PID=
kill -0 "$FLEETD_PID" 2>/dev/null || { tail -n 30 "$RUN_DIR/fleetd.log" >&2; die "fleetd died during the run"; }
[ "$sim_rc" -eq 0 ] || die "fleetsim failed (exit $sim_rc); its log: $RUN_DIR/fleetsim.log"

# Stored is what survives a crash: SIGKILL, no graceful stop, then count.
kill -KILL "$FLEETD_PID"
wait "$FLEETD_PID" 2>/dev/null || true
FLEETD_PID=
rows=$(count_positions)
blind_rows=$(count_blind)

summary=$(grep '^{' "$RUN_DIR/fleetsim.out" | tail -n 1)
[ -n "$summary" ] || die "no JSON summary from fleetsim"
cat "$RUN_DIR/fleetsim.out" | grep -v '^{' >&2
field() { python3 -c 'import json,sys; v=json.loads(sys.argv[1])[sys.argv[2]]; print(round(v,1) if isinstance(v,float) else v)' "$summary" "$1"; }
acked=$(field acked)
max_rss=$(awk 'BEGIN { m = 0 } $3 > m { m = $3 } END { print m }' "$RUN_DIR/fleetd.samples")
cpu=$(awk -v a="$d_ticks0" -v b="$d_ticks1" -v t0="$t0" -v t1="$t1" -v hz="$CLK_TCK" 'BEGIN { printf "%.0f", (b - a) / hz / (t1 - t0) * 100 }')
sim_cpu=$(awk -v hz="$CLK_TCK" 'NR == 1 { s = $1; a = $2 } { e = $1; b = $2 } END { if (e > s) printf "%.0f", (b - a) / hz / (e - s) * 100; else print "?" }' "$RUN_DIR/fleetsim.samples")
sim_rss=$(awk 'BEGIN { m = 0 } $3 > m { m = $3 } END { print m }' "$RUN_DIR/fleetsim.samples")
mb() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }

verdict=ok
[ "$rows" -ge "$acked" ] || verdict="LOST $(( acked - rows )) ACKNOWLEDGED POINTS"
if [ -n "$IDLE" ]; then
  printf 'bench-ingest: idle db=%s terminals=%s connected=%s authenticated=%s fleetd_rss_mb=%s (%s before the terminals: %.1f KiB per connection) fleetd_max_rss_mb=%s fleetd_avg_cpu_pct=%s fleetsim_max_rss_mb=%s heartbeats=%s errors=%s\n' \
    "$( [ -n "$USE_MYSQL" ] && echo mysql || echo sqlite )" "$N" "$(field connected)" "$(field authenticated)" "$(mb "$idle_rss")" "$(mb "$base_rss")" \
    "$(awk -v r="$idle_rss" -v b="$base_rss" -v n="$(field connected)" 'BEGIN { if (n > 0) print (r - b) / n; else print 0 }')" \
    "$(mb "$d_hwm")" "$cpu" "$(mb "$sim_rss")" "$(field heartbeats)" "$(field errors)"
else
  # Steady state (fleetsim's summary): from one interval after every terminal logged in and
  # fleetd caught up with the ramp's backlog, to the end of reporting. n/a when fleetd never
  # caught up: then the whole run's figures and the best 5 s window tell its capacity.
  steady() { if [ "$(field steady_s)" = 0 ]; then echo n/a; else field "$1"; fi; }
  printf 'bench-ingest: db=%s terminals=%s connected_max=%s interval=%s durable_acked_per_s=%s ack_p50_ms=%s ack_p99_ms=%s (steady state %ss; whole run: %s/s, p50 %s, p99 %s; best 5 s window %s/s) acked=%s stored_rows=%s blind_rows=%s (%s) resent=%s errors=%s fleetd_max_rss_mb=%s fleetd_avg_cpu_pct=%s fleetsim_avg_cpu_pct=%s fleetsim_max_rss_mb=%s\n' \
    "$( [ -n "$USE_MYSQL" ] && echo mysql || echo sqlite )" "$N" "$(field max_connected)" "$INTERVAL" \
    "$(steady steady_acked_per_s)" "$(steady steady_ack_p50_ms)" "$(steady steady_ack_p99_ms)" "$(steady steady_s)" \
    "$(field acked_per_s)" "$(field ack_p50_ms)" "$(field ack_p99_ms)" "$(field peak_acked_per_s)" \
    "$acked" "$rows" "$blind_rows" "$verdict" "$(field resent)" "$(field errors)" \
    "$(mb "$max_rss")" "$cpu" "$sim_cpu" "$(mb "$sim_rss")"
fi
echo "bench-ingest: durability: $DURABILITY; cpu% is of one core (200 = both of 2); $(nproc) cores, $(uname -r)"
[ "$verdict" = ok ] || exit 1
