package io.mjpegrtp.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RTCP (RFC 3550) on port + 1: sender reports whose NTP/RTP mapping lets a receiver pair the frames of two
 * cameras, SDES, BYE when a camera stops; and receiver reports from a real GStreamer {@code rtpbin} receiver read
 * into the camera's statistics ({@code mjpeg:stats}) with a round-trip time.
 */
class RtcpIT {
    private static final Pattern RTCP_LINE = Pattern.compile("(\\w+): RTCP: sender reports to \\S+, receiver reports read on "
            + "([\\d.]+):(\\d+)");

    @TempDir
    Path work;

    @Test
    void rtpbinReceiverReportsShowInStats() throws Exception {
        Path config = work.resolve("config");
        RunningDistribution.writeCamera(config, "cam", "width = 320", "height = 240", "framerate = 15",
                "destination = 127.0.0.1:5000");
        try (Netns ns = Netns.create("rtcp");
                RunningDistribution d = new RunningDistribution(ns.exec(), RunningDistribution.HOME, work, config)) {
            Matcher m = RTCP_LINE.matcher(d.awaitLine(l -> RTCP_LINE.matcher(l).find(), Duration.ofSeconds(30),
                    "naming the RTCP socket"));
            assertTrue(m.find());
            assertEquals("127.0.0.1", m.group(2), "a stream to loopback listens on loopback only");
            int rtcpPort = Integer.parseInt(m.group(3));
            d.awaitLine(l -> l.contains("cam: streaming"), Duration.ofSeconds(30), "streaming");
            // rtpbin receives RTP and our sender reports, and sends its receiver reports to our RTCP socket.
            Path log = work.resolve("rtpbin.log");
            Process rtpbin = WireTools.gstCounting(work, log, ns.exec(), "rtpbin", "name=rb",
                    "udpsrc", "port=5000", "caps=" + Receivers.RTP_CAPS, "!", "rb.recv_rtp_sink_0",
                    "udpsrc", "port=5001", "caps=application/x-rtcp", "!", "rb.recv_rtcp_sink_0",
                    "rb.send_rtcp_src_0", "!", "udpsink", "host=127.0.0.1", "port=" + rtcpPort, "sync=false",
                    "async=false",
                    "rb.", "!", "rtpjpegdepay", "!", "jpegdec");
            try {
                d.awaitLine(l -> l.contains("cam: receiver reports from"), Duration.ofSeconds(20),
                        "receiving rtpbin's reports");
                // rtpbin answers our sender reports with LSR/DLSR only after it has seen one.
                String stats = "";
                for (int i = 0; i < 40 && !stats.matches("(?s).*round-trip time\\s+[\\d.]+ ms.*"); i++) {
                    Thread.sleep(500);
                    stats = d.command("mjpeg:stats", "cam");
                }
                System.out.println("[RtcpIT] mjpeg:stats cam\n" + stats);
                Matcher reports = Pattern.compile("receiver reports \\(RTCP\\)\\s+(\\d+)").matcher(stats);
                assertTrue(reports.find() && Long.parseLong(reports.group(1)) > 0, "reports received:\n" + stats);
                assertTrue(stats.matches("(?s).*round-trip time\\s+[\\d.]+ ms.*"), "a round-trip time:\n" + stats);
                assertTrue(stats.matches("(?s).*loss \\(last report\\)\\s+[\\d.]+ %.*"), "the loss:\n" + stats);
                assertTrue(stats.matches("(?s).*jitter\\s+[\\d.]+ ms.*"), "the jitter:\n" + stats);
                assertTrue(WireTools.buffers(log) > 0, "rtpbin's receiver decoded the stream too");
            } finally {
                WireTools.interrupt(rtpbin);
            }
            assertEquals(List.of(), WireTools.stackTraces(d));
        }
    }

    /** What arrives at one camera's RTP and RTCP ports. */
    static final class Capture {
        final String camera;
        final DatagramSocket rtp;
        final DatagramSocket rtcp;
        final List<long[]> frames = Collections.synchronizedList(new ArrayList<>()); // {arrival unix nanos, rtp ts}
        final List<ByteBuffer> reports = Collections.synchronizedList(new ArrayList<>());
        final List<Long> reportArrivals = Collections.synchronizedList(new ArrayList<>());
        volatile int ssrc;
        volatile long rtpPackets;
        List<Double> latency; // per frame: arrival minus capture time mapped through a sender report, in ms

        Capture(String camera) throws SocketException {
            this.camera = camera;
            DatagramSocket[] pair = pair();
            this.rtp = pair[0];
            this.rtcp = pair[1];
        }

        int port() {
            return rtp.getLocalPort();
        }

        /** Two sockets on loopback ports P and P + 1, bound before the runtime starts: no other test can take them. */
        private static DatagramSocket[] pair() throws SocketException {
            InetAddress lo = InetAddress.getLoopbackAddress();
            for (int i = 0; i < 100; i++) {
                DatagramSocket a = new DatagramSocket(new InetSocketAddress(lo, 0));
                if (a.getLocalPort() < 65535) {
                    try {
                        return new DatagramSocket[] { a, new DatagramSocket(new InetSocketAddress(lo, a.getLocalPort() + 1)) };
                    } catch (SocketException e) {
                        // taken; try another
                    }
                }
                a.close();
            }
            throw new AssertionError("no free pair of UDP ports");
        }

        void start() {
            Thread t1 = new Thread(() -> receive(rtp, true), "rtp-" + camera);
            Thread t2 = new Thread(() -> receive(rtcp, false), "rtcp-" + camera);
            t1.setDaemon(true);
            t2.setDaemon(true);
            t1.start();
            t2.start();
        }

        private void receive(DatagramSocket s, boolean isRtp) {
            byte[] buf = new byte[65536];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            while (!s.isClosed()) {
                try {
                    p.setLength(buf.length);
                    s.receive(p);
                    long arrival = unixNanos(Instant.now());
                    ByteBuffer b = ByteBuffer.wrap(buf, 0, p.getLength()).slice();
                    if (isRtp) {
                        rtpPackets++;
                        ssrc = b.getInt(8);
                        if ((b.get(1) & 0x80) != 0) { // marker: a frame is complete
                            frames.add(new long[] { arrival, b.getInt(4) & 0xFFFF_FFFFL });
                        }
                    } else {
                        ByteBuffer copy = ByteBuffer.allocate(p.getLength()).put(b);
                        reports.add(copy.flip());
                        reportArrivals.add(arrival);
                    }
                } catch (SocketTimeoutException e) {
                    // go on
                } catch (Exception e) {
                    return;
                }
            }
        }

        void close() {
            rtp.close();
            rtcp.close();
        }
    }

    @Test
    void senderReportsMapBothCamerasToOneClockAndByeEndsTheStream() throws Exception {
        Capture left = new Capture("left");
        Capture right = new Capture("right");
        Path config = work.resolve("config");
        try {
            left.start();
            right.start();
            RunningDistribution.writeCamera(config, "left", "width = 320", "height = 240", "framerate = 25",
                    "destination = 127.0.0.1:" + left.port());
            RunningDistribution.writeCamera(config, "right", "width = 320", "height = 240", "framerate = 25",
                    "destination = 127.0.0.1:" + right.port());
            try (RunningDistribution d = new RunningDistribution(work, config)) {
                d.awaitLine(l -> l.contains("left: streaming"), Duration.ofSeconds(30), "streaming");
                d.awaitLine(l -> l.contains("right: streaming"), Duration.ofSeconds(30), "streaming");
                Thread.sleep(5000);
                Files.delete(config.resolve("mjpeg.camera-left.cfg"));
                d.awaitLine(l -> l.contains("left: stopped;"), Duration.ofSeconds(10), "stopping left");
                Thread.sleep(500);
                left.close(); // before the runtime stops, and right says BYE too
                right.close();
            }
            String cname = null;
            for (Capture c : List.of(left, right)) {
                List<Sr> srs = new ArrayList<>();
                boolean bye = false;
                synchronized (c.reports) {
                    for (ByteBuffer b : c.reports) {
                        assertEquals(2, (b.get(0) & 0xFF) >> 6, c.camera + ": RTCP version 2");
                        int type = b.get(1) & 0xFF;
                        assertTrue(type == 200 || type == 201, c.camera + ": a compound packet starts with SR or RR");
                        assertEquals(c.ssrc, b.getInt(4), c.camera + ": the report's SSRC is the RTP stream's");
                        if (type == 200) {
                            assertEquals(6, b.getShort(2), c.camera + ": SR length without report blocks");
                            srs.add(new Sr(b.getLong(8), b.getInt(16) & 0xFFFF_FFFFL, b.getInt(20) & 0xFFFF_FFFFL));
                        }
                        Map<Integer, String> sdes = sdes(b, c.ssrc);
                        assertFalse(sdes.isEmpty(), c.camera + ": every compound packet has SDES");
                        assertEquals(c.camera, sdes.get(2), c.camera + ": SDES NAME is the camera's name");
                        if (cname == null) {
                            cname = sdes.get(1);
                        }
                        assertEquals(cname, sdes.get(1), "one CNAME for both cameras: one participant, one clock");
                        bye |= hasBye(b, c.ssrc);
                    }
                }
                assertTrue(srs.size() >= 3, c.camera + ": sender reports about every second: " + srs.size());
                for (int i = 1; i < srs.size(); i++) {
                    assertTrue(srs.get(i).packets >= srs.get(i - 1).packets, "packet counts only grow");
                }
                assertTrue(srs.get(srs.size() - 1).packets > 0 && srs.get(srs.size() - 1).packets <= c.rtpPackets,
                        c.camera + ": the packet count matches what arrived");
                assertEquals(c == left, bye, c.camera + ": BYE exactly when the camera stops");
                c.latency = latencies(c, srs);
            }
            assertTrue(cname.startsWith("mjpeg-rtp@"), cname);
            // A frame's capture time, from its RTP timestamp through the latest SR, is at most a few ms before it
            // arrives; and both cameras agree, which is what pairing their frames needs.
            double l = median(left.latency), r = median(right.latency);
            System.out.printf("[RtcpIT] arrival - capture time from SR mapping: left %.2f ms, right %.2f ms%n", l, r);
            assertTrue(l > -1 && l < 50, "left's SR mapping puts capture just before arrival: " + l + " ms");
            assertTrue(r > -1 && r < 50, "right's SR mapping puts capture just before arrival: " + r + " ms");
            assertTrue(Math.abs(l - r) < 5, "both cameras map RTP time to the same clock: " + l + " vs " + r + " ms");
        } finally {
            left.close();
            right.close();
        }
    }

    record Sr(long ntp, long rtp, long packets) {
    }

    private static List<Double> latencies(Capture c, List<Sr> srs) {
        List<Double> out = new ArrayList<>();
        Sr last = srs.get(srs.size() - 1);
        synchronized (c.frames) {
            for (long[] f : c.frames) {
                int ticks = (int) (f[1] - last.rtp); // signed modulo 2^32
                double captureNanos = ntpToUnixNanos(last.ntp) + ticks * (1e9 / 90_000);
                out.add((f[0] - captureNanos) / 1e6);
            }
        }
        assertTrue(out.size() > 20, c.camera + ": frames arrived: " + out.size());
        return out;
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }

    private static long unixNanos(Instant i) {
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    private static double ntpToUnixNanos(long ntp) {
        long seconds = (ntp >>> 32) - 2_208_988_800L;
        return seconds * 1e9 + (ntp & 0xFFFF_FFFFL) * 1e9 / 4_294_967_296.0;
    }

    /** The SDES items (type to text) of {@code ssrc}'s chunk in a compound packet. */
    private static Map<Integer, String> sdes(ByteBuffer b, int ssrc) {
        Map<Integer, String> items = new java.util.HashMap<>();
        for (int p = 0; p + 4 <= b.limit(); p += ((b.getShort(p + 2) & 0xFFFF) + 1) * 4) {
            if ((b.get(p + 1) & 0xFF) == 202 && b.getInt(p + 4) == ssrc) {
                int i = p + 8;
                while (i < b.limit() && b.get(i) != 0) {
                    int type = b.get(i), len = b.get(i + 1) & 0xFF;
                    items.put(type, new String(b.array(), b.arrayOffset() + i + 2, len, StandardCharsets.UTF_8));
                    i += 2 + len;
                }
            }
        }
        return items;
    }

    private static boolean hasBye(ByteBuffer b, int ssrc) {
        for (int p = 0; p + 8 <= b.limit(); p += ((b.getShort(p + 2) & 0xFFFF) + 1) * 4) {
            if ((b.get(p + 1) & 0xFF) == 203 && b.getInt(p + 4) == ssrc) {
                return true;
            }
        }
        return false;
    }
}
