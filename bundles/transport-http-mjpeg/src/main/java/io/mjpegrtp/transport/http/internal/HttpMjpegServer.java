package io.mjpegrtp.transport.http.internal;

import io.mjpegrtp.api.TransportRequest;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP/1.1 server on a plain {@link ServerSocket}: one thread accepts, one pooled thread serves each
 * connection (a bounded number), every response ends with the connection. It serves GET and HEAD of
 * <pre>
 *   /                         the cameras, with links
 *   /&lt;camera&gt;                 a page showing the camera
 *   /&lt;camera&gt;/stream          multipart/x-mixed-replace of the camera's JPEG frames
 *   /&lt;camera&gt;/snapshot.jpg    the camera's next frame
 * </pre>
 */
final class HttpMjpegServer implements Closeable {
    static final String BOUNDARY = "mjpegrtpframe";
    static final int MAX_CONNECTIONS = 64;
    private static final int HEAD_LIMIT = 8192;
    private static final int READ_TIMEOUT_MILLIS = 10_000;
    private static final long SNAPSHOT_WAIT_SECONDS = 5;
    /** A viewer whose write has not progressed for this long is disconnected (its receive window stays full). */
    private static final long STALLED_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final byte[] CRLF_BOUNDARY = ("\r\n--" + BOUNDARY + "\r\n").getBytes(StandardCharsets.US_ASCII);
    private static final Logger LOG = LoggerFactory.getLogger("mjpeg.transport.http");
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final ServerSocket listener;
    private final String baseUrl;
    private final Map<String, HttpMjpegTransport> cameras = new ConcurrentSkipListMap<>();
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final Map<Viewer, long[]> writing = new ConcurrentHashMap<>(); // viewer -> {write start nanos, 0 idle}
    private final ThreadPoolExecutor workers;
    private final ScheduledThreadPoolExecutor watchdog;
    private final Thread acceptor;
    private volatile boolean closed;

    HttpMjpegServer(InetSocketAddress address) throws IOException {
        ServerSocket s = new ServerSocket();
        try {
            s.setReuseAddress(true);
            s.bind(address, 50);
        } catch (IOException e) {
            s.close();
            throw new IOException("http-mjpeg cannot listen on " + address.getHostString() + ":" + address.getPort()
                    + ": " + e.getMessage(), e);
        }
        this.listener = s;
        String host = address.getHostString();
        this.baseUrl = "http://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + s.getLocalPort();
        this.workers = new ThreadPoolExecutor(0, MAX_CONNECTIONS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                r -> daemon(r, "http-mjpeg-" + THREADS.incrementAndGet()));
        this.watchdog = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "http-mjpeg-watchdog"));
        watchdog.scheduleWithFixedDelay(this::dropStalledViewers, 5, 5, TimeUnit.SECONDS);
        this.acceptor = daemon(this::acceptLoop, "http-mjpeg-accept");
        acceptor.start();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    String baseUrl() {
        return baseUrl;
    }

    String url(String camera) {
        return baseUrl + "/" + encode(camera);
    }

    void add(HttpMjpegTransport camera) {
        cameras.put(camera.camera(), camera);
    }

    void remove(HttpMjpegTransport camera) {
        cameras.remove(camera.camera(), camera);
    }

    boolean isEmpty() {
        return cameras.isEmpty();
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Socket c : connections) {
            try {
                c.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        watchdog.shutdownNow();
        workers.shutdownNow();
        try {
            acceptor.join(2000);
            workers.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- connections

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = listener.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("http-mjpeg: accepting on {} failed: {}", baseUrl, e.toString());
                    sleepQuietly(); // e.g. out of file descriptors: do not spin
                }
                continue;
            }
            connections.add(s);
            try {
                workers.execute(() -> serve(s));
            } catch (RejectedExecutionException e) {
                try (s) {
                    OutputStream out = s.getOutputStream();
                    respond(out, 503, "Service Unavailable", "text/plain; charset=utf-8",
                            text("too many connections (" + MAX_CONNECTIONS + ")"), false);
                } catch (IOException ignored) {
                    // the client went away
                } finally {
                    connections.remove(s);
                }
            }
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.setSoTimeout(READ_TIMEOUT_MILLIS);
            s.setTcpNoDelay(true);
            OutputStream out = new BufferedOutputStream(s.getOutputStream(), 64 * 1024);
            String requestLine = readHead(s.getInputStream());
            if (requestLine == null) {
                respond(out, 400, "Bad Request", "text/plain; charset=utf-8", text("bad request"), false);
                return;
            }
            String[] parts = requestLine.split(" ");
            if (parts.length != 3 || !parts[1].startsWith("/")) {
                respond(out, 400, "Bad Request", "text/plain; charset=utf-8", text("bad request"), false);
                return;
            }
            boolean head = parts[0].equals("HEAD");
            if (!head && !parts[0].equals("GET")) {
                respond(out, 405, "Method Not Allowed", "text/plain; charset=utf-8", text("GET or HEAD only"), false);
                return;
            }
            route(s, out, segments(parts[1]), head);
        } catch (IOException e) {
            LOG.debug("http-mjpeg: connection ended: {}", e.toString());
        } catch (RuntimeException e) {
            LOG.warn("http-mjpeg: serving a request failed", e);
        } finally {
            connections.remove(s);
        }
    }

    private void route(Socket s, OutputStream out, List<String> path, boolean head) throws IOException {
        if (path.isEmpty()) {
            respond(out, 200, "OK", "text/html; charset=utf-8", text(indexPage()), head);
            return;
        }
        HttpMjpegTransport camera = cameras.get(path.get(0));
        if (camera == null || path.size() > 2) {
            respond(out, 404, "Not Found", "text/plain; charset=utf-8", text("no such camera or page; see /"), head);
        } else if (path.size() == 1) {
            respond(out, 200, "OK", "text/html; charset=utf-8", text(cameraPage(camera)), head);
        } else if (path.get(1).equals("stream")) {
            stream(s, out, camera, head);
        } else if (path.get(1).equals("snapshot.jpg")) {
            snapshot(s, out, camera, head);
        } else {
            respond(out, 404, "Not Found", "text/plain; charset=utf-8", text("no such page; see /"), head);
        }
    }

    private void stream(Socket s, OutputStream out, HttpMjpegTransport camera, boolean head) throws IOException {
        String headers = "HTTP/1.1 200 OK\r\n"
                + "Content-Type: multipart/x-mixed-replace; boundary=" + BOUNDARY + "\r\n"
                + "Cache-Control: no-cache, no-store, must-revalidate\r\nPragma: no-cache\r\n"
                + "Connection: close\r\n\r\n";
        if (head) {
            out.write(headers.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return;
        }
        Viewer viewer = new Viewer(s);
        if (!camera.attach(viewer)) {
            respond(out, 404, "Not Found", "text/plain; charset=utf-8", text("the camera has gone"), false);
            return;
        }
        String who = s.getRemoteSocketAddress().toString().replaceFirst("^/", "");
        LOG.info("{}: http-mjpeg viewer {} connected", camera.camera(), who);
        long frames = 0;
        long[] writeStart = new long[1];
        writing.put(viewer, writeStart);
        String end = "closed by the viewer";
        try {
            out.write(headers.getBytes(StandardCharsets.US_ASCII));
            out.write(("--" + BOUNDARY + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            while (!closed) {
                byte[] jpeg = viewer.take(1, TimeUnit.SECONDS);
                if (jpeg == null) {
                    if (viewer.isClosed()) {
                        end = "camera stopped";
                        break;
                    }
                    continue;
                }
                writeStart[0] = System.nanoTime();
                // The boundary goes out right after the picture: browsers show a part when the next boundary
                // arrives, so sending it with the next frame would show every picture one frame late.
                out.write(("Content-Type: image/jpeg\r\nContent-Length: " + jpeg.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(jpeg);
                out.write(CRLF_BOUNDARY);
                out.flush();
                writeStart[0] = 0;
                frames++;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            end = "server stopped";
        } catch (IOException e) {
            end = viewer.isClosed() ? "disconnected by the server" : "closed by the viewer";
        } finally {
            writing.remove(viewer);
            camera.detach(viewer);
            viewer.close();
            LOG.info("{}: http-mjpeg viewer {} left ({}) after {} frames, {} skipped for a slow connection",
                    camera.camera(), who, end, frames, viewer.skipped());
        }
    }

    private void snapshot(Socket s, OutputStream out, HttpMjpegTransport camera, boolean head) throws IOException {
        Viewer viewer = new Viewer(s);
        byte[] jpeg = null;
        if (camera.attach(viewer)) {
            try {
                jpeg = viewer.take(SNAPSHOT_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                camera.detach(viewer);
            }
        }
        if (jpeg == null) {
            respond(out, 503, "Service Unavailable", "text/plain; charset=utf-8",
                    text("no frame from " + camera.camera() + " within " + SNAPSHOT_WAIT_SECONDS + " s"), head);
        } else {
            respond(out, 200, "OK", "image/jpeg", jpeg, head);
        }
    }

    private void dropStalledViewers() {
        long now = System.nanoTime();
        for (Map.Entry<Viewer, long[]> e : writing.entrySet()) {
            long started = e.getValue()[0];
            if (started != 0 && now - started > STALLED_NANOS) {
                e.getKey().close(); // the blocked write fails and the viewer's thread ends
            }
        }
    }

    // ---------------------------------------------------------------- HTTP

    /** Reads the request head; returns its first line, or null when it is too long or cut short. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(512);
        int last = 0; // the last four bytes
        while (head.size() < HEAD_LIMIT) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            last = last << 8 | b;
            if (last == 0x0d0a0d0a || (last & 0xffff) == 0x0a0a) { // CR LF CR LF, or bare LF LF
                String text = head.toString(StandardCharsets.ISO_8859_1);
                return text.substring(0, text.indexOf('\n')).trim();
            }
        }
        return null;
    }

    private static void respond(OutputStream out, int status, String reason, String type, byte[] body,
            boolean head) throws IOException {
        String headers = "HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: " + type + "\r\nContent-Length: "
                + body.length + "\r\nCache-Control: no-cache, no-store, must-revalidate\r\nConnection: close\r\n\r\n";
        out.write(headers.getBytes(StandardCharsets.US_ASCII));
        if (!head) {
            out.write(body);
        }
        out.flush();
    }

    /** The decoded path segments, without the query; a {@code +} stays a plus. */
    static List<String> segments(String target) {
        int q = target.indexOf('?');
        String path = q >= 0 ? target.substring(0, q) : target;
        List<String> list = new ArrayList<>();
        for (String seg : path.split("/")) {
            if (!seg.isEmpty()) {
                try {
                    list.add(URLDecoder.decode(seg.replace("+", "%2B"), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    list.add(seg);
                }
            }
        }
        return list;
    }

    static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String html(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private String indexPage() {
        StringBuilder b = new StringBuilder(page("mjpeg-rtp cameras"));
        b.append("<h1>Cameras</h1>\n<ul>\n");
        for (HttpMjpegTransport c : cameras.values()) {
            TransportRequest r = c.request();
            b.append("<li><a href=\"/").append(html(encode(c.camera()))).append("\">").append(html(c.camera()))
                    .append("</a> ").append(r.width()).append('x').append(r.height()).append(" at ")
                    .append(r.framerate()).append(" fps</li>\n");
        }
        if (cameras.isEmpty()) {
            b.append("<li>none</li>\n");
        }
        return b.append("</ul>\n</body>\n</html>\n").toString();
    }

    private static String cameraPage(HttpMjpegTransport c) {
        TransportRequest r = c.request();
        String path = "/" + html(encode(c.camera()));
        return page(c.camera() + " - mjpeg-rtp")
                + "<img id=\"stream\" src=\"" + path + "/stream\" width=\"" + r.width() + "\" height=\"" + r.height()
                + "\" alt=\"" + html(c.camera()) + "\">\n"
                + "<p>" + html(c.camera()) + " &middot; " + r.width() + "x" + r.height() + " at " + r.framerate()
                + " fps &middot; <a href=\"" + path + "/snapshot.jpg\">snapshot</a> &middot; <a href=\"/\">all cameras</a></p>\n"
                + "</body>\n</html>\n";
    }

    private static String page(String title) {
        return "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>" + html(title) + "</title>\n"
                + "<style>body{margin:0;background:#202020;color:#ddd;font-family:sans-serif}"
                + "img{display:block;max-width:100%;height:auto}p,h1,ul{margin:8px}a{color:#8cf}</style>\n"
                + "</head>\n<body>\n";
    }
}
