package io.mjpegrtp.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mjpegrtp.api.Camera.CameraStatus;
import io.mjpegrtp.api.CameraCounters;
import io.mjpegrtp.api.CameraState;
import io.mjpegrtp.api.CameraStatistics;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ReportsTest {
    private static final Pattern SAMPLE = Pattern.compile(
            "[a-zA-Z_:][a-zA-Z0-9_:]*(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\\\n]|\\\\[\"\\\\n])*\",?)*\\})? "
                    + "(NaN|[+-]Inf|-?[0-9]+(\\.[0-9]+)?(E-?[0-9]+)?)");

    private static CameraStatus status(String name, CameraState state) {
        return new CameraStatus(name, "testpattern", state, "because \"x\"\n", 320, 240, 10,
                List.of("udp://127.0.0.1:5000"));
    }

    private static CameraStatistics stats(String name, int frames) {
        CameraCounters c = new CameraCounters(name);
        for (int i = 0; i < frames; i++) {
            c.frameCaptured();
            c.frameSent();
            c.packetSent(1000);
        }
        c.frameDroppedQueueFull();
        c.frameRejected("4:4:4");
        if (frames > 0) {
            c.receiverReport(64, 7, 2500, 1200);
        }
        c.frameSentLatency(5_000_000, 400_000);
        CameraCounters.Snapshot t = c.snapshot();
        return new CameraStatistics(t, 9.5, 10, 20, 80_000, 0, t.captureToSent(), t.handOverToSent());
    }

    @Test
    void metricsAreValidExpositionWithACameraLabel() {
        String text = Reports.metrics(Reports.join(List.of(status("cam0", CameraState.STREAMING)),
                List.of(stats("cam0", 3))));
        int helps = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith("# HELP ")) {
                helps++;
                continue;
            }
            if (line.startsWith("# TYPE ")) {
                assertTrue(line.matches("# TYPE \\S+ (counter|gauge)"), line);
                continue;
            }
            assertTrue(SAMPLE.matcher(line).matches(), "not a sample line: " + line);
        }
        assertTrue(helps > 20, "families: " + helps);
        assertTrue(text.contains("mjpeg_frames_sent_total{camera=\"cam0\"} 3\n"), text);
        assertTrue(text.contains("mjpeg_frame_latency_seconds{camera=\"cam0\",from=\"capture\",quantile=\"0.99\"} "
                + "0.0051\n"), text);
        assertTrue(text.contains("mjpeg_frame_latency_seconds{camera=\"cam0\",from=\"handover\",quantile=\"0.5\"} "
                + "4.1E-4\n"), text);
        assertTrue(text.contains("mjpeg_frames_dropped_total{camera=\"cam0\",reason=\"queue_full\"} 1\n"), text);
        assertTrue(text.contains("mjpeg_frames_dropped_total{camera=\"cam0\",reason=\"rejected\"} 1\n"), text);
        assertTrue(text.contains("mjpeg_bytes_sent_total{camera=\"cam0\"} 3000\n"), text);
        assertTrue(text.contains("mjpeg_frames_per_second{camera=\"cam0\"} 9.5\n"), text);
        assertTrue(text.contains("mjpeg_camera_state{camera=\"cam0\",state=\"streaming\"} 1\n"), text);
        assertTrue(text.contains("mjpeg_camera_state{camera=\"cam0\",state=\"waiting\"} 0\n"), text);
        assertTrue(text.contains("mjpeg_rtcp_receiver_reports_total{camera=\"cam0\"} 1\n"), text);
        assertTrue(text.contains("mjpeg_rtcp_fraction_lost{camera=\"cam0\"} 0.25\n"), text);
        assertTrue(text.contains("mjpeg_rtcp_packets_lost{camera=\"cam0\"} 7\n"), text);
        assertTrue(text.contains("mjpeg_rtcp_jitter_seconds{camera=\"cam0\"} 0.0025\n"), text);
        assertTrue(text.contains("mjpeg_rtcp_round_trip_seconds{camera=\"cam0\"} 0.0012\n"), text);
        assertTrue(text.contains("jvm_memory_heap_used_bytes "), text);
        assertTrue(text.contains("jvm_gc_collections_total{gc=\""), text);
        assertEquals(1, text.split("# TYPE mjpeg_frames_dropped_total ", -1).length - 1, "one TYPE per family");
    }

    @Test
    void healthIsBadWhenACameraThatShouldStreamDoesNot() {
        var ok = Reports.join(List.of(status("a", CameraState.STREAMING), status("b", CameraState.STOPPED)),
                List.of());
        assertTrue(Reports.healthy(ok));
        assertTrue(Reports.health(ok).startsWith("{\"status\":\"ok\""), Reports.health(ok));
        for (CameraState bad : List.of(CameraState.WAITING, CameraState.RESTARTING, CameraState.FAILED,
                CameraState.STARTING)) {
            var v = Reports.join(List.of(status("a", CameraState.STREAMING), status("b", bad)), List.of());
            assertFalse(Reports.healthy(v), bad.toString());
            String json = Reports.health(v);
            assertTrue(json.contains("{\"name\":\"b\",\"state\":\"" + bad.label() + "\",\"healthy\":false"), json);
            assertTrue(json.contains("\"detail\":\"because \\\"x\\\"\\n\""), json);
        }
        assertTrue(Reports.healthy(List.of()));
    }

    @Test
    void labelValuesAreEscaped() {
        assertEquals("a\\\"b\\\\c\\nd", Exposition.escapeLabel("a\"b\\c\nd"));
        assertEquals("1.0E-4", Exposition.number(0.0001));
        assertEquals("12", Exposition.number(12.0));
    }

    @Test
    void addressesAsTheLauncherPassesThem() {
        assertEquals("127.0.0.1:9180", hostPort(MetricsServer.parse("9180")));
        assertEquals("0.0.0.0:80", hostPort(MetricsServer.parse("0.0.0.0:80")));
        assertEquals("0:0:0:0:0:0:0:1:9000", hostPort(MetricsServer.parse("[::1]:9000")));
        for (String bad : List.of("x", "70000", "0", "1.2.3.4:", ":80", "::1:80")) {
            assertThrows(IllegalArgumentException.class, () -> MetricsServer.parse(bad), bad);
        }
    }

    private static String hostPort(java.net.InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }
}
