package io.mjpegrtp.api;

import java.io.IOException;

/**
 * Opens transports of one kind, registered as an OSGi service with the property {@value #PROPERTY} naming it
 * ({@code transport=udp}).
 */
public interface TransportFactory {
    /** The service property that names a transport. */
    String PROPERTY = "transport";

    Availability availability();

    /** Opens a transport for one camera; its counters are fed into {@code counters}. */
    Transport open(TransportRequest request, CameraCounters counters) throws IOException;
}
