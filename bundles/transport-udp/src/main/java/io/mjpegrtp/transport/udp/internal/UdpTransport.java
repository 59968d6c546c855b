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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One camera's RTP/JPEG stream over UDP, with its RTCP session on port + 1. The RTP session (SSRC, sequence,
 * timestamp base) is created once and kept across {@link #reconfigure} and across reopened sockets, so a new
 * destination, an MTU change or a network failure is not a new stream for a receiver.
 *
 * <p>Per packet nothing is allocated or copied: the packetizer fills a reused header buffer and points a view at
 * the frame's scan data. On Linux the packets are queued in native memory ({@link MmsgBatch}: the header copied, a
 * direct frame buffer referenced, a heap one copied) and go out up to {@value MmsgBatch#MAX_PACKETS} per
 * {@code sendmmsg(2)} call: a frame's packets that are due at once (all of them without pacing, the burst and any
 * packets the pacer lets through late) share a system call, and a packet the pacer holds back first sends what is
 * queued. Elsewhere, or when JNA or the socket's descriptor is not to be had, each packet goes out in one gathering
 * write on the connected channel; {@code -Dmjpeg.udp.sendmmsg=false} chooses that everywhere.
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
    /** Whether to send with sendmmsg(2) where it works; {@code -Dmjpeg.udp.sendmmsg=false} turns it off. */
    static final boolean SENDMMSG = !"false".equalsIgnoreCase(System.getProperty("mjpeg.udp.sendmmsg"));
    /** What was logged about sendmmsg in this JVM, so each reason is logged once. */
    private static final Set<String> SENDMMSG_LOGGED = ConcurrentHashMap.newKeySet();
    /** Why this JVM cannot use sendmmsg, once known (JNA missing or unusable, not Linux); {@code null} before. */
    private static volatile String sendmmsgUnusable;

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
    private final boolean batching; // sendmmsg wanted
    private MmsgBatch batch; // null: not made (yet), or it cannot be
    private DatagramChannel batchChannel; // the channel whose socket the batch sends on; any other: gathering writes
    private boolean oneByOne; // after a failed packet: one packet per call, so every error has its errno
    private int reportedErrno; // the errno whose texts are cached below (strerror allocates)
    private String errnoWhat, errnoDetail;
    // Written by the sending thread only, read by the RTCP thread for sender reports.
    private volatile long packetsSent;
    private volatile long octetsSent;

    UdpTransport(TransportRequest request, CameraCounters counters) {
        this(request, counters, SENDMMSG);
    }

    /** @param sendmmsg whether to batch packets with sendmmsg(2) where it works (tests compare both paths) */
    UdpTransport(TransportRequest request, CameraCounters counters, boolean sendmmsg) {
        this.batching = sendmmsg;
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
        } finally {
            flush(); // before the frame's memory goes back to its backend
        }
        // Recovery is judged per frame: an unreachable port fails every other packet, not every one.
        if (errorsThisFrame == 0) {
            oneByOne = false;
            if (failure != null) {
                LOG.info("{}: sending to {} works again", camera, describe());
                failure = null;
            }
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
        if (ch == batchChannel) {
            if (pacer.schedule(bytes) > 0) {
                flush(); // what is due goes now; this packet waits
                pacer.await();
            }
            int added = batch.add(header, payload);
            if (added == MmsgBatch.FULL) {
                flush();
                added = batch.add(header, payload);
            }
            if (added == MmsgBatch.ADDED) {
                if (marker || oneByOne || batch.isFull()) {
                    flush();
                }
                return;
            }
            flush(); // a packet no batch takes: a gathering write keeps the order
        } else {
            pacer.beforePacket(bytes);
        }
        write(ch, header, payload, bytes);
    }

    private void write(DatagramChannel ch, ByteBuffer header, ByteBuffer payload, int bytes) {
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

    /**
     * Sends the queued packets, one {@code sendmmsg} call for all of them while sending works. A packet that fails
     * is counted as a send error and dropped, as a failed write is; {@code sendmmsg} then sends the ones before it
     * and drops the error's number unless the failed packet was the first of the call, so after a failure packets
     * go one per call (until a frame goes without errors) and every later error is reported with its cause.
     */
    private void flush() {
        if (batch == null) {
            return;
        }
        int n = batch.size();
        if (n == 0) {
            return;
        }
        long octets = 0;
        int sent = 0, i = 0;
        boolean badSocket = false;
        while (i < n) {
            int vlen = oneByOne ? 1 : n - i;
            int r = batch.send(i, vlen);
            if (r >= 0) {
                long bytes = 0;
                for (int k = i; k < i + r; k++) {
                    bytes += batch.length(k);
                }
                counters.packetsSent(r, bytes); // two atomic additions per call, not per packet
                octets += bytes - (long) r * RTP_HEADER;
                sent += r;
                i += r;
                if (r < vlen) { // packet i failed and the kernel did not say why: the next error will
                    counters.sendError();
                    errorsThisFrame++;
                    oneByOne = true;
                    i++;
                }
            } else {
                int errno = -r;
                counters.sendError();
                errorsThisFrame++;
                oneByOne = true;
                badSocket |= errno == MmsgBatch.EBADF || errno == MmsgBatch.ENOTSOCK;
                reportErrno(errno);
                i++;
            }
        }
        batch.clear();
        packetsSent += sent;
        octetsSent += octets;
        if (badSocket) { // not the channel's socket any more: should not happen, but never write to a stranger's
            batchChannel = null;
            logOnce("sendmmsg found no socket behind the channel's descriptor; its packets go one per write");
        }
    }

    /** Reports a failed sendmmsg as the JDK's write reports the same errno. */
    private void reportErrno(int errno) {
        if (errno != reportedErrno || errnoWhat == null) {
            reportedErrno = errno;
            if (errno == MmsgBatch.ECONNREFUSED) { // what DatagramChannel.write throws for it, without a message
                errnoWhat = "PortUnreachableException";
                errnoDetail = errnoWhat;
            } else {
                errnoWhat = MmsgBatch.describe(errno);
                errnoDetail = "IOException: " + errnoWhat;
            }
        }
        report(errnoWhat, errnoDetail);
    }

    /** Whether packets go out with sendmmsg now (for tests). */
    synchronized boolean sendsWithSendmmsg() {
        return channel != null && channel == batchChannel;
    }

    /** The SSRC and the sequence number of the next packet (for tests). */
    synchronized int ssrc() {
        return packetizer.ssrc();
    }

    synchronized int nextSequence() {
        return packetizer.nextSequence();
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
        report(what, e.getMessage() == null ? what : e.getClass().getSimpleName() + ": " + what);
    }

    private void report(String what, String detail) {
        if (!what.equals(failure)) {
            failure = what;
            LOG.warn("{}: sending to {} fails: {} (counted; retrying)", camera, describe(), detail);
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
        useBatch(channel);
        if (rtcp == null) {
            startRtcp();
        }
    }

    /**
     * Sends on this channel with sendmmsg when this JVM can and the channel's descriptor is found; otherwise packets
     * go out one gathering write each, and the reason is logged once.
     */
    private void useBatch(DatagramChannel ch) {
        batchChannel = null;
        if (!batching) {
            return;
        }
        try {
            if (batch == null) {
                if (sendmmsgUnusable != null) {
                    return;
                }
                String why = MmsgBatch.unavailableReason();
                if (why != null) {
                    sendmmsgUnusable = why;
                    logOnce(why);
                    return;
                }
                batch = new MmsgBatch();
                if (SENDMMSG_LOGGED.add("")) {
                    LOG.info("UDP: sending up to {} packets per sendmmsg(2) call", MmsgBatch.MAX_PACKETS);
                }
            }
            batch.bind(MmsgBatch.descriptorOf(ch));
            batchChannel = ch;
        } catch (IOException | RuntimeException e) {
            logOnce("the socket's descriptor is not to be had: " + e.getMessage());
        } catch (LinkageError e) { // JNA is not there (an optional import) or cannot load its native part
            sendmmsgUnusable = "JNA is not usable: " + e;
            logOnce(sendmmsgUnusable);
        }
    }

    private void logOnce(String why) {
        if (SENDMMSG_LOGGED.add(why)) {
            LOG.info("UDP: sending one packet per system call: {}", why);
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
        batchChannel = null;
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
