package io.mjpegrtp.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

class RtpClockTest {
    @Test
    void ninetyKilohertzFromTheOrigin() {
        RtpClock c = new RtpClock(1000, 5_000_000_000L);
        assertEquals(1000, c.timestamp(5_000_000_000L));
        assertEquals(1000 + 90_000, c.timestamp(6_000_000_000L), "one second");
        assertEquals(1000 + 3000, c.timestamp(5_000_000_000L + 33_333_334L), "1/30 s");
        assertEquals(1000, c.timestamp(5_000_000_000L + 11_111L), "less than one tick rounds down");
        assertEquals(1001, c.timestamp(5_000_000_000L + 11_112L));
        assertEquals(1000 - 1, c.timestamp(5_000_000_000L - 1), "before the origin rounds down too");
        assertEquals(1000 - 90_000, c.timestamp(4_000_000_000L));
    }

    @Test
    void wrapsModulo2To32WithoutOverflowFarFromTheOrigin() {
        Random r = new Random(3);
        for (int i = 0; i < 10_000; i++) {
            int base = r.nextInt();
            long origin = r.nextLong() / 4, capture = origin + r.nextLong() / 4;
            BigInteger ticks = BigInteger.valueOf(capture - origin).multiply(BigInteger.valueOf(9))
                    .divide(BigInteger.valueOf(100_000));
            if (capture < origin && !BigInteger.valueOf(capture - origin).multiply(BigInteger.valueOf(9))
                    .mod(BigInteger.valueOf(100_000)).equals(BigInteger.ZERO)) {
                ticks = ticks.subtract(BigInteger.ONE); // floor, not truncation
            }
            int expected = BigInteger.valueOf(base).add(ticks).intValue();
            assertEquals(expected, new RtpClock(base, origin).timestamp(capture));
        }
    }

    @Test
    void randomBaseSsrcAndSequence() {
        Set<Integer> bases = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            bases.add(new RtpClock().base());
        }
        assertTrue(bases.size() > 1, "random bases");
        long now = System.nanoTime();
        RtpClock c = new RtpClock();
        assertTrue(c.origin() >= now);
        Set<Integer> ssrcs = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            ssrcs.add(RtpClock.randomSsrc());
        }
        assertTrue(ssrcs.size() > 1, "random SSRCs");
        for (int i = 0; i < 1000; i++) {
            int s = RtpClock.randomSequence();
            assertTrue(s >= 0 && s <= 0xFFFF);
        }
    }
}
