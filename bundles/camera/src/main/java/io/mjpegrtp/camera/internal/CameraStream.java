package io.mjpegrtp.camera.internal;

import io.mjpegrtp.api.Availability;
import io.mjpegrtp.api.Camera;
import io.mjpegrtp.api.CameraCounters;
import io.mjpegrtp.api.CameraState;
import io.mjpegrtp.api.Capture;
import io.mjpegrtp.api.CaptureBackend;
import io.mjpegrtp.api.CaptureException;
import io.mjpegrtp.api.CaptureRequest;
import io.mjpegrtp.api.Frame;
import io.mjpegrtp.api.FrameRejectedException;
import io.mjpegrtp.api.FrameSink;
import io.mjpegrtp.api.StatsService;
import io.mjpegrtp.api.Transport;
import io.mjpegrtp.api.TransportFactory;
import io.mjpegrtp.api.TransportRequest;
import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One configured camera: binds its capture backend and transports by name, sends each frame on the capture thread
 * when nothing else is being sent, else hands it to its own sending thread through a small newest-wins queue, and
 * supervises the capture.
 *
 * <p>All life-cycle changes (configuration, backends and transports coming and going, failures, operator
 * start/stop) run on one control thread, so they never race; {@link #reconcile()} moves the camera from what
 * it is doing to what its settings and the installed services say it should do. Transports survive a change of
 * backend, so a receiver keeps the same RTP session.
 */
@Designate(ocd = CameraConfig.class, factory = true)
@Component(name = "mjpeg.camera", configurationPolicy = ConfigurationPolicy.REQUIRE, service = Camera.class,
        immediate = true) // a camera streams whether or not anyone looks at its service
public final class CameraStream implements Camera {
    private static final Logger LOG = LoggerFactory.getLogger("mjpeg.camera");
    static final String SDP_DIR_PROPERTY = "mjpeg.sdp.dir";
    /** Framework property: seconds between a camera's summary log lines; 0 turns them off. Default 60. */
    static final String SUMMARY_PROPERTY = "mjpeg.summary.seconds";
    private static final long DEFAULT_SUMMARY_SECONDS = 60;
    private static final int QUEUE_CAPACITY = 2;
    private static final long REPEAT_LOG_NANOS = 60_000_000_000L;

    private final String name;
    private final String source;
    private final StatsService stats;
    private final CameraCounters counters;
    private final Path sdpDirectory;
    private final ScheduledExecutorService control;
    private final Map<String, CaptureBackend> backends = new ConcurrentHashMap<>();
    private final Map<String, TransportFactory> transportFactories = new ConcurrentHashMap<>();
    private final FrameQueue queue;
    private final Thread sender;
    private final ReentrantLock sendLock = new ReentrantLock();

    // Control-thread state.
    private CameraSettings settings;
    private boolean operatorStopped;
    private Capture capture;
    private CaptureBackend captureBackend;
    private String captureBackendName;
    private CaptureRequest captureRequest;
    private CaptureSession session;
    private final Map<String, OpenTransport> open = new LinkedHashMap<>();
    private final Backoff backoff = new Backoff();
    private long restartAtNanos;
    private ScheduledFuture<?> restartTimer;
    /** Counts changes of state or detail, so a delayed log line can tell whether its state still stands. */
    private long stateChanges;
    /** What {@code backend = auto} picked last, as the log line says it, and the pick last logged. */
    private String autoChoice;
    private String autoChoiceLogged;

    // Read by other threads.
    private volatile Transport[] active = new Transport[0];
    private volatile CameraState state = CameraState.STARTING;
    private volatile String detail = "starting";
    /** The backend the camera uses now: the configured one, or what {@code auto} picked (null: none yet). */
    private volatile String resolvedBackend;
    private volatile boolean running = true;
    private volatile CameraSettings published;
    private final Map<String, Long> rejectionLogged = new ConcurrentHashMap<>();

    // The summary line's previous sample (control thread).
    private CameraCounters.Snapshot summarized;
    private long summarizedNanos;

    private record OpenTransport(TransportFactory factory, Transport transport, TransportRequest request) {
    }

    @Activate
    public CameraStream(@Reference StatsService stats, BundleContext context, Map<String, Object> properties) {
        this.stats = stats;
        this.source = sourceOf(properties);
        this.name = nameOf(properties);
        this.counters = stats.counters(name);
        String sdp = context.getProperty(SDP_DIR_PROPERTY);
        this.sdpDirectory = sdp == null || sdp.isBlank() ? null : Paths.get(sdp);
        this.queue = new FrameQueue(QUEUE_CAPACITY, counters);
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "camera-" + name);
            t.setDaemon(true);
            return t;
        });
        // Pending restarts and delayed log lines are dropped when the camera goes away.
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.control = executor;
        this.sender = new Thread(this::sendLoop, "send-" + name);
        this.sender.setDaemon(true);
        this.sender.start();
        control.execute(() -> {
            apply(properties, true);
            reconcile();
        });
        long every = summarySeconds(context.getProperty(SUMMARY_PROPERTY));
        if (every > 0) {
            summarized = counters.snapshot();
            summarizedNanos = System.nanoTime();
            control.scheduleAtFixedRate(this::summary, every, every, TimeUnit.SECONDS);
        }
    }

    private static long summarySeconds(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_SUMMARY_SECONDS;
        }
        try {
            return Math.max(0, Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            LOG.warn("{} '{}' is not a whole number of seconds; using {}", SUMMARY_PROPERTY, value,
                    DEFAULT_SUMMARY_SECONDS);
            return DEFAULT_SUMMARY_SECONDS;
        }
    }

    /** One line per interval with what the camera did in it; a camera stopped all along says nothing. */
    private void summary() {
        CameraCounters.Snapshot now = counters.snapshot();
        long nowNanos = System.nanoTime();
        CameraCounters.Snapshot before = summarized;
        double seconds = (nowNanos - summarizedNanos) / 1e9;
        summarized = now;
        summarizedNanos = nowNanos;
        long sent = now.framesSent() - before.framesSent();
        long captured = now.framesCaptured() - before.framesCaptured();
        if (state == CameraState.STOPPED && sent == 0 && captured == 0 || seconds <= 0) {
            return;
        }
        if (sent == 0 && captured == 0) {
            LOG.info("{}: last {} s: no frames; {}", name, Math.round(seconds), detail);
            return;
        }
        LOG.info("{}: last {} s: {} frames captured, {} sent, {} fps, {} kbit/s, {} dropped (queue full), "
                + "{} rejected, {} send errors, {} restarts; {}", name, Math.round(seconds), captured, sent,
                String.format(java.util.Locale.ROOT, "%.1f", sent / seconds),
                String.format(java.util.Locale.ROOT, "%.0f", 8 * (now.bytesSent() - before.bytesSent()) / seconds / 1000),
                now.framesDroppedQueueFull() - before.framesDroppedQueueFull(),
                now.framesRejected() - before.framesRejected(), now.sendErrors() - before.sendErrors(),
                now.restarts() - before.restarts(), state.label());
    }

    @Modified
    void modified(Map<String, Object> properties) {
        control.execute(() -> {
            apply(properties, false);
            reconcile();
        });
    }

    @Deactivate
    void deactivate() {
        control.execute(() -> {
            stopCapture();
            closeTransports(Set.of());
            state = CameraState.STOPPED;
            detail = "removed";
        });
        control.shutdown();
        try {
            control.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        running = false;
        try {
            sender.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        queue.clear();
        CameraCounters.Snapshot t = counters.snapshot();
        LOG.info("{}: stopped; {} frames captured, {} sent, {} dropped (queue full), {} rejected, {} packets, "
                + "{} send errors, {} restarts", name, t.framesCaptured(), t.framesSent(), t.framesDroppedQueueFull(),
                t.framesRejected(), t.packetsSent(), t.sendErrors(), t.restarts());
        stats.remove(name);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindBackend(CaptureBackend backend, Map<String, Object> props) {
        String key = String.valueOf(props.get(CaptureBackend.PROPERTY));
        backends.put(key, backend);
        if (!control.isShutdown()) {
            control.execute(this::reconcile);
        }
    }

    void unbindBackend(CaptureBackend backend, Map<String, Object> props) {
        String key = String.valueOf(props.get(CaptureBackend.PROPERTY));
        backends.remove(key, backend);
        // The capture must stop before the backend's bundle goes away, so this waits for the control thread.
        runAndWait(this::reconcile);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindTransport(TransportFactory factory, Map<String, Object> props) {
        transportFactories.put(String.valueOf(props.get(TransportFactory.PROPERTY)), factory);
        if (!control.isShutdown()) {
            control.execute(this::reconcile);
        }
    }

    void unbindTransport(TransportFactory factory, Map<String, Object> props) {
        transportFactories.remove(String.valueOf(props.get(TransportFactory.PROPERTY)), factory);
        runAndWait(this::reconcile);
    }

    private void runAndWait(Runnable task) {
        if (control.isShutdown()) {
            return;
        }
        try {
            control.submit(task).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("{}: could not finish a change in time: {}", name, e.toString());
        }
    }

    // ---------------------------------------------------------------- Camera

    @Override
    public String name() {
        return name;
    }

    @Override
    public CameraStatus status() {
        CameraSettings s = published;
        List<String> destinations = new ArrayList<>();
        for (Transport t : active) {
            destinations.add(t.describe());
        }
        if (s == null) {
            return new CameraStatus(name, "", state, detail, 0, 0, 0, destinations);
        }
        if (destinations.isEmpty()) {
            destinations.add(s.host() + ":" + s.port());
        }
        return new CameraStatus(name, backendLabel(s), state, detail, s.sentWidth(), s.sentHeight(), s.framerate(),
                destinations);
    }

    /** The configured backend; for {@code auto} also what it picked: "auto → testpattern". */
    private String backendLabel(CameraSettings s) {
        if (!AutoBackend.NAME.equals(s.backend())) {
            return s.backend();
        }
        String picked = resolvedBackend;
        return picked == null ? AutoBackend.NAME : AutoBackend.NAME + " \u2192 " + picked;
    }

    @Override
    public Optional<String> sessionDescription() {
        for (Transport t : active) {
            Optional<String> sdp = t.sessionDescription();
            if (sdp.isPresent()) {
                return sdp;
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<Path> sessionDescriptionFile() {
        if (sdpDirectory == null || sessionDescription().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(sdpDirectory.resolve(name + ".sdp"));
    }

    @Override
    public void start() {
        control.execute(() -> {
            operatorStopped = false;
            restartAtNanos = 0;
            reconcile();
        });
    }

    @Override
    public void stop() {
        runAndWait(() -> {
            operatorStopped = true;
            reconcile();
        });
    }

    // ---------------------------------------------------------------- control thread

    private void apply(Map<String, Object> properties, boolean first) {
        Set<String> unknown = CameraSettings.unknownKeys(properties);
        if (!unknown.isEmpty()) {
            LOG.warn("{}: {}: ignoring unknown key(s) {}; known keys: {}", name, source, unknown,
                    String.join(", ", new java.util.TreeSet<>(CameraSettings.KEYS)));
        }
        try {
            CameraSettings next = CameraSettings.parse(properties);
            if (!first && next.equals(settings)) {
                return;
            }
            settings = next;
            published = next;
            if (!first) {
                LOG.info("{}: configuration changed ({})", name, source);
                // A changed file is a new attempt: it is tried now, not after the back-off of the old one.
                restartAtNanos = 0;
                backoff.reset();
            }
        } catch (InvalidSettingException e) {
            if (settings == null) {
                LOG.error("{}: rejected {}: key '{}': {}. The camera does not start until the file is fixed.", name,
                        source, e.key(), e.getMessage());
                state = CameraState.FAILED;
                detail = "invalid configuration: " + e.getMessage();
            } else {
                LOG.error("{}: rejected {}: key '{}': {}. Keeping the last good configuration.", name, source,
                        e.key(), e.getMessage());
            }
        }
    }

    /** Brings the capture and transports in line with the settings and the services installed now. */
    private void reconcile() {
        CameraSettings s = settings;
        if (s == null) {
            return; // no valid configuration yet: FAILED was set by apply
        }
        if (!s.enabled() || operatorStopped) {
            stopCapture();
            closeTransports(Set.of());
            setState(CameraState.STOPPED, s.enabled() ? "stopped by operator" : "disabled in configuration");
            return;
        }
        List<String> missing = openTransports(s);
        if (active.length == 0) {
            stopCapture();
            setState(CameraState.WAITING, "waiting for transport " + String.join(", ", missing) + " (not installed)");
            return;
        }
        String backendName = s.backend();
        CaptureBackend backend;
        if (AutoBackend.NAME.equals(backendName)) {
            AutoBackend.Choice choice = AutoBackend.choose(backends);
            if (!choice.found()) {
                stopCapture();
                resolvedBackend = null;
                autoChoice = null; // the waiting line says why; the next pick is news
                autoChoiceLogged = null;
                setState(CameraState.WAITING, "waiting for a backend: auto found none that can run here: "
                        + choice.why());
                return;
            }
            reportAutoChoice(choice);
            backendName = choice.name();
            backend = choice.backend();
        } else {
            autoChoice = null;
            autoChoiceLogged = null;
            backend = backends.get(backendName);
            if (backend == null) {
                stopCapture();
                // A name none of ours is probably a typo, unless a plugin brings it later: the line says both.
                setState(CameraState.WAITING, "waiting for backend " + backendName + " (not installed"
                        + (CameraSettings.KNOWN_BACKENDS.contains(backendName) ? ")"
                                : "; not one of this release's: " + String.join(" | ", CameraSettings.KNOWN_BACKENDS)
                                        + ")"));
                return;
            }
            Availability availability = AutoBackend.availability(backend);
            if (!availability.available()) {
                stopCapture();
                setState(CameraState.WAITING, "backend " + backendName + " cannot run here: " + availability.reason());
                return;
            }
        }
        resolvedBackend = backendName;
        CaptureRequest request = s.captureRequest(name);
        if (capture != null && backend == captureBackend && request.equals(captureRequest)) {
            return; // already doing what it should
        }
        long wait = restartAtNanos - System.nanoTime();
        if (capture == null && restartAtNanos != 0 && wait > 0) {
            return; // a restart is scheduled
        }
        if (capture != null) {
            LOG.info("{}: switching capture to {} {}x{}@{}", name, backendName, request.width(), request.height(),
                    request.framerate());
        }
        stopCapture();
        startCapture(backendName, backend, request);
    }

    /**
     * Logs what {@code backend = auto} picked and why, once per pick. A pick that stands for less than a second is
     * not logged: while the runtime starts, backend bundles arrive one after another and the pick moves with them.
     */
    private void reportAutoChoice(AutoBackend.Choice choice) {
        String line = "backend auto picked " + choice.name() + ": " + choice.why();
        if (line.equals(autoChoice) || control.isShutdown()) {
            return;
        }
        autoChoice = line;
        control.schedule(() -> {
            if (line.equals(autoChoice) && !line.equals(autoChoiceLogged)) {
                autoChoiceLogged = line;
                LOG.info("{}: {}", name, line);
            }
        }, 1, TimeUnit.SECONDS);
    }

    private void startCapture(String backendName, CaptureBackend backend, CaptureRequest request) {
        CaptureSession newSession = new CaptureSession();
        try {
            capture = backend.start(request, newSession);
            captureBackend = backend;
            captureBackendName = backendName;
            captureRequest = request;
            session = newSession;
            restartAtNanos = 0;
            setState(CameraState.STARTING, "starting " + backendName);
        } catch (CaptureException | RuntimeException e) {
            newSession.closed = true;
            LOG.error("{}: backend {} could not start: {}", name, backendName, e.getMessage());
            scheduleRestart("backend " + backendName + " could not start: " + e.getMessage());
        }
    }

    private void stopCapture() {
        if (session != null) {
            session.closed = true;
            session = null;
        }
        if (capture != null) {
            Capture c = capture;
            capture = null;
            captureBackend = null;
            captureBackendName = null;
            captureRequest = null;
            try {
                c.close();
            } catch (RuntimeException e) {
                LOG.warn("{}: closing the capture failed: {}", name, e.toString());
            }
        }
        queue.clear();
    }

    private void captureFailed(CaptureSession failed, String reason) {
        if (failed != session) {
            return; // an old capture reporting late
        }
        LOG.error("{}: capture failed: {}", name, reason);
        backoff.streamedFor(failed.firstFrameNanos == 0 ? 0 : System.nanoTime() - failed.firstFrameNanos);
        stopCapture();
        scheduleRestart(reason);
    }

    private void scheduleRestart(String reason) {
        long delay = backoff.next();
        restartAtNanos = System.nanoTime() + delay * 1_000_000L;
        counters.restarted();
        setState(CameraState.RESTARTING, "restarting in " + (delay / 1000.0) + " s after: " + reason);
        if (restartTimer != null) {
            restartTimer.cancel(false);
        }
        restartTimer = control.schedule(this::reconcile, delay, TimeUnit.MILLISECONDS);
    }

    /** Opens, reconfigures or closes transports to match the settings; returns the names not installed. */
    private List<String> openTransports(CameraSettings s) {
        List<String> missing = new ArrayList<>();
        closeTransports(Set.copyOf(s.transports()));
        TransportRequest request = s.transportRequest(name, sdpDirectory);
        boolean changed = false;
        for (String t : s.transports()) {
            TransportFactory factory = transportFactories.get(t);
            OpenTransport current = open.get(t);
            if (current != null && current.factory != factory) {
                close(t);
                changed = true;
                current = null;
            }
            if (factory == null) {
                missing.add(t);
                continue;
            }
            try {
                if (current == null) {
                    Transport transport = factory.open(request, counters);
                    open.put(t, new OpenTransport(factory, transport, request));
                    changed = true;
                    announce(transport);
                } else if (!current.request.equals(request)) {
                    current.transport.reconfigure(request);
                    open.put(t, new OpenTransport(factory, current.transport, request));
                    announce(current.transport);
                }
            } catch (Exception e) {
                LOG.error("{}: transport {} could not open {}:{}: {}", name, t, s.host(), s.port(), e.getMessage());
                missing.add(t + " (" + e.getMessage() + ")");
            }
        }
        if (changed) {
            publishActive();
        }
        return missing;
    }

    private void announce(Transport transport) {
        StringBuilder line = new StringBuilder(name).append(": sending to ").append(transport.describe());
        Optional<Path> sdpFile = transport.sessionDescription().isPresent() && sdpDirectory != null
                ? Optional.of(sdpDirectory.resolve(name + ".sdp"))
                : Optional.empty();
        sdpFile.ifPresent(p -> line.append("; SDP file ").append(p));
        LOG.info(line.toString());
        for (String hint : viewerHints(transport)) {
            LOG.info("{}:   view with: {}", name, hint);
        }
    }

    private List<String> viewerHints(Transport transport) {
        try {
            return transport.receiverCommands();
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    private void closeTransports(Set<String> keep) {
        boolean changed = false;
        for (String t : new ArrayList<>(open.keySet())) {
            if (!keep.contains(t)) {
                close(t);
                changed = true;
            }
        }
        if (changed) {
            publishActive();
        }
    }

    private void close(String t) {
        OpenTransport o = open.remove(t);
        if (o == null) {
            return;
        }
        publishActive();
        try {
            o.transport.close();
        } catch (RuntimeException e) {
            LOG.warn("{}: closing transport {} failed: {}", name, t, e.toString());
        }
    }

    /** Swaps the sender's transport list; waits for a frame in flight so a closed transport is never used. */
    private void publishActive() {
        Transport[] next = open.values().stream().map(OpenTransport::transport).toArray(Transport[]::new);
        sendLock.lock();
        try {
            active = next;
        } finally {
            sendLock.unlock();
        }
    }

    private void setState(CameraState newState, String why) {
        boolean changed = newState != state || !why.equals(detail);
        state = newState;
        detail = why;
        if (!changed) {
            return;
        }
        long change = ++stateChanges;
        if (newState == CameraState.STOPPED) {
            LOG.info("{}: {}", name, why);
        } else if (newState == CameraState.WAITING && !control.isShutdown()) {
            // Bundles start one after another and stop before the cameras: a wait that ends within a second is
            // part of starting or stopping, not news. The same wait again a moment later (a bundle updated, then
            // removed) is a new wait, logged by its own check.
            control.schedule(() -> {
                if (stateChanges == change) {
                    LOG.info("{}: {}", name, why);
                }
            }, 1, TimeUnit.SECONDS);
        }
    }

    // ---------------------------------------------------------------- sending thread

    private void sendLoop() {
        while (running) {
            Frame frame;
            try {
                frame = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (frame != null) {
                sendAndRelease(frame);
            }
        }
    }

    private void sendAndRelease(Frame frame) {
        try {
            send(frame);
        } catch (RuntimeException e) {
            // A transport bug must not kill the thread that sends (the camera's own, or a capture thread).
            LOG.error("{}: sending a frame failed", name, e);
        } finally {
            frame.release();
        }
    }

    private void send(Frame frame) {
        sendLock.lock();
        try {
            boolean sent = false;
            for (Transport t : active) {
                try {
                    t.send(frame);
                    sent = true;
                } catch (FrameRejectedException e) {
                    rejected(frame.source().isEmpty() ? e.getMessage() : frame.source() + ": " + e.getMessage());
                    return;
                }
            }
            if (sent) {
                long now = System.nanoTime();
                counters.frameSent();
                counters.frameSentLatency(now - frame.captureTimeNanos(), now - queue.offeredAt(frame));
            }
        } finally {
            sendLock.unlock();
        }
    }

    /** Counts a dropped frame and logs its reason: once per reason, again at most once a minute. */
    private void rejected(String reason) {
        counters.frameRejected(reason);
        long now = System.nanoTime();
        Long last = rejectionLogged.get(reason);
        if (last == null || now - last > REPEAT_LOG_NANOS) {
            if (rejectionLogged.size() > 256) {
                rejectionLogged.clear(); // bounded: a source of ever-new reasons must not grow memory
            }
            rejectionLogged.put(reason, now);
            LOG.warn("{}: frame dropped: {}", name, reason);
        }
    }

    /** Receives one capture's frames; frames of a capture that was replaced are released unseen. */
    private final class CaptureSession implements FrameSink {
        volatile boolean closed;
        volatile long firstFrameNanos;

        @Override
        public void frame(Frame frame) {
            if (closed) {
                frame.release();
                return;
            }
            counters.frameCaptured();
            if (firstFrameNanos == 0) {
                firstFrameNanos = System.nanoTime();
                control.execute(() -> {
                    if (session == this && state == CameraState.STARTING) {
                        CameraSettings s = settings;
                        setState(CameraState.STREAMING, "streaming " + captureBackendName + " " + s.sentWidth() + "x"
                                + s.sentHeight() + "@" + s.framerate());
                        LOG.info("{}: streaming from {}", name, captureBackendName);
                    }
                });
            }
            // Nothing queued and nothing being sent: send on the capture thread. A hand-over to the sending thread
            // would add a wake-up, which on a busy machine costs milliseconds of latency; the queue is for when
            // sending falls behind (a backend's capture thread may block while its frame is sent).
            if (queue.isEmpty() && sendLock.tryLock()) {
                try {
                    if (queue.isEmpty()) {
                        queue.handedOver(frame);
                        sendAndRelease(frame);
                        return;
                    }
                } finally {
                    sendLock.unlock();
                }
            }
            queue.offer(frame);
        }

        @Override
        public void frameRejected(String reason) {
            if (!closed) {
                rejected(reason);
            }
        }

        @Override
        public void failed(String reason, Throwable cause) {
            if (cause != null) {
                LOG.debug("{}: capture failure detail", name, cause);
            }
            if (!control.isShutdown()) {
                control.execute(() -> captureFailed(this, reason));
            }
        }
    }

    // ---------------------------------------------------------------- naming

    /** The camera's name: a {@code name} key, else the part of the file name after {@code mjpeg.camera-}. */
    static String nameOf(Map<String, Object> properties) {
        Object explicit = properties.get("name");
        if (explicit != null && !String.valueOf(explicit).isBlank()) {
            return String.valueOf(explicit).trim();
        }
        Object file = properties.get("felix.fileinstall.filename");
        if (file != null) {
            String base = fileName(String.valueOf(file));
            if (base.startsWith("mjpeg.camera-") && base.endsWith(".cfg")) {
                return base.substring("mjpeg.camera-".length(), base.length() - ".cfg".length());
            }
        }
        Object pid = properties.get("service.pid");
        String p = pid == null ? "camera" : String.valueOf(pid);
        int tilde = p.lastIndexOf('~');
        return tilde >= 0 ? p.substring(tilde + 1) : p.substring(p.lastIndexOf('.') + 1);
    }

    private static String sourceOf(Map<String, Object> properties) {
        Object file = properties.get("felix.fileinstall.filename");
        if (file == null) {
            return "configuration " + properties.get("service.pid");
        }
        String f = String.valueOf(file);
        try {
            return Paths.get(URI.create(f)).toString();
        } catch (RuntimeException e) {
            return f;
        }
    }

    private static String fileName(String uriOrPath) {
        int slash = Math.max(uriOrPath.lastIndexOf('/'), uriOrPath.lastIndexOf('\\'));
        return uriOrPath.substring(slash + 1);
    }
}
