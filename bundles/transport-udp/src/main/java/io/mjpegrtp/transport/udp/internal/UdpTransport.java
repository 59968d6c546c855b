package io.mjpegrtp.transport.udp.internal;

import io.mjpegrtp.api.CameraCounters;
import io.mjpegrtp.api.Frame;
import io.mjpegrtp.api.FrameRejectedException;
import io.mjpegrtp.api.Transport;
import io.mjpegrtp.api.TransportRequest;
import io.mjpegrtp.jpeg.JpegFormatException;
import io.mjpegrtp.jpeg.JpegInfo;
import io.mjpegrtp.jpeg.JpegParser;
import io.mjpegrtp.jpeg.JpegRecoder;
import io.mjpegrtp.rtp.PacketSink;
import io.mjpegrtp.rtp.RtpClock;
import io.mjpegrtp.rtp.RtpJpegPacketizer;
import io.mjpegrtp.rtp.SessionDescription;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One camera's RTP/JPEG stream over UDP, with its RTCP session on port + 1. The RTP session (SSRC, sequence,
 * timestamp base) is created once and kept across {@link #reconfigure} and across reopened sockets, so a new
 * destination, an MTU change or a network failure is not a new stream for a receiver.
 *
 * <p>Per packet nothing is allocated or copied: the packetizer fills a reused header buffer and points a view at
 * the frame's scan data, and both go out in one gathering write on a connected channel.
 *
 * <p>Network trouble never leaves this class as an exception: a destination that cannot be reached (no route,
 * interface down, name not resolving, nobody listening) is counted as send errors and logged once per change of
 * state, the socket is reopened at most once a second while it lasts, and sending resumes by itself.
 */
final class UdpTransport implements Transport, PacketSink, RtcpSession.Source {
    private static final Logger LOG = LoggerFactory.getLogger("mjpeg.transport.udp");
    private static final int RTP_HEADER = 12;
    /** How often a failing destination is opened anew (name lookup, route, source address). */
    private static final long REOPEN_NANOS = 1_000_000_000L;

    private final String camera;
    private final CameraCounters counters;
    private final JpegParser parser = new JpegParser();
    private JpegRecoder recoder;
    private String recodeReason = "";
    private final JpegInfo info = new JpegInfo();
    private final RtpJpegPacketizer packetizer;
    private final RtpClock clock = new RtpClock();
    private final ByteBuffer[] gather = new ByteBuffer[2];
    private TransportRequest request;
    private DatagramChannel channel; // null while the destination cannot be opened
    private RtcpSession rtcp; // null while it cannot be opened
    private long openedAt;
    private long rtcpTriedAt;
    private Pacer pacer;
    private String sdp;
    private Path sdpFile;
    private String failure; // the send error being reported, or null while sending works
    private String rtcpFailure;
    private int errorsThisFrame;
    // Written by the sending thread only, read by the RTCP thread for sender reports.
    private volatile long packetsSent;
    private volatile long octetsSent;

    UdpTransport(TransportRequest request, CameraCounters counters) {
        this.camera = request.camera();
        this.counters = counters;
        SecureRandom random = new SecureRandom();
        this.packetizer = new RtpJpegPacketizer(random.nextInt(), random.nextInt(1 << 16), request.mtu());
        apply(request);
    }

    @Override
    public synchronized void send(Frame frame) throws FrameRejectedException {
        ByteBuffer data = frame.sharedData();
        try {
            parser.parse(data, info);
        } catch (JpegFormatException e) {
            if (!e.recodable()) {
                throw new FrameRejectedException(e.getMessage());
            }
            data = recode(data, e.getMessage());
        }
        errorsThisFrame = 0;
        long now = System.nanoTime();
        if ((channel == null || failure != null) && now - openedAt > REOPEN_NANOS) {
            open();
        } else if (rtcp == null && channel != null && now - rtcpTriedAt > REOPEN_NANOS) {
            startRtcp();
        }
        if (channel == null) {
            counters.sendError(); // the frame is lost: one error, its packets were never made
            return;
        }
        pacer.startFrame(info.scanLength());
        try {
            packetizer.packetize(data, info, clock.timestamp(frame.captureTimeNanos()), this);
        } catch (IOException e) {
            sendFailed(e); // not reached: packet() handles its own errors
        }
        // Recovery is judged per frame: an unreachable port fails every other packet, not every one.
        if (errorsThisFrame == 0 && failure != null) {
            LOG.info("{}: sending to {} works again", camera, describe());
            failure = null;
        }
    }

    /**
     * Re-codes a JPEG that RFC 2435 can carry only with the standard Huffman tables or its own sampling layout,
     * without changing a coefficient; the result is valid until the next frame.
     */
    private ByteBuffer recode(ByteBuffer data, String why) throws FrameRejectedException {
        if (recoder == null) {
            recoder = new JpegRecoder(); // its buffers are only worth having for sources that need it
        }
        try {
            ByteBuffer recoded = recoder.recode(data);
            parser.parse(recoded, info);
            if (!why.equals(recodeReason)) {
                recodeReason = why;
                LOG.info("{}: re-coding frames losslessly for RFC 2435 because: {}", camera, why);
            }
            return recoded;
        } catch (JpegFormatException e) {
            throw new FrameRejectedException(e.getMessage());
        }
    }

    @Override
    public void packet(ByteBuffer header, ByteBuffer payload, boolean marker) {
        int bytes = header.remaining() + payload.remaining();
        DatagramChannel ch = channel;
        if (ch == null) { // closed by an error earlier in this frame
            counters.sendError();
            errorsThisFrame++;
            return;
        }
        pacer.beforePacket(bytes);
        gather[0] = header;
        gather[1] = payload;
        try {
            ch.write(gather);
            counters.packetSent(bytes);
            packetsSent++;
            octetsSent += bytes - RTP_HEADER;
        } catch (IOException e) {
            sendFailed(e);
        }
    }

    @Override
    public long packetsSent() {
        return packetsSent;
    }

    @Override
    public long octetsSent() {
        return octetsSent;
    }

    /** Counts every failed packet but logs only when the kind of failure changes. */
    private void sendFailed(IOException e) {
        counters.sendError();
        errorsThisFrame++;
        report(e);
        if (!channel.isOpen()) {
            channel = null; // opened anew with the next frame
        }
    }

    private void report(IOException e) {
        // The cause, not the exception type: a failing write and a failing reconnect report one outage alike.
        String what = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (!what.equals(failure)) {
            failure = what;
            LOG.warn("{}: sending to {} fails: {} (counted; retrying)", camera, describe(),
                    e.getMessage() == null ? what : e.getClass().getSimpleName() + ": " + what);
        }
    }

    @Override
    public synchronized void reconfigure(TransportRequest next) {
        apply(next);
    }

    private void apply(TransportRequest next) {
        TransportRequest previous = request;
        request = next;
        if (previous == null || !previous.host().equals(next.host()) || previous.port() != next.port()
                || !SocketSetup.of(previous).equals(SocketSetup.of(next))) {
            closeSockets("destination changed");
            failure = null;
            open();
        }
        packetizer.setMtu(next.mtu());
        pacer = new Pacer(next.pacing(), next.framerate());
        String address = next.host();
        try {
            address = destination(next).getAddress().getHostAddress();
        } catch (IOException e) {
            // a name that does not resolve now: the SDP names it as configured
        }
        sdp = SessionDescription.forJpegStream(camera, address, next.port(), next.width(), next.height(),
                next.framerate(), next.multicastTtl());
        writeSdp(next.sdpDirectory());
    }

    /** Opens the RTP channel (anew) and, if missing, the RTCP session; failures are logged once and retried. */
    private void open() {
        openedAt = System.nanoTime();
        try {
            DatagramChannel opened = openChannel(destination(request), request);
            if (channel != null) {
                closeQuietly(channel);
            }
            channel = opened;
        } catch (IOException e) {
            report(e);
            return;
        }
        if (rtcp == null) {
            startRtcp();
        }
    }

    /** Opens the RTCP session to the channel's destination; a failure is logged once and retried once a second. */
    private void startRtcp() {
        rtcpTriedAt = System.nanoTime();
        InetSocketAddress to;
        try {
            to = (InetSocketAddress) channel.getRemoteAddress();
            rtcp = new RtcpSession(camera, packetizer.ssrc(), clock, this, counters, to, SocketSetup.of(request));
        } catch (IOException e) {
            if (!e.toString().equals(rtcpFailure)) {
                rtcpFailure = e.toString();
                LOG.warn("{}: RTCP cannot start: {} (RTP goes on; retrying)", camera, e.toString());
            }
            return;
        }
        rtcp.start();
        rtcpFailure = null;
        LOG.info("{}: RTCP: sender reports to {}:{}, receiver reports read on {}", camera,
                hostForUri(to.getAddress().getHostAddress()), to.getPort() + 1, describe(rtcp.localAddress()));
    }

    private static InetSocketAddress destination(TransportRequest r) throws IOException {
        InetSocketAddress destination = new InetSocketAddress(r.host(), r.port());
        if (destination.isUnresolved()) {
            throw new IOException("cannot resolve host '" + r.host() + "'");
        }
        return destination;
    }

    private static DatagramChannel openChannel(InetSocketAddress destination, TransportRequest r) throws IOException {
        InetAddress address = destination.getAddress();
        DatagramChannel ch = DatagramChannel.open(address instanceof Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            ch.setOption(StandardSocketOptions.IP_TOS, r.dscp() << 2);
            ch.setOption(StandardSocketOptions.SO_SNDBUF, 1 << 20);
            if (address.isMulticastAddress()) {
                // Before connect: the kernel picks the route to a group from the multicast interface.
                SocketSetup.of(r).applyMulticast(ch::setOption);
            }
            // A stream to this machine needs no socket on an outside address.
            ch.bind(address.isLoopbackAddress() ? new InetSocketAddress(address, 0) : null);
            ch.connect(destination);
            return ch;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private void closeSockets(String reason) {
        if (rtcp != null) {
            rtcp.close(reason);
            rtcp = null;
        }
        if (channel != null) {
            closeQuietly(channel);
            channel = null;
        }
    }

    private void closeQuietly(DatagramChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            LOG.debug("{}: closing the socket failed", camera, e);
        }
    }

    private static String describe(InetSocketAddress a) {
        return hostForUri(a.getAddress().getHostAddress()) + ":" + a.getPort();
    }

    private void writeSdp(Path directory) {
        Path target = directory == null ? null : directory.resolve(camera + ".sdp");
        if (sdpFile != null && !sdpFile.equals(target)) {
            deleteSdp();
        }
        if (target == null) {
            return;
        }
        try {
            Files.createDirectories(directory);
            Path tmp = directory.resolve("." + camera + ".sdp.tmp");
            Files.write(tmp, sdp.getBytes(StandardCharsets.US_ASCII));
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            sdpFile = target;
        } catch (IOException e) {
            LOG.warn("{}: could not write {}: {}", camera, target, e.toString());
        }
    }

    private void deleteSdp() {
        if (sdpFile != null) {
            try {
                Files.deleteIfExists(sdpFile);
            } catch (IOException e) {
                LOG.debug("{}: could not delete {}", camera, sdpFile, e);
            }
            sdpFile = null;
        }
    }

    @Override
    public synchronized String describe() {
        return "udp://" + hostForUri(request.host()) + ":" + request.port();
    }

    private static String hostForUri(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    @Override
    public synchronized Optional<String> sessionDescription() {
        return Optional.ofNullable(sdp);
    }

    @Override
    public synchronized List<String> receiverCommands() {
        List<String> commands = new ArrayList<>();
        StringBuilder caps = new StringBuilder("application/x-rtp,media=video,clock-rate=90000,encoding-name=JPEG,payload=26");
        if (request.width() > 2040 || request.height() > 2040) {
            caps.append(",x-dimensions=(string)\\\"").append(request.width()).append(',').append(request.height())
                    .append("\\\"");
        }
        String address = "";
        try {
            InetAddress a = InetAddress.getByName(request.host());
            if (a.isMulticastAddress()) {
                address = "address=" + a.getHostAddress() + " auto-multicast=true ";
            }
        } catch (IOException e) {
            // a name that does not resolve: show the plain command
        }
        commands.add("gst-launch-1.0 udpsrc " + address + "port=" + request.port() + " caps=\"" + caps
                + "\" ! rtpjpegdepay ! jpegdec ! videoconvert ! autovideosink");
        if (sdpFile != null) {
            commands.add("ffplay -protocol_whitelist file,udp,rtp " + sdpFile);
        }
        return commands;
    }

    @Override
    public synchronized void close() {
        closeSockets("camera stopped");
        deleteSdp();
    }
}
