#!/bin/sh
# fscpush @SERVICE@ @VERSION@ — ./@SERVICE@ start|stop|restart|status|run|check
#
#   start    start in the background and wait until GET /health on the management port says "up"
#   stop     SIGTERM, wait for the graceful drain, SIGKILL after FSCPUSH_STOP_TIMEOUT seconds (60)
#   restart  stop, then start
#   status   running (pid, health) / stopped / stale pid file
#   run      in the foreground for systemd or containers: logs to stdout, no pid file
#   check    validate the configuration, naming every bad key
#
# Works from wherever the tarball was unpacked. Files, relative to this script's directory:
#   config/application.properties  the configuration (FShareChat's keys; FSCPUSH_<KEY> variables override it)
#   node.options                   Node.js runtime options, one per line (FShareChat's jvm.ini); ../node.options
#                                  applies to every service and is overridden option by option
#   @SERVICE@.pid                  the pid file while running
#   logs/@SERVICE@.log             the JSON log, rotated by size (logging.file.max-size, logging.file.max-history)
#   logs/@SERVICE@.out             what the runtime itself prints (crash traces); the previous run's in .out.1
#   data/                          the node id key and generated secrets
# Exit codes: 0 ok, 1 failed (see the logs), 2 invalid configuration, 3 (status) not running.
set -u

SERVICE=@SERVICE@
APP_DIR=$(cd "$(dirname "$0")" && pwd -P) || exit 1
BOOT_DIR=$(dirname "$APP_DIR")
NODE=${FSCPUSH_NODE:-$BOOT_DIR/node/bin/node}
MAIN=$APP_DIR/lib/fscpush.mjs
CONFIG=$APP_DIR/config/application.properties
PID_FILE=$APP_DIR/$SERVICE.pid
LOG_FILE=$APP_DIR/logs/$SERVICE.log
OUT_FILE=$APP_DIR/logs/$SERVICE.out
START_TIMEOUT=${FSCPUSH_START_TIMEOUT:-120}
STOP_TIMEOUT=${FSCPUSH_STOP_TIMEOUT:-60}
NL='
'
cd "$APP_DIR" || exit 1

say() { printf '%s: %s\n' "$SERVICE" "$*"; }
fail() { printf '%s: %s\n' "$SERVICE" "$*" >&2; }

# One option per line; "#" starts a comment; a later option with the same name (before "=") wins.
node_options() {
  for f in "$BOOT_DIR/node.options" "$APP_DIR/node.options"; do
    if [ -f "$f" ]; then cat "$f"; echo; fi
  done | awk '
    { sub(/(^|[ \t]+)#.*$/, ""); sub(/^[ \t]+/, ""); sub(/[ \t\r]+$/, "") }
    $0 == "" { next }
    { k = $0; sub(/=.*/, "", k); if (!(k in v)) order[++n] = k; v[k] = $0 }
    END { for (i = 1; i <= n; i++) print v[order[i]] }'
}

# A process that exited but was not reaped yet still answers kill -0.
alive() {
  kill -0 "$1" 2>/dev/null || return 1
  if [ -r "/proc/$1/stat" ]; then
    case $(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) in Z|X|'') return 1 ;; esac
  fi
  return 0
}

# Prints the pid from the pid file when that process is this service. Returns 1 without a pid file,
# 2 when the file is stale (no such process, or the pid now belongs to something else).
running_pid() {
  [ -f "$PID_FILE" ] || return 1
  p=$(cat "$PID_FILE" 2>/dev/null)
  case $p in '' | *[!0-9]*) return 2 ;; esac
  alive "$p" || return 2
  if [ -r "/proc/$p/cmdline" ]; then
    tr '\0' '\n' < "/proc/$p/cmdline" | grep -qxF "$MAIN" || return 2
  else
    ps -p "$p" -o args= 2>/dev/null | grep -qF "$MAIN" || return 2
  fi
  echo "$p"
}

require_runtime() {
  [ -x "$NODE" ] || { fail "no Node.js runtime at $NODE (set FSCPUSH_NODE to use another)"; exit 1; }
  [ -f "$MAIN" ] || { fail "missing $MAIN"; exit 1; }
}

check_config() {
  require_runtime
  out=$("$NODE" "$MAIN" check-config "$SERVICE" --config "$CONFIG" 2>&1)
  rc=$?
  if [ "$rc" -ne 0 ]; then
    printf '%s\n' "$out" >&2
    if [ "$rc" -eq 2 ]; then fail "invalid configuration ($CONFIG and FSCPUSH_* variables): see above"; exit 2; fi
    fail "cannot check the configuration (exit code $rc)"; exit 1
  fi
  [ "${1:-}" = quiet ] || printf '%s\n' "$out"
}

show_out() {
  if [ -s "$OUT_FILE" ]; then
    fail "last lines of logs/$SERVICE.out:"
    tail -n 20 "$OUT_FILE" | sed 's/^/    /' >&2
  fi
}

# SIGTERM, then SIGKILL after STOP_TIMEOUT seconds. Returns 1 if it had to be killed.
stop_pid() {
  kill -TERM "$1" 2>/dev/null
  ticks=0
  while alive "$1"; do
    if [ "$ticks" -ge $((STOP_TIMEOUT * 5)) ]; then
      fail "did not stop within ${STOP_TIMEOUT}s: SIGKILL"
      kill -KILL "$1" 2>/dev/null
      while alive "$1"; do sleep 0.2; done
      return 1
    fi
    sleep 0.2
    ticks=$((ticks + 1))
  done
  return 0
}

start() {
  pid=$(running_pid)
  case $? in
    0) say "already running (pid $pid)"; return 0 ;;
    2) rm -f "$PID_FILE" ;;
  esac
  check_config quiet
  mkdir -p "$APP_DIR/logs" || exit 1
  if [ -f "$OUT_FILE" ]; then mv -f "$OUT_FILE" "$OUT_FILE.1"; fi
  opts=$(node_options)
  detach=
  if command -v setsid >/dev/null 2>&1; then detach=setsid; fi
  set -f
  old_ifs=$IFS
  IFS=$NL
  # setsid: a Ctrl-C at this terminal must not reach the service. Without job control the background
  # command is not a process group leader, so setsid does not fork and $! is the service's pid.
  FSCPUSH_LOGGING_FILE=$LOG_FILE $detach "$NODE" $opts "$MAIN" "$SERVICE" --config "$CONFIG" </dev/null >>"$OUT_FILE" 2>&1 &
  pid=$!
  IFS=$old_ifs
  set +f
  echo "$pid" > "$PID_FILE"
  "$NODE" "$MAIN" health "$SERVICE" --config "$CONFIG" --pid "$pid" --wait "$START_TIMEOUT" --quiet
  case $? in
    0)
      say "started (pid $pid)"
      return 0 ;;
    3)
      wait "$pid" 2>/dev/null
      code=$?
      rm -f "$PID_FILE"
      fail "failed (exit code $code), see logs/$SERVICE.log"
      show_out
      [ "$code" -eq 2 ] && exit 2
      return 1 ;;
    *)
      fail "failed: not ready after ${START_TIMEOUT}s, see logs/$SERVICE.log; stopping it"
      stop_pid "$pid"
      rm -f "$PID_FILE"
      show_out
      return 1 ;;
  esac
}

stop() {
  pid=$(running_pid)
  case $? in
    1) say "not running"; return 0 ;;
    2) rm -f "$PID_FILE"; say "not running (removed a stale pid file)"; return 0 ;;
  esac
  say "stopping (pid $pid)"
  if stop_pid "$pid"; then rc=0; else rc=1; fi
  rm -f "$PID_FILE"
  say "stopped"
  return "$rc"
}

status() {
  pid=$(running_pid)
  case $? in
    1) say "stopped"; return 3 ;;
    2) say "stopped (stale pid file $PID_FILE: pid $(cat "$PID_FILE" 2>/dev/null) is not $SERVICE)"; return 3 ;;
  esac
  if health=$("$NODE" "$MAIN" health "$SERVICE" --config "$CONFIG" --pid "$pid" 2>&1); then
    say "running (pid $pid), $health"
  else
    say "running (pid $pid), not ready: $health"
  fi
  return 0
}

run() {
  check_config quiet
  opts=$(node_options)
  set -f
  IFS=$NL
  # shellcheck disable=SC2086
  exec "$NODE" $opts "$MAIN" "$SERVICE" --config "$CONFIG"
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  status) status ;;
  run) run ;;
  check) check_config ;;
  *) printf 'usage: %s start|stop|restart|status|run|check\n' "$0" >&2; exit 64 ;;
esac
