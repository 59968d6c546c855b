package io.mjpegrtp.transport.udp.internal;

import io.mjpegrtp.api.CameraCounters;
import io.mjpegrtp.api.Frame;
import io.mjpegrtp.api.FrameRejectedException;
import io.mjpegrtp.api.Transport;
import io.mjpegrtp.api.TransportRequest;
import io.mjpegrtp.jpeg.JpegFormatException;
import io.mjpegrtp.jpeg.JpegInfo;
import io.mjpegrtp.jpeg.JpegParser;
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
 * One camera's RTP/JPEG stream over UDP. The RTP session (SSRC, sequence, timestamp base) is created once and
 * kept across {@link #reconfigure}, so a new destination or MTU is not a new stream for a receiver.
 *
 * <p>Per packet nothing is allocated or copied: the packetizer fills a reused header buffer and points a view at
 * the frame's scan data, and both go out in one gathering write on a connected channel.
 */
final class UdpTransport implements Transport, PacketSink {
    private static final Logger LOG = LoggerFactory.getLogger("mjpeg.transport.udp");
    static final int MULTICAST_TTL = 1;

    private final String camera;
    private final CameraCounters counters;
    private final JpegParser parser = new JpegParser();
    private final JpegInfo info = new JpegInfo();
    private final RtpJpegPacketizer packetizer;
    private final RtpClock clock = new RtpClock();
    private final ByteBuffer[] gather = new ByteBuffer[2];
    private TransportRequest request;
    private DatagramChannel channel;
    private Pacer pacer;
    private String sdp;
    private Path sdpFile;
    private String failure; // the send error being reported, or null while sending works
    private int errorsThisFrame;

    UdpTransport(TransportRequest request, CameraCounters counters) throws IOException {
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
            throw new FrameRejectedException(e.getMessage());
        }
        pacer.startFrame(info.scanLength());
        errorsThisFrame = 0;
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

    @Override
    public void packet(ByteBuffer header, ByteBuffer payload, boolean marker) {
        int bytes = header.remaining() + payload.remaining();
        pacer.beforePacket(bytes);
        gather[0] = header;
        gather[1] = payload;
        try {
            channel.write(gather);
            counters.packetSent(bytes);
        } catch (IOException e) {
            sendFailed(e);
        }
    }

    /** Counts every failed packet but logs only when the kind of failure changes. */
    private void sendFailed(IOException e) {
        counters.sendError();
        errorsThisFrame++;
        String what = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        if (!what.equals(failure)) {
            failure = what;
            LOG.warn("{}: sending to {} fails: {} (counted; retrying with every frame)", camera, describe(), what);
        }
        if (!channel.isOpen()) {
            reopen();
        }
    }

    private void reopen() {
        try {
            channel = openChannel(request);
        } catch (IOException e) {
            LOG.debug("{}: reopening the socket failed", camera, e);
        }
    }

    @Override
    public synchronized void reconfigure(TransportRequest next) throws IOException {
        apply(next);
    }

    private void apply(TransportRequest next) throws IOException {
        TransportRequest previous = request;
        if (previous == null || !previous.host().equals(next.host()) || previous.port() != next.port()
                || previous.dscp() != next.dscp()) {
            DatagramChannel opened = openChannel(next);
            if (channel != null) {
                channel.close();
            }
            channel = opened;
        }
        packetizer.setMtu(next.mtu());
        pacer = new Pacer(next.pacing(), next.framerate());
        request = next;
        InetAddress address = ((InetSocketAddress) channel.getRemoteAddress()).getAddress();
        sdp = SessionDescription.forJpegStream(camera, address.getHostAddress(), next.port(), next.width(),
                next.height(), next.framerate(), address.isMulticastAddress() ? MULTICAST_TTL : 0);
        writeSdp(next.sdpDirectory());
    }

    private static DatagramChannel openChannel(TransportRequest r) throws IOException {
        InetSocketAddress destination = new InetSocketAddress(r.host(), r.port());
        if (destination.isUnresolved()) {
            throw new IOException("cannot resolve host '" + r.host() + "'");
        }
        InetAddress address = destination.getAddress();
        DatagramChannel ch = DatagramChannel.open(address instanceof Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            ch.setOption(StandardSocketOptions.IP_TOS, r.dscp() << 2);
            ch.setOption(StandardSocketOptions.SO_SNDBUF, 1 << 20);
            if (address.isMulticastAddress()) {
                ch.setOption(StandardSocketOptions.IP_MULTICAST_TTL, MULTICAST_TTL);
                ch.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
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
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("{}: closing the socket failed", camera, e);
        }
        deleteSdp();
    }
}
