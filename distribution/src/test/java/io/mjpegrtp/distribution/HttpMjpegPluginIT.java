package io.mjpegrtp.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transports are plugins: the {@code http-mjpeg} bundle dropped into {@code plugins/} adds a browser stream to a
 * camera with {@code transports = udp,http-mjpeg} that was streaming UDP only; headless Chromium shows the camera;
 * deleting the jar stops HTTP and leaves the UDP stream alone.
 */
class HttpMjpegPluginIT {
    private static final String CAMERA = "web";
    private static final int UDP_PORT = 15430;
    private static final int WIDTH = 320;
    private static final int HEIGHT = 240;
    /** The test pattern's colour bars (TestPattern.BARS), left to right across the top two thirds. */
    private static final int[] BARS = { 0xC0C0C0, 0xC0C000, 0x00C0C0, 0x00C000, 0xC000C0, 0xC00000, 0x0000C0, 0x101010 };
    /** Screenshots stay here after the run, for a person to look at. */
    private static final Path EVIDENCE = Paths.get("target", "http-mjpeg-it").toAbsolutePath();

    @TempDir
    Path work;

    @Test
    void httpMjpegDroppedIntoPluginsServesABrowserAndItsRemovalLeavesUdpAlone() throws Exception {
        Path jar = pluginJar();
        Path home = RunningDistribution.copyOfHome(work.resolve("home"));
        Path plugin = home.resolve("plugins").resolve(jar.getFileName());
        int httpPort = freePort();
        String page = "http://127.0.0.1:" + httpPort + "/" + CAMERA;
        Path config = work.resolve("config");
        Files.createDirectories(config);
        Files.writeString(config.resolve("mjpeg.http.mjpeg.cfg"), "address = 127.0.0.1\nport = " + httpPort + "\n");
        RunningDistribution.writeCamera(config, CAMERA, "backend = testpattern", "width = " + WIDTH,
                "height = " + HEIGHT, "framerate = 10", "destination = 127.0.0.1:" + UDP_PORT,
                "transports = udp,http-mjpeg");
        Files.createDirectories(EVIDENCE);

        try (RunningDistribution d = new RunningDistribution(home, work, config)) {
            // 1. Without the plugin the camera streams UDP only: http-mjpeg is simply not there yet.
            d.awaitLine(l -> l.contains(CAMERA + ": streaming"), Duration.ofSeconds(30), "streaming UDP");
            assertTrue(Receivers.gstreamer(work, "udp-only", UDP_PORT, 1200).size() >= 4, "UDP frames before the plugin");
            assertRefused(httpPort, "no HTTP server before the plugin is installed");
            assertEquals(0, d.count(l -> l.contains("127.0.0.1:" + httpPort)), "nothing serves HTTP on its port yet");

            // 2. Dropping the jar into plugins/ opens the second transport without touching the first.
            Files.copy(jar, plugin);
            d.awaitLine(l -> l.contains(CAMERA + ": sending to " + page), Duration.ofSeconds(15),
                    "opening the http-mjpeg transport once the plugin is in");
            d.awaitLine(l -> l.contains(CAMERA + ":   view with: a web browser: " + page), Duration.ofSeconds(5),
                    "telling how to watch it");

            checkHttp(httpPort);

            try (HeadlessChromium chromium = new HeadlessChromium(work, page, 640, 480)) {
                awaitImage(chromium);
                BufferedImage first = screenshot(chromium, "chromium-1.png");
                Thread.sleep(1500); // 15 frames later: the stripe and the frame number have moved on
                BufferedImage second = screenshot(chromium, "chromium-2.png");
                assertShowsTestPattern(first, "first screenshot");
                assertShowsTestPattern(second, "second screenshot");
                int changed = changedPixels(first, second);
                assertTrue(changed > WIDTH * HEIGHT / 100, "the picture changes over time: " + changed + " of "
                        + WIDTH * HEIGHT + " pixels differ between screenshots 1.5 s apart");
                // Outside the picture is the page's dark background, not more camera.
                assertEquals(0x202020, second.getRGB(WIDTH + 50, 20) & 0xFFFFFF, "page background beside the image");

                // Both transports serve at once: UDP frames arrive while Chromium watches.
                assertTrue(Receivers.gstreamer(work, "udp-and-http", UDP_PORT, 1500).size() >= 5,
                        "UDP frames while the browser watches");
                d.awaitLine(l -> l.contains(CAMERA + ": http-mjpeg viewer 127.0.0.1:") && l.contains("connected"),
                        Duration.ofSeconds(5), "logging the browser as a viewer");

                // 3. Deleting the jar closes the HTTP transport; a UDP receiver running meanwhile keeps getting frames.
                CompletableFuture<List<Path>> during = CompletableFuture.supplyAsync(() -> {
                    try {
                        return Receivers.gstreamer(work, "during-removal", UDP_PORT, 5000);
                    } catch (IOException | InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
                Thread.sleep(1500);
                Files.delete(plugin);
                d.awaitLine(l -> l.contains(CAMERA + ": http-mjpeg stopped serving " + page), Duration.ofSeconds(15),
                        "closing the http-mjpeg transport when the plugin is deleted");
                d.awaitLine(l -> l.contains("http-mjpeg: stopped serving on http://127.0.0.1:" + httpPort),
                        Duration.ofSeconds(5), "stopping the server with its last camera");
                List<Path> frames = during.get(30, TimeUnit.SECONDS);
                System.out.println("HttpMjpegPluginIT: " + frames.size() + " UDP frames in the 5 s around the removal; "
                        + changed + " pixels changed between screenshots");
                // ~50 sent in 5 s; the receiver's own start-up costs some. A reopened or stalled UDP stream would
                // show here as a gap of many frames.
                assertTrue(frames.size() >= 30, "UDP kept streaming while the plugin was removed: " + frames.size()
                        + " frames in 5 s at 10 fps");
            }
            assertRefused(httpPort, "HTTP stops answering once the plugin is deleted");
            assertTrue(Receivers.gstreamer(work, "udp-after", UDP_PORT, 1200).size() >= 4, "UDP frames after removal");
            assertEquals(1, d.count(l -> l.contains(CAMERA + ": sending to udp://127.0.0.1:" + UDP_PORT + ";")),
                    "the UDP transport was opened once and never reopened");
            assertEquals(0, d.count(l -> l.contains(CAMERA + ": stopped;")), "the camera never stopped");
            // (The UDP transport's PortUnreachableException warnings are expected: no receiver between receivers.)
            assertEquals(List.of(), d.lines().stream().filter(l -> l.contains(" ERROR ")
                    || l.contains("mjpeg.transport.http") && l.contains(" WARN ")).toList(), "no errors logged");
            assertTrue(d.isAlive(), "the runtime keeps running");
        }
    }

    /** The jar that distribution/pom.xml copies to target/extra-plugins, else the module's own build output. */
    private static Path pluginJar() throws IOException {
        for (Path dir : List.of(RunningDistribution.HOME.getParent().resolve("extra-plugins"),
                RunningDistribution.HOME.getParent().getParent().getParent()
                        .resolve("bundles/transport-http-mjpeg/target"))) {
            for (Path p : Tools.files(dir, ".jar")) {
                if (p.getFileName().toString().startsWith("io.mjpegrtp.transport.http.mjpeg")) {
                    return p;
                }
            }
        }
        throw new AssertionError("the http-mjpeg bundle is not built; run mvn -pl bundles/transport-http-mjpeg install");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void assertRefused(int port, String why) {
        assertThrows(ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close(), why);
    }

    /** The page, a snapshot, and the raw multipart stream as a non-browser client sees them. */
    private static void checkHttp(int port) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI base = URI.create("http://127.0.0.1:" + port);
        HttpResponse<String> index = http.send(HttpRequest.newBuilder(base.resolve("/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, index.statusCode());
        assertTrue(index.body().contains("href=\"/" + CAMERA + "\""), "the index links the camera: " + index.body());
        HttpResponse<String> html = http.send(HttpRequest.newBuilder(base.resolve("/" + CAMERA)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(html.body().contains("<img id=\"stream\" src=\"/" + CAMERA + "/stream\""), html.body());
        HttpResponse<byte[]> snapshot = http.send(HttpRequest.newBuilder(base.resolve("/" + CAMERA + "/snapshot.jpg"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, snapshot.statusCode());
        assertEquals("image/jpeg", snapshot.headers().firstValue("Content-Type").orElse(""));
        BufferedImage still = ImageIO.read(new ByteArrayInputStream(snapshot.body()));
        assertNotNull(still, "the snapshot is a JPEG");
        assertEquals(List.of(WIDTH, HEIGHT), List.of(still.getWidth(), still.getHeight()));
        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(base.resolve("/nope/stream")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, missing.statusCode());

        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET /" + CAMERA + "/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            DataInputStream in = new DataInputStream(s.getInputStream());
            assertEquals("HTTP/1.1 200 OK", line(in));
            String type = headers(in).get("content-type");
            assertTrue(type != null && type.startsWith("multipart/x-mixed-replace; boundary="), type);
            String boundary = "--" + type.substring(type.indexOf("boundary=") + "boundary=".length());
            assertEquals(boundary, line(in));
            byte[] previous = null;
            for (int i = 0; i < 3; i++) {
                Map<String, String> part = headers(in);
                assertEquals("image/jpeg", part.get("content-type"), "part " + i);
                byte[] jpeg = new byte[Integer.parseInt(part.get("content-length"))];
                in.readFully(jpeg);
                assertEquals("", line(in), "CRLF after part " + i);
                assertEquals(boundary, line(in), "boundary after part " + i);
                BufferedImage img = ImageIO.read(new ByteArrayInputStream(jpeg));
                assertNotNull(img, "part " + i + " is a JPEG");
                assertEquals(WIDTH, img.getWidth());
                assertFalse(previous != null && java.util.Arrays.equals(previous, jpeg), "each part is a new frame");
                previous = jpeg;
            }
        }
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
            h.put(l.substring(0, colon).trim().toLowerCase(), l.substring(colon + 1).trim());
        }
        return h;
    }

    /** Waits until the page's <img> has decoded a first part of the stream. */
    private static void awaitImage(HeadlessChromium chromium) throws Exception {
        String js = "(() => { const i = document.getElementById('stream'); return i ? i.naturalWidth : -1; })()";
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String width = "";
        while (System.nanoTime() < end) {
            width = chromium.evaluate(js);
            if (width.equals(Integer.toString(WIDTH))) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("Chromium's <img> did not show a " + WIDTH + " px picture within 20 s: naturalWidth "
                + width);
    }

    private static BufferedImage screenshot(HeadlessChromium chromium, String name) throws Exception {
        byte[] png = chromium.screenshotPng();
        Files.write(EVIDENCE.resolve(name), png);
        BufferedImage img = HeadlessChromium.decode(png);
        assertNotNull(img, name + " is a PNG");
        assertTrue(img.getWidth() >= WIDTH + 100 && img.getHeight() >= HEIGHT, name + " size " + img.getWidth() + "x"
                + img.getHeight());
        return img;
    }

    /**
     * The picture at the page's top left is the test pattern: in most bar columns most pixels of the top part have
     * that bar's colour (the sweeping stripe and the text box cover some), so it is neither blank nor something else.
     */
    private static void assertShowsTestPattern(BufferedImage img, String what) {
        int barWidth = WIDTH / BARS.length;
        int barsShown = 0;
        StringBuilder report = new StringBuilder();
        for (int bar = 0; bar < BARS.length; bar++) {
            int match = 0;
            int total = 0;
            for (int y = 4; y < HEIGHT * 2 / 3 - 4; y += 2) {
                for (int x = bar * barWidth + 4; x < (bar + 1) * barWidth - 4; x += 2) {
                    total++;
                    if (close(img.getRGB(x, y), BARS[bar], 40)) {
                        match++;
                    }
                }
            }
            report.append(String.format(" bar %06x: %d%%", BARS[bar], 100 * match / total));
            if (match * 2 >= total) {
                barsShown++;
            }
        }
        assertTrue(barsShown >= 6, what + " shows the test pattern's colour bars:" + report);
    }

    private static boolean close(int rgb, int expected, int tolerance) {
        for (int shift = 0; shift <= 16; shift += 8) {
            if (Math.abs((rgb >> shift & 0xFF) - (expected >> shift & 0xFF)) > tolerance) {
                return false;
            }
        }
        return true;
    }

    private static int changedPixels(BufferedImage a, BufferedImage b) {
        int changed = 0;
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                if (!close(a.getRGB(x, y), b.getRGB(x, y), 24)) {
                    changed++;
                }
            }
        }
        return changed;
    }
}
