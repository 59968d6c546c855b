package io.mjpegrtp.gstreamer.internal;

import io.mjpegrtp.api.Capture;
import io.mjpegrtp.api.CaptureException;
import io.mjpegrtp.api.Frame;
import io.mjpegrtp.api.FrameSink;
import io.mjpegrtp.gstreamer.GStreamer;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.freedesktop.gstreamer.Buffer;
import org.freedesktop.gstreamer.Bus;
import org.freedesktop.gstreamer.Clock;
import org.freedesktop.gstreamer.ClockTime;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.Gst;
import org.freedesktop.gstreamer.GstException;
import org.freedesktop.gstreamer.GstObject;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.Sample;
import org.freedesktop.gstreamer.State;
import org.freedesktop.gstreamer.StateChangeReturn;
import org.freedesktop.gstreamer.elements.AppSink;
import org.freedesktop.gstreamer.glib.GError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running pipeline. A thread of its own pulls samples from the appsink and hands them on as frames that point
 * into the mapped buffer; bus errors and end of stream arrive on gst1-java-core's bus thread. Whichever way the
 * pipeline ends, the sink hears about it once, and never after {@link #close()}.
 */
final class AppSinkCapture implements Capture {
    private static final Logger LOG = LoggerFactory.getLogger(AppSinkCapture.class);
    private static final long JOIN_MILLIS = 5000;
    private static final long BUS_WAIT_MILLIS = 2000;

    private final String camera;
    private final String description;
    private final Pipeline pipeline;
    private final AppSink appSink;
    private final Bus bus;
    private final FrameSink sink;
    private final Thread thread;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final CountDownLatch eosOnBus = new CountDownLatch(1);
    private final CountDownLatch errorSeen = new CountDownLatch(1);
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger outstanding = new AtomicInteger();
    private final Bus.ERROR onError;
    private final Bus.EOS onEos;
    private final Bus.WARNING onWarning;
    private volatile boolean closing;
    private volatile long frames; // written by the pulling thread only
    // Pipeline clock -> System.nanoTime(), measured once when the first sample arrives (the clock is chosen on
    // the way to PLAYING, and the base time is fixed while the pipeline plays).
    private boolean clockKnown;
    private long baseTime;
    private long clockToNano;

    private AppSinkCapture(String camera, String description, Pipeline pipeline, AppSink appSink, FrameSink sink) {
        this.camera = camera;
        this.description = description;
        this.pipeline = pipeline;
        this.appSink = appSink;
        this.bus = pipeline.getBus();
        this.sink = sink;
        this.onError = (GstObject source, int code, String message) -> {
            String reason = "gstreamer: " + name(source) + ": " + message;
            if (firstError.compareAndSet(null, reason)) {
                errorSeen.countDown();
            }
            end(reason, null);
        };
        // End of stream is reported by the pulling thread once it has drained the appsink, not here.
        this.onEos = source -> eosOnBus.countDown();
        this.onWarning = (GstObject source, int code, String message) -> LOG.warn("gstreamer: camera {}: {}: {}",
                camera, name(source), message);
        this.thread = new Thread(this::pull, "gst-" + camera);
        thread.setDaemon(true);
    }

    static AppSinkCapture start(String camera, String description, FrameSink sink) throws CaptureException {
        Element parsed;
        List<GError> errors = new ArrayList<>();
        try {
            parsed = Gst.parseLaunch(description, errors);
        } catch (GstException e) {
            throw new CaptureException("gstreamer: cannot parse pipeline \"" + description + "\": "
                    + GstInit.oneLine(e), e);
        }
        if (!errors.isEmpty()) {
            parsed.dispose();
            throw new CaptureException("gstreamer: cannot parse pipeline \"" + description + "\": "
                    + errors.get(0).getMessage());
        }
        if (!(parsed instanceof Pipeline pipeline)) {
            parsed.dispose();
            throw new CaptureException("gstreamer: \"" + description + "\" is a single element, not a pipeline "
                    + "ending in appsink name=" + GStreamer.SINK_NAME);
        }
        Element named = pipeline.getElementByName(GStreamer.SINK_NAME);
        if (!(named instanceof AppSink appSink)) {
            pipeline.dispose();
            throw new CaptureException("gstreamer: pipeline \"" + description + "\" has no appsink named "
                    + GStreamer.SINK_NAME);
        }
        AppSinkCapture capture = new AppSinkCapture(camera, description, pipeline, appSink, sink);
        capture.play();
        return capture;
    }

    private void play() throws CaptureException {
        bus.connect(onError);
        bus.connect(onEos);
        bus.connect(onWarning);
        StateChangeReturn result = pipeline.play();
        if (result != StateChangeReturn.FAILURE) {
            // Only now: an appsink below PAUSED answers pullSample with null at once, which reads as EOS.
            thread.start();
        } else {
            closing = true; // the bus error is not reported to the sink: this exception carries it
            try {
                errorSeen.await(BUS_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            String error = firstError.get();
            close();
            throw new CaptureException("gstreamer: pipeline \"" + description + "\" cannot start"
                    + (error == null ? "" : ": " + error.substring("gstreamer: ".length())));
        }
        LOG.info("gstreamer: camera {} runs {}", camera, description);
    }

    private void pull() {
        try {
            while (!closing) {
                Sample sample = appSink.pullSample(); // null once flushing (stopped) or at end of stream
                if (sample == null) {
                    // Drained at end of stream. A source also pushes EOS after a fatal error: the bus delivers its
                    // messages in order, so once its EOS message is through, any error before it was reported.
                    if (!closing) {
                        eosOnBus.await(BUS_WAIT_MILLIS, TimeUnit.MILLISECONDS);
                        end("gstreamer: end of stream", null);
                    }
                    break;
                }
                deliver(sample);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            end("gstreamer: " + e, e);
        }
    }

    private void deliver(Sample sample) {
        Buffer buffer = sample.getBuffer();
        ByteBuffer data = buffer == null ? null : buffer.map(false);
        if (data == null) {
            if (buffer != null) {
                buffer.dispose();
            }
            sample.dispose();
            sink.frameRejected("gstreamer: a sample without readable data was skipped");
            return;
        }
        long captureTime = captureTime(buffer.getPresentationTimestamp());
        outstanding.incrementAndGet();
        AtomicBoolean released = new AtomicBoolean();
        Runnable onRelease = () -> {
            if (released.compareAndSet(false, true)) {
                buffer.unmap();
                buffer.dispose();
                sample.dispose();
                outstanding.decrementAndGet();
            }
        };
        sink.frame(new Frame(data, captureTime, frames++, onRelease));
    }

    /** A presentation timestamp (running time) as a {@link System#nanoTime()} value. */
    private long captureTime(long pts) {
        long now = System.nanoTime();
        if (pts == ClockTime.NONE) {
            return now;
        }
        if (!clockKnown) {
            Clock clock = pipeline.getClock();
            if (clock == null) {
                return now;
            }
            baseTime = pipeline.getBaseTime();
            clockToNano = offset(clock);
            clockKnown = true;
            LOG.debug("gstreamer: camera {}: pipeline clock + {} ns = System.nanoTime()", camera, clockToNano);
        }
        long time = baseTime + pts + clockToNano;
        return Math.min(time, now); // never in the future (a clock adjusted by NTP, a skewed source)
    }

    /** The difference System.nanoTime() - clock time, from the tightest of a few bracketed readings. */
    static long offset(Clock clock) {
        long best = Long.MAX_VALUE;
        long offset = 0;
        for (int i = 0; i < 5; i++) {
            long before = System.nanoTime();
            long clockTime = clock.getTime();
            long after = System.nanoTime();
            if (after - before < best) {
                best = after - before;
                offset = before + (after - before) / 2 - clockTime;
            }
        }
        return offset;
    }

    /** Ends the capture by itself: reports once (unless closed), then stops the pipeline off this thread. */
    private void end(String reason, Throwable cause) {
        if (closing || !ended.compareAndSet(false, true)) {
            return;
        }
        LOG.warn("gstreamer: camera {} stopped after {} frames: {}", camera, frames, reason);
        try {
            sink.failed(reason, cause);
        } catch (RuntimeException e) {
            LOG.warn("gstreamer: camera {}: the sink failed while reporting a failure", camera, e);
        }
        // Stopping waits for the streaming threads; never do it on one of them (or on the pulling thread).
        Gst.getExecutor().execute(this::close);
    }

    /** Frames handed out and not yet released. */
    int outstandingFrames() {
        return outstanding.get();
    }

    boolean threadAlive() {
        return thread.isAlive();
    }

    @Override
    public void close() {
        closing = true;
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        bus.disconnect(onError);
        bus.disconnect(onEos);
        bus.disconnect(onWarning);
        pipeline.setState(State.NULL); // flushes the appsink: pullSample returns null
        if (thread != Thread.currentThread()) {
            try {
                thread.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                LOG.warn("gstreamer: camera {}: capture thread did not stop within {} ms", camera, JOIN_MILLIS);
            }
        }
        appSink.dispose();
        bus.dispose();
        pipeline.dispose();
        LOG.info("gstreamer: camera {} stopped after {} frames", camera, frames);
    }

    private static String name(GstObject source) {
        try {
            return source == null ? "pipeline" : source.getName();
        } catch (RuntimeException e) {
            return "pipeline";
        }
    }
}
