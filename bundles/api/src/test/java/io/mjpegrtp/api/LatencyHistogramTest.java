package io.mjpegrtp.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
    @Test
    void everyDurationFallsInTheBucketWhoseBoundsHoldIt() {
        Random random = new Random(7);
        for (int n = 0; n < 100_000; n++) {
            long micros = n < 3000 ? n : (long) Math.exp(random.nextDouble() * Math.log(5_000_000));
            int i = LatencyHistogram.bucketOf(micros);
            long lower = i == 0 ? 0 : LatencyHistogram.upperBoundMicros(i - 1);
            assertTrue(micros >= lower && micros < LatencyHistogram.upperBoundMicros(i),
                    micros + " µs in bucket " + i + " [" + lower + ", " + LatencyHistogram.upperBoundMicros(i) + ")");
        }
    }

    @Test
    void percentilesAreNeverBelowTheTrueValueAndAtMostOneBucketAbove() {
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 1; i <= 1000; i++) {
            h.record(i * 1_000L); // 1 µs .. 1000 µs
        }
        LatencyHistogram.Snapshot s = h.snapshot();
        assertEquals(1000, s.count());
        assertEquals(500, s.percentileMicros(50) - 10, 10); // true 500 µs; bucket [500, 510)
        assertTrue(s.percentileMicros(99) >= 990 && s.percentileMicros(99) <= 1000, "" + s.percentileMicros(99));
        assertEquals(1000, s.maxMicros());
        assertEquals(500_500, s.sumMicros());
    }

    @Test
    void aWindowCountsOnlyWhatCameAfterTheEarlierSnapshot() {
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < 100; i++) {
            h.record(50_000_000L); // 50 ms while warming up
        }
        LatencyHistogram.Snapshot before = h.snapshot();
        for (int i = 0; i < 100; i++) {
            h.record(200_000L); // 200 µs
        }
        LatencyHistogram.Snapshot window = h.snapshot().minus(before);
        assertEquals(100, window.count());
        assertEquals(210, window.percentileMicros(99));
        assertTrue(h.snapshot().percentileMicros(99) > 50_000, "the whole run still sees the slow start");
    }

    @Test
    void emptyAndExtremeValues() {
        assertEquals(-1, LatencyHistogram.Snapshot.EMPTY.percentileMicros(99));
        LatencyHistogram h = new LatencyHistogram();
        h.record(-5_000); // clocks of two sources disagreeing: counted as zero, not lost
        h.record(3_000_000_000L);
        LatencyHistogram.Snapshot s = h.snapshot();
        assertEquals(10, s.percentileMicros(50));
        assertEquals(Long.MAX_VALUE, s.percentileMicros(100));
        assertEquals(3_000_000, s.maxMicros());
    }
}
