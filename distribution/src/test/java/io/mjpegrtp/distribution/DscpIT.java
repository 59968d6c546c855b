package io.mjpegrtp.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DSCP on the wire: a receiver reads the TOS byte of every arriving packet (IP_RECVTOS, which Java cannot ask for,
 * so the receiver is Python) and finds {@code dscp << 2} on RTP and on RTCP, per camera.
 */
class DscpIT {
    /** Prints "port tos count" for every port and TOS value seen until the stop file (argument 1) exists. */
    static final String TOS_RECEIVER = """
            import os, select, socket, sys, time
            ports = [int(p) for p in sys.argv[2:]]
            socks = {}
            for p in ports:
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.setsockopt(socket.IPPROTO_IP, socket.IP_RECVTOS, 1)
                s.bind(('127.0.0.1', p))
                socks[s] = p
            seen = {}
            end = time.time() + 60
            print('listening', flush=True)
            while time.time() < end and not os.path.exists(sys.argv[1]):
                ready, _, _ = select.select(list(socks), [], [], 0.2)
                for s in ready:
                    data, anc, flags, addr = s.recvmsg(65535, socket.CMSG_SPACE(4))
                    tos = None
                    for level, kind, value in anc:
                        if level == socket.IPPROTO_IP and kind == socket.IP_TOS:
                            tos = value[0]
                    key = (socks[s], tos)
                    seen[key] = seen.get(key, 0) + 1
            for (port, tos), n in sorted(seen.items(), key=str):
                print(port, tos, n)
            """;

    @TempDir
    Path work;

    @Test
    void packetsCarryTheConfiguredDscp() throws Exception {
        Path script = Files.writeString(work.resolve("tos.py"), TOS_RECEIVER);
        Path config = work.resolve("config");
        // Expedited forwarding (46) for one camera, AF11 (10) for the other: each camera's own sockets.
        RunningDistribution.writeCamera(config, "ef", "width = 320", "height = 240", "framerate = 10", "dscp = 46",
                "destination = 127.0.0.1:5000");
        RunningDistribution.writeCamera(config, "af11", "width = 320", "height = 240", "framerate = 10", "dscp = 10",
                "destination = 127.0.0.1:5010");
        Map<String, Long> seen = new TreeMap<>();
        try (Netns ns = Netns.create("dscp")) {
            Path out = work.resolve("tos.out");
            Tools.require("python3");
            Path stop = work.resolve("stop");
            Process receiver = Tools.start(work, out, ns.exec("python3", script.toString(), stop.toString(), "5000",
                    "5001", "5010", "5011"));
            waitFor(out, "listening");
            try (RunningDistribution d = new RunningDistribution(ns.exec(), RunningDistribution.HOME, work, config)) {
                d.awaitLine(l -> l.contains("af11: streaming"), Duration.ofSeconds(30), "streaming");
                d.awaitLine(l -> l.contains("ef: streaming"), Duration.ofSeconds(30), "streaming");
                Thread.sleep(3000); // sender reports come every 0.5..1.5 s
                Files.writeString(stop, "");
                assertTrue(receiver.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "the receiver ends");
            }
            for (String line : Files.readAllLines(out)) {
                String[] f = line.trim().split(" ");
                if (f.length == 3) {
                    seen.merge(f[0] + " tos " + f[1], Long.parseLong(f[2]), Long::sum);
                }
            }
        }
        System.out.println("[DscpIT] port, TOS -> packets: " + seen);
        assertTrue(seen.getOrDefault("5000 tos 184", 0L) > 10, "RTP of dscp 46 arrives with TOS 184: " + seen);
        assertTrue(seen.getOrDefault("5001 tos 184", 0L) >= 1, "RTCP of dscp 46 arrives with TOS 184: " + seen);
        assertTrue(seen.getOrDefault("5010 tos 40", 0L) > 10, "RTP of dscp 10 arrives with TOS 40: " + seen);
        assertTrue(seen.getOrDefault("5011 tos 40", 0L) >= 1, "RTCP of dscp 10 arrives with TOS 40: " + seen);
        assertEquals(4, seen.size(), "no packet with another TOS: " + seen);
    }

    static void waitFor(Path file, String text) throws Exception {
        for (int i = 0; i < 200; i++) {
            if (Files.exists(file) && Files.readString(file).contains(text)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(file + " never said '" + text + "'");
    }
}
