package io.mjpegrtp.gstreamer.internal;

import io.mjpegrtp.api.Availability;

import org.freedesktop.gstreamer.Gst;
import org.freedesktop.gstreamer.Version;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Initialises GStreamer once per JVM (more precisely once per class loader of this bundle; {@code gst_init} itself
 * is idempotent, so a re-installed bundle initialising again is harmless). GStreamer is never de-initialised:
 * {@code gst_deinit} cannot be undone within a process.
 */
final class GstInit {
    /** Oldest GStreamer asked for: Debian 10 / Raspberry Pi OS buster ship 1.14. */
    static final Version REQUIRED = Version.of(1, 14);
    private static final Logger LOG = LoggerFactory.getLogger(GstInit.class);
    private static Availability state;

    private GstInit() {
    }

    /** Initialises GStreamer on the first call; every call returns the outcome of that first one. */
    static synchronized Availability ensure() {
        if (state != null) {
            return state;
        }
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // Gst.init consults ServiceLoader with the context class loader; in OSGi that must be this bundle's.
        thread.setContextClassLoader(GstInit.class.getClassLoader());
        try {
            if (!Gst.isInitialized()) {
                Gst.init(REQUIRED, "mjpeg-rtp");
            }
            state = Availability.yes("GStreamer " + Gst.getVersionString().replaceFirst("^GStreamer ", ""));
            LOG.info("gstreamer: initialised {}", state.reason());
        } catch (LinkageError | RuntimeException e) {
            // UnsatisfiedLinkError (no libgstreamer-1.0 / libjnidispatch), GstException (gst_init_check failed)...
            state = Availability.no("GStreamer not installed: " + oneLine(e));
            LOG.warn("gstreamer: cannot be used here: {}", oneLine(e));
        } finally {
            thread.setContextClassLoader(previous);
        }
        return state;
    }

    static String oneLine(Throwable t) {
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            message = t.getClass().getSimpleName();
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message.strip() : message.substring(0, newline).strip();
    }
}
