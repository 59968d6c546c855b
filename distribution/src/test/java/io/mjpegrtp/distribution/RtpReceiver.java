package io.mjpegrtp.distribution;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.zip.CRC32;

/**
 * A plain RTP/JPEG receiver for tests: a UDP socket on 127.0.0.1 and a thread that reads every packet, checks what
 * a stock receiver relies on across everything it saw — one SSRC, sequence numbers without gap or repeat, frame
 * timestamps that increase — and reassembles RFC 2435 frames into a checksum of their scan data, so a test can tell
 * whose picture arrived and when its first packet came.
 *
 * <p>It holds the port above its own as well, where the sender's RTCP goes, so that those reports never land on a
 * socket of someone else's. Public because the Pax Exam tests (package {@code osgi}) use it too.
 */
public final class RtpReceiver implements AutoCloseable {
    private static final int MAX_PROBLEMS = 50;

    /**
     * One reassembled frame.
     *
     * @param firstPacketNanos arrival of its first packet, {@link System#nanoTime()}
     * @param index how many complete frames came before it
     * @param ssrc its SSRC
     * @param timestamp its RTP timestamp
     * @param firstSequence sequence number of its first packet
     * @param packets how many packets carried it
     * @param type RFC 2435 type
     * @param width width field (pixels / 8)
     * @param height height field (pixels / 8)
     * @param scanLength bytes of entropy-coded data
     * @param scanCrc CRC-32 of the entropy-coded data, to compare with {@link #scanCrc(byte[])} of a JPEG file
     */
    public record Frame(long firstPacketNanos, int index, long ssrc, long timestamp, int firstSequence, int packets,
            int type, int width, int height, int scanLength, long scanCrc) {
    }

    private final DatagramSocket rtp;
    private final DatagramSocket rtcp;
    private final Thread thread;
    private final Object lock = new Object();
    private final List<Frame> frames = new ArrayList<>();
    private final Set<Long> ssrcs = new LinkedHashSet<>();
    private final List<String> problems = new ArrayList<>();
    private long packets;
    private int sequenceGaps;
    private int incompleteFrames;
    private volatile boolean closed;

    // Receiving thread only: the packet before, and the frame being reassembled.
    private int lastSequence = -1;
    private boolean synced; // a frame start was seen: what came before it is the tail of a frame sent earlier
    private long lastFrameTimestamp = -1;
    private long frameTimestamp = -1;
    private long frameStartNanos;
    private int frameFirstSequence;
    private int framePackets;
    private int frameNextOffset;
    private boolean frameBroken;
    private int frameType;
    private int frameWidth;
    private int frameHeight;
    private final CRC32 frameCrc = new CRC32();

    private RtpReceiver(DatagramSocket rtp, DatagramSocket rtcp) {
        this.rtp = rtp;
        this.rtcp = rtcp;
        this.thread = new Thread(this::receive, "rtp-receiver-" + rtp.getLocalPort());
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Binds an even port and the one above it on 127.0.0.1 and starts receiving. */
    public static RtpReceiver open() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        for (int attempt = 0; attempt < 50; attempt++) {
            DatagramSocket rtp = new DatagramSocket(new InetSocketAddress(loopback, 0));
            if (rtp.getLocalPort() % 2 != 0 || rtp.getLocalPort() >= 65534) {
                rtp.close();
                continue;
            }
            try {
                DatagramSocket rtcp = new DatagramSocket(new InetSocketAddress(loopback, rtp.getLocalPort() + 1));
                return new RtpReceiver(rtp, rtcp);
            } catch (BindException e) {
                rtp.close();
            }
        }
        throw new IOException("found no free pair of UDP ports on " + loopback);
    }

    /** The RTP port; RTCP is the one above. */
    public int port() {
        return rtp.getLocalPort();
    }

    private void receive() {
        byte[] buffer = new byte[65_536];
        DatagramPacket datagram = new DatagramPacket(buffer, buffer.length);
        while (!closed) {
            try {
                datagram.setLength(buffer.length);
                rtp.receive(datagram);
            } catch (SocketException e) {
                return; // closed
            } catch (IOException e) {
                problem("receive failed: " + e);
                return;
            }
            long now = System.nanoTime();
            synchronized (lock) {
                packet(buffer, datagram.getLength(), now);
                lock.notifyAll();
            }
        }
    }

    private void packet(byte[] data, int length, long arrivalNanos) {
        packets++;
        if (length < 12 + 8 || (data[0] & 0xc0) != 0x80) {
            problem("packet " + packets + ": " + length + " bytes is no RTP/JPEG packet");
            return;
        }
        ByteBuffer b = ByteBuffer.wrap(data, 0, length);
        int b0 = b.get() & 0xff;
        int b1 = b.get() & 0xff;
        boolean marker = (b1 & 0x80) != 0;
        int sequence = b.getShort() & 0xffff;
        long timestamp = b.getInt() & 0xffffffffL;
        long ssrc = b.getInt() & 0xffffffffL;
        b.position(b.position() + 4 * (b0 & 0x0f));
        if (ssrcs.add(ssrc) && ssrcs.size() > 1) {
            problem("SSRC changed to " + Long.toHexString(ssrc) + " at sequence " + sequence + " (before: " + ssrcs
                    + ")");
        }
        if (lastSequence >= 0 && sequence != ((lastSequence + 1) & 0xffff)) {
            sequenceGaps++;
            problem("sequence " + lastSequence + " was followed by " + sequence);
        }
        lastSequence = sequence;

        b.get(); // type-specific
        int offset = ((b.get() & 0xff) << 16) | ((b.get() & 0xff) << 8) | (b.get() & 0xff);
        int type = b.get() & 0xff;
        int q = b.get() & 0xff;
        int width = b.get() & 0xff;
        int height = b.get() & 0xff;
        if (type >= 64 && type <= 127) {
            b.position(b.position() + 4); // restart header
        }
        if (q >= 128 && offset == 0) {
            b.position(b.position() + 2);
            int tables = b.getShort() & 0xffff;
            b.position(Math.min(length, b.position() + tables));
        }
        if (!synced && offset != 0) {
            return;
        }
        synced = true;
        if (timestamp != frameTimestamp) {
            if (frameTimestamp >= 0 && !frameBroken) {
                incompleteFrames++; // its last packet (marker) never came
            }
            if (lastFrameTimestamp >= 0 && (int) (timestamp - lastFrameTimestamp) <= 0) {
                problem("timestamp " + timestamp + " after " + lastFrameTimestamp + " (sequence " + sequence + ")");
            }
            lastFrameTimestamp = timestamp;
            frameTimestamp = timestamp;
            frameStartNanos = arrivalNanos;
            frameFirstSequence = sequence;
            framePackets = 0;
            frameNextOffset = 0;
            frameBroken = false;
            frameType = type;
            frameWidth = width;
            frameHeight = height;
            frameCrc.reset();
        }
        framePackets++;
        if (offset != frameNextOffset) {
            if (!frameBroken) {
                incompleteFrames++;
            }
            frameBroken = true; // a fragment is missing or out of order
        } else {
            int payload = length - b.position();
            frameCrc.update(data, b.position(), payload);
            frameNextOffset += payload;
        }
        if (marker) {
            if (!frameBroken) {
                frames.add(new Frame(frameStartNanos, frames.size(), ssrc, timestamp, frameFirstSequence, framePackets,
                        frameType, frameWidth, frameHeight, frameNextOffset, frameCrc.getValue()));
            }
            frameTimestamp = -1;
        }
    }

    private void problem(String what) {
        synchronized (lock) {
            if (problems.size() < MAX_PROBLEMS) {
                problems.add(what);
            }
        }
    }

    /** Complete frames so far, in arrival order. */
    public List<Frame> frames() {
        synchronized (lock) {
            return new ArrayList<>(frames);
        }
    }

    public int frameCount() {
        synchronized (lock) {
            return frames.size();
        }
    }

    public long packets() {
        synchronized (lock) {
            return packets;
        }
    }

    public Set<Long> ssrcs() {
        synchronized (lock) {
            return new LinkedHashSet<>(ssrcs);
        }
    }

    /** Frames whose packets came but not all of them, or not in order. */
    public int incompleteFrames() {
        synchronized (lock) {
            return incompleteFrames;
        }
    }

    /** What a stock receiver would stumble over: SSRC changes, sequence gaps or repeats, timestamps going back. */
    public List<String> discontinuities() {
        synchronized (lock) {
            return new ArrayList<>(problems);
        }
    }

    /** A one-line account, for failure messages and the test's output. */
    public String summary() {
        synchronized (lock) {
            return packets + " packets, " + frames.size() + " complete frames, " + incompleteFrames
                    + " incomplete, SSRCs " + ssrcs.stream().map(Long::toHexString).toList() + ", " + sequenceGaps
                    + " sequence gaps, problems: " + problems;
        }
    }

    /** Waits for the first frame (from the start) that matches; null when none came in time. */
    public Frame awaitFrame(Predicate<Frame> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            int checked = 0;
            while (true) {
                for (; checked < frames.size(); checked++) {
                    if (wanted.test(frames.get(checked))) {
                        return frames.get(checked);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** Waits until {@code count} complete frames have come in all; returns how many came. */
    public int awaitFrames(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (frames.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
            return frames.size();
        }
    }

    /** The CRC-32 of a JPEG file's entropy-coded data (after the SOS header, before EOI): what RFC 2435 carries. */
    public static long scanCrc(byte[] jpeg) {
        int[] scan = scan(jpeg);
        CRC32 crc = new CRC32();
        crc.update(jpeg, scan[0], scan[1] - scan[0]);
        return crc.getValue();
    }

    /** Start and end of a baseline JPEG's scan data. */
    static int[] scan(byte[] jpeg) {
        if ((jpeg[0] & 0xff) != 0xff || (jpeg[1] & 0xff) != 0xd8) {
            throw new IllegalArgumentException("no JPEG: it does not start with SOI");
        }
        int i = 2;
        while (i + 4 <= jpeg.length) {
            if ((jpeg[i] & 0xff) != 0xff) {
                throw new IllegalArgumentException("no marker at byte " + i);
            }
            int marker = jpeg[i + 1] & 0xff;
            int length = ((jpeg[i + 2] & 0xff) << 8) | (jpeg[i + 3] & 0xff);
            if (marker == 0xda) {
                int end = jpeg.length;
                while (end >= 2 && !((jpeg[end - 2] & 0xff) == 0xff && (jpeg[end - 1] & 0xff) == 0xd9)) {
                    end--;
                }
                return new int[] { i + 2 + length, end - 2 };
            }
            i += 2 + length;
        }
        throw new IllegalArgumentException("no SOS marker");
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        rtp.close();
        rtcp.close();
        thread.join(2000);
    }
}
