#!/usr/bin/env bash
# CPU cost of the runtime against plain GStreamer doing the same work, measured in one run:
#   mjpeg-rtp: the built distribution with two gst-test cameras, 1920x1080 at 30 fps, quality 85, pacing off,
#              heap capped (-Xmx48m), sending RTP/JPEG (and RTCP) to two loopback ports;
#   GStreamer: two gst-launch-1.0 processes, each the same pipeline ending in rtpjpegpay ! udpsink:
#              videotestsrc is-live=true pattern=ball ! video/x-raw,1920x1080,30/1 ! videoconvert ! I420 !
#              jpegenc quality=85 ! rtpjpegpay mtu=1400 ! udpsink.
# Both run at the same time and are measured over the same window (default 60 s) after a warm-up (default 30 s: JVM
# start and JIT compilation, which goes on for about 30 s here, and GStreamer plugin loading), as utime+stime of the
# whole process(es) from /proc; the whole run, start included, is printed too. The ports are
# bound by a socket that never reads, so the kernel drops the packets without ICMP errors and no receiver competes
# for the CPU. mjpeg-rtp's own statistics give frames captured/sent/dropped in the window and the latency from
# capture (the buffer's timestamp: includes jpegenc) and from hand-over by the pipeline to each frame's last packet.
#
# usage: benchmarks/cpu-vs-gstreamer.sh [SECONDS] [WARMUP]   (env MJPEG_DIST: distribution tree)
# needs: java 17, gst-launch-1.0 with plugins-base/-good, python3.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
DIST=${MJPEG_DIST:-$HERE/../distribution/target/mjpeg-rtp}
SECONDS_MEASURED=${1:-60}
WARMUP=${2:-30}
W=1920 H=1080 FPS=30 Q=85
for tool in java gst-launch-1.0 python3; do
  command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }
done
[ -d "$DIST/system" ] || { echo "no distribution at $DIST: build it (mvn -pl distribution -am package) or set MJPEG_DIST" >&2; exit 1; }
WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT
TCK=$(getconf CLK_TCK)

# The sinks: RTP and RTCP ports of four streams, bound, never read.
python3 -c '
import socket, sys, time
socks = []
for _ in range(50):
    base = 20000 + 2 * int.from_bytes(__import__("os").urandom(2), "big") % 20000
    try:
        for p in range(base, base + 8):
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", p)); socks.append(s)
        break
    except OSError:
        for s in socks: s.close()
        socks = []
print(base, flush=True); time.sleep(3600)' > "$WORK/port" &
PIDS+=($!)
for _ in $(seq 50); do [ -s "$WORK/port" ] && break; sleep 0.1; done
BASE=$(cat "$WORK/port")

# utime+stime in seconds of the given pids (whole processes, all threads).
cpu() { local t=0; for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo "$t $TCK" | awk '{printf "%.2f", $1 / $2}'; }

# --- both at once: the same window for both, so the machine's drift (other load, frequency) hits both alike; together
# they need about 1.4 of the 2 cores here.
mkdir -p "$WORK/config"
for i in 0 1; do
  cat > "$WORK/config/mjpeg.camera-cam$i.cfg" <<EOF
backend = gst-test
width = $W
height = $H
framerate = $FPS
quality = $Q
pacing = off
destination = 127.0.0.1:$((BASE + 2 * i))
EOF
done
JAVA_OPTS="-Xmx48m -XX:+UseSerialGC" "$DIST/bin/mjpeg-rtp" --no-shell --config "$WORK/config" --data "$WORK/data" \
  --sdp-dir "$WORK/sdp" > "$WORK/mjpeg.log" 2>&1 &
JPID=$!
PIDS+=($JPID)
GPIDS=()
for i in 0 1; do
  gst-launch-1.0 -q videotestsrc is-live=true pattern=ball ! video/x-raw,width=$W,height=$H,framerate=$FPS/1 ! \
    videoconvert ! video/x-raw,format=I420 ! jpegenc quality=$Q ! rtpjpegpay mtu=1400 ! \
    udpsink host=127.0.0.1 port=$((BASE + 4 + 2 * i)) sync=false > "$WORK/gst$i.log" 2>&1 &
  GPIDS+=($!); PIDS+=($!)
done
sleep "$WARMUP"
for i in 0 1; do
  grep -q "cam$i: streaming" "$WORK/mjpeg.log" || { cat "$WORK/mjpeg.log" >&2; echo "cam$i is not streaming" >&2; exit 1; }
done
stats() { "$DIST/bin/mjpeg-rtp" cmd --data "$WORK/data" mjpeg:stats "$1"; }
field() { awk -v k="$1" 'index($0, k) == 1 { print $NF }' ; }
declare -A CAP0 SENT0 DROP0
for i in 0 1; do
  S=$(stats cam$i); CAP0[$i]=$(field "frames captured" <<<"$S"); SENT0[$i]=$(field "frames sent" <<<"$S")
  DROP0[$i]=$(( $(field "frames dropped (queue full)" <<<"$S") + $(field "frames rejected" <<<"$S") ))
done
J0=$(cpu $JPID); G0=$(cpu "${GPIDS[@]}")
sleep "$SECONDS_MEASURED"
J1=$(cpu $JPID); G1=$(cpu "${GPIDS[@]}")
REPORT=""
for i in 0 1; do
  S=$(stats cam$i)
  CAP=$(( $(field "frames captured" <<<"$S") - CAP0[$i] )); SENT=$(( $(field "frames sent" <<<"$S") - SENT0[$i] ))
  DROP=$(( $(field "frames dropped (queue full)" <<<"$S") + $(field "frames rejected" <<<"$S") - DROP0[$i] ))
  LAT=$(grep -E "^(capture to last packet|in the runtime)" <<<"$S" | sed 's/  */ /g')
  REPORT+="cam$i: $CAP frames captured, $SENT sent, $DROP dropped in the window"$'\n'"$LAT"$'\n'
done
HEAP=$(curl -s http://127.0.0.1:9180/metrics 2>/dev/null | grep -E '^jvm_memory_heap_max_bytes [0-9]+' || true)
kill -TERM $JPID; wait $JPID 2>/dev/null || true
for p in "${GPIDS[@]}"; do kill -INT "$p"; done

python3 - "$SECONDS_MEASURED" "$J0" "$J1" "$G0" "$G1" <<EOF
import sys
s, j0, j1, g0, g1 = float(sys.argv[1]), *map(float, sys.argv[2:6])
j, g = j1 - j0, g1 - g0
print(f"two cameras, ${W}x${H} at ${FPS} fps, jpegenc quality ${Q}, RTP/JPEG MTU 1400 to loopback, {s:.0f} s after ${WARMUP} s warm-up")
print(f"{'':34}{'CPU s':>8}{'% of a core':>13}")
print(f"{'GStreamer (2 gst-launch-1.0)':34}{g:8.2f}{100 * g / s:13.1f}")
print(f"{'mjpeg-rtp (1 JVM, -Xmx48m)':34}{j:8.2f}{100 * j / s:13.1f}")
print(f"CPU ratio mjpeg-rtp / GStreamer: {j / g:.3f}  (whole run, start and warm-up included: {j1:.2f} / {g1:.2f} s = "
      f"{j1 / g1:.3f})")
EOF
printf '%s' "$REPORT"
[ -n "$HEAP" ] && echo "$HEAP (the heap cap, from /metrics)"
