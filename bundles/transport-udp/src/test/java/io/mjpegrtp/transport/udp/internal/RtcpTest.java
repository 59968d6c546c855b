package io.mjpegrtp.transport.udp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RtcpTest {
    private static final int SSRC = 0xCAFE_0001;

    @Test
    void senderReportWithSdesAsRfc3550Lays() {
        ByteBuffer b = ByteBuffer.allocate(Rtcp.MAX_PACKET);
        long ntp = 0xE1234567_89ABCDEFL;
        Rtcp.compound(b, new Rtcp.SenderInfo(SSRC, ntp, 0x11223344, 5_000_000_000L, 7), true, "mjpeg-rtp@pi", "cam0",
                null);
        assertEquals(0x80, b.get(0) & 0xFF, "V=2, P=0, RC=0");
        assertEquals(200, b.get(1) & 0xFF);
        assertEquals(6, b.getShort(2));
        assertEquals(SSRC, b.getInt(4));
        assertEquals(ntp, b.getLong(8));
        assertEquals(0x11223344, b.getInt(16));
        assertEquals((int) 5_000_000_000L, b.getInt(20), "packet count modulo 2^32");
        assertEquals(7, b.getInt(24));
        int sdes = 28;
        assertEquals(0x81, b.get(sdes) & 0xFF, "V=2, SC=1");
        assertEquals(202, b.get(sdes + 1) & 0xFF);
        int sdesBytes = (b.getShort(sdes + 2) + 1) * 4;
        assertEquals(b.limit(), sdes + sdesBytes, "the SDES packet ends the compound packet");
        assertEquals(SSRC, b.getInt(sdes + 4));
        assertEquals(1, b.get(sdes + 8), "CNAME first");
        assertEquals("mjpeg-rtp@pi", text(b, sdes + 9));
        int name = sdes + 10 + 12;
        assertEquals(2, b.get(name), "NAME");
        assertEquals("cam0", text(b, name + 1));
        assertEquals(0, b.get(name + 6), "END");
    }

    @Test
    void receiverReportBeforeAnythingWasSentAndByeAtTheEnd() {
        ByteBuffer b = ByteBuffer.allocate(Rtcp.MAX_PACKET);
        Rtcp.compound(b, new Rtcp.SenderInfo(SSRC, 1, 2, 0, 0), false, "c", "", "camera stopped");
        assertEquals(201, b.get(1) & 0xFF);
        assertEquals(1, b.getShort(2));
        List<Integer> types = new ArrayList<>();
        int p = 0;
        int bye = -1;
        while (p < b.limit()) {
            assertEquals(2, (b.get(p) & 0xFF) >> 6, "version of packet at " + p);
            bye = p;
            types.add(b.get(p + 1) & 0xFF);
            p += (b.getShort(p + 2) + 1) * 4;
        }
        assertEquals(b.limit(), p, "lengths add up to the compound packet");
        assertEquals(List.of(201, 202, 203), types);
        assertEquals(203, b.get(bye + 1) & 0xFF);
        assertEquals(SSRC, b.getInt(bye + 4));
        assertEquals("camera stopped", text(b, bye + 8));
    }

    @Test
    void readsReportBlocksAboutOurSsrcOnly() {
        ByteBuffer b = ByteBuffer.allocate(200);
        b.put((byte) 0x82).put((byte) 201).putShort((short) (1 + 2 * 6)).putInt(0x1234);
        block(b, 0x999, 10, 20);
        block(b, SSRC, 64, -3);
        b.put((byte) 0x81).put((byte) 202).putShort((short) 2).putInt(0x1234).put(new byte[] { 1, 1, 'x', 0 });
        b.flip();
        List<Rtcp.ReportBlock> found = new ArrayList<>();
        assertEquals(2, Rtcp.reportBlocks(b, SSRC, found::add));
        assertEquals(1, found.size());
        Rtcp.ReportBlock r = found.get(0);
        assertEquals(0x1234, r.reporterSsrc());
        assertEquals(64, r.fractionLost());
        assertEquals(-3, r.cumulativeLost(), "24-bit signed");
        assertEquals(900, r.jitter());
        assertEquals(0xABCD_0000L, r.lastSr());
        assertEquals(65_536, r.delaySinceLastSr());
        assertEquals(10_000, Rtcp.jitterMicros(r.jitter(), 90_000));
    }

    @Test
    void roundTripFromLsrAndDlsr() {
        long sentAt = NtpTime.fromUnixNanos(1_700_000_000_000_000_000L);
        long arrival = NtpTime.fromUnixNanos(1_700_000_000_000_000_000L + 1_250_000_000L);
        Rtcp.ReportBlock r = new Rtcp.ReportBlock(1, 0, 0, 0, 0, NtpTime.middle32(sentAt), 65_536);
        long rtt = Rtcp.roundTripMicros(r, arrival);
        assertTrue(Math.abs(rtt - 250_000) <= 30, "250 ms within the 1/65536 s resolution: " + rtt);
        assertEquals(-1, Rtcp.roundTripMicros(new Rtcp.ReportBlock(1, 0, 0, 0, 0, 0, 0), arrival), "no SR seen yet");
        Rtcp.ReportBlock early = new Rtcp.ReportBlock(1, 0, 0, 0, 0, NtpTime.middle32(arrival), 2);
        assertEquals(0, Rtcp.roundTripMicros(early, arrival), "DLSR rounded up past the arrival");
    }

    @Test
    void garbageNeverThrows() {
        Random r = new Random(1);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[r.nextInt(80)];
            r.nextBytes(bytes);
            if (bytes.length > 0 && r.nextBoolean()) {
                bytes[0] = (byte) (0x80 | (bytes[0] & 0x3F));
            }
            Rtcp.reportBlocks(ByteBuffer.wrap(bytes), SSRC, x -> { });
        }
    }

    @Test
    void ntpTimestampsOfKnownInstants() {
        assertEquals(NtpTime.UNIX_TO_NTP_SECONDS << 32, NtpTime.fromUnixNanos(0));
        assertEquals((NtpTime.UNIX_TO_NTP_SECONDS << 32) | 0x8000_0000L, NtpTime.fromUnixNanos(500_000_000L));
        long t = 1_732_000_000_123_456_789L;
        assertTrue(Math.abs(NtpTime.toUnixNanos(NtpTime.fromUnixNanos(t)) - t) <= 1);
        long now = System.nanoTime();
        long wall = System.currentTimeMillis();
        assertTrue(Math.abs(NtpTime.unixNanos(now) / 1_000_000 - wall) < 1000, "the anchor follows the wall clock");
        assertEquals(1_000_000_000L, NtpTime.unixNanos(now + 1_000_000_000L) - NtpTime.unixNanos(now));
    }

    private static void block(ByteBuffer b, int ssrc, int fraction, int cumulative) {
        b.putInt(ssrc).putInt(fraction << 24 | cumulative & 0xFFFFFF).putInt(70_000).putInt(900)
                .putInt(0xABCD_0000).putInt(65_536);
    }

    private static String text(ByteBuffer b, int at) {
        int n = b.get(at) & 0xFF;
        byte[] t = new byte[n];
        b.get(at + 1, t);
        return new String(t, StandardCharsets.UTF_8);
    }
}
