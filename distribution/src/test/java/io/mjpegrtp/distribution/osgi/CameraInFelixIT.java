package io.mjpegrtp.distribution.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.mjpegrtp.api.Camera;
import io.mjpegrtp.api.CameraState;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

/**
 * The distribution's bundles, exactly as {@code target/mjpeg-rtp/system/} holds them, in Apache Felix (Pax Exam
 * native container): a camera configured through Configuration Admin streams RFC 2435 RTP/JPEG to a UDP socket
 * of the test's, is visible as a {@link Camera} service, and stops when its configuration is deleted.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CameraInFelixIT {
    private static final String FACTORY_PID = "mjpeg.camera";
    private static final String NAME = "paxcam";
    private static final long RECEIVE_WINDOW_MILLIS = 10_000;
    private static final int WANTED_FRAMES = 5;

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Inject
    private ServiceComponentRuntime scr;

    /** Runs in the test JVM: provisions every jar of the distribution's system/ folder by file URL. */
    @Configuration
    public Option[] configuration() throws IOException {
        return DistributionInFelix.options();
    }

    @Test
    public void configuredCameraStreamsRtpJpegAndStopsWhenItsConfigurationIsDeleted() throws Exception {
        assertAllBundlesActive();
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            int port = socket.getLocalPort();
            org.osgi.service.cm.Configuration configuration = configurationAdmin.getFactoryConfiguration(FACTORY_PID,
                    NAME, "?");
            try {
                Dictionary<String, Object> properties = new Hashtable<>();
                properties.put("name", NAME);
                properties.put("backend", "testpattern");
                properties.put("width", 320);
                properties.put("height", 240);
                properties.put("framerate", 15);
                properties.put("destination", "127.0.0.1:" + port);
                configuration.update(properties);

                List<RtpJpegPacket> packets = receiveFrames(socket, WANTED_FRAMES, RECEIVE_WINDOW_MILLIS,
                        this::components);
                assertRfc2435(packets);

                ServiceReference<Camera> ref = DistributionInFelix.awaitCamera(context, NAME, 10_000);
                assertNotNull("no " + Camera.class.getName() + " service named " + NAME + "; cameras: " + cameraNames(),
                        ref);
                Camera camera = context.getService(ref);
                try {
                    assertNotNull("the Camera service " + NAME + " went away", camera);
                    assertEquals(NAME, camera.name());
                    CameraState state = DistributionInFelix.awaitState(camera, CameraState.STREAMING, 10_000);
                    assertEquals("camera state (" + camera.status() + ")", CameraState.STREAMING, state);
                    assertEquals(320, camera.status().width());
                    assertEquals(240, camera.status().height());
                    assertEquals(15, camera.status().framerate());
                } finally {
                    context.ungetService(ref);
                }
            } finally {
                deleteQuietly(configuration);
            }

            // The configuration is gone: the camera's service goes, and so does its stream.
            long deadline = System.currentTimeMillis() + 10_000;
            while (DistributionInFelix.findCamera(context, NAME) != null && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertEquals("a Camera service named " + NAME + " after its configuration was deleted", null,
                    DistributionInFelix.findCamera(context, NAME));
            int late = drain(socket, 200, 5_000);
            socket.setSoTimeout(2_000);
            DatagramPacket probe = new DatagramPacket(new byte[65_536], 65_536);
            assertThrows("RTP packets still arrive 2 s after the camera went (" + late + " drained after deletion)",
                    SocketTimeoutException.class, () -> socket.receive(probe));
        }
    }

    // ---------------------------------------------------------------- RTP/JPEG

    /** The fields of one RTP packet with an RFC 2435 JPEG payload that the test checks. */
    static final class RtpJpegPacket {
        int version;
        boolean marker;
        int payloadType;
        int sequence;
        long timestamp;
        long ssrc;
        int fragmentOffset;
        int type;
        int q;
        int width;
        int height;
        /** Quantization table header, present when Q >= 128 and the fragment offset is 0; -1 when absent. */
        int qtMbz = -1;
        int qtPrecision = -1;
        int qtLength = -1;
        int qtBytesPresent;

        @Override
        public String toString() {
            return "RTP v" + version + " pt=" + payloadType + " m=" + marker + " seq=" + sequence + " ts=" + timestamp
                    + " ssrc=" + Long.toHexString(ssrc) + " off=" + fragmentOffset + " type=" + type + " q=" + q
                    + " " + width + "x" + height + (qtLength >= 0 ? " qt(mbz=" + qtMbz + ",p=" + qtPrecision + ",len="
                    + qtLength + ")" : "");
        }
    }

    static RtpJpegPacket parse(byte[] data, int length) {
        ByteBuffer b = ByteBuffer.wrap(data, 0, length);
        RtpJpegPacket p = new RtpJpegPacket();
        if (length < 12) {
            fail("a " + length + "-byte UDP datagram is no RTP packet");
        }
        int b0 = b.get() & 0xff;
        int b1 = b.get() & 0xff;
        p.version = b0 >>> 6;
        boolean padding = (b0 & 0x20) != 0;
        boolean extension = (b0 & 0x10) != 0;
        int csrcs = b0 & 0x0f;
        p.marker = (b1 & 0x80) != 0;
        p.payloadType = b1 & 0x7f;
        p.sequence = b.getShort() & 0xffff;
        p.timestamp = b.getInt() & 0xffffffffL;
        p.ssrc = b.getInt() & 0xffffffffL;
        b.position(b.position() + 4 * csrcs);
        if (extension) {
            b.getShort();
            int words = b.getShort() & 0xffff;
            b.position(b.position() + 4 * words);
        }
        int end = length;
        if (padding) {
            end -= data[length - 1] & 0xff;
        }
        if (end - b.position() < 8) {
            fail("no room for the 8-byte JPEG header in " + length + " bytes");
        }
        b.get(); // type-specific
        p.fragmentOffset = ((b.get() & 0xff) << 16) | ((b.get() & 0xff) << 8) | (b.get() & 0xff);
        p.type = b.get() & 0xff;
        p.q = b.get() & 0xff;
        p.width = b.get() & 0xff;
        p.height = b.get() & 0xff;
        if (p.type >= 64 && p.type <= 127) {
            b.position(b.position() + 4); // restart marker header
        }
        if (p.q >= 128 && p.fragmentOffset == 0 && end - b.position() >= 4) {
            p.qtMbz = b.get() & 0xff;
            p.qtPrecision = b.get() & 0xff;
            p.qtLength = b.getShort() & 0xffff;
            p.qtBytesPresent = end - b.position();
        }
        return p;
    }

    /** Receives until {@code frames} frames have ended (marker bit) after a frame start, or the window closes. */
    private static List<RtpJpegPacket> receiveFrames(DatagramSocket socket, int frames, long windowMillis,
            Supplier<String> diagnostics) throws IOException {
        List<RtpJpegPacket> packets = new ArrayList<>();
        byte[] buffer = new byte[65_536];
        long deadline = System.currentTimeMillis() + windowMillis;
        boolean started = false;
        int ended = 0;
        while (ended < frames) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                break;
            }
            socket.setSoTimeout((int) left);
            DatagramPacket datagram = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(datagram);
            } catch (SocketTimeoutException e) {
                break;
            }
            RtpJpegPacket p = parse(datagram.getData(), datagram.getLength());
            packets.add(p);
            started |= p.fragmentOffset == 0;
            if (started && p.marker) {
                ended++;
            }
        }
        if (packets.isEmpty()) {
            fail("no RTP packet arrived within " + windowMillis + " ms; components: " + diagnostics.get());
        }
        return packets;
    }

    private static void assertRfc2435(List<RtpJpegPacket> packets) {
        String seen = packets.size() + " packets, first: " + packets.subList(0, Math.min(5, packets.size()));
        long ssrc = packets.get(0).ssrc;
        boolean anyMarker = false;
        boolean anyFrameStart = false;
        for (RtpJpegPacket p : packets) {
            assertEquals("RTP version of " + p, 2, p.version);
            assertEquals("payload type (26 = JPEG) of " + p, 26, p.payloadType);
            assertEquals("SSRC of " + p + " (all packets share the first one's)", ssrc, p.ssrc);
            assertEquals("JPEG type (1 = 4:2:0) of " + p, 1, p.type);
            assertEquals("JPEG width field (320/8) of " + p, 40, p.width);
            assertEquals("JPEG height field (240/8) of " + p, 30, p.height);
            assertEquals("Q (255 = tables in band, may change per frame) of " + p, 255, p.q);
            anyMarker |= p.marker;
            if (p.fragmentOffset == 0) {
                anyFrameStart = true;
                assertTrue("no quantization table header in " + p, p.qtLength >= 0);
                assertEquals("quantization table header MBZ of " + p, 0, p.qtMbz);
                assertEquals("quantization table precision of " + p, 0, p.qtPrecision);
                assertEquals("quantization table length (two 8-bit tables) of " + p, 128, p.qtLength);
                assertTrue("the 128 table bytes do not fit in " + p, p.qtBytesPresent >= 128);
            }
        }
        assertTrue("no packet with the marker bit (" + seen + ")", anyMarker);
        assertTrue("no packet with fragment offset 0 (" + seen + ")", anyFrameStart);
    }

    /** Reads datagrams until none arrives for {@code quietMillis}, for at most {@code maxMillis}; returns how many. */
    private static int drain(DatagramSocket socket, int quietMillis, long maxMillis) throws IOException {
        socket.setSoTimeout(quietMillis);
        DatagramPacket datagram = new DatagramPacket(new byte[65_536], 65_536);
        long deadline = System.currentTimeMillis() + maxMillis;
        int count = 0;
        while (System.currentTimeMillis() < deadline) {
            try {
                socket.receive(datagram);
                count++;
            } catch (SocketTimeoutException e) {
                break;
            }
        }
        return count;
    }

    // ---------------------------------------------------------------- OSGi

    /**
     * Every bundle of the framework is active, except fragments and the OSGi API jars that the distribution's
     * system/ carries as plain dependencies and that declare themselves unresolvable ({@code osgi.unresolvable}).
     */
    private void assertAllBundlesActive() {
        List<String> notActive = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            String requires = b.getHeaders().get("Require-Capability");
            boolean unresolvable = requires != null && requires.contains("osgi.unresolvable");
            System.out.println("[CameraInFelixIT] bundle " + b.getBundleId() + " " + b.getSymbolicName() + " "
                    + b.getVersion() + " state=" + b.getState() + (unresolvable ? " (osgi.unresolvable)" : ""));
            if (b.getHeaders().get("Fragment-Host") == null && !unresolvable && b.getState() != Bundle.ACTIVE) {
                notActive.add(b.getSymbolicName() + " " + b.getVersion() + " (state " + b.getState() + ")");
            }
        }
        assertTrue("bundles not active: " + notActive, notActive.isEmpty());
    }

    /** The io.mjpegrtp components and their configurations as SCR sees them, for failure messages. */
    private String components() {
        StringBuilder b = new StringBuilder();
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            if (!d.bundle.symbolicName.startsWith("io.mjpegrtp.")) {
                continue;
            }
            b.append("\n  ").append(d.name).append(" (").append(d.bundle.symbolicName).append(", enabled=")
                    .append(scr.isComponentEnabled(d)).append(")");
            for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                b.append("\n    state=").append(stateName(c.state)).append(" pid=").append(c.properties.get("service.pid"));
                for (UnsatisfiedReferenceDTO u : c.unsatisfiedReferences) {
                    b.append(" unsatisfied=").append(u.name).append(u.target == null ? "" : " " + u.target);
                }
                if (c.failure != null) {
                    b.append(" failure=").append(c.failure);
                }
            }
        }
        return b.toString();
    }

    private static String stateName(int state) {
        switch (state) {
            case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION:
                return "UNSATISFIED_CONFIGURATION";
            case ComponentConfigurationDTO.UNSATISFIED_REFERENCE:
                return "UNSATISFIED_REFERENCE";
            case ComponentConfigurationDTO.SATISFIED:
                return "SATISFIED (not activated)";
            case ComponentConfigurationDTO.ACTIVE:
                return "ACTIVE";
            case ComponentConfigurationDTO.FAILED_ACTIVATION:
                return "FAILED_ACTIVATION";
            default:
                return String.valueOf(state);
        }
    }

    private List<String> cameraNames() throws Exception {
        List<String> names = new ArrayList<>();
        for (ServiceReference<Camera> ref : context.getServiceReferences(Camera.class, null)) {
            Camera camera = context.getService(ref);
            names.add(camera == null ? "?" : camera.name());
            context.ungetService(ref);
        }
        return names;
    }

    private static void deleteQuietly(org.osgi.service.cm.Configuration configuration) {
        try {
            Optional.ofNullable(configuration).ifPresent(c -> {
                try {
                    c.delete();
                } catch (IOException | IllegalStateException e) {
                    // already deleted
                }
            });
        } catch (RuntimeException e) {
            // best effort: the framework goes away with the test
        }
    }
}
