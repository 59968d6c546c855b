package io.mjpegrtp.stats.internal;

import io.mjpegrtp.api.CameraCounters;
import io.mjpegrtp.api.CameraStatistics;
import io.mjpegrtp.api.StatsService;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Holds each camera's counters and, once per second, turns the difference between two samples into rates.
 * Readers (the shell, a metrics endpoint) get the last computed sample and never touch the counters' hot path.
 */
@Component(service = StatsService.class)
public final class StatsServiceImpl implements StatsService {
    private final Map<String, Entry> cameras = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ticker;

    @Activate
    public StatsServiceImpl() {
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mjpeg-stats");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() {
        ticker.shutdownNow();
    }

    @Override
    public CameraCounters counters(String camera) {
        return cameras.computeIfAbsent(camera, Entry::new).counters;
    }

    @Override
    public void remove(String camera) {
        cameras.remove(camera);
    }

    @Override
    public Optional<CameraStatistics> statistics(String camera) {
        Entry e = cameras.get(camera);
        return e == null ? Optional.empty() : Optional.of(e.latest());
    }

    @Override
    public List<CameraStatistics> all() {
        List<CameraStatistics> list = new ArrayList<>();
        for (Entry e : cameras.values()) {
            list.add(e.latest());
        }
        list.sort(Comparator.comparing(s -> s.totals().camera()));
        return list;
    }

    void tick() {
        long now = System.nanoTime();
        for (Entry e : cameras.values()) {
            e.sample(now);
        }
    }

    private static final class Entry {
        final CameraCounters counters;
        private CameraCounters.Snapshot previous;
        private long previousNanos;
        /** The samples of the last seconds, oldest first, for the latency window. */
        private final ArrayDeque<CameraCounters.Snapshot> window = new ArrayDeque<>();
        private volatile CameraStatistics latest;

        Entry(String camera) {
            counters = new CameraCounters(camera);
            previous = counters.snapshot();
            previousNanos = System.nanoTime();
            window.add(previous);
            latest = new CameraStatistics(previous, 0, 0, 0, 0, System.currentTimeMillis());
        }

        CameraStatistics latest() {
            // Totals are always current; rates are those of the last whole second, latencies of the window.
            CameraStatistics l = latest;
            return new CameraStatistics(counters.snapshot(), l.framesPerSecond(), l.capturedPerSecond(),
                    l.packetsPerSecond(), l.bitsPerSecond(), System.currentTimeMillis(), l.recentCaptureToSent(),
                    l.recentHandOverToSent());
        }

        synchronized void sample(long nowNanos) {
            CameraCounters.Snapshot s = counters.snapshot();
            double seconds = (nowNanos - previousNanos) / 1e9;
            if (seconds <= 0) {
                return;
            }
            CameraCounters.Snapshot oldest = window.peekFirst();
            latest = new CameraStatistics(s,
                    (s.framesSent() - previous.framesSent()) / seconds,
                    (s.framesCaptured() - previous.framesCaptured()) / seconds,
                    (s.packetsSent() - previous.packetsSent()) / seconds,
                    8.0 * (s.bytesSent() - previous.bytesSent()) / seconds,
                    System.currentTimeMillis(),
                    s.captureToSent().minus(oldest.captureToSent()),
                    s.handOverToSent().minus(oldest.handOverToSent()));
            previous = s;
            previousNanos = nowNanos;
            window.addLast(s);
            while (window.size() > CameraStatistics.LATENCY_WINDOW_SECONDS) {
                window.removeFirst();
            }
        }
    }
}
