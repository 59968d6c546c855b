package io.mjpegrtp.gstreamer.internal;

import io.mjpegrtp.api.Availability;
import io.mjpegrtp.api.Capture;
import io.mjpegrtp.api.CaptureException;
import io.mjpegrtp.api.FrameSink;
import io.mjpegrtp.gstreamer.GStreamer;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.freedesktop.gstreamer.ElementFactory;
import org.osgi.service.component.annotations.Component;

/**
 * The {@link GStreamer} service. Outside OSGi (tests) it is constructed directly; every instance shares the one
 * initialisation of the JVM.
 */
@Component(service = GStreamer.class)
public final class GStreamerService implements GStreamer {
    private final Map<String, Boolean> elements = new ConcurrentHashMap<>();

    public GStreamerService() {
        GstInit.ensure();
    }

    @Override
    public Availability availability() {
        return GstInit.ensure();
    }

    @Override
    public boolean hasElement(String factoryName) {
        if (!availability().available()) {
            return false;
        }
        return elements.computeIfAbsent(factoryName, GStreamerService::find);
    }

    private static boolean find(String name) {
        try {
            ElementFactory factory = ElementFactory.find(name);
            factory.dispose();
            return true;
        } catch (IllegalArgumentException e) {
            return false; // "No such Gstreamer factory"
        }
    }

    @Override
    public List<String> sourceCaps(String source) throws CaptureException {
        Availability availability = availability();
        if (!availability.available()) {
            throw new CaptureException(availability.reason());
        }
        return SourceProbe.caps(source);
    }

    @Override
    public Capture start(String camera, String description, FrameSink sink) throws CaptureException {
        Availability availability = availability();
        if (!availability.available()) {
            throw new CaptureException(availability.reason());
        }
        return AppSinkCapture.start(camera, description, sink);
    }
}
