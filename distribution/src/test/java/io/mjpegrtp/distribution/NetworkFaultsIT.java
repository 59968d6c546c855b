package io.mjpegrtp.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Network faults while streaming, each in namespaces of the test's own: nobody listening (ICMP port unreachable),
 * no route to the destination, the interface going down and up again. In every case the camera keeps capturing,
 * failed packets are counted as send errors but logged once per change of state, the stream resumes by itself, and
 * no exception escapes into the log.
 */
class NetworkFaultsIT {
    @TempDir
    Path work;

    @Test
    void receiverNotListeningIsCountedLoggedOnceAndRecovers() throws Exception {
        Path config = work.resolve("config");
        RunningDistribution.writeCamera(config, "cam", "width = 320", "height = 240", "framerate = 10",
                "destination = 127.0.0.1:5000");
        try (Netns ns = Netns.create("icmp");
                RunningDistribution d = new RunningDistribution(ns.exec(), RunningDistribution.HOME, work, config)) {
            d.awaitLine(l -> l.contains("cam: sending to udp://127.0.0.1:5000 fails: PortUnreachable"),
                    Duration.ofSeconds(30), "reporting the unreachable port");
            long during = captured(d);
            Thread.sleep(1500); // many more packets fail
            assertTrue(captured(d) > during, "capturing goes on while nobody listens");
            Path log = work.resolve("gst-1.log");
            Process gst = receiver(ns, log);
            d.awaitLine(l -> l.contains("cam: sending to udp://127.0.0.1:5000 works again"), Duration.ofSeconds(10),
                    "recovering once a receiver listens");
            Thread.sleep(2000);
            WireTools.interrupt(gst);
            int frames = WireTools.buffers(log);
            assertTrue(frames >= 5, "the receiver decodes the stream: " + frames);
            Thread.sleep(1500); // nobody listens again
            d.terminate();
            assertEquals(2, d.count(l -> l.contains("cam: sending to") && l.contains("fails:")),
                    "one line per outage, not per packet");
            assertEquals(1, d.count(l -> l.contains("cam: sending to") && l.contains("works again")));
            assertKeptGoing(d, "cam", 3);
        }
    }

    @Test
    void noRouteIsCountedLoggedOnceAndRecoversWhenARouteAppears() throws Exception {
        Path config = work.resolve("config");
        RunningDistribution.writeCamera(config, "cam", "width = 320", "height = 240", "framerate = 10",
                "destination = 10.215.2.1:5000");
        try (Netns sender = Netns.create("nrs"); Netns receiver = Netns.create("nrr")) {
            // Two subnets on one wire and no routes between them: the destination is unreachable.
            Netns.link(sender, "nr0", "10.215.1.1/24", receiver, "nr1", "10.215.2.1/24");
            Path log = work.resolve("gst.log");
            Process gst = receiver(receiver, log);
            try (RunningDistribution d = new RunningDistribution(sender.exec(), RunningDistribution.HOME, work,
                    config)) {
                d.awaitLine(l -> l.contains("cam: sending to udp://10.215.2.1:5000 fails:")
                        && l.contains("Network is unreachable"),
                        Duration.ofSeconds(30), "reporting no route");
                d.awaitLine(l -> l.contains("cam: streaming"), Duration.ofSeconds(10), "capturing regardless");
                long during = captured(d);
                Thread.sleep(2000);
                assertTrue(captured(d) > during, "capturing goes on without a route");
                sender.ip("route", "add", "10.215.2.0/24", "dev", "nr0");
                receiver.ip("route", "add", "10.215.1.0/24", "dev", "nr1");
                d.awaitLine(l -> l.contains("cam: sending to udp://10.215.2.1:5000 works again"),
                        Duration.ofSeconds(10), "recovering once there is a route");
                Thread.sleep(2000);
                d.terminate();
                WireTools.interrupt(gst);
                assertTrue(WireTools.buffers(log) >= 5, "the receiver decodes the stream once routed: "
                        + WireTools.buffers(log));
                assertEquals(1, d.count(l -> l.contains("cam: sending to") && l.contains("fails:")),
                        "one line for the outage, not one per frame or retry");
                assertKeptGoing(d, "cam", 10);
            } finally {
                WireTools.interrupt(gst);
            }
        }
    }

    @Test
    void interfaceDownAndUpIsCountedLoggedOnceAndRecovers() throws Exception {
        Path config = work.resolve("config");
        RunningDistribution.writeCamera(config, "cam", "width = 320", "height = 240", "framerate = 10",
                "destination = 10.214.1.2:5000");
        try (Netns sender = Netns.create("ifs"); Netns receiver = Netns.create("ifr")) {
            Netns.link(sender, "if0", "10.214.1.1/24", receiver, "if1", "10.214.1.2/24");
            // One receiver all along: a missing listener would add its own failure (port unreachable).
            Path log = work.resolve("gst.log");
            Process gst = receiver(receiver, log);
            try (RunningDistribution d = new RunningDistribution(sender.exec(), RunningDistribution.HOME, work,
                    config)) {
                d.awaitLine(l -> l.contains("cam: streaming"), Duration.ofSeconds(30), "streaming");
                Thread.sleep(2000);
                assertEquals(0, d.count(l -> l.contains("fails:")), "sending works before the fault");
                sender.ip("link", "set", "dev", "if0", "down");
                d.awaitLine(l -> l.contains("cam: sending to udp://10.214.1.2:5000 fails:"), Duration.ofSeconds(10),
                        "reporting the interface down");
                long during = captured(d);
                Thread.sleep(2500); // frames keep failing, and the socket is reopened a few times
                assertTrue(captured(d) > during, "capturing goes on while the interface is down");
                int beforeUp = WireTools.buffers(log);
                sender.ip("link", "set", "dev", "if0", "up");
                d.awaitLine(l -> l.contains("cam: sending to udp://10.214.1.2:5000 works again"),
                        Duration.ofSeconds(15), "recovering once the interface is up");
                Thread.sleep(3000);
                d.terminate();
                WireTools.interrupt(gst);
                int after = WireTools.buffers(log);
                System.out.println("[NetworkFaultsIT] decoded " + beforeUp + " frames before the interface came up, "
                        + after + " in all");
                assertTrue(after - beforeUp >= 10, "the stream resumed by itself: " + beforeUp + " -> " + after);
                assertEquals(1, d.count(l -> l.contains("cam: sending to") && l.contains("fails:")),
                        "one line for the outage, not one per packet or retry");
                assertEquals(1, d.count(l -> l.contains("cam: sending to") && l.contains("works again")));
                assertKeptGoing(d, "cam", 10);
            } finally {
                WireTools.interrupt(gst);
            }
        }
    }

    /** Frames captured so far, from {@code mjpeg:stats cam}. */
    private static long captured(RunningDistribution d) throws Exception {
        String stats = d.command("mjpeg:stats", "cam");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("frames captured\\s+(\\d+)").matcher(stats);
        assertTrue(m.find(), "mjpeg:stats cam shows frames captured:\n" + stats);
        return Long.parseLong(m.group(1));
    }

    private static Process receiver(Netns ns, Path log) throws Exception {
        return WireTools.gstCounting(log.getParent(), log, ns.exec(), "udpsrc", "port=5000",
                "caps=" + Receivers.RTP_CAPS, "!", "rtpjpegdepay", "!", "jpegdec");
    }

    /** The camera captured all along, errors were counted, nothing was restarted and no exception escaped. */
    private static void assertKeptGoing(RunningDistribution d, String camera, long minErrors) {
        long[] c = WireTools.stoppedCounters(d, camera); // captured, sent, packets, send errors
        assertTrue(c[3] >= minErrors, camera + ": failed packets are counted: " + c[3] + " send errors");
        assertEquals(0, d.count(l -> l.contains(camera + ": capture failed") || l.contains(camera + ": restarting")),
                "the capture was never restarted");
        assertEquals(List.of(), WireTools.stackTraces(d), "no exception in the log");
    }
}
