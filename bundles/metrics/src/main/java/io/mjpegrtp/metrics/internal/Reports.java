package io.mjpegrtp.metrics.internal;

import io.mjpegrtp.api.Camera.CameraStatus;
import io.mjpegrtp.api.CameraCounters;
import io.mjpegrtp.api.CameraState;
import io.mjpegrtp.api.CameraStatistics;
import io.mjpegrtp.api.LatencyHistogram;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What {@code /metrics} and {@code /health} say, from the cameras' status and statistics; no HTTP here. */
final class Reports {
    private Reports() {
    }

    /** One camera as the reports see it; either part may be missing while a camera comes or goes. */
    record CameraView(String name, CameraStatus status, CameraStatistics statistics) {
    }

    /** Joins statuses and statistics by camera name. */
    static List<CameraView> join(List<CameraStatus> statuses, List<CameraStatistics> statistics) {
        Map<String, CameraStatus> byName = new TreeMap<>();
        for (CameraStatus s : statuses) {
            byName.put(s.name(), s);
        }
        Map<String, CameraStatistics> stats = new TreeMap<>();
        for (CameraStatistics s : statistics) {
            stats.put(s.totals().camera(), s);
        }
        TreeMap<String, CameraView> all = new TreeMap<>();
        for (String n : byName.keySet()) {
            all.put(n, new CameraView(n, byName.get(n), stats.get(n)));
        }
        for (String n : stats.keySet()) {
            all.putIfAbsent(n, new CameraView(n, null, stats.get(n)));
        }
        return new ArrayList<>(all.values());
    }

    static String metrics(List<CameraView> cameras) {
        Exposition e = new Exposition();
        e.declare("mjpeg_cameras", "gauge", "Cameras configured.");
        e.gauge("mjpeg_cameras", "Cameras configured.", cameras.size());
        for (CameraView c : cameras) {
            cameraMetrics(e, c);
        }
        jvmMetrics(e);
        return e.toString();
    }

    private static void cameraMetrics(Exposition e, CameraView c) {
        String cam = c.name();
        CameraStatus s = c.status();
        if (s != null) {
            e.gauge("mjpeg_camera_info", "The camera's backend and destination (value always 1).", 1,
                    "camera", cam, "backend", s.backend(), "destination", String.join(",", s.destinations()));
            for (CameraState state : CameraState.values()) {
                e.gauge("mjpeg_camera_state", "1 for the state the camera is in, 0 for the others.",
                        s.state() == state ? 1 : 0, "camera", cam, "state", state.label());
            }
            e.gauge("mjpeg_camera_streaming", "1 when the camera streams, else 0.",
                    s.state() == CameraState.STREAMING ? 1 : 0, "camera", cam);
            e.gauge("mjpeg_camera_configured_fps", "Configured frames per second.", s.framerate(), "camera", cam);
            e.gauge("mjpeg_camera_width_pixels", "Width of the frames as sent.", s.width(), "camera", cam);
            e.gauge("mjpeg_camera_height_pixels", "Height of the frames as sent.", s.height(), "camera", cam);
        }
        CameraStatistics st = c.statistics();
        if (st == null) {
            return;
        }
        CameraCounters.Snapshot t = st.totals();
        e.counter("mjpeg_frames_captured_total", "Frames delivered by the capture backend.", t.framesCaptured(),
                "camera", cam);
        e.counter("mjpeg_frames_sent_total", "Frames sent by at least one transport.", t.framesSent(), "camera", cam);
        e.counter("mjpeg_frames_dropped_total",
                "Frames not sent, by reason: queue_full (a newer frame took its place), rejected (not carriable: "
                        + "see the log or mjpeg:stats).", t.framesDroppedQueueFull(), "camera", cam, "reason",
                "queue_full");
        e.counter("mjpeg_frames_dropped_total", "", t.framesRejected(), "camera", cam, "reason", "rejected");
        e.counter("mjpeg_packets_sent_total", "RTP packets sent.", t.packetsSent(), "camera", cam);
        e.counter("mjpeg_bytes_sent_total", "Payload bytes sent (IP/UDP headers excluded).", t.bytesSent(),
                "camera", cam);
        e.counter("mjpeg_send_errors_total", "Packets the network refused.", t.sendErrors(), "camera", cam);
        e.counter("mjpeg_restarts_total", "Restarts of the capture after a failure.", t.restarts(), "camera", cam);
        e.gauge("mjpeg_frames_per_second", "Frames sent per second over the last second.", st.framesPerSecond(),
                "camera", cam);
        e.gauge("mjpeg_captured_frames_per_second", "Frames captured per second over the last second.",
                st.capturedPerSecond(), "camera", cam);
        e.gauge("mjpeg_bitrate_bits_per_second", "Payload bits sent per second over the last second.",
                st.bitsPerSecond(), "camera", cam);
        e.gauge("mjpeg_packets_per_second", "RTP packets sent per second over the last second.",
                st.packetsPerSecond(), "camera", cam);
        latency(e, cam, "capture", st.recentCaptureToSent());
        latency(e, cam, "handover", st.recentHandOverToSent());
        e.counter("mjpeg_rtcp_receiver_reports_total", "RTCP receiver reports received about the stream.",
                t.reportsReceived(), "camera", cam);
        if (t.reportsReceived() > 0) {
            e.gauge("mjpeg_rtcp_fraction_lost", "Fraction of packets lost (0..1) in the last receiver report.",
                    t.fractionLost() / 256.0, "camera", cam);
            e.gauge("mjpeg_rtcp_packets_lost", "Packets lost since the start, as the last receiver report says.",
                    t.cumulativeLost(), "camera", cam);
            e.gauge("mjpeg_rtcp_jitter_seconds", "Interarrival jitter in the last receiver report.",
                    t.jitterMicros() / 1e6, "camera", cam);
            if (t.roundTripMicros() >= 0) {
                e.gauge("mjpeg_rtcp_round_trip_seconds", "Round-trip time from the last report that gave one.",
                        t.roundTripMicros() / 1e6, "camera", cam);
            }
        }
    }

    /**
     * A latency's percentiles over the statistics' window, as gauges: from {@code capture} (the source's timestamp)
     * or from {@code handover} by the backend, to the frame's last packet.
     */
    private static void latency(Exposition e, String cam, String from, LatencyHistogram.Snapshot h) {
        if (h.count() == 0) {
            return;
        }
        for (double q : new double[] { 50, 99 }) {
            long micros = h.percentileMicros(q);
            e.gauge("mjpeg_frame_latency_seconds", "Time from capture (from=capture) or from hand-over by the "
                    + "backend (from=handover) to a frame's last packet, percentile over the last "
                    + CameraStatistics.LATENCY_WINDOW_SECONDS + " s; +Inf beyond a second.",
                    micros == Long.MAX_VALUE ? Double.POSITIVE_INFINITY : micros / 1e6, "camera", cam, "from", from,
                    "quantile", q == 50 ? "0.5" : "0.99");
        }
    }

    private static void jvmMetrics(Exposition e) {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        e.gauge("jvm_memory_heap_used_bytes", "Java heap in use.", heap.getUsed());
        e.gauge("jvm_memory_heap_committed_bytes", "Java heap committed.", heap.getCommitted());
        e.gauge("jvm_memory_heap_max_bytes", "Largest Java heap (-Xmx); -1 when unbounded.", heap.getMax());
        MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
        e.gauge("jvm_memory_nonheap_used_bytes", "Memory outside the heap in use (code, metaspace).",
                nonHeap.getUsed());
        e.gauge("jvm_threads_live", "Live threads.", ManagementFactory.getThreadMXBean().getThreadCount());
        e.gauge("jvm_threads_peak", "Most live threads since start.",
                ManagementFactory.getThreadMXBean().getPeakThreadCount());
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            e.counter("jvm_gc_collections_total", "Garbage collections, by collector.",
                    Math.max(0, gc.getCollectionCount()), "gc", gc.getName());
            e.counter("jvm_gc_collection_seconds_total", "Time spent in garbage collection, by collector.",
                    Math.max(0, gc.getCollectionTime()) / 1000.0, "gc", gc.getName());
        }
        var runtime = ManagementFactory.getRuntimeMXBean();
        e.gauge("process_uptime_seconds", "Seconds since the JVM started.", runtime.getUptime() / 1000.0);
        e.gauge("process_start_time_seconds", "Start time of the JVM, seconds since the epoch.",
                runtime.getStartTime() / 1000.0);
        e.gauge("jvm_info", "The Java runtime (value always 1).", 1, "version", System.getProperty("java.version", ""),
                "vendor", System.getProperty("java.vendor", ""));
    }

    /** A camera counts against health unless it streams or was stopped on purpose (mjpeg:stop, enabled=false). */
    static boolean healthy(CameraView c) {
        if (c.status() == null) {
            return true; // being removed
        }
        CameraState s = c.status().state();
        return s == CameraState.STREAMING || s == CameraState.STOPPED;
    }

    static boolean healthy(List<CameraView> cameras) {
        return cameras.stream().allMatch(Reports::healthy);
    }

    static String health(List<CameraView> cameras) {
        StringBuilder b = new StringBuilder();
        b.append("{\"status\":\"").append(healthy(cameras) ? "ok" : "unhealthy").append("\",\"cameras\":[");
        boolean first = true;
        for (CameraView c : cameras) {
            if (c.status() == null) {
                continue;
            }
            CameraStatus s = c.status();
            if (!first) {
                b.append(',');
            }
            first = false;
            b.append("{\"name\":").append(json(c.name()))
                    .append(",\"state\":").append(json(s.state().label()))
                    .append(",\"healthy\":").append(healthy(c))
                    .append(",\"backend\":").append(json(s.backend()))
                    .append(",\"detail\":").append(json(s.detail()))
                    .append(",\"destinations\":[");
            for (int i = 0; i < s.destinations().size(); i++) {
                b.append(i > 0 ? "," : "").append(json(s.destinations().get(i)));
            }
            b.append(']');
            CameraStatistics st = c.statistics();
            if (st != null) {
                b.append(",\"framesSent\":").append(st.totals().framesSent())
                        .append(",\"fps\":").append(Math.round(st.framesPerSecond() * 10) / 10.0);
            }
            b.append('}');
        }
        return b.append("]}\n").toString();
    }

    static String json(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        b.append(String.format("\\u%04x", (int) ch));
                    } else {
                        b.append(ch);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
