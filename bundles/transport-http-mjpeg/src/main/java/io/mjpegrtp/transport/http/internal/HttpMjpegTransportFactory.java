package io.mjpegrtp.transport.http.internal;

import io.mjpegrtp.api.Availability;
import io.mjpegrtp.api.CameraCounters;
import io.mjpegrtp.api.Transport;
import io.mjpegrtp.api.TransportFactory;
import io.mjpegrtp.api.TransportRequest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Multipart MJPEG over HTTP ({@code multipart/x-mixed-replace}), which browsers show in a plain {@code <img>}.
 *
 * <p>All cameras share one server, started when the first camera opens this transport and stopped when the last
 * one closes it: {@code /} lists the cameras, {@code /<camera>} is a page showing it, {@code /<camera>/stream}
 * the stream and {@code /<camera>/snapshot.jpg} the next frame.
 *
 * <p>Where it listens: the keys {@code address} and {@code port} of the configuration {@value #PID} (a file
 * {@code config/mjpeg.http.mjpeg.cfg}), else the framework (or system) properties {@code mjpeg.http.mjpeg.address}
 * and {@code mjpeg.http.mjpeg.port}, else 127.0.0.1:8080. Loopback by default: the stream has no access control.
 * A changed configuration restarts the component, so cameras reopen the transport on the new address.
 */
@Component(service = TransportFactory.class, property = TransportFactory.PROPERTY + "=" + HttpMjpegTransportFactory.NAME,
        configurationPid = HttpMjpegTransportFactory.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class HttpMjpegTransportFactory implements TransportFactory {
    static final String NAME = "http-mjpeg";
    static final String PID = "mjpeg.http.mjpeg";
    static final String DEFAULT_ADDRESS = "127.0.0.1";
    static final int DEFAULT_PORT = 8080;
    private static final Logger LOG = LoggerFactory.getLogger("mjpeg.transport.http");

    private final String host;
    private final int port;
    private HttpMjpegServer server; // guarded by this; running while at least one camera uses it

    @Activate
    public HttpMjpegTransportFactory(BundleContext context, Map<String, Object> properties) {
        Object file = properties.get("felix.fileinstall.filename");
        String source = file != null ? String.valueOf(file) : "configuration " + PID + " or property " + PID + ".port";
        this.host = setting(properties, context, "address", DEFAULT_ADDRESS);
        this.port = port(setting(properties, context, "port", Integer.toString(DEFAULT_PORT)), source);
    }

    /** For tests: listens on {@code host:port} (port 0: any free port). */
    HttpMjpegTransportFactory(String host, int port) {
        this.host = host;
        this.port = port;
    }

    private static String setting(Map<String, Object> properties, BundleContext context, String key, String fallback) {
        Object configured = properties.get(key);
        if (configured != null && !String.valueOf(configured).isBlank()) {
            return String.valueOf(configured).trim();
        }
        String framework = context.getProperty(PID + "." + key);
        return framework == null || framework.isBlank() ? fallback : framework.trim();
    }

    private static int port(String text, String source) {
        try {
            int p = Integer.parseInt(text);
            if (p >= 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        LOG.error("http-mjpeg: {}: key 'port': '{}' is not a port; accepted: 0..65535. Using {}.", source, text,
                DEFAULT_PORT);
        return DEFAULT_PORT;
    }

    @Override
    public Availability availability() {
        return Availability.yes("multipart MJPEG over HTTP for browsers on " + host + ":" + port);
    }

    @Override
    public synchronized Transport open(TransportRequest request, CameraCounters counters) throws IOException {
        if (server == null) {
            server = new HttpMjpegServer(new InetSocketAddress(host, port));
            LOG.info("http-mjpeg: serving on {}", server.baseUrl());
        }
        HttpMjpegTransport transport = new HttpMjpegTransport(request, server, this::closed);
        server.add(transport);
        return transport;
    }

    /** A camera closed its transport: the server stops with the last one. */
    private synchronized void closed(HttpMjpegTransport transport) {
        HttpMjpegServer s = server;
        if (s == null) {
            return;
        }
        s.remove(transport);
        if (s.isEmpty()) {
            server = null;
            s.close();
            LOG.info("http-mjpeg: stopped serving on {}", s.baseUrl());
        }
    }

    @Deactivate
    synchronized void deactivate() {
        // Cameras close their transports when this service goes away; this is only for one that did not.
        if (server != null) {
            server.close();
            LOG.info("http-mjpeg: stopped serving on {}", server.baseUrl());
            server = null;
        }
    }
}
