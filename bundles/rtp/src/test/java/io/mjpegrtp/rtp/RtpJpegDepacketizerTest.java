package io.mjpegrtp.rtp;

import io.mjpegrtp.testfixtures.Fixtures;
import static io.mjpegrtp.testfixtures.Fixtures.cjpeg;
import static io.mjpegrtp.testfixtures.Fixtures.djpeg;
import static io.mjpegrtp.rtp.Packets.u8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mjpegrtp.jpeg.JpegInfo;
import io.mjpegrtp.jpeg.JpegParser;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RtpJpegDepacketizerTest {
    private static final int SSRC = 0x12345678;

    @BeforeAll
    static void tools() {
        Fixtures.requireTools();
    }

    /** The packets of one frame from our packetizer. */
    static List<byte[]> packets(byte[] jpeg, int mtu, int firstSequence, int timestamp) throws Exception {
        JpegInfo info = new JpegInfo();
        new JpegParser().parse(ByteBuffer.wrap(jpeg), info);
        Capture c = new Capture();
        new RtpJpegPacketizer(SSRC, firstSequence, mtu).packetize(ByteBuffer.wrap(jpeg), info, timestamp, c);
        return c.packets;
    }

    /** Feeds packets; returns copies of the frames output. */
    static List<byte[]> feed(RtpJpegDepacketizer d, List<byte[]> packets) {
        List<byte[]> out = new ArrayList<>();
        for (byte[] p : packets) {
            ByteBuffer f = d.receive(ByteBuffer.wrap(p));
            if (f != null) {
                byte[] b = new byte[f.remaining()];
                f.get(b);
                out.add(b);
            }
        }
        return out;
    }

    /** Offset of the first scan byte in the first packet (main header, restart header, table header). */
    static int firstPayload(byte[] first) {
        return 20 + (u8(first, 16) >= 64 ? 4 : 0) + 4 + 128;
    }

    @ParameterizedTest(name = "Q {0}")
    @ValueSource(ints = {1, 5, 25, 49, 50, 51, 75, 90, 99})
    void appendixATablesAreLibjpegQualityScaling(int q) {
        byte[] t = new byte[256];
        RtpJpegDepacketizer.makeTables(q, t);
        byte[][] dqt = Fixtures.dqtTables(cjpeg(16, 16, "-baseline", "-quality", String.valueOf(q), "-sample", "2x2"));
        assertArrayEquals(dqt[0], Arrays.copyOfRange(t, 0, 64), "luma");
        assertArrayEquals(dqt[1], Arrays.copyOfRange(t, 128, 192), "chroma");
    }

    @Test
    void qBelow128UsesAppendixATables() throws Exception {
        // A JPEG whose tables are those of libjpeg quality 60, sent with Q=60 and no table header.
        byte[] j = cjpeg(64, 48, "-baseline", "-quality", "60", "-sample", "2x1");
        List<byte[]> sent = new ArrayList<>();
        for (byte[] p : packets(j, 300, 1, 0)) {
            byte[] copy = p.clone();
            copy[17] = 60;
            if ((copy[13] | copy[14] | copy[15]) == 0) { // the first packet: drop the table header
                int at = firstPayload(p);
                copy = Fixtures.concat(Arrays.copyOf(copy, at - 132), Arrays.copyOfRange(copy, at, copy.length));
            }
            sent.add(copy);
        }
        List<byte[]> out = feed(new RtpJpegDepacketizer(), sent);
        assertEquals(1, out.size());
        assertArrayEquals(djpeg(j), djpeg(out.get(0)));
    }

    @Test
    void q128To254TablesAreCachedAcrossFrames() throws Exception {
        byte[] j = cjpeg(64, 48, "-quality", "70", "-sample", "2x2");
        List<byte[]> first = packets(j, 9000, 10, 0), second = packets(j, 9000, 11, 3000);
        assertEquals(1, first.size());
        first.get(0)[17] = (byte) 200;
        byte[] p = second.get(0);
        p[17] = (byte) 200;
        p[22] = 0; // table length 0: "use the tables last sent with this Q"
        p[23] = 0;
        byte[] withoutTables = Fixtures.concat(Arrays.copyOf(p, 24), Arrays.copyOfRange(p, 24 + 128, p.length));
        RtpJpegDepacketizer d = new RtpJpegDepacketizer();
        List<byte[]> out = feed(d, List.of(first.get(0), withoutTables));
        assertEquals(2, out.size());
        assertArrayEquals(djpeg(j), djpeg(out.get(1)));
        // A receiver that never got the tables of Q 200 cannot decode the frame: dropped, counted.
        RtpJpegDepacketizer fresh = new RtpJpegDepacketizer();
        assertTrue(feed(fresh, List.of(withoutTables)).isEmpty());
        assertEquals(1, fresh.droppedFrames());
    }

    @Test
    void lostFragmentsDropTheFrameAndTheNextFrameIsExact() throws Exception {
        byte[] j = cjpeg(160, 120, "-sample", "2x2", "-restart", "1");
        byte[] expected = djpeg(j);
        for (int lost : new int[] {0, 1, 2, -1}) { // first (tables), middle, marker
            List<byte[]> a = new ArrayList<>(packets(j, 400, 65530, 1000));
            assertTrue(a.size() > 4);
            a.remove(lost < 0 ? a.size() - 1 : lost);
            List<byte[]> b = packets(j, 400, 65530 + a.size() + 1, 4000);
            RtpJpegDepacketizer d = new RtpJpegDepacketizer();
            List<byte[]> all = new ArrayList<>(a);
            all.addAll(b);
            List<byte[]> out = feed(d, all);
            assertEquals(1, out.size(), "lost packet " + lost);
            assertEquals(4000, d.timestamp());
            assertArrayEquals(expected, djpeg(out.get(0)));
            assertEquals(1, d.droppedFrames());
            assertEquals(1, d.completedFrames());
        }
    }

    @Test
    void incompleteLastFrameIsCountedAtFlush() throws Exception {
        List<byte[]> a = packets(cjpeg(160, 120, "-sample", "2x1"), 400, 0, 0);
        RtpJpegDepacketizer d = new RtpJpegDepacketizer();
        assertTrue(feed(d, a.subList(0, a.size() - 1)).isEmpty());
        assertEquals(0, d.droppedFrames());
        d.flush();
        assertEquals(1, d.droppedFrames());
    }

    @Test
    void sequenceJumpWithinAFrameDropsIt() throws Exception {
        List<byte[]> a = packets(cjpeg(160, 120, "-sample", "2x2"), 400, 100, 0);
        byte[] middle = a.get(2);
        middle[3] += 5; // offsets still contiguous, but a sequence number is missing
        RtpJpegDepacketizer d = new RtpJpegDepacketizer();
        assertTrue(feed(d, a).isEmpty());
        d.flush();
        assertEquals(1, d.droppedFrames());
    }

    @Test
    void reorderedAndDuplicatedFragmentsStillMakeTheFrame() throws Exception {
        byte[] j = cjpeg(160, 120, "-sample", "2x1", "-restart", "2B");
        List<byte[]> a = new ArrayList<>(packets(j, 300, 65533, 0));
        List<byte[]> shuffled = new ArrayList<>(a);
        java.util.Collections.reverse(shuffled);
        shuffled.add(2, a.get(3));
        RtpJpegDepacketizer d = new RtpJpegDepacketizer();
        List<byte[]> out = feed(d, shuffled);
        assertEquals(1, out.size());
        assertArrayEquals(djpeg(j), djpeg(out.get(0)));
        assertEquals(1, d.reorderedFrames());
        // The rest of a frame already output is late, not a new frame.
        assertTrue(feed(d, List.of(a.get(1))).isEmpty());
        assertEquals(1, d.latePackets());
        assertEquals(0, d.droppedFrames());
    }

    @Test
    void inconsistentHeadersWithinAFrameDropIt() throws Exception {
        List<byte[]> a = packets(cjpeg(160, 120, "-sample", "2x2"), 400, 0, 0);
        a.get(2)[16] = 0; // type changes within the frame
        RtpJpegDepacketizer d = new RtpJpegDepacketizer();
        assertTrue(feed(d, a).isEmpty());
        assertEquals(1, d.droppedFrames());
    }

    /** Item 4: above 2040 pixels the header says 0 and the size comes from the SDP. */
    @Test
    void above2040TheSizeComesFromTheSdp() throws Exception {
        byte[] j = cjpeg(3280, 2464, "-quality", "80", "-sample", "2x2"); // IMX219 full sensor
        List<byte[]> a = packets(j, 1400, 0, 0);
        assertEquals(0, u8(a.get(0), 18), "width field");
        assertEquals(0, u8(a.get(0), 19), "height field");
        RtpJpegDepacketizer withSdp = new RtpJpegDepacketizer();
        withSdp.setDimensions(3280, 2464);
        List<byte[]> out = feed(withSdp, a);
        assertEquals(1, out.size());
        assertEquals(3280, withSdp.width());
        assertEquals(2464, withSdp.height());
        assertArrayEquals(djpeg(j), djpeg(out.get(0)));
        RtpJpegDepacketizer without = new RtpJpegDepacketizer();
        assertTrue(feed(without, a).isEmpty(), "no size: nothing a decoder could use");
        assertEquals(1, without.droppedFrames());
        assertTrue(SessionDescription.forJpegStream("c", "127.0.0.1", 5000, 3280, 2464, 15, 0)
                .contains("a=x-dimensions:3280,2464\r\n"));
    }

    @Test
    void exactly2040IsCarriedInTheHeader() throws Exception {
        byte[] j = cjpeg(2040, 16, "-sample", "2x1");
        List<byte[]> a = packets(j, 1400, 0, 0);
        assertEquals(255, u8(a.get(0), 18));
        RtpJpegDepacketizer d = new RtpJpegDepacketizer();
        List<byte[]> out = feed(d, a);
        assertEquals(2040, d.width());
        assertArrayEquals(djpeg(j), djpeg(out.get(0)));
    }

    @Test
    void paddingCsrcAndHeaderExtensionAreSkipped() throws Exception {
        byte[] j = cjpeg(64, 48, "-sample", "2x2");
        List<byte[]> sent = new ArrayList<>();
        for (byte[] p : packets(j, 256, 0, 0)) {
            // V=2, P=1, X=1, CC=2; two CSRCs; extension of one word; 3 bytes of padding.
            byte[] head = Arrays.copyOf(p, 12);
            head[0] = (byte) 0xB2;
            byte[] extra = {1, 2, 3, 4, 5, 6, 7, 8, (byte) 0xBE, (byte) 0xDE, 0, 1, 9, 9, 9, 9};
            sent.add(Fixtures.concat(head, extra, Arrays.copyOfRange(p, 12, p.length), new byte[] {0, 0, 3}));
        }
        List<byte[]> out = feed(new RtpJpegDepacketizer(), sent);
        assertEquals(1, out.size());
        assertArrayEquals(djpeg(j), djpeg(out.get(0)));
    }

    @Test
    void otherPayloadTypesAreIgnoredUnlessAccepted() throws Exception {
        List<byte[]> a = packets(cjpeg(64, 48, "-sample", "2x2"), 9000, 0, 0);
        assertEquals(1, a.size());
        a.get(0)[1] = (byte) (0x80 | 96);
        RtpJpegDepacketizer d = new RtpJpegDepacketizer();
        assertTrue(feed(d, a).isEmpty());
        assertEquals(1, d.invalidPackets());
        d.setPayloadType(96);
        assertEquals(1, feed(d, a).size());
        assertThrows(IllegalArgumentException.class, () -> d.setPayloadType(128));
        assertThrows(IllegalArgumentException.class, () -> d.setDimensions(65536, 1));
    }

    @Test
    void framesAboveTheSizeLimitAreDroppedWithoutBuffering() {
        // A fragment claiming offset 2^24 - 100 with 200 bytes: past 16 MB of scan.
        byte[] p = new byte[20 + 200];
        p[0] = (byte) 0x80;
        p[1] = (byte) (0x80 | 26);
        p[13] = (byte) 0xFF;
        p[14] = (byte) 0xFF;
        p[15] = (byte) 0x9C;
        p[16] = 1;
        p[17] = (byte) 255;
        p[18] = 8;
        p[19] = 8;
        RtpJpegDepacketizer d = new RtpJpegDepacketizer();
        assertNull(d.receive(ByteBuffer.wrap(p)));
        assertEquals(1, d.droppedFrames());
        // The largest fragment a frame may have is accepted (and buffered up to the limit only).
        p[15] = (byte) 0x9B;
        p[7] = 1; // another timestamp: a new frame
        assertNull(d.receive(ByteBuffer.wrap(Arrays.copyOf(p, 20 + 100))));
        d.flush();
        assertEquals(2, d.droppedFrames());
    }

    /** Garbage and mutated packets: counted or dropped, never an exception. */
    @Test
    void garbageNeverThrows() throws Exception {
        Random r = new Random(2435);
        RtpJpegDepacketizer d = new RtpJpegDepacketizer();
        for (int i = 0; i < 20_000; i++) {
            byte[] g = new byte[r.nextInt(i % 10 == 0 ? 2000 : 40)];
            r.nextBytes(g);
            d.receive(ByteBuffer.wrap(g));
        }
        assertTrue(d.invalidPackets() > 15_000);
        assertEquals(0, d.completedFrames());
        byte[] j = cjpeg(96, 64, "-sample", "2x2", "-restart", "1");
        List<byte[]> valid = packets(j, 300, 0, 0);
        for (int i = 0; i < 100_000; i++) {
            byte[] p = valid.get(r.nextInt(valid.size())).clone();
            for (int k = r.nextInt(4); k >= 0; k--) {
                p[r.nextInt(Math.min(p.length, 200))] ^= (byte) (1 << r.nextInt(8));
            }
            ByteBuffer direct = ByteBuffer.allocateDirect(p.length + 3).put(new byte[3]).put(p);
            direct.position(3); // a datagram at a non-zero position of a direct buffer
            ByteBuffer f = d.receive(direct);
            if (f != null) {
                assertEquals(0xFFD8, f.getShort(f.position()) & 0xFFFF);
            }
            assertEquals(3, direct.position(), "the packet is read with absolute gets");
        }
        // Still a working receiver afterwards.
        RtpJpegDepacketizer after = d;
        after.flush();
        List<byte[]> out = feed(after, packets(j, 300, 7, 0x40000000));
        assertEquals(1, out.size());
        assertArrayEquals(djpeg(j), djpeg(out.get(0)));
    }

    @Test
    void aNewSsrcStartsANewStream() throws Exception {
        byte[] j = cjpeg(64, 48, "-sample", "2x2");
        List<byte[]> a = packets(j, 256, 0, 5000);
        List<byte[]> b = packets(j, 256, 0, 100); // earlier timestamp, other source
        for (byte[] p : b) {
            p[11] ^= 1;
        }
        RtpJpegDepacketizer d = new RtpJpegDepacketizer();
        List<byte[]> all = new ArrayList<>(a.subList(0, 2));
        all.addAll(b);
        List<byte[]> out = feed(d, all);
        assertEquals(1, out.size());
        assertEquals(100, d.timestamp());
        assertEquals(1, d.droppedFrames());
        assertNotNull(out.get(0));
    }
}
