package io.mjpegrtp.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Multicast between two network namespaces joined by a veth pair: the sender's namespace has no route for
 * multicast, so only {@code multicast_interface} makes packets leave at all; two GStreamer receivers of one group
 * decode the same stream; the receivers' side sees the configured TTL; {@code multicast_loop} decides whether
 * listeners on the sender's own host get the packets.
 */
class MulticastIT {
    /** Joins groups on one interface; prints "group ttl count" per group and TTL seen, once the stop file exists. */
    static final String GROUP_RECEIVER = """
            import os, select, socket, struct, sys, time
            IP_RECVTTL = getattr(socket, 'IP_RECVTTL', 12)
            stop, iface = sys.argv[1], sys.argv[2]
            socks = {}
            for spec in sys.argv[3:]:
                group, port = spec.split(':')
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind((group, int(port)))
                s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
                             socket.inet_aton(group) + socket.inet_aton(iface))
                s.setsockopt(socket.IPPROTO_IP, IP_RECVTTL, 1)
                socks[s] = group
            seen = {}
            print('listening', flush=True)
            end = time.time() + 60
            while time.time() < end and not os.path.exists(stop):
                ready, _, _ = select.select(list(socks), [], [], 0.2)
                for s in ready:
                    data, anc, flags, addr = s.recvmsg(65535, socket.CMSG_SPACE(4))
                    ttl = None
                    for level, kind, value in anc:
                        if level == socket.IPPROTO_IP and kind == socket.IP_TTL:
                            ttl = struct.unpack('i', value[:4])[0]
                    key = (socks[s], ttl)
                    seen[key] = seen.get(key, 0) + 1
            for (group, ttl), n in sorted(seen.items(), key=str):
                print(group, ttl, n)
            """;
    private static final String LOUD = "239.255.42.1", QUIET = "239.255.42.2";

    @TempDir
    Path work;

    @Test
    void twoReceiversOfOneGroupWithTtlInterfaceAndLoop() throws Exception {
        Path script = Files.writeString(work.resolve("groups.py"), GROUP_RECEIVER);
        Path config = work.resolve("config");
        // Interface by name for one camera, by address for the other.
        RunningDistribution.writeCamera(config, "loud", "width = 320", "height = 240", "framerate = 10",
                "destination = " + LOUD + ":5000", "multicast_ttl = 3", "multicast_interface = mcs0",
                "multicast_loop = true");
        RunningDistribution.writeCamera(config, "quiet", "width = 320", "height = 240", "framerate = 10",
                "destination = " + QUIET + ":5010", "multicast_interface = 10.213.1.1", "multicast_loop = false");
        Tools.require("python3");
        try (Netns sender = Netns.create("mcs"); Netns receivers = Netns.create("mcr")) {
            Netns.link(sender, "mcs0", "10.213.1.1/24", receivers, "mcr0", "10.213.1.2/24");
            Path stop = work.resolve("stop");
            Path there = work.resolve("receivers.out");
            Path here = work.resolve("sender-host.out");
            Process remote = Tools.start(work, there, receivers.exec("python3", script.toString(), stop.toString(),
                    "10.213.1.2", LOUD + ":5000", QUIET + ":5010"));
            Process local = Tools.start(work, here, sender.exec("python3", script.toString(), stop.toString(),
                    "10.213.1.1", LOUD + ":5000", QUIET + ":5010"));
            DscpIT.waitFor(there, "listening");
            DscpIT.waitFor(here, "listening");
            List<Process> gst = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                gst.add(WireTools.gstCounting(work, work.resolve("gst-" + i + ".log"), receivers.exec(), "udpsrc",
                        "address=" + LOUD, "port=5000", "auto-multicast=true", "multicast-iface=mcr0",
                        "caps=" + Receivers.RTP_CAPS, "!", "rtpjpegdepay", "!", "jpegdec"));
            }
            Thread.sleep(1000);
            try (RunningDistribution d = new RunningDistribution(sender.exec(), RunningDistribution.HOME, work, config)) {
                d.awaitLine(l -> l.contains("loud: streaming"), Duration.ofSeconds(30), "streaming");
                d.awaitLine(l -> l.contains("quiet: streaming"), Duration.ofSeconds(30), "streaming");
                Thread.sleep(3000);
                Files.writeString(stop, "");
                assertTrue(remote.waitFor(20, TimeUnit.SECONDS) && local.waitFor(20, TimeUnit.SECONDS));
                String sdp = Files.readString(d.sdp.resolve("loud.sdp"));
                assertTrue(sdp.contains("c=IN IP4 " + LOUD + "/3"), "the SDP names the group and its TTL:\n" + sdp);
                assertEquals(List.of(), WireTools.stackTraces(d));
            } finally {
                for (Process p : gst) {
                    WireTools.interrupt(p);
                }
            }
            for (int i = 0; i < 2; i++) {
                int frames = WireTools.buffers(work.resolve("gst-" + i + ".log"));
                System.out.println("[MulticastIT] receiver " + i + " decoded " + frames + " frames");
                assertTrue(frames >= 10, "receiver " + i + " of the group decodes the stream: " + frames);
            }
            Map<String, Long> remoteSeen = seen(there);
            Map<String, Long> localSeen = seen(here);
            System.out.println("[MulticastIT] receivers' namespace: " + remoteSeen + "; sender's: " + localSeen);
            assertTrue(remoteSeen.getOrDefault(LOUD + " ttl 3", 0L) > 10, "multicast_ttl = 3 on the wire: " + remoteSeen);
            assertTrue(remoteSeen.getOrDefault(QUIET + " ttl 1", 0L) > 10, "the default TTL is 1: " + remoteSeen);
            assertEquals(2, remoteSeen.size(), "no other TTL: " + remoteSeen);
            assertTrue(localSeen.getOrDefault(LOUD + " ttl 3", 0L) > 10, "multicast_loop = true: the sender's host "
                    + "gets its own group: " + localSeen);
            assertEquals(0L, localSeen.entrySet().stream().filter(e -> e.getKey().startsWith(QUIET))
                    .mapToLong(Map.Entry::getValue).sum(), "multicast_loop = false: nothing on the sender's host");
        }
    }

    private static Map<String, Long> seen(Path out) throws Exception {
        Map<String, Long> seen = new TreeMap<>();
        for (String line : Files.readAllLines(out)) {
            String[] f = line.trim().split(" ");
            if (f.length == 3) {
                seen.put(f[0] + " ttl " + f[1], Long.parseLong(f[2]));
            }
        }
        return seen;
    }
}
