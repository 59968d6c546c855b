package io.mjpegrtp.api;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Durations counted in fixed buckets, recorded from any thread without allocating (it sits on the per-frame path).
 * Buckets are log-linear in microseconds: 10 µs wide below 1 ms, 100 µs below 10 ms, 1 ms below 100 ms, 10 ms below
 * 1 s, and one bucket for a second or more. A percentile is read as the upper bound of its bucket: never below the
 * true value, and at most one bucket width (10 µs below 1 ms, at most 10 % above) over it.
 */
public final class LatencyHistogram {
    /** Number of buckets; the last counts durations of a second or more. */
    public static final int BUCKETS = 371;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final AtomicLong sumMicros = new AtomicLong();
    private final AtomicLong maxMicros = new AtomicLong();

    /** Counts one duration; negative durations (clocks of different sources) count as zero. */
    public void record(long nanos) {
        long micros = Math.max(0, nanos / 1000);
        counts.incrementAndGet(bucketOf(micros));
        sumMicros.addAndGet(micros);
        long max;
        while (micros > (max = maxMicros.get()) && !maxMicros.compareAndSet(max, micros)) {
            // another thread raised the maximum meanwhile: look again
        }
    }

    public Snapshot snapshot() {
        long[] c = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            c[i] = counts.get(i);
        }
        return new Snapshot(c, sumMicros.get(), maxMicros.get());
    }

    static int bucketOf(long micros) {
        if (micros < 1_000) {
            return (int) (micros / 10);
        } else if (micros < 10_000) {
            return 100 + (int) ((micros - 1_000) / 100);
        } else if (micros < 100_000) {
            return 190 + (int) ((micros - 10_000) / 1_000);
        } else if (micros < 1_000_000) {
            return 280 + (int) ((micros - 100_000) / 10_000);
        }
        return BUCKETS - 1;
    }

    /** The exclusive upper bound of bucket {@code i} in microseconds; {@link Long#MAX_VALUE} for the last. */
    public static long upperBoundMicros(int i) {
        if (i < 100) {
            return (i + 1) * 10L;
        } else if (i < 190) {
            return 1_000 + (i - 99) * 100L;
        } else if (i < 280) {
            return 10_000 + (i - 189) * 1_000L;
        } else if (i < BUCKETS - 1) {
            return 100_000 + (i - 279) * 10_000L;
        }
        return Long.MAX_VALUE;
    }

    /**
     * The counts at one instant.
     *
     * @param counts per bucket, {@link #BUCKETS} long
     * @param sumMicros the sum of all durations, in microseconds
     * @param maxMicros the longest duration since the start (not windowed by {@link #minus})
     */
    public record Snapshot(long[] counts, long sumMicros, long maxMicros) {
        /** Nothing counted. */
        public static final Snapshot EMPTY = new Snapshot(new long[BUCKETS], 0, 0);

        public long count() {
            return Arrays.stream(counts).sum();
        }

        /**
         * The upper bound, in microseconds, below which {@code percent} of the durations fall; -1 when there are
         * none, {@link Long#MAX_VALUE} when it lies in the bucket of a second or more.
         */
        public long percentileMicros(double percent) {
            long total = count();
            if (total == 0) {
                return -1;
            }
            long rank = (long) Math.ceil(percent / 100 * total);
            long seen = 0;
            for (int i = 0; i < counts.length; i++) {
                seen += counts[i];
                if (seen >= Math.max(1, rank)) {
                    return upperBoundMicros(i);
                }
            }
            return upperBoundMicros(counts.length - 1);
        }

        /** What was counted since {@code earlier}, a snapshot of the same histogram (the maximum stays this one's). */
        public Snapshot minus(Snapshot earlier) {
            long[] c = new long[counts.length];
            for (int i = 0; i < c.length; i++) {
                c[i] = counts[i] - earlier.counts[i];
            }
            return new Snapshot(c, sumMicros - earlier.sumMicros, maxMicros);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Snapshot s && Arrays.equals(counts, s.counts) && sumMicros == s.sumMicros
                    && maxMicros == s.maxMicros;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(counts) * 31 + Long.hashCode(sumMicros);
        }

        @Override
        public String toString() {
            return "LatencyHistogram.Snapshot[count=" + count() + ", p50=" + percentileMicros(50) + " µs, p99="
                    + percentileMicros(99) + " µs, max=" + maxMicros + " µs]";
        }
    }
}
