package io.mjpegrtp.camera.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mjpegrtp.api.Availability;
import io.mjpegrtp.api.CameraCounters;
import io.mjpegrtp.api.CameraState;
import io.mjpegrtp.api.Capture;
import io.mjpegrtp.api.CaptureBackend;
import io.mjpegrtp.api.CaptureRequest;
import io.mjpegrtp.api.Frame;
import io.mjpegrtp.api.FrameSink;
import io.mjpegrtp.api.StatsService;
import io.mjpegrtp.stats.internal.StatsServiceImpl;
import io.mjpegrtp.api.Transport;
import io.mjpegrtp.api.TransportFactory;
import io.mjpegrtp.api.TransportRequest;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;

/**
 * A camera with {@code backend = auto} and fake backends coming and going: it follows the best one that can run,
 * and its one transport (the RTP session) stays open throughout.
 */
class CameraStreamAutoBackendTest {
    private static final StatsService STATS = new StatsServiceImpl();
    private static final long WAIT_MILLIS = 10_000;
    private final RecordingTransport transport = new RecordingTransport();
    private CameraStream camera;

    @AfterEach
    void tearDown() {
        if (camera != null) {
            camera.deactivate();
        }
    }

    @Test
    void autoFollowsTheBackendsThatComeAndGo() throws Exception {
        camera = new CameraStream(STATS, context(), Map.of("name", "cam0", "backend", "auto", "width", "320",
                "height", "240", "framerate", "50"));
        camera.bindTransport(transport.factory, Map.of(TransportFactory.PROPERTY, "udp"));
        FakeBackend testpattern = new FakeBackend("testpattern", Availability.yes("pure Java"));
        FakeBackend v4l2 = new FakeBackend("v4l2", Availability.no("no V4L2 device"));
        camera.bindBackend(v4l2, Map.of(CaptureBackend.PROPERTY, "v4l2"));
        camera.bindBackend(testpattern, Map.of(CaptureBackend.PROPERTY, "testpattern"));

        awaitStreamingFrom("testpattern");
        assertEquals("auto \u2192 testpattern", camera.status().backend());
        assertEquals(0, v4l2.started.get(), "a backend that cannot run here is not started");

        FakeBackend libcamera = new FakeBackend("libcamera", Availability.yes("imx219"));
        camera.bindBackend(libcamera, Map.of(CaptureBackend.PROPERTY, "libcamera"));
        awaitStreamingFrom("libcamera");
        assertEquals("auto \u2192 libcamera", camera.status().backend());
        await(() -> testpattern.running.get() == 0, "the test pattern's capture is closed once libcamera streams");

        camera.unbindBackend(libcamera, Map.of(CaptureBackend.PROPERTY, "libcamera"));
        assertEquals(0, libcamera.running.get(), "the capture of a backend going away is closed before it is gone");
        awaitStreamingFrom("testpattern");
        assertEquals("auto \u2192 testpattern", camera.status().backend());

        camera.unbindBackend(testpattern, Map.of(CaptureBackend.PROPERTY, "testpattern"));
        await(() -> camera.status().state() == CameraState.WAITING, "waiting once nothing can run");
        String detail = camera.status().detail();
        assertTrue(detail.contains("auto found none that can run here") && detail.contains("libcamera not installed")
                && detail.contains("v4l2 cannot run here: no V4L2 device") && detail.contains("testpattern not installed"),
                detail);
        assertEquals("auto", camera.status().backend());

        assertEquals(1, transport.opened.get(), "one transport, one RTP session, across every change of backend");
        assertEquals(0, transport.closed.get());
    }

    @Test
    void aConfiguredBackendIsUsedAsNamedAndShownWithoutArrow() throws Exception {
        camera = new CameraStream(STATS, context(), Map.of("name", "cam1", "backend", "testpattern",
                "framerate", "50"));
        camera.bindTransport(transport.factory, Map.of(TransportFactory.PROPERTY, "udp"));
        camera.bindBackend(new FakeBackend("libcamera", Availability.yes("imx219")),
                Map.of(CaptureBackend.PROPERTY, "libcamera"));
        camera.bindBackend(new FakeBackend("testpattern", Availability.yes("pure Java")),
                Map.of(CaptureBackend.PROPERTY, "testpattern"));
        awaitStreamingFrom("testpattern");
        assertEquals("testpattern", camera.status().backend());
    }

    @Test
    void aBackendNameNoneOfOursWaitsForAPluginAndSaysItMayBeATypo() throws Exception {
        camera = new CameraStream(STATS, context(), Map.of("name", "cam2", "backend", "webcam9000"));
        camera.bindTransport(transport.factory, Map.of(TransportFactory.PROPERTY, "udp"));
        // Before the transport is bound the camera waits for that instead: wait for the backend's turn.
        await(() -> camera.status().state() == CameraState.WAITING
                && camera.status().detail().contains("webcam9000"), "waiting for webcam9000");
        assertEquals("waiting for backend webcam9000 (not installed; not one of this release's: testpattern | file "
                + "| gst-test | libcamera | v4l2 | avfoundation | auto)", camera.status().detail());

        FakeBackend plugin = new FakeBackend("webcam9000", Availability.yes("a plugin's backend"));
        camera.bindBackend(plugin, Map.of(CaptureBackend.PROPERTY, "webcam9000"));
        awaitStreamingFrom("webcam9000");
    }

    private void awaitStreamingFrom(String backend) throws InterruptedException {
        int before = transport.framesFrom(backend);
        await(() -> transport.framesFrom(backend) >= before + 3 && camera.status().state() == CameraState.STREAMING
                && camera.status().detail().startsWith("streaming " + backend + " "),
                "frames from " + backend + " (status " + camera.status() + ", sent " + transport.sources + ")");
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT_MILLIS + " ms: " + what);
            }
            Thread.sleep(10);
        }
    }

    /** The camera reads framework properties only: no SDP directory, no summary lines. */
    private static BundleContext context() {
        return (BundleContext) Proxy.newProxyInstance(BundleContext.class.getClassLoader(),
                new Class<?>[] { BundleContext.class }, (proxy, method, args) -> {
                    if (method.getName().equals("getProperty")) {
                        return CameraStream.SUMMARY_PROPERTY.equals(args[0]) ? "0" : null;
                    }
                    throw new AssertionError("the camera used BundleContext." + method.getName() + "; this fake has only getProperty");
                });
    }

    /** Delivers a tiny frame every 20 ms, its source naming the backend, until closed. */
    private static final class FakeBackend implements CaptureBackend {
        final String name;
        final Availability availability;
        final AtomicInteger started = new AtomicInteger();
        final AtomicInteger running = new AtomicInteger();

        FakeBackend(String name, Availability availability) {
            this.name = name;
            this.availability = availability;
        }

        @Override
        public Availability availability() {
            return availability;
        }

        @Override
        public Capture start(CaptureRequest request, FrameSink sink) {
            started.incrementAndGet();
            running.incrementAndGet();
            Thread thread = new Thread(() -> {
                long n = 0;
                while (!Thread.currentThread().isInterrupted()) {
                    sink.frame(new Frame(ByteBuffer.wrap(new byte[] { 1, 2, 3 }), System.nanoTime(), n++, null, name));
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "fake-" + name);
            thread.start();
            return () -> {
                thread.interrupt();
                try {
                    thread.join(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                running.decrementAndGet();
            };
        }
    }

    /** Records where each sent frame came from, and how often it was opened and closed. */
    private static final class RecordingTransport implements Transport {
        final List<String> sources = new CopyOnWriteArrayList<>();
        final AtomicInteger opened = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();
        final TransportFactory factory = new TransportFactory() {
            @Override
            public Availability availability() {
                return Availability.yes("test");
            }

            @Override
            public Transport open(TransportRequest request, CameraCounters counters) {
                opened.incrementAndGet();
                return RecordingTransport.this;
            }
        };

        int framesFrom(String backend) {
            return (int) sources.stream().filter(backend::equals).count();
        }

        @Override
        public void send(Frame frame) {
            sources.add(frame.source());
        }

        @Override
        public void reconfigure(TransportRequest request) {
        }

        @Override
        public String describe() {
            return "test://recording";
        }

        @Override
        public Optional<String> sessionDescription() {
            return Optional.empty();
        }

        @Override
        public void close() {
            closed.incrementAndGet();
        }
    }
}
