package io.mjpegrtp.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A camera whose file gets a new destination keeps its RTP session: same SSRC, sequence numbers continue. */
class DestinationChangeIT {
    @TempDir
    Path work;

    @Test
    void aNewDestinationIsTheSameStreamToTheReceiver() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (DatagramSocket first = new DatagramSocket(new InetSocketAddress(loopback, 0));
                DatagramSocket second = new DatagramSocket(new InetSocketAddress(loopback, 0))) {
            // RTCP goes to port+1; these sockets only read RTP, so the odd port neighbours may stay closed.
            Path config = work.resolve("config");
            RunningDistribution.writeCamera(config, "moving", "width = 320", "height = 240", "framerate = 15",
                    "destination = 127.0.0.1:" + first.getLocalPort());
            try (RunningDistribution d = new RunningDistribution(work, config)) {
                d.awaitLine(l -> l.contains("moving: streaming"), Duration.ofSeconds(30), "streaming");
                byte[] buf = new byte[65536];
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                first.setSoTimeout(5000);
                int packets = 0;
                long ssrc = -1;
                int lastSeq = -1;
                while (packets < 30) {
                    first.receive(p);
                    ssrc = rtpSsrc(buf);
                    lastSeq = rtpSeq(buf);
                    packets++;
                }
                long changedAt = System.nanoTime();
                RunningDistribution.writeCamera(config, "moving", "width = 320", "height = 240", "framerate = 15",
                        "destination = 127.0.0.1:" + second.getLocalPort());
                // Drain the old destination until the camera has moved on; each packet there continues the count.
                first.setSoTimeout(1500);
                long lastAtOld = changedAt;
                try {
                    while (true) {
                        first.receive(p);
                        assertEquals(ssrc, rtpSsrc(buf), "one SSRC at the old destination");
                        assertEquals((lastSeq + 1) & 0xFFFF, rtpSeq(buf), "no gap at the old destination");
                        lastSeq = rtpSeq(buf);
                        lastAtOld = System.nanoTime();
                    }
                } catch (SocketTimeoutException moved) {
                    // nothing more arrives there
                }
                second.setSoTimeout(10_000);
                second.receive(p);
                // Measured, not asserted: the stream left the old destination this long after the file changed.
                System.out.println("switched destination within " + (lastAtOld - changedAt) / 1_000_000
                        + " ms of the file being written");
                assertEquals(ssrc, rtpSsrc(buf), "the same SSRC at the new destination");
                assertEquals((lastSeq + 1) & 0xFFFF, rtpSeq(buf), "the sequence continues at the new destination");
                assertTrue(d.count(l -> l.contains("moving: sending to udp://127.0.0.1:" + second.getLocalPort())) == 1,
                        "the camera says where it sends now");
                assertTrue(Files.exists(d.sdp.resolve("moving.sdp")), "its SDP file is still there");
                assertTrue(Files.readString(d.sdp.resolve("moving.sdp")).contains("m=video " + second.getLocalPort()),
                        "and names the new port");
            }
        }
    }

    private static long rtpSsrc(byte[] b) {
        return ((b[8] & 0xFFL) << 24) | ((b[9] & 0xFF) << 16) | ((b[10] & 0xFF) << 8) | (b[11] & 0xFF);
    }

    private static int rtpSeq(byte[] b) {
        return ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    }
}
