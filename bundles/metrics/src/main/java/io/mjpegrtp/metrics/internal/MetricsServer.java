package io.mjpegrtp.metrics.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.mjpegrtp.api.Camera;
import io.mjpegrtp.api.StatsService;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code /metrics} (Prometheus text format) and {@code /health} (JSON; 503 when a camera that should stream
 * does not) with the JDK's HTTP server. Where it listens comes from the framework property {@value #PROPERTY}:
 * {@code ADDRESS:PORT}, {@code PORT} (on 127.0.0.1) or {@code off}; default {@value #DEFAULT}. Read-only, no
 * authentication: it binds the loopback interface unless configured otherwise.
 */
@Component(immediate = true)
public final class MetricsServer {
    static final String PROPERTY = "mjpeg.http";
    static final String DEFAULT = "127.0.0.1:9180";
    private static final Logger LOG = LoggerFactory.getLogger("mjpeg.metrics");

    private final StatsService stats;
    private final Set<Camera> cameras = ConcurrentHashMap.newKeySet();
    private HttpServer server;
    private ExecutorService executor;

    @Activate
    public MetricsServer(@Reference StatsService stats, BundleContext context) {
        this.stats = stats;
        String value = context.getProperty(PROPERTY);
        value = value == null || value.isBlank() ? DEFAULT : value.trim();
        if (value.equals("off")) {
            LOG.info("HTTP metrics and health are off ({}=off)", PROPERTY);
            return;
        }
        InetSocketAddress address;
        try {
            address = parse(value);
        } catch (IllegalArgumentException e) {
            LOG.error("HTTP metrics and health are off: {}", e.getMessage());
            return;
        }
        start(address);
    }

    /** {@code PORT}, {@code HOST:PORT} or {@code [IPv6]:PORT}; port 1..65535. */
    static InetSocketAddress parse(String value) {
        String host = "127.0.0.1";
        String port = value;
        if (value.startsWith("[")) {
            int close = value.indexOf("]:");
            if (close < 0) {
                throw bad(value);
            }
            host = value.substring(1, close);
            port = value.substring(close + 2);
        } else if (value.contains(":")) {
            int colon = value.lastIndexOf(':');
            if (value.indexOf(':') != colon) {
                throw bad(value);
            }
            host = value.substring(0, colon);
            port = value.substring(colon + 1);
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw bad(value);
        }
        if (p < 1 || p > 65535 || host.isBlank()) {
            throw bad(value);
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), p);
        } catch (IOException e) {
            throw new IllegalArgumentException(PROPERTY + " '" + value + "': unknown address " + host);
        }
    }

    private static IllegalArgumentException bad(String value) {
        return new IllegalArgumentException(PROPERTY + " '" + value
                + "' is not valid; accepted: PORT, ADDRESS:PORT, [IPv6]:PORT (port 1..65535) or off");
    }

    private void start(InetSocketAddress address) {
        try {
            HttpServer s = HttpServer.create(address, 16);
            executor = Executors.newFixedThreadPool(2, r -> {
                Thread t = new Thread(r, "mjpeg-http");
                t.setDaemon(true);
                return t;
            });
            s.setExecutor(executor);
            s.createContext("/metrics", this::metrics);
            s.createContext("/health", this::health);
            s.createContext("/", this::other);
            s.start();
            server = s;
            String where = (address.getAddress().isLoopbackAddress() ? "" : "network-reachable, unauthenticated: ")
                    + "http://" + hostPort(s.getAddress());
            if (address.getAddress().isLoopbackAddress()) {
                LOG.info("metrics on {}/metrics, health on {}/health", where, where);
            } else {
                LOG.warn("metrics on {}/metrics, health on {}/health", where, where);
            }
        } catch (IOException e) {
            LOG.error("HTTP metrics and health are off: cannot listen on {}: {} (set another with --http)",
                    hostPort(address), e.getMessage());
            if (executor != null) {
                executor.shutdownNow();
            }
        }
    }

    private static String hostPort(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    @Deactivate
    void deactivate() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindCamera(Camera camera) {
        cameras.add(camera);
    }

    void unbindCamera(Camera camera) {
        cameras.remove(camera);
    }

    private List<Reports.CameraView> views() {
        List<Camera.CameraStatus> statuses = new ArrayList<>();
        for (Camera c : cameras) {
            try {
                statuses.add(c.status());
            } catch (RuntimeException e) {
                LOG.debug("status of a camera failed", e);
            }
        }
        return Reports.join(statuses, stats.all());
    }

    private void metrics(HttpExchange x) throws IOException {
        if (allowed(x)) {
            respond(x, 200, Exposition.CONTENT_TYPE, Reports.metrics(views()));
        }
    }

    private void health(HttpExchange x) throws IOException {
        if (allowed(x)) {
            List<Reports.CameraView> v = views();
            respond(x, Reports.healthy(v) ? 200 : 503, "application/json; charset=utf-8", Reports.health(v));
        }
    }

    private void other(HttpExchange x) throws IOException {
        if (allowed(x)) {
            respond(x, 404, "text/plain; charset=utf-8", "not found; try /metrics or /health\n");
        }
    }

    private static boolean allowed(HttpExchange x) throws IOException {
        String m = x.getRequestMethod();
        if (m.equals("GET") || m.equals("HEAD")) {
            return true;
        }
        x.getResponseHeaders().set("Allow", "GET, HEAD");
        respond(x, 405, "text/plain; charset=utf-8", "method not allowed\n");
        return false;
    }

    private static void respond(HttpExchange x, int status, String type, String body) throws IOException {
        try (x) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().set("Content-Type", type);
            x.getResponseHeaders().set("Cache-Control", "no-store");
            boolean head = x.getRequestMethod().equals("HEAD");
            x.sendResponseHeaders(status, head ? -1 : bytes.length);
            if (!head) {
                try (OutputStream out = x.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }
}
