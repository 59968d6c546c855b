package io.mjpegrtp.rtp;

import io.mjpegrtp.testfixtures.Fixtures;
import static io.mjpegrtp.testfixtures.Fixtures.cjpeg;
import static io.mjpegrtp.rtp.Packets.int32;
import static io.mjpegrtp.rtp.Packets.u16;
import static io.mjpegrtp.rtp.Packets.u8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mjpegrtp.jpeg.JpegFormatException;
import io.mjpegrtp.jpeg.JpegInfo;
import io.mjpegrtp.jpeg.JpegParser;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RtpJpegPacketizerTest {
    private static final int SSRC = 0xCAFEBABE, TS = 0x89ABCDEF;

    @BeforeAll
    static void tools() {
        Fixtures.requireTools();
    }

    static JpegInfo parse(ByteBuffer b) throws JpegFormatException {
        JpegInfo info = new JpegInfo();
        new JpegParser().parse(b, info);
        return info;
    }

    @Test
    void headersAreExactlyRfc2435() throws Exception {
        byte[] j = cjpeg(64, 48, "-quality", "85", "-sample", "2x2");
        JpegInfo info = parse(ByteBuffer.wrap(j));
        RtpJpegPacketizer p = new RtpJpegPacketizer(SSRC, 65533, 300);
        Capture c = new Capture();
        int n = p.packetize(ByteBuffer.wrap(j), info, TS, c);
        int scan = info.scanLength();
        assertEquals(1 + (int) Math.ceil((scan - (300 - 152)) / 280.0), n, "first carries mtu-152, others mtu-20");
        assertTrue(n >= 4, "the fixture must need several packets: " + n);
        assertEquals(n, c.packets.size());
        assertEquals((65533 + n) & 0xFFFF, p.nextSequence());
        byte[][] dqt = Fixtures.dqtTables(j);
        int offset = 0;
        for (int i = 0; i < n; i++) {
            byte[] pk = c.packets.get(i);
            boolean last = i == n - 1;
            assertTrue(pk.length <= 300);
            assertEquals(0x80, u8(pk, 0), "version 2");
            assertEquals(last ? 0x80 | 26 : 26, u8(pk, 1), "marker and payload type 26");
            assertEquals(last, c.markers.get(i));
            assertEquals((65533 + i) & 0xFFFF, u16(pk, 2), "sequence wraps at 16 bits");
            assertEquals(TS, int32(pk, 4));
            assertEquals(SSRC, int32(pk, 8));
            assertEquals(0, u8(pk, 12), "type-specific");
            assertEquals(offset, u8(pk, 13) << 16 | u16(pk, 14), "fragment offset");
            assertEquals(1, u8(pk, 16), "type 1: 4:2:0 without restart");
            assertEquals(255, u8(pk, 17), "Q");
            assertEquals(8, u8(pk, 18), "width / 8");
            assertEquals(6, u8(pk, 19), "height / 8");
            int payloadAt = 20;
            if (i == 0) {
                assertArrayEquals(new byte[] {0, 0, 0, (byte) 128}, Arrays.copyOfRange(pk, 20, 24));
                assertArrayEquals(dqt[0], Arrays.copyOfRange(pk, 24, 88), "luma table as in the DQT");
                assertArrayEquals(dqt[1], Arrays.copyOfRange(pk, 88, 152), "chroma table as in the DQT");
                payloadAt = 152;
            }
            assertEquals(payloadAt, c.headerLengths.get(i));
            assertArrayEquals(Arrays.copyOfRange(j, info.scanOffset() + offset, info.scanOffset() + offset
                    + pk.length - payloadAt), Arrays.copyOfRange(pk, payloadAt, pk.length), "payload is the scan");
            if (!last) {
                assertEquals(300, pk.length, "packets before the last are full");
            }
            offset += pk.length - payloadAt;
        }
        assertEquals(scan, offset, "fragments cover the scan exactly");
    }

    @Test
    void restartHeaderInEveryPacket() throws Exception {
        byte[] j = cjpeg(64, 48, "-sample", "2x1", "-restart", "1");
        JpegInfo info = parse(ByteBuffer.wrap(j));
        assertEquals(4, info.restartInterval());
        Capture c = new Capture();
        int n = new RtpJpegPacketizer(SSRC, 0, 256).packetize(ByteBuffer.wrap(j), info, TS, c);
        assertTrue(n > 2);
        for (int i = 0; i < n; i++) {
            byte[] pk = c.packets.get(i);
            assertEquals(64, u8(pk, 16), "type 0 + 64 for DRI");
            assertEquals(4, u16(pk, 20), "restart interval");
            assertEquals(0xFFFF, u16(pk, 22), "F=1 L=1 count 0x3FFF");
            assertEquals(i == 0 ? 24 + 132 : 24, c.headerLengths.get(i));
            assertTrue(pk.length <= 256);
        }
        assertEquals(128, u16(c.packets.get(0), 26), "table header follows the restart header");
    }

    @ParameterizedTest
    @ValueSource(ints = {256, 257, 300, 576, 1400, 1500, 9000, 65507})
    void everyPacketFitsTheMtu(int mtu) throws Exception {
        for (byte[] j : new byte[][] {cjpeg(1918, 1078, "-quality", "85", "-sample", "2x2"),
                cjpeg(640, 480, "-sample", "2x1", "-restart", "2B"), cjpeg(16, 8, "-sample", "2x2")}) {
            JpegInfo info = parse(ByteBuffer.wrap(j));
            Capture c = new Capture();
            int n = new RtpJpegPacketizer(SSRC, 1, mtu).packetize(ByteBuffer.wrap(j), info, TS, c);
            long payload = 0;
            for (int i = 0; i < n; i++) {
                int size = c.packets.get(i).length;
                assertTrue(size <= mtu, size + " > " + mtu);
                if (i < n - 1) {
                    assertEquals(mtu, size, "only the last packet may be short");
                }
                payload += size - c.headerLengths.get(i);
            }
            assertEquals(info.scanLength(), payload);
        }
    }

    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({"2040, 8, 255, 1", "2041, 8, 0, 1", "2048, 16, 0, 2", "33, 17, 5, 3", "16, 2041, 2, 0", "1, 1, 1, 1"})
    void sizeFieldsInEightPixelUnits(int w, int h, int w8, int h8) throws Exception {
        byte[] j = cjpeg(w, h, "-sample", "2x2");
        Capture c = new Capture();
        new RtpJpegPacketizer(SSRC, 0, 1400).packetize(ByteBuffer.wrap(j), parse(ByteBuffer.wrap(j)), TS, c);
        for (byte[] pk : c.packets) {
            assertEquals(w8, u8(pk, 18));
            assertEquals(h8, u8(pk, 19));
        }
    }

    @Test
    void payloadIsAViewOfTheFrameNotACopy() throws Exception {
        byte[] j = cjpeg(640, 480, "-sample", "2x2");
        byte[] framed = Fixtures.concat(new byte[100], j, new byte[7]);
        for (ByteBuffer frame : new ByteBuffer[] {ByteBuffer.wrap(framed),
                ByteBuffer.allocateDirect(framed.length).put(framed)}) {
            frame.limit(100 + j.length).position(100);
            JpegInfo info = parse(frame);
            Capture c = new Capture();
            RtpJpegPacketizer p = new RtpJpegPacketizer(SSRC, 0, 1400);
            int n = p.packetize(frame, info, TS, c);
            assertEquals(100, frame.position());
            assertEquals(100 + j.length, frame.limit());
            int offset = 0;
            for (int i = 0; i < n; i++) {
                ByteBuffer view = c.payloadViews.get(i);
                assertSame(c.payloadViews.get(0), view, "one view reused for every packet");
                assertEquals(frame.isDirect(), view.isDirect());
                if (frame.hasArray()) {
                    assertSame(framed, view.array(), "shares the frame's memory");
                }
                assertEquals(info.scanOffset() + offset, c.payloadPositions.get(i));
                offset += c.packets.get(i).length - c.headerLengths.get(i);
            }
            // The same buffer object again: the view is kept; a new object gets a new view.
            ByteBuffer first = c.payloadViews.get(0);
            c.clear();
            p.packetize(frame, info, TS, c);
            assertSame(first, c.payloadViews.get(0));
            c.clear();
            p.packetize(frame.duplicate(), info, TS, c);
            assertFalse(first == c.payloadViews.get(0));
        }
    }

    @Test
    void consecutiveFramesContinueTheSequenceAndRepeatTheTables() throws Exception {
        byte[] a = cjpeg(64, 48, "-sample", "2x2"), b = cjpeg(64, 48, "-quality", "30", "-sample", "2x1");
        RtpJpegPacketizer p = new RtpJpegPacketizer(SSRC, 0xFFFF, 256);
        Capture c = new Capture();
        int na = p.packetize(ByteBuffer.wrap(a), parse(ByteBuffer.wrap(a)), 1000, c);
        int nb = p.packetize(ByteBuffer.wrap(b), parse(ByteBuffer.wrap(b)), 4000, c);
        for (int i = 0; i < na + nb; i++) {
            assertEquals((0xFFFF + i) & 0xFFFF, u16(c.packets.get(i), 2));
            assertEquals(i < na ? 1000 : 4000, int32(c.packets.get(i), 4));
        }
        byte[] second = c.packets.get(na);
        assertEquals(0, u8(second, 13) << 16 | u16(second, 14));
        assertEquals(0, u8(second, 16), "type of the second frame");
        assertArrayEquals(Fixtures.dqtTables(b)[1], Arrays.copyOfRange(second, 88, 152));
        assertEquals(Arrays.asList(true, true), Arrays.asList(c.markers.get(na - 1), c.markers.get(na + nb - 1)));
    }

    @Test
    void mtuBounds() {
        assertEquals(256, RtpJpegPacketizer.minimumMtu());
        RtpJpegPacketizer p = new RtpJpegPacketizer(SSRC, 0, 256);
        assertThrows(IllegalArgumentException.class, () -> p.setMtu(255));
        assertThrows(IllegalArgumentException.class, () -> p.setMtu(65508));
        assertThrows(IllegalArgumentException.class, () -> new RtpJpegPacketizer(SSRC, 0, 100));
        p.setMtu(65507);
        assertEquals(65507, p.mtu());
        assertEquals(SSRC, p.ssrc());
        assertEquals(0x2345, new RtpJpegPacketizer(SSRC, 0x12345, 256).nextSequence(), "16-bit sequence");
    }

    @Test
    void rejectsInfoThatDoesNotMatchTheFrame() throws Exception {
        byte[] j = cjpeg(64, 48, "-sample", "2x2");
        JpegInfo info = parse(ByteBuffer.wrap(j));
        ByteBuffer shorter = ByteBuffer.wrap(j, 0, j.length - 10);
        assertThrows(IllegalArgumentException.class,
                () -> new RtpJpegPacketizer(SSRC, 0, 1400).packetize(shorter, info, TS, new Capture()));
    }

    @Test
    void sinkFailureStopsTheFrameAndKeepsUsedSequenceNumbers() throws Exception {
        byte[] j = cjpeg(640, 480, "-sample", "2x2");
        RtpJpegPacketizer p = new RtpJpegPacketizer(SSRC, 10, 1400);
        int[] calls = {0};
        IOException e = assertThrows(IOException.class, () -> p.packetize(ByteBuffer.wrap(j),
                parse(ByteBuffer.wrap(j)), TS, (h, pl, m) -> {
                    if (++calls[0] == 2) {
                        throw new IOException("network down");
                    }
                }));
        assertEquals("network down", e.getMessage());
        assertEquals(2, calls[0]);
        assertEquals(12, p.nextSequence());
    }

    @Test
    void gatheringWriteSendsExactlyThePacket() throws Exception {
        byte[] j = cjpeg(320, 240, "-sample", "2x1", "-restart", "1");
        JpegInfo info = parse(ByteBuffer.wrap(j));
        Capture expected = new Capture();
        new RtpJpegPacketizer(SSRC, 7, 1400).packetize(ByteBuffer.wrap(j), info, TS, expected);
        try (DatagramChannel rx = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                DatagramChannel tx = DatagramChannel.open().connect(rx.getLocalAddress())) {
            ByteBuffer[] gather = new ByteBuffer[2];
            int n = new RtpJpegPacketizer(SSRC, 7, 1400).packetize(ByteBuffer.wrap(j), info, TS, (h, pl, m) -> {
                gather[0] = h;
                gather[1] = pl;
                tx.write(gather);
            });
            ByteBuffer in = ByteBuffer.allocate(2048);
            for (int i = 0; i < n; i++) {
                in.clear();
                rx.receive(in);
                in.flip();
                byte[] got = new byte[in.remaining()];
                in.get(got);
                assertArrayEquals(expected.packets.get(i), got, "packet " + i);
            }
        }
    }

    @Test
    void steadyStateAllocatesNothing() throws Exception {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        ByteBuffer frame = ByteBuffer.wrap(cjpeg(320, 240, "-sample", "2x2", "-restart", "2B"));
        JpegInfo info = new JpegInfo();
        JpegParser parser = new JpegParser();
        RtpJpegPacketizer p = new RtpJpegPacketizer(SSRC, 0, 1400);
        long[] bytes = {0};
        PacketSink sink = (h, pl, m) -> bytes[0] += h.remaining() + pl.remaining();
        for (int i = 0; i < 20_000; i++) {
            parser.parse(frame, info);
            p.packetize(frame, info, i, sink);
        }
        long before = mx.getCurrentThreadAllocatedBytes();
        int packets = 0;
        for (int i = 0; i < 20_000; i++) {
            parser.parse(frame, info);
            packets += p.packetize(frame, info, i, sink);
        }
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertTrue(packets > 20_000);
        assertTrue(allocated < 20_000, "parse + packetize allocated " + allocated + " bytes for 20000 frames");
    }
}
