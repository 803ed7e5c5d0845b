#!/usr/bin/env bash
# testenv.sh: throwaway MariaDB and Redis servers for the tests.
#
#   scripts/testenv.sh start        start both (idempotent: already running is fine)
#   scripts/testenv.sh stop         stop both and remove the run directory
#   scripts/testenv.sh env          print the export lines the tests read
#   scripts/testenv.sh status       say what is running
#   scripts/testenv.sh deps         install what the tests need (as root, with apt-get)
#   scripts/testenv.sh run CMD...   start, run CMD with the env, always stop; exit with CMD's status
#
# The servers live entirely in the run directory (datadir, socket, pid files, logs) and listen on
# 127.0.0.1 only; a system MariaDB/Redis install, its config files and its data are never touched.
#
# Knobs (environment):
#   FLEET_TESTENV_DIR         run directory (default: $TMPDIR or /tmp, then fleet-testenv)
#   FLEET_TESTENV_MYSQL_PORT  MariaDB TCP port (default 3307)
#   FLEET_TESTENV_REDIS_PORT  Redis TCP port (default 6380)
#   FLEET_TESTENV_TIMEOUT     seconds to wait for a server to answer (default 60)
set -euo pipefail

RUN_DIR=${FLEET_TESTENV_DIR:-${TMPDIR:-/tmp}/fleet-testenv}
MYSQL_PORT=${FLEET_TESTENV_MYSQL_PORT:-3307}
REDIS_PORT=${FLEET_TESTENV_REDIS_PORT:-6380}
TIMEOUT=${FLEET_TESTENV_TIMEOUT:-60}

MARKER="$RUN_DIR/.fleet-testenv"
MY_DIR="$RUN_DIR/mariadb"
MY_DATA="$MY_DIR/data"
MY_SOCK="$MY_DIR/mariadb.sock"
MY_PID="$MY_DIR/mariadb.pid"
MY_LOG="$MY_DIR/error.log"
RD_DIR="$RUN_DIR/redis"
RD_PID="$RD_DIR/redis.pid"
RD_LOG="$RD_DIR/redis.log"

log() { printf 'testenv: %s\n' "$*" >&2; }
die() { printf 'testenv: error: %s\n' "$*" >&2; exit 1; }

# find_bin NAME... prints the first of NAMEs found on PATH or in the sbin directories (mariadbd lives
# in /usr/sbin, which is not on a normal user's PATH).
find_bin() {
  local name dir
  for name in "$@"; do
    if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return 0; fi
    for dir in /usr/sbin /usr/local/sbin /sbin /usr/libexec; do
      if [ -x "$dir/$name" ]; then echo "$dir/$name"; return 0; fi
    done
  done
  return 1
}

is_root() { [ "$(id -u)" -eq 0 ]; }

APT_UPDATED=
# apt_install PKG... installs Debian packages non-interactively (root only), running
# apt-get update once per invocation of this script.
apt_install() {
  is_root || die "missing Debian package(s) $*: run as root so this script can apt-get install them, or install them yourself"
  command -v apt-get >/dev/null 2>&1 || die "missing $* and apt-get is not available: install them by hand"
  local lock=(-o DPkg::Lock::Timeout=600)   # wait for unattended-upgrades on a fresh machine
  if [ -z "$APT_UPDATED" ]; then
    log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get "${lock[@]}" update -q </dev/null >&2
    APT_UPDATED=1
  fi
  log "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get "${lock[@]}" install -y -q "$@" </dev/null >&2
}

# ensure_servers installs mariadb-server and redis-server when their binaries are missing.
ensure_servers() {
  local pkgs=()
  { find_bin mariadbd mysqld && find_bin mariadb-install-db mysql_install_db &&
    find_bin mariadb mysql && find_bin mariadb-admin mysqladmin; } >/dev/null || pkgs+=(mariadb-server)
  { find_bin redis-server && find_bin redis-cli; } >/dev/null || pkgs+=(redis-server)
  [ ${#pkgs[@]} -eq 0 ] || apt_install "${pkgs[@]}"
}

# ensure_chromium installs Debian's chromium when the browser tests' binary is missing.
ensure_chromium() {
  local bin=${FLEET_CHROMIUM:-/usr/bin/chromium}
  [ -x "$bin" ] && return 0
  if [ "$bin" = /usr/bin/chromium ] && is_root; then
    apt_install chromium
  else
    log "warning: no Chromium at $bin (set FLEET_CHROMIUM, or run as root to apt-get install chromium); browser tests will fail"
  fi
}

# alive PIDFILE NAME: the process in PIDFILE runs and is NAME (guards against a reused pid).
alive() {
  local pid
  [ -s "$1" ] || return 1
  pid=$(cat "$1" 2>/dev/null) || return 1
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  local argv0=
  IFS= read -r -d '' argv0 <"/proc/$pid/cmdline" 2>/dev/null || [ -n "$argv0" ] || return 1
  argv0=${argv0%% *}   # redis-server rewrites its title to "redis-server 127.0.0.1:PORT"
  [ "${argv0##*/}" = "$2" ]
}

# port_busy PORT: something accepts TCP connections on 127.0.0.1:PORT.
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

show_log() {
  [ -f "$1" ] || return 0
  printf -- '---- last lines of %s ----\n' "$1" >&2
  tail -n 40 "$1" >&2
  printf -- '----\n' >&2
}

mysql_admin() { "$(find_bin mariadb-admin mysqladmin)" --no-defaults --socket="$MY_SOCK" -uroot --connect-timeout=2 "$@"; }
mysql_root() { "$(find_bin mariadb mysql)" --no-defaults --socket="$MY_SOCK" -uroot "$@"; }

start_mariadb() {
  if alive "$MY_PID" mariadbd || alive "$MY_PID" mysqld; then
    log "MariaDB already running on 127.0.0.1:$MYSQL_PORT"
  else
    if port_busy "$MYSQL_PORT"; then
      die "port $MYSQL_PORT is taken by another process; set FLEET_TESTENV_MYSQL_PORT to a free port"
    fi
    [ ${#MY_SOCK} -lt 100 ] || die "socket path $MY_SOCK is too long for a unix socket; set FLEET_TESTENV_DIR to a shorter directory"
    local daemon user=()
    daemon=$(find_bin mariadbd mysqld)
    # mariadbd refuses to run as root unless told to; as anyone else it runs as that user.
    is_root && user=(--user=root)

    if [ ! -f "$MY_DIR/.initialized" ]; then
      rm -rf "$MY_DIR"
      mkdir -p "$MY_DATA" "$MY_DIR/tmp"
      log "initialising MariaDB datadir in $MY_DATA"
      if ! "$(find_bin mariadb-install-db mysql_install_db)" --no-defaults "${user[@]}" \
          --datadir="$MY_DATA" --auth-root-authentication-method=normal \
          --skip-test-db --skip-name-resolve >"$MY_DIR/install.log" 2>&1 </dev/null; then
        show_log "$MY_DIR/install.log"
        die "mariadb-install-db failed"
      fi
      touch "$MY_DIR/.initialized"
    fi

    log "starting MariaDB on 127.0.0.1:$MYSQL_PORT"
    # --no-defaults: read no my.cnf, so nothing of a system install leaks in. The durability knobs
    # are off because the data is thrown away; the tests create and drop many databases.
    setsid "$daemon" --no-defaults "${user[@]}" \
      --datadir="$MY_DATA" --tmpdir="$MY_DIR/tmp" \
      --socket="$MY_SOCK" --pid-file="$MY_PID" --log-error="$MY_LOG" \
      --bind-address=127.0.0.1 --port="$MYSQL_PORT" --skip-name-resolve \
      --character-set-server=utf8mb4 \
      --max-connections=1000 --performance-schema=OFF --skip-log-bin \
      --innodb-buffer-pool-size=256M --innodb-flush-log-at-trx-commit=0 \
      --innodb-doublewrite=0 --innodb-fast-shutdown=2 \
      </dev/null >>"$MY_LOG" 2>&1 9>&- &
    local pid=$! waited=0
    until mysql_admin ping >/dev/null 2>&1; do
      if ! kill -0 "$pid" 2>/dev/null; then
        show_log "$MY_LOG"
        die "MariaDB exited during start-up (log: $MY_LOG)"
      fi
      if [ "$waited" -ge "$TIMEOUT" ]; then
        show_log "$MY_LOG"
        die "MariaDB did not answer within ${TIMEOUT}s (log: $MY_LOG)"
      fi
      sleep 1; waited=$((waited + 1))
    done
  fi

  # The tests connect over TCP as fleet/fleet and create and drop a database per test.
  mysql_root -e "
    CREATE USER IF NOT EXISTS 'fleet'@'%' IDENTIFIED BY 'fleet';
    CREATE USER IF NOT EXISTS 'fleet'@'localhost' IDENTIFIED BY 'fleet';
    GRANT ALL PRIVILEGES ON *.* TO 'fleet'@'%' WITH GRANT OPTION;
    GRANT ALL PRIVILEGES ON *.* TO 'fleet'@'localhost' WITH GRANT OPTION;" </dev/null ||
    { show_log "$MY_LOG"; die "could not create the MariaDB user fleet"; }
  "$(find_bin mariadb mysql)" --no-defaults -h127.0.0.1 -P"$MYSQL_PORT" -ufleet -pfleet \
    -e 'SELECT 1' >/dev/null </dev/null ||
    die "MariaDB runs but fleet cannot log in over 127.0.0.1:$MYSQL_PORT"
}

start_redis() {
  if alive "$RD_PID" redis-server; then
    log "Redis already running on 127.0.0.1:$REDIS_PORT"
    return 0
  fi
  if port_busy "$REDIS_PORT"; then
    die "port $REDIS_PORT is taken by another process; set FLEET_TESTENV_REDIS_PORT to a free port"
  fi
  mkdir -p "$RD_DIR"
  log "starting Redis on 127.0.0.1:$REDIS_PORT"
  # Options on the command line only (no config file): no persistence, its own files.
  if ! redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no \
      --daemonize yes --pidfile "$RD_PID" --logfile "$RD_LOG" --dir "$RD_DIR" </dev/null 9>&-; then
    show_log "$RD_LOG"
    die "redis-server failed to start"
  fi
  local waited=0
  until [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]; do
    if [ "$waited" -ge "$TIMEOUT" ]; then
      show_log "$RD_LOG"
      die "Redis did not answer within ${TIMEOUT}s (log: $RD_LOG)"
    fi
    sleep 1; waited=$((waited + 1))
  done
}

# stop_pid PIDFILE NAME: SIGTERM the process, wait for it to go, SIGKILL after the timeout.
stop_pid() {
  alive "$1" "$2" || return 0
  local pid waited=0
  pid=$(cat "$1")
  log "stopping $2 (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$waited" -ge $((TIMEOUT * 2)) ]; then   # half-second steps
      log "$2 did not stop; killing it"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.5; waited=$((waited + 1))
  done
}

cmd_start() {
  ensure_servers
  if [ -e "$RUN_DIR" ] && [ ! -e "$MARKER" ] && [ -n "$(ls -A "$RUN_DIR" 2>/dev/null)" ]; then
    die "$RUN_DIR exists and is not a testenv run directory; set FLEET_TESTENV_DIR elsewhere"
  fi
  mkdir -p "$RUN_DIR"
  touch "$MARKER"
  start_mariadb
  start_redis
  log "ready (run directory $RUN_DIR)"
}

cmd_stop() {
  stop_pid "$RD_PID" redis-server &
  stop_pid "$MY_PID" mariadbd
  stop_pid "$MY_PID" mysqld
  wait
  # Remove only a directory this script made.
  if [ -e "$MARKER" ]; then
    rm -rf "$RUN_DIR"
  elif [ -d "$RUN_DIR" ]; then
    rmdir "$RUN_DIR" 2>/dev/null || log "left $RUN_DIR alone: not a testenv run directory"
  fi
}

cmd_env() {
  printf 'export FLEET_TEST_MYSQL_DSN=%s\n' "mysql://fleet:fleet@127.0.0.1:$MYSQL_PORT/fleet_test"
  printf 'export FLEET_TEST_REDIS=%s\n' "redis://127.0.0.1:$REDIS_PORT/0"
}

cmd_status() {
  local rc=0
  if alive "$MY_PID" mariadbd || alive "$MY_PID" mysqld; then
    echo "mariadb: running (pid $(cat "$MY_PID"), 127.0.0.1:$MYSQL_PORT)"
  else echo "mariadb: stopped"; rc=1; fi
  if alive "$RD_PID" redis-server; then
    echo "redis: running (pid $(cat "$RD_PID"), 127.0.0.1:$REDIS_PORT)"
  else echo "redis: stopped"; rc=1; fi
  return $rc
}

cmd_run() {
  [ $# -gt 0 ] || die "usage: $0 run COMMAND [ARG...]"
  # One run at a time per run directory: a second `make test` on this machine would otherwise
  # reuse the first one's servers and stop them under it. (The servers get fd 9 closed.)
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$RUN_DIR.lock"
    if ! flock -n 9; then
      log "another run uses $RUN_DIR; waiting for it to finish"
      flock 9
    fi
  fi
  trap 'cmd_stop' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  cmd_start
  eval "$(cmd_env)"
  local rc=0
  "$@" || rc=$?
  exit "$rc"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  env) cmd_env ;;
  status) cmd_status ;;
  deps) ensure_servers; ensure_chromium ;;
  run) shift; cmd_run "$@" ;;
  *) echo "usage: $0 start|stop|env|status|deps|run COMMAND..." >&2; exit 2 ;;
esac
