package io.mjpegrtp.transport.udp.internal;

import io.mjpegrtp.api.CameraCounters;
import io.mjpegrtp.rtp.RtpClock;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RTCP side of one camera's RTP session (RFC 3550 6), on its own thread: a sender report with SDES about every
 * second (randomised 0.5..1.5 s so that cameras do not report in lock step), receiver reports read into the
 * camera's counters, and BYE when the session ends.
 *
 * <p>The socket is bound to the loopback address when the destination is on this host, so nothing listens on an
 * outside address for a local stream; for a remote unicast destination it binds an ephemeral port of the wildcard
 * address, for a multicast group it binds port + 1 and joins the group, where the group's receivers send their
 * reports. Reports go out from this socket, so receivers that answer to the source of our reports reach it.
 */
final class RtcpSession implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger("mjpeg.transport.udp");
    /** Shared by all cameras: a receiver binds streams with one CNAME to one clock (RFC 3550 6.5.1). */
    static final String CNAME = "mjpeg-rtp@" + hostName();
    private static final long INTERVAL_NANOS = 1_000_000_000L;
    private static final int MAX_REPORTERS_LOGGED = 64;

    /** What the session needs of the RTP sender, read from this thread. */
    interface Source {
        long packetsSent();

        long octetsSent();
    }

    private final String camera;
    private final int ssrc;
    private final RtpClock clock;
    private final Source source;
    private final CameraCounters counters;
    private final InetSocketAddress destination;
    private final DatagramSocket socket;
    private final Thread thread;
    private final ByteBuffer out = ByteBuffer.allocate(Rtcp.MAX_PACKET);
    private final byte[] in = new byte[2048];
    private final Set<Integer> reportersLogged = new HashSet<>();
    private long packetsAtLastReport = -1;
    private long packetsAtReportBeforeLast = -1;
    private volatile boolean closed;
    private String failure;

    /**
     * @param rtpDestination where RTP goes; RTCP goes to its port + 1
     * @param options the multicast and DSCP settings of the RTP socket
     */
    RtcpSession(String camera, int ssrc, RtpClock clock, Source source, CameraCounters counters,
            InetSocketAddress rtpDestination, SocketSetup options) throws IOException {
        this.camera = camera;
        this.ssrc = ssrc;
        this.clock = clock;
        this.source = source;
        this.counters = counters;
        this.destination = new InetSocketAddress(rtpDestination.getAddress(), rtpDestination.getPort() + 1);
        this.socket = open(destination, options);
        this.thread = new Thread(this, "rtcp-" + camera);
        this.thread.setDaemon(true);
    }

    /** The local address receivers send their reports to. */
    InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    void start() {
        thread.start();
    }

    private static DatagramSocket open(InetSocketAddress to, SocketSetup options) throws IOException {
        InetAddress address = to.getAddress();
        DatagramSocket s;
        if (address.isMulticastAddress()) {
            MulticastSocket m = new MulticastSocket(null);
            s = m;
            try {
                m.setReuseAddress(true); // receivers on this host bind the same port for the group
                m.bind(new InetSocketAddress(address instanceof Inet6Address ? "::" : "0.0.0.0", to.getPort()));
                options.applyMulticast(m::setOption);
                NetworkInterface nif = options.multicastInterface();
                m.joinGroup(new InetSocketAddress(address, 0), nif);
            } catch (IOException | RuntimeException e) {
                if (!s.isBound()) {
                    s.close();
                    throw e;
                }
                // Reports can still go out; only the receivers' reports cannot be read.
                LOG.warn("{}: cannot join {} for receiver reports: {}", options.camera(), address.getHostAddress(),
                        e.toString());
            }
        } else {
            s = new DatagramSocket(null);
            try {
                InetAddress local = address.isLoopbackAddress() ? address
                        : InetAddress.getByName(address instanceof Inet6Address ? "::" : "0.0.0.0");
                s.bind(new InetSocketAddress(local, 0));
            } catch (IOException | RuntimeException e) {
                s.close();
                throw e;
            }
        }
        try {
            s.setOption(StandardSocketOptions.IP_TOS, options.dscp() << 2);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warn("{}: DSCP {} cannot be set on the RTCP socket: {}", options.camera(), options.dscp(), e.toString());
        }
        return s;
    }

    @Override
    public void run() {
        // The first report comes soon, so that a receiver can pair cameras within a second of joining.
        long next = System.nanoTime() + interval() / 2;
        DatagramPacket packet = new DatagramPacket(in, in.length);
        while (!closed) {
            long wait = next - System.nanoTime();
            if (wait <= 0) {
                send(null);
                next = System.nanoTime() + interval();
                continue;
            }
            try {
                socket.setSoTimeout((int) Math.max(1, wait / 1_000_000));
                packet.setLength(in.length);
                socket.receive(packet);
                received(packet);
            } catch (SocketTimeoutException e) {
                // time for the next report
            } catch (IOException | RuntimeException e) {
                if (closed) {
                    return;
                }
                // A datagram socket fails only transiently (an ICMP error reported late); wait a little and go on.
                LOG.debug("{}: RTCP receive: {}", camera, e.toString());
                sleep(100);
            }
        }
    }

    private long interval() {
        return (long) (INTERVAL_NANOS * ThreadLocalRandom.current().nextDouble(0.5, 1.5));
    }

    private void received(DatagramPacket packet) {
        long arrival = NtpTime.ntp(System.nanoTime());
        ByteBuffer b = ByteBuffer.wrap(packet.getData(), packet.getOffset(), packet.getLength());
        Rtcp.reportBlocks(b, ssrc, block -> {
            long rtt = Rtcp.roundTripMicros(block, arrival);
            counters.receiverReport(block.fractionLost(), block.cumulativeLost(),
                    Rtcp.jitterMicros(block.jitter(), RtpClock.CLOCK_RATE), rtt);
            if (reportersLogged.size() < MAX_REPORTERS_LOGGED && reportersLogged.add(block.reporterSsrc())) {
                LOG.info("{}: receiver reports from {} (ssrc {}): {}% lost, jitter {} ms{}", camera,
                        packet.getSocketAddress(), Integer.toHexString(block.reporterSsrc()),
                        block.fractionLost() * 100 / 256, Rtcp.jitterMicros(block.jitter(), RtpClock.CLOCK_RATE) / 1000,
                        rtt < 0 ? "" : ", round trip " + rtt / 1000 + " ms");
            }
        });
    }

    /** Sends a report, with BYE when {@code bye} is not null. */
    private synchronized void send(String bye) {
        long now = System.nanoTime();
        long packets = source.packetsSent();
        // A sender report only while sending; two intervals after the last packet a receiver report (RFC 3550 6.4).
        boolean sent = packets > 0 && packets != packetsAtReportBeforeLast;
        packetsAtReportBeforeLast = packetsAtLastReport;
        packetsAtLastReport = packets;
        Rtcp.compound(out, new Rtcp.SenderInfo(ssrc, NtpTime.ntp(now), clock.timestamp(now), packets,
                source.octetsSent()), sent, CNAME, camera, bye);
        try {
            socket.send(new DatagramPacket(out.array(), out.limit(), destination));
            if (failure != null) {
                LOG.info("{}: RTCP to {} works again", camera, destination);
                failure = null;
            }
        } catch (IOException e) {
            String what = e.toString();
            if (!what.equals(failure)) {
                failure = what;
                // RTP has its own message for the same cause; this one is for people reading why reports stop.
                LOG.debug("{}: RTCP to {} fails: {}", camera, destination, what);
            }
        }
    }

    /** Sends BYE and stops the session. */
    void close(String reason) {
        if (closed) {
            return;
        }
        send(reason);
        closed = true;
        socket.close();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String hostName() {
        String name = System.getenv("HOSTNAME");
        if (name == null || name.isBlank()) {
            try {
                name = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).trim();
            } catch (IOException | RuntimeException e) {
                name = null;
            }
        }
        if (name == null || name.isBlank()) {
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                name = "localhost";
            }
        }
        return name;
    }
}
