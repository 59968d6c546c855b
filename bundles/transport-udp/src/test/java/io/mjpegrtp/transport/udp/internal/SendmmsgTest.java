package io.mjpegrtp.transport.udp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mjpegrtp.api.CameraCounters;
import io.mjpegrtp.api.Frame;
import io.mjpegrtp.api.Transport;
import io.mjpegrtp.api.TransportRequest;
import io.mjpegrtp.jpeg.JpegInfo;
import io.mjpegrtp.jpeg.JpegParser;
import io.mjpegrtp.rtp.RtpJpegPacketizer;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sendmmsg path puts exactly the packetizer's bytes on the wire, as the gathering-write path does: packets are
 * received on a loopback socket and compared with what an {@link RtpJpegPacketizer} of the same SSRC and sequence
 * makes of the frame. Also: failed packets are counted, and without JNA the transport falls back to gathering writes.
 */
class SendmmsgTest {
    private static final boolean LINUX = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private DatagramSocket receiver;

    /** How the frame's memory is held. */
    enum Memory {
        DIRECT, DIRECT_SLICE, DIRECT_AT_OFFSET, HEAP, HEAP_AT_OFFSET, HEAP_READ_ONLY;

        ByteBuffer hold(byte[] jpeg) {
            return switch (this) {
                case DIRECT -> ByteBuffer.allocateDirect(jpeg.length).put(jpeg).flip();
                case DIRECT_SLICE -> ByteBuffer.allocateDirect(jpeg.length + 77).position(77).slice().put(jpeg).flip();
                case DIRECT_AT_OFFSET -> ByteBuffer.allocateDirect(jpeg.length + 150).position(100).put(jpeg)
                        .limit(100 + jpeg.length).position(100);
                case HEAP -> ByteBuffer.wrap(jpeg);
                case HEAP_AT_OFFSET -> ByteBuffer.allocate(jpeg.length + 33).position(33).put(jpeg).position(33);
                case HEAP_READ_ONLY -> ByteBuffer.wrap(jpeg).asReadOnlyBuffer();
            };
        }
    }

    @BeforeEach
    void receive() throws IOException {
        receiver = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        receiver.setReceiveBufferSize(4 << 20);
        receiver.setSoTimeout(5000);
    }

    @AfterEach
    void close() {
        receiver.close();
    }

    static Stream<Arguments> frames() {
        List<Arguments> cases = new ArrayList<>();
        for (boolean sendmmsg : new boolean[] { true, false }) {
            for (Memory memory : Memory.values()) {
                for (boolean restart : new boolean[] { false, true }) {
                    cases.add(Arguments.of(sendmmsg, memory, 16, 16, restart, 1400)); // one packet
                    cases.add(Arguments.of(sendmmsg, memory, 320, 240, restart, 1400)); // under one batch
                    cases.add(Arguments.of(sendmmsg, memory, 640, 480, restart, 1400)); // several batches
                }
                // 65 KB packets: the native copy of heap payloads fills before the batch does
                cases.add(Arguments.of(sendmmsg, memory, 1024, 768, false, 65_000));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "sendmmsg={0} {1} {2}x{3} restart={4} mtu={5}")
    @MethodSource("frames")
    void theWireCarriesThePacketizersBytes(boolean sendmmsg, Memory memory, int w, int h, boolean restart, int mtu)
            throws Exception {
        byte[] jpeg = Pictures.jpeg(w, h, restart);
        ByteBuffer frame = memory.hold(jpeg);
        int position = frame.position(), limit = frame.limit();
        CameraCounters counters = new CameraCounters("t");
        UdpTransport t = new UdpTransport(request(receiver.getLocalPort(), mtu, "off"), counters, sendmmsg);
        try {
            assertEquals(sendmmsg && LINUX, t.sendsWithSendmmsg(), "the path under test");
            long packets = 0;
            for (int i = 0; i < 3; i++) { // the same buffer again, then a new buffer object of the same memory
                ByteBuffer b = i < 2 ? frame : frame.duplicate();
                packets += sendAndCompare(t, b, mtu);
                assertEquals(position, frame.position(), "the frame's position is left alone");
                assertEquals(limit, frame.limit());
            }
            if (w >= 640) {
                assertTrue(packets / 3 > (mtu > 1500 ? 4 : MmsgBatch.MAX_PACKETS), packets / 3 + " packets per frame");
            }
            CameraCounters.Snapshot s = counters.snapshot();
            assertEquals(0, s.sendErrors());
            assertEquals(packets, s.packetsSent());
            assertEquals(packets, t.packetsSent(), "what RTCP sender reports count");
        } finally {
            t.close();
        }
    }

    static Stream<Arguments> pacings() {
        return Stream.of(Arguments.of("auto", 8_000_000L), Arguments.of("100000", 15_000_000L));
    }

    /** Paced frames: what is due is batched, a packet the pacer holds back waits; the bytes are the same. */
    @ParameterizedTest(name = "pacing={0}")
    @MethodSource("pacings")
    void pacedFramesCarryTheSameBytesAndTakeTheirTime(String pacing, long leastNanos) throws Exception {
        byte[] jpeg = Pictures.jpeg(640, 480, false); // 214 KB: 8.3 ms with auto at 30 fps, 17 ms at 100 Mbit/s
        ByteBuffer frame = Memory.DIRECT.hold(jpeg);
        CameraCounters counters = new CameraCounters("t");
        UdpTransport t = new UdpTransport(request(receiver.getLocalPort(), 1400, pacing), counters, true);
        try {
            assertEquals(LINUX, t.sendsWithSendmmsg());
            long packets = 0;
            for (int i = 0; i < 3; i++) {
                long start = System.nanoTime();
                packets += sendAndCompare(t, frame, 1400);
                long took = System.nanoTime() - start;
                assertTrue(took >= leastNanos * 0.8, "paced over " + took / 1000 + " us");
            }
            assertEquals(packets, counters.snapshot().packetsSent());
            assertEquals(0, counters.snapshot().sendErrors());
        } finally {
            t.close();
        }
    }

    /**
     * Nobody listens: the kernel fails packets after an ICMP port unreachable (about every other one). Every packet
     * is either sent or counted as a send error, the stream goes on, and sending works again once someone listens.
     */
    @ParameterizedTest(name = "sendmmsg={0}")
    @MethodSource("paths")
    void failedPacketsAreCountedAndSendingRecovers(boolean sendmmsg) throws Exception {
        int port;
        try (DatagramSocket gone = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            port = gone.getLocalPort();
        }
        CameraCounters counters = new CameraCounters("t");
        UdpTransport t = new UdpTransport(request(port, 1400, "off"), counters, sendmmsg);
        try {
            assertEquals(sendmmsg && LINUX, t.sendsWithSendmmsg());
            long packets = 0;
            for (int i = 0; i < 20; i++) {
                int before = t.nextSequence();
                byte[] jpeg = Pictures.jpeg(i % 2 == 0 ? 320 : 16, i % 2 == 0 ? 240 : 16, false);
                t.send(new Frame(Memory.DIRECT.hold(jpeg), System.nanoTime(), i, null));
                packets += (t.nextSequence() - before) & 0xFFFF;
            }
            CameraCounters.Snapshot s = counters.snapshot();
            assertTrue(s.sendErrors() >= 20, s.sendErrors() + " errors for " + packets + " packets");
            assertEquals(packets, s.packetsSent() + s.sendErrors(), "each packet sent or counted as failed");
            assertEquals(s.packetsSent(), t.packetsSent());

            try (DatagramSocket back = new DatagramSocket(new InetSocketAddress(LOOPBACK, port))) {
                back.setReceiveBufferSize(4 << 20);
                back.setSoTimeout(5000);
                receiver.close();
                receiver = back;
                // The last packet's ICMP error may still be pending on the socket: it fails the next packet.
                t.send(new Frame(Memory.HEAP.hold(Pictures.jpeg(16, 16, false)), System.nanoTime(), 20, null));
                drain();
                long errors = counters.snapshot().sendErrors();
                sendAndCompare(t, Memory.HEAP.hold(Pictures.jpeg(320, 240, false)), 1400);
                sendAndCompare(t, Memory.DIRECT.hold(Pictures.jpeg(640, 480, true)), 1400);
                assertEquals(errors, counters.snapshot().sendErrors(), "no errors once someone listens");
                assertEquals(sendmmsg && LINUX, t.sendsWithSendmmsg(), "batches again");
            }
        } finally {
            t.close();
        }
    }

    static Stream<Boolean> paths() {
        return Stream.of(true, false);
    }

    /** Without JNA (an optional import in OSGi) the transport resolves and sends one gathering write per packet. */
    @Test
    void withoutJnaPacketsGoOutOneWriteEach() throws Exception {
        ClassLoader noJna = new WithoutJna(getClass().getClassLoader());
        Class<?> factory = Class.forName(UdpTransportFactory.class.getName(), true, noJna);
        assertNotEquals(UdpTransportFactory.class, factory, "the transport's classes come from the loader without JNA");
        Object f = factory.getConstructor().newInstance();
        CameraCounters counters = new CameraCounters("t");
        Transport t = (Transport) factory.getMethod("open", TransportRequest.class, CameraCounters.class)
                .invoke(f, request(receiver.getLocalPort(), 1400, "off"), counters);
        try {
            var m = t.getClass().getDeclaredMethod("sendsWithSendmmsg");
            m.setAccessible(true);
            assertEquals(false, m.invoke(t));
            byte[] jpeg = Pictures.jpeg(320, 240, false);
            JpegInfo info = new JpegInfo();
            new JpegParser().parse(ByteBuffer.wrap(jpeg), info);
            int expected = new RtpJpegPacketizer(1, 0, 1400).packetize(ByteBuffer.wrap(jpeg), info, 0, (a, b, c) -> { });
            t.send(new Frame(Memory.DIRECT.hold(jpeg), System.nanoTime(), 0, null));
            for (int i = 0; i < expected; i++) {
                DatagramPacket p = new DatagramPacket(new byte[65_536], 65_536);
                receiver.receive(p);
                assertTrue(p.getLength() <= 1400);
            }
            assertEquals(expected, counters.snapshot().packetsSent());
            assertEquals(0, counters.snapshot().sendErrors());
        } finally {
            t.close();
        }
    }

    /** Steady state with the same frame buffer: the sendmmsg path allocates nothing per frame. */
    @Test
    void sendingAFrameAllocatesNothing() throws Exception {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        ByteBuffer direct = Memory.DIRECT.hold(Pictures.jpeg(320, 240, true));
        ByteBuffer heap = Memory.HEAP.hold(Pictures.jpeg(320, 240, true));
        CameraCounters counters = new CameraCounters("t");
        // A port nobody reads would answer with ICMP errors; this socket is bound and read by nobody instead.
        UdpTransport t = new UdpTransport(request(receiver.getLocalPort(), 1400, "off"), counters, true);
        try {
            assertEquals(LINUX, t.sendsWithSendmmsg());
            Frame d = new Frame(direct, 0, 0, null), hp = new Frame(heap, 0, 0, null);
            for (int i = 0; i < 3000; i++) { // warm-up: JIT compilation
                t.send(i % 2 == 0 ? d : hp);
                drain();
            }
            // A new buffer object costs the packetizer a duplicate() and this path a pointer look-up (direct
            // buffers): frames from one buffer at a time, as a capture backend reusing its buffer sends them.
            for (Frame f : new Frame[] { d, hp }) {
                t.send(f);
                long before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < 500; i++) {
                    t.send(f);
                }
                long allocated = threads.getCurrentThreadAllocatedBytes() - before;
                assertTrue(allocated < 1024, allocated + " bytes allocated for 500 frames");
                drain();
            }
            assertEquals(0, counters.snapshot().sendErrors());
        } finally {
            t.close();
        }
    }

    @Test
    void theDescriptorIsFoundOnlyForABoundAndConnectedChannel() throws Exception {
        if (!LINUX) {
            return;
        }
        assertEquals(null, MmsgBatch.unavailableReason());
        try (DatagramChannel a = DatagramChannel.open(); DatagramChannel b = DatagramChannel.open();
                DatagramChannel unconnected = DatagramChannel.open()) {
            a.bind(new InetSocketAddress(LOOPBACK, 0)).connect(receiver.getLocalSocketAddress());
            b.bind(new InetSocketAddress(LOOPBACK, 0)).connect(receiver.getLocalSocketAddress());
            unconnected.bind(new InetSocketAddress(LOOPBACK, 0));
            int fa = MmsgBatch.descriptorOf(a), fb = MmsgBatch.descriptorOf(b);
            assertNotEquals(fa, fb);
            assertThrows(IOException.class, () -> MmsgBatch.descriptorOf(unconnected));
            // The descriptor is the channel's socket: what goes out on it comes from the channel's port.
            MmsgBatch batch = new MmsgBatch();
            batch.bind(fa);
            assertEquals(MmsgBatch.ADDED, batch.add(ByteBuffer.wrap(new byte[] { 1, 2 }), ByteBuffer.wrap(new byte[] { 3 })));
            assertEquals(1, batch.send(0, 1));
            DatagramPacket p = new DatagramPacket(new byte[100], 100);
            receiver.receive(p);
            assertEquals(((InetSocketAddress) a.getLocalAddress()).getPort(), p.getPort());
            assertArrayEquals(new byte[] { 1, 2, 3 }, Arrays.copyOf(p.getData(), p.getLength()));
        }
    }

    /** Sends a frame and compares each received packet with the packetizer's; returns the number of packets. */
    private long sendAndCompare(UdpTransport t, ByteBuffer frame, int mtu) throws Exception {
        int ssrc = t.ssrc(), first = t.nextSequence();
        t.send(new Frame(frame, System.nanoTime(), 0, null));
        int packets = (t.nextSequence() - first) & 0xFFFF;
        List<byte[]> got = new ArrayList<>();
        for (int i = 0; i < packets; i++) {
            DatagramPacket p = new DatagramPacket(new byte[65_536], 65_536);
            receiver.receive(p);
            got.add(Arrays.copyOf(p.getData(), p.getLength()));
        }
        int timestamp = ByteBuffer.wrap(got.get(0)).getInt(4);
        JpegInfo info = new JpegInfo();
        ByteBuffer copy = frame.duplicate();
        new JpegParser().parse(copy, info);
        List<byte[]> expected = new ArrayList<>();
        new RtpJpegPacketizer(ssrc, first, mtu).packetize(copy, info, timestamp, (header, payload, marker) -> {
            byte[] b = new byte[header.remaining() + payload.remaining()];
            header.duplicate().get(b, 0, header.remaining());
            payload.duplicate().get(b, header.remaining(), payload.remaining());
            expected.add(b);
        });
        assertEquals(expected.size(), packets);
        for (int i = 0; i < packets; i++) {
            assertArrayEquals(expected.get(i), got.get(i), "packet " + i + " of " + packets);
        }
        receiver.setSoTimeout(20);
        try {
            DatagramPacket extra = new DatagramPacket(new byte[65_536], 65_536);
            receiver.receive(extra);
            assertFalse(true, "a packet more than the packetizer made: " + extra.getLength() + " bytes");
        } catch (SocketTimeoutException expectedTimeout) {
            // nothing more
        } finally {
            receiver.setSoTimeout(5000);
        }
        return packets;
    }

    private void drain() throws IOException {
        receiver.setSoTimeout(1);
        try {
            DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
            for (;;) {
                receiver.receive(p);
            }
        } catch (SocketTimeoutException done) {
            // empty
        } finally {
            receiver.setSoTimeout(5000);
        }
    }

    private static TransportRequest request(int port, int mtu, String pacing) {
        return new TransportRequest("t", "127.0.0.1", port, mtu, 0, pacing, 30, 640, 480, null);
    }

    /** Loads this bundle's classes itself and has no com.sun.jna, as a framework without the JNA bundle. */
    private static final class WithoutJna extends ClassLoader {
        private static final String OWN = UdpTransport.class.getPackageName() + ".";

        WithoutJna(ClassLoader parent) {
            super(parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("com.sun.jna.")) {
                throw new ClassNotFoundException(name + " (hidden by the test)");
            }
            if (!name.startsWith(OWN) || name.contains("Test") || name.endsWith("Pictures")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                        if (in == null) {
                            throw new ClassNotFoundException(name);
                        }
                        byte[] b = in.readAllBytes();
                        c = defineClass(name, b, 0, b.length);
                    } catch (IOException e) {
                        throw new ClassNotFoundException(name, e);
                    }
                }
                return c;
            }
        }
    }
}
