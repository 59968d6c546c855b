#!/bin/bash
# Checks the systemd unit of mjpeg-rtp under a real systemd (PID 1 of a systemd-nspawn container).
#
#   sudo distribution/src/test/systemd/check-under-systemd.sh distribution/target/mjpeg-rtp.tar.gz [--keep] [--base DIR]
#
# For a maintainer to run by hand as root on a Debian (12 or newer) machine that reaches Debian's package
# mirror; it needs neither a camera nor systemd as the host's PID 1 (cgroup v1, hybrid or v2 hosts all do).
# It debootstraps a minimal Debian bookworm (systemd, openjdk-17-jre-headless, sudo, curl, iproute2, procps)
# into a temporary folder, boots it with systemd-nspawn on a private network (loopback only), runs the
# commands of INSTALL.txt from the tarball as they are written there, then checks: the service runs as user
# mjpeg with the video group and no capabilities, its journal lines, /health and /metrics, loopback-only
# listeners, `bin/mjpeg-rtp cmd` as the mjpeg user, mjpeg:set, file modes, the hardening in effect, restart
# after kill -9, a clean stop (exit 143 = success) and systemd-analyze verify. Last line: "N passed, N failed";
# exit status 0 when every check passed.
#
#   --keep      keep the container root (printed at the end) instead of removing it
#   --base DIR  reuse DIR as the pristine debootstrapped root (made there first if missing, and kept): a re-run
#               then copies it instead of downloading again (about 500 MB)
#   --mirror URL  Debian mirror for debootstrap (default http://deb.debian.org/debian)
# The container is always powered off at the end, on success, failure or Ctrl-C.
set -euo pipefail

usage() { sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
TARBALL= KEEP=0 BASE= MIRROR=http://deb.debian.org/debian
while [ $# -gt 0 ]; do
    case "$1" in
        --keep) KEEP=1 ;;
        --base) BASE=${2:?--base needs a folder}; shift ;;
        --mirror) MIRROR=${2:?--mirror needs a URL}; shift ;;
        -h|--help) usage ;;
        -*) echo "unknown option $1" >&2; usage ;;
        *) [ -z "$TARBALL" ] || usage; TARBALL=$1 ;;
    esac
    shift
done
[ -n "$TARBALL" ] || usage
[ -f "$TARBALL" ] || { echo "no such tarball: $TARBALL" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 2; }
TARBALL=$(readlink -f "$TARBALL")
START=$(date +%s)
log() { printf '\n=== %s (%ss)\n' "$*" "$(( $(date +%s) - START ))"; }

log "host tools"
if ! command -v systemd-nspawn >/dev/null || ! command -v debootstrap >/dev/null || ! command -v pgrep >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends systemd-container debootstrap procps >/dev/null
fi
systemd-nspawn --version | head -1

# /var/tmp, not /tmp: the container root is about 500 MB and /tmp is often a small tmpfs.
WORK=$(mktemp -d /var/tmp/mjpeg-systemd-check.XXXXXX)
ROOT=$WORK/root
MACHINE=mjpeg-check-$$
NSPAWN_PID=
CPID=

cleanup() {
    local rc=$?
    set +e
    if [ -n "$NSPAWN_PID" ] && kill -0 "$NSPAWN_PID" 2>/dev/null; then
        echo "--- powering the container off"
        [ -n "$CPID" ] && nsenter -t "$CPID" -a -- systemctl poweroff >/dev/null 2>&1
        for _ in $(seq 1 30); do kill -0 "$NSPAWN_PID" 2>/dev/null || break; sleep 1; done
        kill -0 "$NSPAWN_PID" 2>/dev/null && { kill -TERM "$NSPAWN_PID"; sleep 5; }
        kill -0 "$NSPAWN_PID" 2>/dev/null && kill -KILL "$NSPAWN_PID"
        wait "$NSPAWN_PID" 2>/dev/null
    fi
    if [ "$KEEP" = 1 ]; then
        echo "--- kept the container root: $ROOT (boot it again: systemd-nspawn -b -D $ROOT)"
    elif grep -q " $WORK" /proc/mounts; then
        echo "--- something is still mounted under $WORK: not removing it" >&2
    else
        rm -rf --one-file-system "$WORK"
    fi
    echo "--- total time $(( $(date +%s) - START ))s"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PKGS=systemd,systemd-sysv,dbus,openjdk-17-jre-headless,curl,sudo,procps,iproute2
debootstrap_into() {
    log "debootstrap bookworm into $1 (a few minutes)"
    nice -n 10 debootstrap --variant=minbase --include=$PKGS bookworm "$1" "$MIRROR" > "$WORK/debootstrap.log" 2>&1 \
        || { tail -20 "$WORK/debootstrap.log"; echo "debootstrap failed" >&2; exit 1; }
}
if [ -n "$BASE" ]; then
    [ -x "$BASE/usr/lib/systemd/systemd" ] || debootstrap_into "$BASE"
    log "copying the base root $BASE"
    cp -a "$BASE" "$ROOT"
else
    debootstrap_into "$ROOT"
fi

log "preparing the container"
echo "$MACHINE" > "$ROOT/etc/hostname"
printf '127.0.0.1 localhost\n127.0.1.1 %s\n::1 localhost\n' "$MACHINE" > "$ROOT/etc/hosts"
cp "$TARBALL" "$ROOT/root/mjpeg-rtp.tar.gz"
# The install commands are taken from the tarball's own INSTALL.txt: its first block of "  sudo ..." lines.
tar -xzOf "$TARBALL" mjpeg-rtp/service/INSTALL.txt > "$WORK/INSTALL.txt"
{
    echo 'set -ex'
    echo 'cd /root'
    # Debian has the video group (base-passwd); create it on a base that has none, as INSTALL.txt's useradd needs it.
    echo 'getent group video >/dev/null || groupadd --system video'
    awk '/^  sudo /{found=1; print; if (/enable --now mjpeg-rtp/) exit; next} found && /^ *$/{exit} found && !/^  sudo /{exit}' "$WORK/INSTALL.txt" | sed 's/^  //'
} > "$ROOT/root/install.sh"
grep -q 'enable --now mjpeg-rtp' "$ROOT/root/install.sh" || { echo "no install commands found in INSTALL.txt" >&2; exit 1; }
echo "install commands from INSTALL.txt:"; sed -n '4,$p' "$ROOT/root/install.sh" | sed 's/^/  /'

cat > "$ROOT/root/check.sh" <<'CHECK'
#!/bin/bash
# Runs inside the container, as root. One "PASS"/"FAIL" line per check.
PASS=0 FAIL=0
ok()   { PASS=$((PASS+1)); echo "PASS: $*"; }
bad()  { FAIL=$((FAIL+1)); echo "FAIL: $*"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }
show() { echo "\$ $*"; "$@" 2>&1 | sed 's/^/    /'; }
CMD="runuser -u mjpeg -- /opt/mjpeg-rtp/bin/mjpeg-rtp cmd --data /var/lib/mjpeg-rtp"
cd /
mainpid() { systemctl show -p MainPID --value mjpeg-rtp; }
healthy() { [ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:9180/health)" = 200 ]; }
wait_healthy() { for _ in $(seq 1 "$1"); do healthy && return 0; sleep 1; done; return 1; }

echo "--- service after enable --now"
check "health answers 200 within 90 s of the start" wait_healthy 90
show systemctl status mjpeg-rtp --no-pager -n 0
check "systemctl status: active (running)" bash -c 'systemctl status mjpeg-rtp --no-pager | grep -q "Active: active (running)"'
check "enabled for multi-user.target" bash -c '[ "$(systemctl is-enabled mjpeg-rtp)" = enabled ]'
P=$(mainpid)
show ps -o user,group,supgrp,pid,cmd -p "$P"
show grep -E '^(Uid|Gid|Groups|CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp):' /proc/$P/status
check "runs as user mjpeg, group mjpeg" bash -c "[ \"\$(ps -o user=,group= -p $P | tr -s ' ')\" = 'mjpeg mjpeg' ]"
VIDEO=$(getent group video | cut -d: -f3); MJ=$(id -g mjpeg)
check "supplementary groups are exactly video and mjpeg" bash -c "[ \"\$(grep ^Groups: /proc/$P/status | cut -f2 | tr ' ' '\n' | grep . | sort -n | tr '\n' ' ')\" = \"\$(printf '%s\n' $VIDEO $MJ | sort -n | tr '\n' ' ')\" ]"
check "no capabilities at all (permitted, effective, bounding, ambient)" bash -c "! grep -E '^Cap(Inh|Prm|Eff|Bnd|Amb):' /proc/$P/status | grep -qv '0000000000000000'"
check "NoNewPrivs is set" grep -q '^NoNewPrivs:.*1' /proc/$P/status
check "mjpeg has no login shell" bash -c '[ "$(getent passwd mjpeg | cut -d: -f7)" = /usr/sbin/nologin ]'

echo "--- journal"
show bash -c 'journalctl -u mjpeg-rtp --no-pager -o cat | grep -v "view with" | head -20'
for c in cam0 cam1; do
    check "journal: $c streaming" bash -c "journalctl -u mjpeg-rtp --no-pager -o cat | grep -q '$c: streaming from'"
    check "journal: $c SDP file line" bash -c "journalctl -u mjpeg-rtp --no-pager -o cat | grep -q '$c: sending to .*SDP file /run/mjpeg-rtp/$c.sdp'"
done
check "journal identifier mjpeg-rtp (journalctl -t mjpeg-rtp)" bash -c '[ "$(journalctl -t mjpeg-rtp --no-pager -o cat | wc -l)" -gt 5 ]'
check "journal lines carry no second timestamp" bash -c '! journalctl -t mjpeg-rtp --no-pager -o cat | grep -qE "^\[?[0-9]{4}-[0-9]{2}-[0-9]{2}"'

echo "--- HTTP and listeners"
show curl -s -w '\nHTTP %{http_code}\n' http://127.0.0.1:9180/health
check "/health status ok with both cameras" bash -c 'curl -s http://127.0.0.1:9180/health | grep -q "\"status\":\"ok\"" && curl -s http://127.0.0.1:9180/health | grep -q "\"cam1\""'
show bash -c 'curl -s http://127.0.0.1:9180/metrics | grep -E "^mjpeg_camera_streaming|^mjpeg_cameras "'
check "/metrics: both cameras streaming" bash -c 'm=$(curl -s http://127.0.0.1:9180/metrics); echo "$m" | grep -q "^mjpeg_camera_streaming{camera=\"cam0\"} 1" && echo "$m" | grep -q "^mjpeg_camera_streaming{camera=\"cam1\"} 1"'
show ss -lntup
check "every listening socket is on the loopback address" bash -c '! ss -lntuH | awk "{print \$5}" | grep -vE "^(127\.|\[::ffff:127\.|\[::1\]|::1:)"'
check "port 9180 listens on 127.0.0.1" bash -c 'ss -lntH | awk "{print \$4}" | grep -qE "^(127\.0\.0\.1|\[::ffff:127\.0\.0\.1\]):9180$"'

echo "--- bin/mjpeg-rtp cmd as the mjpeg user"
show $CMD mjpeg:cameras
check "cmd mjpeg:cameras lists cam0 and cam1 streaming" bash -c "out=\$($CMD mjpeg:cameras) && echo \"\$out\" | grep -qE '^cam0 .*streaming' && echo \"\$out\" | grep -qE '^cam1 .*streaming'"
check "another user cannot use the control socket" bash -c '! runuser -u nobody -- /opt/mjpeg-rtp/bin/mjpeg-rtp cmd --data /var/lib/mjpeg-rtp mjpeg:cameras >/dev/null 2>&1'
show $CMD mjpeg:set cam0 dscp 46
check "mjpeg:set cam0 dscp 46 written to /etc/mjpeg-rtp" grep -qE '^dscp *= *46' /etc/mjpeg-rtp/mjpeg.camera-cam0.cfg
check "journal: cam0 follows the changed file" bash -c 'for _ in $(seq 10); do journalctl -u mjpeg-rtp --no-pager -o cat | grep -q "cam0: configuration changed" && exit 0; sleep 1; done; exit 1'

echo "--- files it writes"
show ls -la /etc/mjpeg-rtp /run/mjpeg-rtp /var/lib/mjpeg-rtp /var/lib/mjpeg-rtp/control
check "SDP files written" test -f /run/mjpeg-rtp/cam0.sdp -a -f /run/mjpeg-rtp/cam1.sdp
check "nothing world-readable/-writable under /etc/mjpeg-rtp /run/mjpeg-rtp /var/lib/mjpeg-rtp" \
    bash -c '[ -z "$(find /etc/mjpeg-rtp /run/mjpeg-rtp /var/lib/mjpeg-rtp ! -type l -perm /o=rwx)" ]'
check "everything there owned by mjpeg:mjpeg" bash -c '[ -z "$(find /etc/mjpeg-rtp /run/mjpeg-rtp /var/lib/mjpeg-rtp ! -user mjpeg -o ! -group mjpeg)" ]'

echo "--- hardening in effect (inside the service's mount namespace, as root)"
P=$(mainpid)
writable() { nsenter -t "$P" -m -- sh -c "touch '$1/.w-check' 2>/dev/null && rm -f '$1/.w-check'"; }
readonly_() { ! writable "$1"; }
for d in /opt/mjpeg-rtp /usr /etc /var/lib; do check "ProtectSystem=strict: $d read-only for the service" readonly_ $d; done
for d in /etc/mjpeg-rtp /var/lib/mjpeg-rtp /run/mjpeg-rtp /tmp; do check "$d writable for the service" writable $d; done
check "ProtectHome: /home hidden" bash -c "[ -z \"\$(nsenter -t $P -m -- ls -A /home 2>/dev/null)\" ] && ! nsenter -t $P -m -- sh -c 'touch /home/.w' 2>/dev/null"
check "PrivateTmp: own /tmp" bash -c "grep -q ' /tmp ' /proc/$P/mountinfo && [ \"\$(readlink /proc/$P/ns/mnt)\" != \"\$(readlink /proc/1/ns/mnt)\" ]"
check "/dev is the system's (cameras reachable; no PrivateDevices)" bash -c "[ \"\$(nsenter -t $P -m -- ls /dev | wc -l)\" = \"\$(ls /dev | wc -l)\" ]"
check "systemd logged no warning for the unit" bash -c '! journalctl -b -p warning --no-pager -o cat _PID=1 | grep -v "status=9/KILL\|result .signal." | grep -qi mjpeg-rtp'
show systemd-analyze verify /etc/systemd/system/mjpeg-rtp.service
check "systemd-analyze verify: no complaint" bash -c '[ -z "$(systemd-analyze verify /etc/systemd/system/mjpeg-rtp.service 2>&1)" ]'
show bash -c 'systemd-analyze security --no-pager mjpeg-rtp | tail -1'

echo "--- restart on failure: kill -9"
OLD=$(mainpid); R0=$(systemctl show -p NRestarts --value mjpeg-rtp); T0=$(date +%s.%N)
show kill -9 "$OLD"
NEW=0
for _ in $(seq 1 40); do
    sleep 0.25
    n=$(mainpid)
    if [ "$(systemctl is-active mjpeg-rtp)" = active ] && [ "$n" != 0 ] && [ "$n" != "$OLD" ]; then NEW=$n; break; fi
done
T1=$(date +%s.%N)
echo "    new main PID $NEW after $(awk "BEGIN{printf \"%.1f\", $T1-$T0}") s"
check "restarted by systemd within 10 s (RestartSec=2), new PID" bash -c "[ $NEW != 0 ]"
check "NRestarts went up" bash -c "[ \$(systemctl show -p NRestarts --value mjpeg-rtp) -gt $R0 ]"
show bash -c "journalctl -u mjpeg-rtp --no-pager -o short-precise _PID=1 | tail -5"
check "journal: killed, restart scheduled" bash -c 'j=$(journalctl -u mjpeg-rtp --no-pager -o cat _PID=1); echo "$j" | grep -q "status=9/KILL" && echo "$j" | grep -q "Scheduled restart job"'
check "healthy again within 90 s after the restart" wait_healthy 90

echo "--- systemctl stop"
P=$(mainpid); T0=$(date +%s.%N)
systemctl stop mjpeg-rtp; RC=$?
T1=$(date +%s.%N); SECS=$(awk "BEGIN{printf \"%.1f\", $T1-$T0}")
echo "    systemctl stop returned $RC after $SECS s"
show systemctl show -p ActiveState,SubState,Result,ExecMainCode,ExecMainStatus mjpeg-rtp
show bash -c "journalctl -u mjpeg-rtp --no-pager -o short-precise -n 6"
check "stopped within TimeoutStopSec (10 s) without SIGKILL" bash -c "awk 'BEGIN{exit !($SECS < 10)}' && ! journalctl -u mjpeg-rtp --no-pager -o cat | grep -q 'State .stop-sigterm. timed out'"
check "stop counted as success (exit 143 or 0, Result=success)" bash -c '[ "$(systemctl show -p Result --value mjpeg-rtp)" = success ] && case $(systemctl show -p ExecMainStatus --value mjpeg-rtp) in 0|143) true;; *) false;; esac'
check "not in the failed state" bash -c '[ "$(systemctl is-active mjpeg-rtp)" = inactive ] && ! systemctl is-failed -q mjpeg-rtp'
check "no java process left" bash -c "! kill -0 $P 2>/dev/null && ! pgrep -x java >/dev/null"

echo
echo "$PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
CHECK
chmod +x "$ROOT/root/check.sh"

log "booting $MACHINE with systemd-nspawn"
NSPAWN_OPTS=(--register=no --keep-unit)
# On a host run by systemd, let systemd-machined register the container (a scope of its own, machinectl works).
[ -d /run/systemd/system ] && NSPAWN_OPTS=()
setsid systemd-nspawn -b -D "$ROOT" -M "$MACHINE" "${NSPAWN_OPTS[@]}" --private-network --console=pipe \
    > "$WORK/nspawn.log" 2>&1 < /dev/null &
NSPAWN_PID=$!
for _ in $(seq 1 60); do
    CPID=$(pgrep -P "$NSPAWN_PID" -x systemd || true)
    [ -n "$CPID" ] && break
    kill -0 "$NSPAWN_PID" 2>/dev/null || { cat "$WORK/nspawn.log"; echo "systemd-nspawn ended" >&2; exit 1; }
    sleep 1
done
[ -n "$CPID" ] || { cat "$WORK/nspawn.log"; echo "no systemd in the container" >&2; exit 1; }
IN() { nsenter -t "$CPID" -a -- "$@"; }
STATE=
for _ in $(seq 1 120); do
    STATE=$(IN systemctl is-system-running 2>/dev/null || true)
    case "$STATE" in running|degraded) break ;; esac
    sleep 1
done
echo "container PID 1 is host PID $CPID; system state: $STATE"
IN sh -c 'readlink /proc/1/exe; systemctl --version | head -1; systemctl --failed --no-legend --no-pager'

log "INSTALL.txt inside the container"
IN bash /root/install.sh 2>&1 | sed 's/^/  /'

log "checks"
set +e
IN bash /root/check.sh 2>&1 | tee "$WORK/check.log"
CHECK_RC=${PIPESTATUS[0]}
set -e
[ "$KEEP" = 1 ] && echo "check log: $WORK/check.log"
exit "$CHECK_RC"
