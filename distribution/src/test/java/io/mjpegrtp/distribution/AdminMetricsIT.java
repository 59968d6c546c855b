package io.mjpegrtp.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /metrics and /health scraped over real HTTP from the running distribution, as Prometheus and a probe do. */
class AdminMetricsIT {
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? (NaN|[+-]Inf|-?[0-9]+(\\.[0-9]+)?(E-?[0-9]+)?)");

    @TempDir
    Path work;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Every sample by its name and labels, e.g. {@code mjpeg_frames_sent_total{camera="live"}}. */
    private static Map<String, Double> samples(String text) {
        Map<String, Double> m = new HashMap<>();
        Map<String, Integer> types = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                types.merge(line.split(" ")[2], 1, Integer::sum);
                assertTrue(line.matches("# TYPE \\S+ (counter|gauge)"), line);
            } else if (!line.startsWith("# HELP ")) {
                Matcher s = SAMPLE.matcher(line);
                assertTrue(s.matches(), "not Prometheus text format: " + line);
                m.put(s.group(1) + (s.group(2) == null ? "" : s.group(2)), Double.parseDouble(s.group(3)));
            }
        }
        types.forEach((k, v) -> assertEquals(1, v, "one TYPE line for " + k));
        return m;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void metricsCountAndHealthFailsWhileACameraCannotStart() throws Exception {
        int port = freePort();
        Path config = work.resolve("config");
        RunningDistribution.writeCamera(config, "live", "backend = testpattern", "width = 320", "height = 240",
                "framerate = 10", "destination = 127.0.0.1:15710");
        RunningDistribution.writeCamera(config, "ipcam", "backend = rtsp", "device = rtsp://127.0.0.1/cam",
                "destination = 127.0.0.1:15712");
        try (RunningDistribution d = new RunningDistribution(work, config, "--http", Integer.toString(port),
                "--summary", "2")) {
            d.awaitLine(l -> l.contains("metrics on http://127.0.0.1:" + port + "/metrics"), Duration.ofSeconds(30),
                    "saying where the metrics are");
            d.awaitLine(l -> l.contains("live: streaming"), Duration.ofSeconds(30), "live streams");
            d.awaitLine(l -> l.contains("ipcam: waiting for backend rtsp (not installed"), Duration.ofSeconds(10),
                    "ipcam waits for its backend");

            HttpResponse<String> first = get(port, "/metrics");
            assertEquals(200, first.statusCode());
            assertEquals("text/plain; version=0.0.4; charset=utf-8",
                    first.headers().firstValue("Content-Type").orElse(""));
            Map<String, Double> m1 = samples(first.body());
            Thread.sleep(1500);
            Map<String, Double> m2 = samples(get(port, "/metrics").body());
            for (String counter : List.of("mjpeg_frames_captured_total", "mjpeg_frames_sent_total",
                    "mjpeg_packets_sent_total", "mjpeg_bytes_sent_total")) {
                String key = counter + "{camera=\"live\"}";
                assertTrue(m1.get(key) > 0 && m2.get(key) > m1.get(key), key + " increases: " + m1.get(key) + " then "
                        + m2.get(key));
                assertEquals(0.0, m2.get(counter + "{camera=\"ipcam\"}"), counter + " of the waiting camera");
            }
            assertTrue(m2.get("mjpeg_frames_per_second{camera=\"live\"}") > 0, "a frame rate (10 fps on an idle machine)");
            assertTrue(m2.get("mjpeg_bitrate_bits_per_second{camera=\"live\"}") > 0);
            assertEquals(1.0, m2.get("mjpeg_camera_streaming{camera=\"live\"}"));
            assertEquals(1.0, m2.get("mjpeg_camera_state{camera=\"ipcam\",state=\"waiting\"}"));
            assertEquals(0.0, m2.get("mjpeg_camera_state{camera=\"ipcam\",state=\"streaming\"}"));
            assertEquals(1.0, m2.get("mjpeg_camera_info{camera=\"ipcam\",backend=\"rtsp\",destination=\"udp://127.0.0.1:15712\"}"));
            for (String dropped : List.of("queue_full", "rejected")) {
                assertTrue(m2.containsKey("mjpeg_frames_dropped_total{camera=\"live\",reason=\"" + dropped + "\"}"));
            }
            assertTrue(m2.containsKey("mjpeg_send_errors_total{camera=\"live\"}"));
            assertTrue(m2.containsKey("mjpeg_restarts_total{camera=\"live\"}"));
            assertTrue(m2.get("jvm_memory_heap_used_bytes") > 0);
            assertTrue(m2.get("jvm_memory_heap_max_bytes") > 0);
            assertTrue(m2.get("jvm_threads_live") > 5);
            assertTrue(m2.get("process_uptime_seconds") > 0);
            assertTrue(m2.keySet().stream().anyMatch(k -> k.startsWith("jvm_gc_collections_total{gc=")), "GC counts");

            HttpResponse<String> sick = get(port, "/health");
            assertEquals(503, sick.statusCode(), sick.body());
            assertTrue(sick.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
            assertTrue(sick.body().startsWith("{\"status\":\"unhealthy\""), sick.body());
            assertTrue(sick.body().contains("{\"name\":\"ipcam\",\"state\":\"waiting\",\"healthy\":false"), sick.body());
            assertTrue(sick.body().contains("{\"name\":\"live\",\"state\":\"streaming\",\"healthy\":true"), sick.body());

            Files.delete(config.resolve("mjpeg.camera-ipcam.cfg"));
            d.awaitLine(l -> l.contains("ipcam: stopped;"), Duration.ofSeconds(5), "removing the camera");
            HttpResponse<String> well = get(port, "/health");
            assertEquals(200, well.statusCode(), well.body());
            assertTrue(well.body().startsWith("{\"status\":\"ok\""), well.body());

            assertEquals(405, http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode());
            assertEquals(404, get(port, "/admin").statusCode());

            // Bound to the loopback interface only: the port is closed on every other address of this machine.
            for (NetworkInterface ni : NetworkInterface.networkInterfaces().toList()) {
                for (InetAddress a : ni.inetAddresses().toList()) {
                    if (!a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                        assertThrows(IOException.class, () -> {
                            try (Socket s = new Socket()) {
                                s.connect(new InetSocketAddress(a, port), 2000);
                            }
                        }, "metrics must not be reachable on " + a);
                    }
                }
            }

            String summary = d.awaitLine(l -> l.contains("live: last 2 s:"), Duration.ofSeconds(5),
                    "a summary line per camera per interval");
            assertTrue(summary.matches(".*live: last 2 s: \\d+ frames captured, \\d+ sent, [0-9.]+ fps, \\d+ kbit/s, "
                    + "\\d+ dropped \\(queue full\\), \\d+ rejected, \\d+ send errors, \\d+ restarts; streaming"),
                    summary);
        }
    }

    @Test
    void httpOffStartsNoServer() throws Exception {
        Path config = work.resolve("config");
        Files.createDirectories(config);
        try (RunningDistribution d = new RunningDistribution(work, config, "--http", "off")) {
            d.awaitLine(l -> l.contains("HTTP metrics and health are off"), Duration.ofSeconds(30), "saying so");
            d.awaitLine(l -> l.contains("mjpeg-rtp") && l.contains("started"), Duration.ofSeconds(30), "started");
            assertEquals(0, d.count(l -> l.contains("metrics on http")), "no server");
        }
    }
}
