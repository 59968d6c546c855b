package io.mjpegrtp.transport.udp.internal;

import io.mjpegrtp.api.Availability;
import io.mjpegrtp.api.CameraCounters;
import io.mjpegrtp.api.Transport;
import io.mjpegrtp.api.TransportFactory;
import io.mjpegrtp.api.TransportRequest;
import java.io.IOException;
import org.osgi.service.component.annotations.Component;

/** RTP/JPEG (RFC 2435) over UDP, unicast or multicast. */
@Component(service = TransportFactory.class, property = TransportFactory.PROPERTY + "=udp")
public final class UdpTransportFactory implements TransportFactory {
    @Override
    public Availability availability() {
        return Availability.yes("RTP/JPEG over UDP, unicast and multicast");
    }

    @Override
    public Transport open(TransportRequest request, CameraCounters counters) throws IOException {
        return new UdpTransport(request, counters);
    }
}
