package io.mjpegrtp.distribution;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * Debian's {@code chromium} in headless mode, driven through the DevTools protocol over a WebSocket: a page with
 * an endless multipart image never finishes loading, so {@code --screenshot} or {@code --dump-dom} would wait for
 * ever; {@code Page.captureScreenshot} takes a picture whenever asked.
 */
final class HeadlessChromium implements AutoCloseable {
    private static final Pattern RESPONSE_ID = Pattern.compile("^\\{\"id\":(\\d+),");
    private static final Pattern PAGE_SOCKET = Pattern.compile("\"webSocketDebuggerUrl\"\\s*:\\s*\"(ws://[^\"]+/devtools/page/[^\"]+)\"");

    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<String>> pending = new ConcurrentHashMap<>();

    /** Starts Chromium showing {@code url} in a {@code width}x{@code height} window, with a new profile in {@code work}. */
    HeadlessChromium(Path work, String url, int width, int height) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(work, "chromium-profile-");
        process = Tools.start(work, work.resolve("chromium.log"), "chromium", "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--hide-scrollbars",
                "--user-data-dir=" + profile, "--window-size=" + width + "," + height,
                "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", url);
        try {
            // With port 0 Chromium picks a free port and writes it to the profile's DevToolsActivePort.
            Path portFile = profile.resolve("DevToolsActivePort");
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.isRegularFile(portFile) || Files.readString(portFile).isBlank()) {
                if (System.nanoTime() > end || !process.isAlive()) {
                    throw new AssertionError("chromium did not open its DevTools port; log:\n"
                            + Files.readString(work.resolve("chromium.log")));
                }
                Thread.sleep(100);
            }
            int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = PAGE_SOCKET.matcher(list);
            if (!m.find()) {
                throw new AssertionError("chromium lists no page: " + list);
            }
            socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                    .buildAsync(URI.create(m.group(1)), new Listener()).get(10, TimeUnit.SECONDS);
        } catch (Exception | AssertionError e) {
            close();
            if (e instanceof AssertionError a) {
                throw a;
            }
            throw new IOException("cannot drive chromium: " + e, e);
        }
    }

    /** Sends one DevTools command and returns its JSON response. */
    String call(String method, String paramsJson) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<String> response = new CompletableFuture<>();
        pending.put(id, response);
        socket.sendText("{\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + paramsJson + "}", true)
                .get(10, TimeUnit.SECONDS);
        String json = response.get(30, TimeUnit.SECONDS);
        if (json.contains("\"error\":")) {
            throw new AssertionError(method + " failed: " + json);
        }
        return json;
    }

    /** Evaluates a JavaScript expression in the page; returns the JSON text of its value. */
    String evaluate(String expression) throws Exception {
        String json = call("Runtime.evaluate", "{\"expression\":" + quote(expression) + ",\"returnByValue\":true}");
        Matcher m = Pattern.compile("\"value\":(\"(?:[^\"\\\\]|\\\\.)*\"|[^,}]+)").matcher(json);
        return m.find() ? m.group(1) : "undefined";
    }

    /** A PNG of what the page shows now. */
    byte[] screenshotPng() throws Exception {
        String json = call("Page.captureScreenshot", "{\"format\":\"png\"}");
        Matcher m = Pattern.compile("\"data\":\"([^\"]+)\"").matcher(json);
        if (!m.find()) {
            throw new AssertionError("no screenshot in " + json.substring(0, Math.min(200, json.length())));
        }
        return Base64.getDecoder().decode(m.group(1));
    }

    static BufferedImage decode(byte[] png) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(png));
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.abort();
        }
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Collects fragmented text messages and completes the command each response answers. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder message = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            message.append(data);
            if (last) {
                String text = message.toString();
                message.setLength(0);
                Matcher m = RESPONSE_ID.matcher(text);
                if (m.find()) {
                    CompletableFuture<String> f = pending.remove(Integer.parseInt(m.group(1)));
                    if (f != null) {
                        f.complete(text);
                    }
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}
