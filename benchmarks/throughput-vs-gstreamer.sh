#!/usr/bin/env bash
# Throughput of the packetize-and-send path, mjpeg-rtp against GStreamer, measured in one run on the same frames:
#   mjpeg-rtp: the UDP transport of the built distribution (JPEG parse, RFC 2435 packetizer, up to 64 packets per
#              sendmmsg(2) call on a connected socket, through the distribution's JNA; MJPEG_SENDMMSG=false: one
#              gathering write per packet instead), driven by a small harness that hands it in-memory frames as fast
#              as it takes them (pacing off, no frame rate) - the runtime's file backend would cap at 240 fps;
#   GStreamer: multifilesrc ! rtpjpegpay ! udpsink sync=false (no rate limit either; udpsink sends with sendmmsg).
# Both send 1080p MJPEG frames with MTU 1400 to a loopback port where a socket is bound but never read, so the
# kernel drops the packets without ICMP errors and no receiver competes for the CPU. Prints frames/s and CPU time
# per frame for both and the ratios.
#
# usage: benchmarks/throughput-vs-gstreamer.sh [FRAMES]      (default 3000; env MJPEG_DIST: distribution tree)
# needs: java 17 (JDK: the harness runs as a source file), gst-launch-1.0 with plugins-good, ffmpeg, python3.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
DIST=${MJPEG_DIST:-$HERE/../distribution/target/mjpeg-rtp}
FRAMES=${1:-3000}
WARMUP=1000
for tool in java gst-launch-1.0 ffmpeg python3; do
  command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }
done
[ -d "$DIST/system" ] || { echo "no distribution at $DIST: build it (mvn -pl distribution package) or set MJPEG_DIST" >&2; exit 1; }
WORK=$(mktemp -d)
SINK=
cleanup() { [ -n "$SINK" ] && kill "$SINK" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

# 30 different 1080p frames, 4:2:0 with the standard Huffman tables (RFC 2435 assumes them), ~300 KB each.
ffmpeg -nostdin -loglevel error -f lavfi -i "testsrc2=size=1920x1080:rate=30,noise=alls=5:allf=t" -frames:v 30 \
  -pix_fmt yuvj420p -q:v 3 -huffman default -start_number 0 "$WORK/f%03d.jpg"
AVG_KB=$(( $(cat "$WORK"/f*.jpg | wc -c) / 30 / 1024 ))

# The sink: bound, never read.
python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0))
print(s.getsockname()[1], flush=True); time.sleep(3600)' > "$WORK/port" &
SINK=$!
for _ in $(seq 50); do [ -s "$WORK/port" ] && break; sleep 0.1; done
PORT=$(cat "$WORK/port")

# Wall, user and system CPU time (all threads) of a command, from wait4's rusage.
measure() {
  python3 -c '
import os, sys, time
start = time.monotonic(); pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
_, status, ru = os.wait4(pid, 0)
print("%.3f %.3f %.3f %d" % (time.monotonic() - start, ru.ru_utime, ru.ru_stime, os.waitstatus_to_exitcode(status)))' "$@"
}

# --- GStreamer
read -r GST_WALL GST_USER GST_SYS GST_RC < <(measure gst-launch-1.0 -q multifilesrc location="$WORK/f%03d.jpg" loop=true \
  num-buffers=$((FRAMES + WARMUP)) caps="image/jpeg,width=1920,height=1080,framerate=30/1" ! rtpjpegpay mtu=1400 ! \
  udpsink host=127.0.0.1 port="$PORT" sync=false async=false 2>"$WORK/gst.err")
# (udpsink complains about untimed buffers on stderr; that is kept out of the table unless gst-launch fails)
[ "$GST_RC" = 0 ] || { cat "$WORK/gst.err" >&2; echo "gst-launch-1.0 failed ($GST_RC)" >&2; exit 1; }

# --- mjpeg-rtp
cat > "$WORK/Bench.java" <<'EOF'
import io.mjpegrtp.api.CameraCounters;
import io.mjpegrtp.api.Frame;
import io.mjpegrtp.api.Transport;
import io.mjpegrtp.api.TransportRequest;
import io.mjpegrtp.transport.udp.internal.UdpTransportFactory;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Sends frames through the UDP transport as fast as it takes them; prints the measured part only. */
public class Bench {
    public static void main(String[] a) throws Exception {
        Path dir = Path.of(a[0]);
        int port = Integer.parseInt(a[1]), warmup = Integer.parseInt(a[2]), frames = Integer.parseInt(a[3]);
        List<ByteBuffer> pictures = new ArrayList<>();
        try (var s = Files.list(dir)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".jpg")).sorted().toList()) {
                byte[] b = Files.readAllBytes(p);
                pictures.add(ByteBuffer.allocateDirect(b.length).put(b).flip()); // as a mapped capture buffer
            }
        }
        CameraCounters counters = new CameraCounters("bench");
        Transport t = new UdpTransportFactory().open(new TransportRequest("bench", "127.0.0.1", port, 1400, 0, "off",
                240, 1920, 1080, null), counters);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var threads = ManagementFactory.getThreadMXBean();
        long cpu0 = 0, thread0 = 0, user0 = 0, t0 = 0, packets0 = 0;
        for (int i = 0; i < warmup + frames; i++) {
            if (i == warmup) { // after JIT compilation settled
                cpu0 = os.getProcessCpuTime();
                thread0 = threads.getCurrentThreadCpuTime();
                user0 = threads.getCurrentThreadUserTime();
                packets0 = counters.snapshot().packetsSent();
                t0 = System.nanoTime();
            }
            t.send(new Frame(pictures.get(i % pictures.size()), System.nanoTime(), i, null));
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu = (os.getProcessCpuTime() - cpu0) / 1e9, thread = (threads.getCurrentThreadCpuTime() - thread0) / 1e9;
        double user = (threads.getCurrentThreadUserTime() - user0) / 1e9;
        var c = counters.snapshot();
        System.out.printf("%.3f %.3f %.3f %.3f %.1f %d%n", wall, cpu, thread, user,
                (c.packetsSent() - packets0) / (double) frames, c.sendErrors());
        t.close();
    }
}
EOF
CP="$DIST/lib/*:$(ls "$DIST"/system/jna-*.jar | head -1)"
for b in api jpeg rtp transport.udp; do CP="$CP:$(ls "$DIST"/system/io.mjpegrtp."$b"-*.jar | head -1)"; done
read -r J_WALL J_CPU J_THREAD J_USER J_PPF J_ERR < <(java -Xmx256m -XX:+UseSerialGC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Dmjpeg.udp.sendmmsg="${MJPEG_SENDMMSG:-true}" -cp "$CP" "$WORK/Bench.java" "$WORK" "$PORT" "$WARMUP" "$FRAMES")

python3 - "$FRAMES" "$WARMUP" "$AVG_KB" "$GST_WALL" "$GST_USER" "$GST_SYS" "$J_WALL" "$J_CPU" "$J_THREAD" "$J_USER" \
  "$J_PPF" "$J_ERR" <<'EOF'
import sys
n, warm, kb = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
gw, gu, gs, jw, jc, jt, ju, ppf, err = map(float, sys.argv[4:13])
g = n + warm  # gst-launch sends the warm-up frames too; its start-up costs a few ms
g_fps, g_cpu, g_sys = g / gw, (gu + gs) / g * 1e3, gs / g * 1e3
j_fps, j_cpu, j_sys = n / jw, jc / n * 1e3, (jt - ju) / n * 1e3
print(f"1080p MJPEG, {kb} KB/frame, {ppf:.0f} packets/frame (MTU 1400), loopback, no rate limit")
print(f"{'':12}{'frames/s':>10}{'MB/s':>8}{'CPU ms/frame':>14}{'of it kernel':>14}")
print(f"{'GStreamer':12}{g_fps:10.0f}{g_fps * kb / 1024:8.0f}{g_cpu:14.3f}{g_sys:14.3f}   ({g} frames, whole process)")
print(f"{'mjpeg-rtp':12}{j_fps:10.0f}{j_fps * kb / 1024:8.0f}{j_cpu:14.3f}{j_sys:14.3f}   ({n} frames after {warm} "
      f"warm-up, whole JVM; kernel: sending thread)")
print(f"mjpeg-rtp / GStreamer: {j_fps / g_fps:.2f}x frames/s, {g_cpu / j_cpu:.2f}x the CPU efficiency"
      + (f"   ({int(err)} send errors)" if err else ""))
EOF
