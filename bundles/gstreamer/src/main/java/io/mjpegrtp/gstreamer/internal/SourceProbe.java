package io.mjpegrtp.gstreamer.internal;

import io.mjpegrtp.api.CaptureException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.freedesktop.gstreamer.Bin;
import org.freedesktop.gstreamer.Bus;
import org.freedesktop.gstreamer.Caps;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.Gst;
import org.freedesktop.gstreamer.GstException;
import org.freedesktop.gstreamer.GstObject;
import org.freedesktop.gstreamer.Pad;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.State;
import org.freedesktop.gstreamer.StateChangeReturn;
import org.freedesktop.gstreamer.glib.GError;

/**
 * Asks a source element what it offers: in READY state a source such as {@code v4l2src} has opened its device, and
 * a caps query on its source pad lists the device's formats. The element sits in a pipeline of its own only so that
 * its errors ("Cannot identify device") arrive on a bus and can be reported.
 */
final class SourceProbe {
    private static final long BUS_WAIT_MILLIS = 2000;

    private SourceProbe() {
    }

    static List<String> caps(String source) throws CaptureException {
        Element element = parse(source);
        Pipeline pipeline = new Pipeline("probe");
        pipeline.add(element);
        Bus bus = pipeline.getBus();
        AtomicReference<String> firstError = new AtomicReference<>();
        CountDownLatch errorSeen = new CountDownLatch(1);
        Bus.ERROR onError = (GstObject from, int code, String message) -> {
            if (firstError.compareAndSet(null, name(from) + ": " + message)) {
                errorSeen.countDown();
            }
        };
        bus.connect(onError);
        try {
            if (pipeline.setState(State.READY) == StateChangeReturn.FAILURE) {
                // The error message comes through the bus, asynchronously.
                try {
                    errorSeen.await(BUS_WAIT_MILLIS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                String error = firstError.get();
                throw new CaptureException("gstreamer: cannot open \"" + source + "\""
                        + (error == null ? "" : ": " + error));
            }
            Pad pad = element.getStaticPad("src");
            if (pad == null && !element.getSrcPads().isEmpty()) {
                pad = element.getSrcPads().get(0);
            }
            if (pad == null) {
                throw new CaptureException("gstreamer: \"" + source + "\" has no source pad; it must be a source "
                        + "element such as v4l2src");
            }
            Caps caps = pad.queryCaps(null);
            try {
                List<String> structures = new ArrayList<>(caps.size());
                for (int i = 0; i < caps.size(); i++) {
                    // GStreamer 1.20+ ends a printed structure with ';' (older ones do not): entries stay alike.
                    String structure = caps.getStructure(i).toString().strip();
                    structures.add(structure.endsWith(";") ? structure.substring(0, structure.length() - 1)
                            : structure);
                }
                return structures;
            } finally {
                caps.dispose();
            }
        } finally {
            bus.disconnect(onError);
            pipeline.setState(State.NULL); // closes the device again
            bus.dispose();
            pipeline.dispose();
        }
    }

    private static Element parse(String source) throws CaptureException {
        List<GError> errors = new ArrayList<>();
        Element parsed;
        try {
            parsed = Gst.parseLaunch(source, errors);
        } catch (GstException e) {
            throw new CaptureException("gstreamer: cannot parse source \"" + source + "\": " + GstInit.oneLine(e), e);
        }
        if (!errors.isEmpty()) {
            parsed.dispose();
            throw new CaptureException("gstreamer: cannot parse source \"" + source + "\": "
                    + errors.get(0).getMessage());
        }
        if (parsed instanceof Bin) {
            parsed.dispose();
            throw new CaptureException("gstreamer: \"" + source + "\" is a pipeline; give one source element such as "
                    + "v4l2src device=/dev/video0");
        }
        return parsed;
    }

    private static String name(GstObject source) {
        try {
            return source == null ? "pipeline" : source.getName();
        } catch (RuntimeException e) {
            return "pipeline";
        }
    }
}
