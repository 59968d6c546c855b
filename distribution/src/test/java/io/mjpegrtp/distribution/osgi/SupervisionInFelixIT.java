package io.mjpegrtp.distribution.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.mjpegrtp.api.Availability;
import io.mjpegrtp.api.Camera;
import io.mjpegrtp.api.CameraCounters;
import io.mjpegrtp.api.CameraState;
import io.mjpegrtp.api.Capture;
import io.mjpegrtp.api.CaptureBackend;
import io.mjpegrtp.api.CaptureException;
import io.mjpegrtp.api.CaptureRequest;
import io.mjpegrtp.api.Frame;
import io.mjpegrtp.api.FrameSink;
import io.mjpegrtp.api.StatsService;
import io.mjpegrtp.distribution.RtpReceiver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Supervision in the running framework: two capture backends of the test's own fail — one after a few frames (a
 * pipeline that reports an error or end of stream), one at every start — and the cameras on them are restarted
 * with back-off delays that double (0.5, 1, 2, 4 s), visible in their status, in mjpeg:cameras and in the restart
 * counter, while a third camera on the test pattern streams on without losing one frame.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SupervisionInFelixIT {
    private static final String FACTORY_PID = "mjpeg.camera";
    private static final Pattern RESTARTING = Pattern.compile("restarting in ([0-9.]+) s after: (.*)");
    private static final List<Double> DELAYS = List.of(0.5, 1.0, 2.0, 4.0);
    private static final int FRAMES_BEFORE_FAILURE = 5;
    private static final long WINDOW_MILLIS = 60_000;
    private static final String SHELL_RESTARTING = "flaky\\s+failing\\s+restarting\\s.*restarting in [0-9.]+ s after: .*";

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Inject
    private StatsService stats;

    @Inject
    private CommandProcessor shell;

    @Configuration
    public Option[] configuration() throws IOException {
        return DistributionInFelix.options();
    }

    @Test
    public void failingCapturesRestartWithDoublingDelaysAndTheHealthyCameraLosesNoFrame() throws Exception {
        CaptureBackend testpattern = awaitBackend("testpattern");
        List<ServiceRegistration<?>> registrations = new ArrayList<>();
        List<org.osgi.service.cm.Configuration> configurations = new ArrayList<>();
        FramesThenFailure flakyBackend = new FramesThenFailure(testpattern, FRAMES_BEFORE_FAILURE);
        registrations.add(context.registerService(CaptureBackend.class, flakyBackend, backendProperty("failing")));
        registrations.add(context.registerService(CaptureBackend.class, new FailsAtStart(),
                backendProperty("failing-at-start")));
        try (RtpReceiver healthyRx = RtpReceiver.open(); RtpReceiver flakyRx = RtpReceiver.open();
                RtpReceiver brokenRx = RtpReceiver.open()) {
            // The cameras go before their receivers, so nothing is sent to a closed port.
            try {
                configurations.add(configure("healthy", "testpattern", healthyRx.port()));
                Camera healthy = camera("healthy");
                assertEquals("healthy: " + healthy.status(), CameraState.STREAMING,
                        DistributionInFelix.awaitState(healthy, CameraState.STREAMING, 20_000));
                assertTrue("frames of the healthy camera: " + healthyRx.summary(),
                        healthyRx.awaitFrames(5, Duration.ofSeconds(20)) >= 5);
                CameraCounters healthyCounters = stats.counters("healthy");
                Sample before = quiet(healthyCounters, healthyRx);

                configurations.add(configure("flaky", "failing", flakyRx.port()));
                configurations.add(configure("broken", "failing-at-start", brokenRx.port()));
                Camera flaky = camera("flaky");
                Camera broken = camera("broken");

                // Every distinct restart the two show, in order, until each has shown the first four delays.
                List<Double> flakyDelays = new ArrayList<>();
                List<Double> brokenDelays = new ArrayList<>();
                String flakyDetail = "";
                String brokenDetail = "";
                List<String> healthyStates = new ArrayList<>();
                String shellLine = null;
                long deadline = System.currentTimeMillis() + WINDOW_MILLIS;
                while ((flakyDelays.size() < DELAYS.size() || brokenDelays.size() < DELAYS.size())
                        && System.currentTimeMillis() < deadline) {
                    Camera.CameraStatus f = flaky.status();
                    Camera.CameraStatus b = broken.status();
                    Camera.CameraStatus h = healthy.status();
                    if (h.state() != CameraState.STREAMING) {
                        healthyStates.add(h.state() + ": " + h.detail());
                    }
                    if (!f.detail().equals(flakyDetail)) {
                        flakyDetail = f.detail();
                        System.out.println("[SupervisionInFelixIT] flaky: " + f.state().label() + ": " + f.detail());
                        if (recordDelay(f, flakyDelays) && (shellLine == null || !shellLine.matches(SHELL_RESTARTING))) {
                            shellLine = shellLine("mjpeg:cameras", "flaky"); // while it waits to restart
                            System.out.println("[SupervisionInFelixIT] mjpeg:cameras: " + shellLine);
                        }
                    }
                    if (!b.detail().equals(brokenDetail)) {
                        brokenDetail = b.detail();
                        System.out.println("[SupervisionInFelixIT] broken: " + b.state().label() + ": " + b.detail());
                        if (recordDelay(b, brokenDelays)) {
                            long restarts = stats.counters("broken").snapshot().restarts();
                            assertTrue("restart counter of broken (" + restarts + ") counts the restart delays seen "
                                    + brokenDelays, restarts >= brokenDelays.size());
                        }
                    }
                    Thread.sleep(20);
                }
                String flakyStats = shellText("mjpeg:stats flaky");
                Sample after = quiet(healthyCounters, healthyRx);

                System.out.println("[SupervisionInFelixIT] delays of flaky " + flakyDelays + ", broken " + brokenDelays
                        + "; restarts counted: flaky " + stats.counters("flaky").snapshot().restarts() + ", broken "
                        + stats.counters("broken").snapshot().restarts() + "; flaky backend started " + flakyBackend.starts.get()
                        + " times");
                System.out.println("[SupervisionInFelixIT] healthy before " + before + ", after " + after + "; receiver: "
                        + healthyRx.summary());

                assertEquals("restart delays of the camera whose capture fails after " + FRAMES_BEFORE_FAILURE + " frames",
                        DELAYS, head(flakyDelays));
                assertEquals("restart delays of the camera whose capture fails at start", DELAYS, head(brokenDelays));
                assertTrue("restart counter of flaky: " + stats.counters("flaky").snapshot().restarts(),
                        stats.counters("flaky").snapshot().restarts() >= DELAYS.size());
                assertTrue("restart counter of broken: " + stats.counters("broken").snapshot().restarts(),
                        stats.counters("broken").snapshot().restarts() >= DELAYS.size());
                assertTrue("the flaky camera streamed between its failures: started " + flakyBackend.starts.get(),
                        flakyBackend.starts.get() >= DELAYS.size());
                assertTrue("flaky frames reached its receiver: " + flakyRx.summary(), flakyRx.frameCount() > 0);
                assertNotNull("mjpeg:cameras shows flaky", shellLine);
                assertTrue("mjpeg:cameras shows the restart and its delay: " + shellLine, shellLine.matches(SHELL_RESTARTING));
                Matcher restarts = Pattern.compile("restarts\\s+(\\d+)").matcher(flakyStats);
                assertTrue("mjpeg:stats flaky counts restarts:\n" + flakyStats,
                        restarts.find() && Long.parseLong(restarts.group(1)) >= DELAYS.size());
                assertTrue("mjpeg:stats flaky shows the state:\n" + flakyStats,
                        flakyStats.matches("(?s).*state\\s+(restarting|starting|streaming): .*"));

                assertTrue("the healthy camera left STREAMING: " + healthyStates, healthyStates.isEmpty());
                long captured = after.captured - before.captured;
                assertTrue("the healthy camera captured frames during the window: " + captured, captured > 30);
                assertEquals("healthy: frames sent during the window = frames captured", captured, after.sent - before.sent);
                assertEquals("healthy: complete frames received = frames sent", after.sent - before.sent,
                        after.received - before.received);
                assertEquals("healthy: frames dropped (queue full)", 0, after.droppedQueueFull - before.droppedQueueFull);
                assertEquals("healthy: frames rejected", 0, after.rejected - before.rejected);
                assertEquals("healthy: send errors", 0, after.sendErrors - before.sendErrors);
                assertEquals("healthy: restarts", 0, after.restarts - before.restarts);
                assertEquals("healthy: RTP continuity " + healthyRx.summary(), List.of(), healthyRx.discontinuities());
                assertEquals("healthy: incomplete frames " + healthyRx.summary(), 0, healthyRx.incompleteFrames());
            } finally {
                for (org.osgi.service.cm.Configuration c : configurations) {
                    DistributionInFelix.deleteCamera(context, c, String.valueOf(c.getProperties().get("name")));
                }
                for (ServiceRegistration<?> r : registrations) {
                    r.unregister();
                }
            }
        }
    }

    /** Adds the delay of a RESTARTING status to {@code delays}; true when it was one. */
    private static boolean recordDelay(Camera.CameraStatus status, List<Double> delays) {
        Matcher m = RESTARTING.matcher(status.detail());
        if (status.state() != CameraState.RESTARTING || !m.matches()) {
            return false;
        }
        delays.add(Double.parseDouble(m.group(1)));
        return true;
    }

    private static List<Double> head(List<Double> delays) {
        return delays.subList(0, Math.min(DELAYS.size(), delays.size()));
    }

    // ---------------------------------------------------------------- the healthy camera's counters

    /** The counters and the frames received at one moment when nothing is in flight. */
    private record Sample(long captured, long sent, long droppedQueueFull, long rejected, long sendErrors,
            long restarts, int received) {
    }

    /**
     * A sample taken between two frames: everything captured was sent and arrived, and nothing moved for a while.
     * A frame lost on the way keeps captured above sent for good, so the wait then fails.
     */
    private static Sample quiet(CameraCounters counters, RtpReceiver rx) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        Sample last = null;
        while (System.currentTimeMillis() < deadline) {
            Sample a = sample(counters, rx);
            Thread.sleep(15);
            Sample b = sample(counters, rx);
            if (a.equals(b) && a.captured == a.sent) {
                return a;
            }
            last = b;
        }
        fail("the healthy camera never had all it captured sent (last: " + last + "; " + rx.summary() + ")");
        return null;
    }

    private static Sample sample(CameraCounters counters, RtpReceiver rx) {
        CameraCounters.Snapshot s = counters.snapshot();
        return new Sample(s.framesCaptured(), s.framesSent(), s.framesDroppedQueueFull(), s.framesRejected(),
                s.sendErrors(), s.restarts(), rx.frameCount());
    }

    // ---------------------------------------------------------------- OSGi and shell

    private org.osgi.service.cm.Configuration configure(String name, String backend, int port) throws IOException {
        org.osgi.service.cm.Configuration c = configurationAdmin.getFactoryConfiguration(FACTORY_PID, name, "?");
        Dictionary<String, Object> p = new Hashtable<>();
        p.put("name", name);
        p.put("backend", backend);
        p.put("width", 320);
        p.put("height", 240);
        p.put("framerate", 15);
        p.put("destination", "127.0.0.1:" + port);
        c.update(p);
        return c;
    }

    private Camera camera(String name) throws Exception {
        ServiceReference<Camera> ref = DistributionInFelix.awaitCamera(context, name, 20_000);
        assertNotNull("no Camera service named " + name, ref);
        return context.getService(ref);
    }

    private CaptureBackend awaitBackend(String name) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            for (ServiceReference<CaptureBackend> ref : context.getServiceReferences(CaptureBackend.class,
                    "(" + CaptureBackend.PROPERTY + "=" + name + ")")) {
                return context.getService(ref);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no capture backend " + name + " registered");
    }

    private static Dictionary<String, Object> backendProperty(String name) {
        Dictionary<String, Object> p = new Hashtable<>();
        p.put(CaptureBackend.PROPERTY, name);
        return p;
    }

    /** Runs a Gogo command as the console would and returns what it printed. */
    private String shellText(String command) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        CommandSession session = shell.createSession(new java.io.ByteArrayInputStream(new byte[0]), print, print);
        try {
            Object result = session.execute(command);
            if (result != null) {
                print.println(result); // the mjpeg commands return their text
            }
        } finally {
            session.close();
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The line of a table command's output that starts with {@code camera}. */
    private String shellLine(String command, String camera) throws Exception {
        String text = shellText(command);
        return text.lines().filter(l -> l.startsWith(camera + " ")).findFirst()
                .orElseThrow(() -> new AssertionError(command + " shows no " + camera + ":\n" + text));
    }

    // ---------------------------------------------------------------- backends of the test's

    /**
     * Delivers the test pattern's first frames, then reports that the pipeline ended, as a GStreamer pipeline does
     * on an error or end of stream; later frames of that capture are released unseen.
     */
    private static final class FramesThenFailure implements CaptureBackend {
        private final CaptureBackend source;
        private final int frames;
        final AtomicInteger starts = new AtomicInteger();

        FramesThenFailure(CaptureBackend source, int frames) {
            this.source = source;
            this.frames = frames;
        }

        @Override
        public Availability availability() {
            return Availability.yes("test: " + frames + " frames, then the pipeline ends");
        }

        @Override
        public Capture start(CaptureRequest request, FrameSink sink) throws CaptureException {
            starts.incrementAndGet();
            AtomicInteger delivered = new AtomicInteger();
            AtomicBoolean ended = new AtomicBoolean();
            return source.start(request, new FrameSink() {
                @Override
                public void frame(Frame frame) {
                    if (delivered.incrementAndGet() <= frames) {
                        sink.frame(frame);
                        return;
                    }
                    frame.release();
                    if (ended.compareAndSet(false, true)) {
                        sink.failed("test: end of stream after " + frames + " frames", null);
                    }
                }

                @Override
                public void frameRejected(String reason) {
                    sink.frameRejected(reason);
                }

                @Override
                public void failed(String reason, Throwable cause) {
                    sink.failed(reason, cause);
                }
            });
        }
    }

    /** A device that is there (available) but cannot be opened. */
    private static final class FailsAtStart implements CaptureBackend {
        @Override
        public Availability availability() {
            return Availability.yes("test: fails at every start");
        }

        @Override
        public Capture start(CaptureRequest request, FrameSink sink) throws CaptureException {
            throw new CaptureException("test: the device cannot be opened");
        }
    }
}
