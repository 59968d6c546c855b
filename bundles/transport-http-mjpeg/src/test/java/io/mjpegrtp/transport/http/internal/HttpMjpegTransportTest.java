package io.mjpegrtp.transport.http.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mjpegrtp.api.CameraCounters;
import io.mjpegrtp.api.Frame;
import io.mjpegrtp.api.Transport;
import io.mjpegrtp.api.TransportRequest;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class HttpMjpegTransportTest {
    private static TransportRequest request(String camera) {
        return new TransportRequest(camera, "127.0.0.1", 5000, 1400, 0, "auto", 10, 320, 240, null);
    }

    /** A fake "JPEG": SOI, a counter, EOI; the transport does not look inside. */
    private static Frame frame(int n, int size) {
        byte[] b = new byte[size];
        b[0] = (byte) 0xFF;
        b[1] = (byte) 0xD8;
        ByteBuffer.wrap(b, 2, 4).putInt(n);
        b[size - 2] = (byte) 0xFF;
        b[size - 1] = (byte) 0xD9;
        return new Frame(ByteBuffer.wrap(b), System.nanoTime(), n, null);
    }

    private static Socket get(URI base, String path) throws IOException {
        Socket s = new Socket(base.getHost(), base.getPort());
        s.setSoTimeout(5000);
        s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        return s;
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            b.write(c);
        }
        return b.toString(StandardCharsets.US_ASCII).replace("\r", "");
    }

    private static Map<String, String> headers(InputStream in) throws IOException {
        Map<String, String> h = new HashMap<>();
        for (String l = line(in); !l.isEmpty(); l = line(in)) {
            int colon = l.indexOf(':');
            h.put(l.substring(0, colon).toLowerCase(), l.substring(colon + 1).trim());
        }
        return h;
    }

    @Test
    void streamsEveryFrameAsAMultipartPartAndStopsWithTheLastCamera() throws Exception {
        HttpMjpegTransportFactory factory = new HttpMjpegTransportFactory("127.0.0.1", 0);
        Transport cam = factory.open(request("front cam"), new CameraCounters("front cam"));
        URI url = URI.create(cam.describe());
        assertTrue(cam.describe().endsWith("/front%20cam"), cam.describe());
        Transport other = factory.open(request("back"), new CameraCounters("back"));
        assertEquals(url.getPort(), URI.create(other.describe()).getPort(), "one shared server");

        try (Socket page = get(url, "/front%20cam")) {
            InputStream in = page.getInputStream();
            assertEquals("HTTP/1.1 200 OK", line(in));
            headers(in);
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(body.contains("<img id=\"stream\" src=\"/front%20cam/stream\""), body);
        }
        try (Socket index = get(url, "/")) {
            String body = new String(index.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(body.contains("href=\"/back\"") && body.contains("href=\"/front%20cam\""), body);
        }
        try (Socket missing = get(url, "/nope/stream")) {
            assertEquals("HTTP/1.1 404 Not Found", line(missing.getInputStream()));
        }

        try (Socket s = get(url, "/front%20cam/stream")) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            assertEquals("HTTP/1.1 200 OK", line(in));
            Map<String, String> h = headers(in);
            assertEquals("multipart/x-mixed-replace; boundary=" + HttpMjpegServer.BOUNDARY, h.get("content-type"));
            assertEquals("--" + HttpMjpegServer.BOUNDARY, line(in));
            for (int n = 0; n < 5; n++) {
                Frame f = frame(n, 1000 + n);
                cam.send(f);
                Map<String, String> part = headers(in);
                assertEquals("image/jpeg", part.get("content-type"));
                byte[] jpeg = new byte[Integer.parseInt(part.get("content-length"))];
                in.readFully(jpeg);
                assertArrayEquals(f.sharedData().array(), jpeg, "frame " + n);
                assertEquals("", line(in));
                assertEquals("--" + HttpMjpegServer.BOUNDARY, line(in));
            }
            cam.close();
            assertEquals(-1, in.read(), "closing the camera ends its streams");
        }
        assertEquals(url.getPort(), new Socket(url.getHost(), url.getPort()).getPort(), "still serving 'back'");
        other.close();
        assertThrows(ConnectException.class, () -> new Socket(url.getHost(), url.getPort()).close(),
                "the server stops with its last camera");
    }

    @Test
    void aViewerThatDoesNotReadNeverBlocksTheCamera() throws Exception {
        HttpMjpegTransportFactory factory = new HttpMjpegTransportFactory("127.0.0.1", 0);
        HttpMjpegTransport cam = (HttpMjpegTransport) factory.open(request("cam"), new CameraCounters("cam"));
        URI url = URI.create(cam.describe());
        try (Socket stuck = get(url, "/cam/stream"); Socket snapshot = get(url, "/cam/snapshot.jpg")) {
            Thread.sleep(300); // both are registered
            AtomicBoolean done = new AtomicBoolean();
            Thread camera = new Thread(() -> {
                for (int n = 0; n < 400; n++) { // 400 x 256 KB: far more than socket buffers hold
                    cam.send(frame(n, 256 * 1024));
                }
                done.set(true);
            });
            camera.start();
            camera.join(10_000);
            assertTrue(done.get(), "send() returned for every frame although the viewer reads nothing");
            InputStream in = snapshot.getInputStream();
            assertEquals("HTTP/1.1 200 OK", line(in));
            assertEquals("image/jpeg", headers(in).get("content-type"));
            byte[] jpeg = in.readAllBytes();
            assertEquals(256 * 1024, jpeg.length);
            assertEquals(List.of(0xFF, 0xD8), List.of(jpeg[0] & 0xFF, jpeg[1] & 0xFF));
        } finally {
            cam.close();
        }
    }
}
