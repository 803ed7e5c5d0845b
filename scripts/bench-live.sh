#!/usr/bin/env bash
# bench-live.sh: live fan-out benchmark. Builds fleetd, fleetctl and fleetsim, starts fleetd on a
# fresh database, binds N vehicles to the simulator's terminal phones and runs fleetsim with its
# websocket clients (-ws): the terminals report to instance A while the clients, subscribed to
# every position, time each delivery from the moment its terminal wrote the report (same
# process, so the clock is exact although fix times are whole seconds). fleetd's CPU and RSS
# are sampled from /proc over the measured window.
#
#   scripts/bench-live.sh                   one instance on SQLite (synchronous=FULL), in-process bus
#   scripts/bench-live.sh --mysql           one instance on a durable MariaDB of its own
#   scripts/bench-live.sh --two             two instances on one durable MariaDB and one Redis:
#                                           terminals on A, clients split between A and B
#   scripts/bench-live.sh --two --ws-on b   every client on B: all delivery crosses Redis
#   scripts/bench-live.sh --idle            memory per idle client: fleetd's RSS with no client,
#                                           then with 200 and 1000 connected and subscribed
#                                           clients and no terminal reporting
#   scripts/bench-live.sh ... -- -alarm-ratio 0.01   extra fleetsim flags after --
#
# Options: -n N (10000), --interval D (5s), --clients N (200), --ramp D (20s), --warmup D
# (from the start to the measured window; default ramp + 20s), --duration D (the measured
# window, 60s), --drain D (10s), --mysql, --two, --ws-on a|b|split (split), --idle,
# --idle-clients "N M" ("200 1000"), --keep, --dir DIR, --jt808-port P (26808),
# --http-port P (28080; instance B the next one), --mysql-port P (23307), --redis-port P (26380).
# The ports differ from bench-ingest.sh's and the shared test servers', so nothing is touched.
#
# Durability as in bench-ingest.sh: SQLite in WAL mode with synchronous=FULL; MariaDB restarted
# with innodb_flush_log_at_trx_commit=1 and the doublewrite buffer on. A point reaches the
# clients only after its commit, so commit time is part of the latency measured.
#
# Bounded: builds first, then a watchdog ends the whole run after warm-up + duration + drain
# + 5 min. Progress on stderr; one result line per mode on stdout, starting "bench-live:".
set -euo pipefail

N=10000
INTERVAL=5s
CLIENTS=200
RAMP=20s
WARMUP=
DURATION=60s
DRAIN=10s
USE_MYSQL=
TWO=
WS_ON=split
IDLE=
IDLE_CLIENTS="200 1000"
KEEP=
RUN_DIR=
JT808_PORT=26808
HTTP_PORT=28080
MYSQL_PORT=23307
REDIS_PORT=26380
SIM_EXTRA=()

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    -n) N=$2; shift 2 ;;
    --interval) INTERVAL=$2; shift 2 ;;
    --clients) CLIENTS=$2; shift 2 ;;
    --ramp) RAMP=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --drain) DRAIN=$2; shift 2 ;;
    --mysql) USE_MYSQL=1; shift ;;
    --two) TWO=1; USE_MYSQL=1; shift ;;
    --ws-on) WS_ON=$2; shift 2 ;;
    --idle) IDLE=1; shift ;;
    --idle-clients) IDLE_CLIENTS=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --dir) RUN_DIR=$2; shift 2 ;;
    --jt808-port) JT808_PORT=$2; shift 2 ;;
    --http-port) HTTP_PORT=$2; shift 2 ;;
    --mysql-port) MYSQL_PORT=$2; shift 2 ;;
    --redis-port) REDIS_PORT=$2; shift 2 ;;
    --) shift; SIM_EXTRA=("$@"); break ;;
    -h|--help) usage ;;
    *) echo "bench-live: unknown option $1" >&2; usage ;;
  esac
done

log() { printf 'bench-live: %s\n' "$*" >&2; }
die() { printf 'bench-live: error: %s\n' "$*" >&2; exit 1; }

ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib/bench.sh
. "$ROOT/scripts/lib/bench.sh"
[ -n "$WARMUP" ] || WARMUP="$(( $(secs "$RAMP") + 20 ))s"
[[ "$N" =~ ^[0-9]+$ ]] && [ "$N" -ge 1 ] || die "-n must be a positive number"
[[ "$CLIENTS" =~ ^[0-9]+$ ]] && [ "$CLIENTS" -ge 1 ] || die "--clients must be a positive number"
for d in "$INTERVAL" "$RAMP" "$WARMUP" "$DURATION" "$DRAIN"; do [[ "$(secs "$d")" =~ ^[0-9]+$ ]] || die "bad duration $d"; done
[ "$(secs "$DURATION")" -ge 5 ] || die "--duration must be at least 5s"
[ "$(secs "$WARMUP")" -ge "$(secs "$RAMP")" ] || die "--warmup must be at least the ramp: measure once every terminal is connected"
case "$WS_ON" in a|b|split) ;; *) die "--ws-on must be a, b or split" ;; esac
[ -z "$TWO" ] && [ "$WS_ON" != split ] && die "--ws-on needs --two"
[ -n "$IDLE" ] && [ -n "$TWO" ] && die "--idle measures one instance; leave out --two"

cd "$ROOT"
command -v python3 >/dev/null 2>&1 || die "python3 is needed to read fleetsim's JSON summary"
TESTENV="$ROOT/scripts/testenv.sh"
if [ -z "$(command -v go)" ]; then export PATH=/usr/local/go/bin:$PATH; fi
export CGO_ENABLED=1

# --- limits: terminals and websocket clients each hold a descriptor in fleetd and in fleetsim.
max_clients=$CLIENTS
if [ -n "$IDLE" ]; then for c in $IDLE_CLIENTS; do [ "$c" -gt "$max_clients" ] && max_clients=$c; done; fi
check_limits $(( N + max_clients ))

# --- run directory
if [ -z "$RUN_DIR" ]; then
  RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/fleet-bench-live.XXXXXX")
else
  mkdir -p "$RUN_DIR"
fi
if [ "$(stat -f -c %T "$RUN_DIR")" = tmpfs ]; then
  log "warning: $RUN_DIR is on tmpfs: fsync costs nothing there, so commits are not durable ones"
fi
BIN="$ROOT/bin"
PID_A=; PID_B=
SAMPLER_PIDS=()
WATCHDOG_PID=
SERVERS_STARTED=

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
  for p in "${SAMPLER_PIDS[@]}"; do kill "$p" 2>/dev/null; done
  for p in $PID_A $PID_B; do kill -0 "$p" 2>/dev/null && kill -KILL "$p" 2>/dev/null; done
  if [ -n "$SERVERS_STARTED" ]; then "$TESTENV" stop >/dev/null 2>&1 || true; fi
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

if [ -n "$IDLE" ]; then
  limit=$(( $(wc -w <<< "$IDLE_CLIENTS") * 40 + 300 ))
else
  limit=$(( $(secs "$WARMUP") + $(secs "$DURATION") + $(secs "$DRAIN") + 300 ))
fi
watchdog "$limit" bench-live

# --- database (and Redis for two instances)
if [ -n "$USE_MYSQL" ]; then
  log "starting MariaDB and Redis in $FLEET_TESTENV_DIR (via scripts/testenv.sh), ports $MYSQL_PORT and $REDIS_PORT"
  SERVERS_STARTED=1
  start_durable_mariadb fleet_bench
  DB="mariadb $(sqlq "SELECT VERSION()" | cut -d- -f1) ($(sqlq "SELECT CONCAT('innodb_flush_log_at_trx_commit=', @@innodb_flush_log_at_trx_commit, ' doublewrite=', @@innodb_doublewrite)"))"
else
  export FLEET_DB="sqlite:$RUN_DIR/fleet.db"
  DB="sqlite (WAL, synchronous=FULL)"
fi
REDIS_URL=
[ -n "$TWO" ] && REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"

"$BIN/fleetctl" migrate >&2
if [ -z "$IDLE" ]; then
  log "importing $N vehicles bound to fleetsim's phones"
  sim_ids=()
  for a in "${SIM_EXTRA[@]}"; do case "$a" in -phone-prefix*|-first*) sim_ids+=("$a") ;; esac; done
  import_sim_vehicles "$N" "${sim_ids[@]}"
fi

# --- fleetd instances
PASSWORD="bench-$RANDOM$RANDOM$RANDOM"
export FLEETSIM_WS_PASSWORD=$PASSWORD
# start_fleetd NAME HTTP_PORT JT808_ADDR: starts an instance and waits until it is ready; its pid
# is left in STARTED_PID.
start_fleetd() {
  log "starting fleetd $1 (HTTP on 127.0.0.1:$2, JT/T 808 on $3)"
  FLEET_HTTP_ADDR=127.0.0.1:$2 FLEET_JT808_ADDR=$3 FLEET_DATA_DIR="$RUN_DIR/data-$1" FLEET_REDIS=$REDIS_URL \
    FLEET_ADMIN_PASSWORD=$PASSWORD FLEET_LOG_LEVEL=warn FLEET_DEMO=false \
    "$BIN/fleetd" >"$RUN_DIR/fleetd-$1.out" 2>"$RUN_DIR/fleetd-$1.log" &
  STARTED_PID=$!
  for _ in $(seq 120); do
    curl -fsS "http://127.0.0.1:$2/readyz" >/dev/null 2>&1 && return 0
    kill -0 "$STARTED_PID" 2>/dev/null || { tail -n 30 "$RUN_DIR/fleetd-$1.log" >&2; die "fleetd $1 exited during start-up"; }
    sleep 0.5
  done
  die "fleetd $1 not ready after 60s"
}
start_fleetd a "$HTTP_PORT" "127.0.0.1:$JT808_PORT"; PID_A=$STARTED_PID
BASE_A="http://127.0.0.1:$HTTP_PORT"
BASE_B=
if [ -n "$TWO" ]; then
  start_fleetd b "$(( HTTP_PORT + 1 ))" off; PID_B=$STARTED_PID
  BASE_B="http://127.0.0.1:$(( HTTP_PORT + 1 ))"
fi

# --- samplers: every second, "unix_time ticks rss_kb" of a process, or "unix_time busy total"
# jiffies of the machine.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }
sample() { # sample PID FILE
  while kill -0 "$1" 2>/dev/null; do
    echo "$(date +%s.%N) $(cpu_ticks "$1") $(rss_kb "$1")" >> "$2"
    sleep 1
  done
}
sample_machine() { # sample_machine FILE
  while :; do
    awk -v t="$(date +%s.%N)" '/^cpu / { print t, $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9; exit }' /proc/stat >> "$1"
    sleep 1
  done
}
start_sampler() { : > "$2"; sample "$1" "$2" & SAMPLER_PIDS+=($!); }

# --- idle clients: fleetd's memory with none, then with each count in turn
if [ -n "$IDLE" ]; then
  # heap_stack_kb: in-use heap + goroutine stacks from /metrics (Go's own account, free of
  # whatever the runtime has not yet returned to the OS).
  heap_stack_kb() {
    curl -fsS "$BASE_A/metrics" 2>/dev/null | awk '/^go_memstats_heap_inuse_bytes / { h = $2 } /^go_memstats_stack_inuse_bytes / { s = $2 } END { printf "%.0f", (h + s) / 1024 }'
  }
  goroutines() { curl -fsS "$BASE_A/metrics" 2>/dev/null | awk '/^go_goroutines / { print $2 }'; }
  sleep 5
  rss0=$(rss_kb "$PID_A"); hs0=$(heap_stack_kb); g0=$(goroutines)
  log "no client: fleetd RSS $(( rss0 / 1024 )) MB, heap+stacks $(( hs0 / 1024 )) MB, $g0 goroutines"
  line="bench-live: idle db=$( [ -n "$USE_MYSQL" ] && echo mariadb || echo sqlite ) fleetd_rss_mb=$(( rss0 / 1024 )) (no client)"
  for c in $IDLE_CLIENTS; do
    hold=20
    timeout --signal=INT --kill-after=30 $(( hold + 60 )) "$BIN/fleetsim" -ws "$BASE_A" -ws-clients "$c" -ws-idle \
      -duration "${hold}s" -json >"$RUN_DIR/idle-$c.out" 2> >(tee "$RUN_DIR/idle-$c.log" >&2) &
    sim_pid=$!
    sleep $(( hold - 3 ))
    rss=$(rss_kb "$PID_A"); hs=$(heap_stack_kb); g=$(goroutines)
    wait "$sim_pid" || die "fleetsim -ws-idle with $c clients failed; its log: $RUN_DIR/idle-$c.log"
    subscribed=$(grep '^{' "$RUN_DIR/idle-$c.out" | tail -n 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["ws"]["subscribed"])')
    log "$subscribed/$c idle clients: fleetd RSS $(( rss / 1024 )) MB, heap+stacks $(( hs / 1024 )) MB, $g goroutines"
    line+=$(awk -v c="$c" -v s="$subscribed" -v r="$rss" -v r0="$rss0" -v h="$hs" -v h0="$hs0" -v g="$g" -v g0="$g0" 'BEGIN {
      printf "; %d clients (%d subscribed): rss_mb=%.0f rss_kb_per_client=%.1f heap_stack_kb_per_client=%.1f goroutines_per_client=%.1f",
        c, s, r / 1024, (r - r0) / s, (h - h0) / s, (g - g0) / s }')
    sleep 2
  done
  echo "$line"
  echo "bench-live: $(nproc) cores, $(uname -r); rss is VmRSS of fleetd after the clients held 17 s; heap+stacks from its /metrics"
  exit 0
fi

# --- the run
case "$WS_ON" in
  split) WS_BASES=$BASE_A; [ -n "$TWO" ] && WS_BASES="$BASE_A,$BASE_B" ;;
  a) WS_BASES=$BASE_A ;;
  b) WS_BASES=$BASE_B ;;
esac
SIM_DURATION="$(( $(secs "$WARMUP") + $(secs "$DURATION") ))s"
SIM_FLAGS=(-server "127.0.0.1:$JT808_PORT" -n "$N" -interval "$INTERVAL" -ramp "$RAMP" -duration "$SIM_DURATION" -drain "$DRAIN"
  -ws "$WS_BASES" -ws-clients "$CLIENTS" -ws-warmup "$WARMUP" -json)
log "fleetsim ${SIM_FLAGS[*]} ${SIM_EXTRA[*]}"
start_sampler "$PID_A" "$RUN_DIR/fleetd-a.samples"
[ -n "$PID_B" ] && start_sampler "$PID_B" "$RUN_DIR/fleetd-b.samples"
: > "$RUN_DIR/machine.samples"; sample_machine "$RUN_DIR/machine.samples" & SAMPLER_PIDS+=($!)
sim_limit=$(( $(secs "$SIM_DURATION") + $(secs "$DRAIN") + 120 ))
timeout --signal=INT --kill-after=30 "$sim_limit" "$BIN/fleetsim" "${SIM_FLAGS[@]}" "${SIM_EXTRA[@]}" \
  >"$RUN_DIR/fleetsim.out" 2> >(tee "$RUN_DIR/fleetsim.log" >&2) &
SIM_PID=$!
sleep 0.2
SIM_CHILD=$(pgrep -P "$SIM_PID" -x fleetsim || true)
[ -n "$SIM_CHILD" ] && start_sampler "$SIM_CHILD" "$RUN_DIR/fleetsim.samples"
sim_rc=0
wait "$SIM_PID" || sim_rc=$?
for p in "${SAMPLER_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
SAMPLER_PIDS=()
for p in $PID_A $PID_B; do
  kill -0 "$p" 2>/dev/null || { tail -n 30 "$RUN_DIR"/fleetd-*.log >&2; die "a fleetd died during the run"; }
done
[ "$sim_rc" -eq 0 ] || die "fleetsim failed (exit $sim_rc); its log: $RUN_DIR/fleetsim.log"
grep -v '^{' "$RUN_DIR/fleetsim.out" >&2
summary=$(grep '^{' "$RUN_DIR/fleetsim.out" | tail -n 1)
[ -n "$summary" ] || die "no JSON summary from fleetsim"

mode=one; [ -n "$TWO" ] && mode="two(ws on $WS_ON)"
python3 - "$summary" "$RUN_DIR" "$(getconf CLK_TCK)" "$mode" "$DB" "$N" "$INTERVAL" <<'PY'
import json, sys, os
summary, run_dir, hz, mode, db, n, interval = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6], sys.argv[7]
s = json.loads(summary)
ws = s["ws"]
t0, t1 = ws.get("window_from", 0), ws.get("window_to", 0)

def rows(name):
    p = os.path.join(run_dir, name)
    if not os.path.exists(p):
        return []
    out = []
    for line in open(p):
        f = line.split()
        if len(f) == 3:
            out.append([float(x) for x in f])
    return out

def in_window(r):
    w = [x for x in r if t0 <= x[0] <= t1]
    return w if len(w) >= 2 else []

def proc(name):  # cpu % of one core over the window, max and window-end RSS in MB
    w = in_window(rows(name))
    if not w:
        return "n/a"
    cpu = (w[-1][1] - w[0][1]) / hz / (w[-1][0] - w[0][0]) * 100
    return "cpu %.0f%% rss max %.0f MB" % (cpu, max(x[2] for x in w) / 1024)

m = in_window(rows("machine.samples"))
busy = (m[-1][1] - m[0][1]) / (m[-1][2] - m[0][2]) * 100 if m else 0

behind = ws["behind"]
bases = "; ".join("%s: %d clients p50 %.1f ms p99 %.1f ms" % (b["url"], b["clients"], b["p50_ms"], b["p99_ms"]) for b in ws["bases"])
print(("bench-live: mode=%s db=%s terminals=%s interval=%s clients=%d/%d window_s=%.0f delivered_per_s=%.0f (%.1f a client) "
       "latency_p50_ms=%.1f latency_p99_ms=%.1f max_ms=%.1f (first delivery p50 %.1f p99 %.1f; worst client p99 %.1f; p99 by half %.1f, %.1f) "
       "bytes_per_client_per_s=%.0f (max %.0f) behind=%d dropped=%d skipped=%d unmatched=%d "
       "fleetd_a=[%s] fleetd_b=[%s] fleetsim=[%s] machine_busy=%.0f%% by_instance=[%s] ingest: acked=%d resent=%d errors=%d ack_p99_ms=%.1f") % (
    mode, db, n, interval, ws["subscribed"], ws["clients"], ws["window_s"], ws["delivered_per_s"], ws["per_client_per_s"],
    ws["p50_ms"], ws["p99_ms"], ws["max_ms"], ws["first_p50_ms"], ws["first_p99_ms"], ws["worst_client_p99_ms"],
    ws["first_half_p99_ms"], ws["second_half_p99_ms"], ws["bytes_per_client_per_s"], ws["max_bytes_per_client_per_s"],
    behind, ws["dropped"], ws["skipped"], ws["unmatched"],
    proc("fleetd-a.samples"), proc("fleetd-b.samples"), proc("fleetsim.samples"), busy, bases,
    s["acked"], s["resent"], s["errors"], s["ack_p99_ms"]))
PY
echo "bench-live: cpu% is of one core (200 = both of $(nproc)); machine_busy is of all cores over the window; $(nproc) cores, $(uname -r)"
