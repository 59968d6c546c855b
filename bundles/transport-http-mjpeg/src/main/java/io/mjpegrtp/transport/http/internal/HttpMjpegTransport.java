package io.mjpegrtp.transport.http.internal;

import io.mjpegrtp.api.Frame;
import io.mjpegrtp.api.Transport;
import io.mjpegrtp.api.TransportRequest;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One camera on the shared HTTP server. {@link #send} copies the frame once, only while someone watches, and
 * offers that copy to every viewer's one-frame slot (newest wins): the camera's thread never waits for a
 * network write, a slow viewer just sees fewer frames.
 */
final class HttpMjpegTransport implements Transport {
    private static final Logger LOG = LoggerFactory.getLogger("mjpeg.transport.http");

    private final String camera;
    private final HttpMjpegServer server;
    private final Consumer<HttpMjpegTransport> onClose;
    private final Set<Viewer> viewers = new CopyOnWriteArraySet<>();
    private volatile TransportRequest request;
    private volatile boolean closed;

    HttpMjpegTransport(TransportRequest request, HttpMjpegServer server, Consumer<HttpMjpegTransport> onClose) {
        this.camera = request.camera();
        this.request = request;
        this.server = server;
        this.onClose = onClose;
    }

    String camera() {
        return camera;
    }

    TransportRequest request() {
        return request;
    }

    @Override
    public void send(Frame frame) {
        if (closed || viewers.isEmpty()) {
            return;
        }
        ByteBuffer data = frame.data();
        byte[] jpeg = new byte[data.remaining()];
        data.get(jpeg);
        for (Viewer v : viewers) {
            v.offer(jpeg);
        }
    }

    @Override
    public void reconfigure(TransportRequest next) {
        request = next; // only the picture size (for the page) matters here
    }

    @Override
    public String describe() {
        return server.url(camera);
    }

    @Override
    public List<String> receiverCommands() {
        return List.of("a web browser: " + server.url(camera), "ffplay " + server.url(camera) + "/stream");
    }

    /** Registers a viewer; false when the camera has gone meanwhile. */
    boolean attach(Viewer viewer) {
        viewers.add(viewer);
        if (closed) {
            viewers.remove(viewer);
            return false;
        }
        return true;
    }

    void detach(Viewer viewer) {
        viewers.remove(viewer);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        int n = 0;
        for (Viewer v : viewers) {
            v.close();
            n++;
        }
        viewers.clear();
        LOG.info("{}: http-mjpeg stopped serving {} ({} viewer(s) disconnected)", camera, describe(), n);
        onClose.accept(this);
    }
}
