package io.mjpegrtp.stats.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mjpegrtp.api.CameraCounters;
import io.mjpegrtp.api.CameraStatistics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StatsServiceImplTest {
    private final StatsServiceImpl stats = new StatsServiceImpl();

    @AfterEach
    void stop() {
        stats.deactivate();
    }

    @Test
    void latenciesCoverTheLastTenSamplesOnly() {
        CameraCounters c = stats.counters("cam");
        for (int i = 0; i < 30; i++) {
            c.frameSentLatency(40_000_000, 30_000_000); // a slow start: 40 ms, 30 ms
        }
        stats.tick();
        assertEquals(41_000, stats.statistics("cam").orElseThrow().recentCaptureToSent().percentileMicros(99));
        for (int second = 0; second < CameraStatistics.LATENCY_WINDOW_SECONDS; second++) {
            for (int i = 0; i < 30; i++) {
                c.frameSentLatency(2_000_000, 300_000);
            }
            stats.tick();
        }
        CameraStatistics s = stats.statistics("cam").orElseThrow();
        assertEquals(300, s.recentCaptureToSent().count(), "the frames of the last 10 seconds, not the slow start");
        assertEquals(2_100, s.recentCaptureToSent().percentileMicros(99));
        assertEquals(310, s.recentHandOverToSent().percentileMicros(99));
        assertEquals(40_000, s.recentCaptureToSent().maxMicros(), "the maximum is that of the whole run");
        assertEquals(330, s.totals().captureToSent().count());
    }
}
