package io.mjpegrtp.benchmarks;

import io.mjpegrtp.api.CameraCounters;
import io.mjpegrtp.api.Frame;
import io.mjpegrtp.api.FrameRejectedException;
import io.mjpegrtp.api.Transport;
import io.mjpegrtp.api.TransportRequest;
import io.mjpegrtp.transport.udp.internal.UdpTransportFactory;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One 1920x1080 frame (quality 85, 4:2:0) through the UDP transport to a loopback socket that is bound but never
 * read (the kernel drops what does not fit, without ICMP errors): JPEG check, packetizing at MTU 1400 and the
 * system calls. {@code send=sendmmsg} batches up to 64 packets per call, {@code send=sendmsg} is one gathering write
 * per packet ({@code -Dmjpeg.udp.sendmmsg=false}; JMH forks a JVM per parameter set, so the switch takes). The frame
 * is one buffer object, direct (mapped capture memory) or heap; {@code gc.alloc.rate.norm} is bytes per frame.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class UdpSendBenchmark {
    @Param({"sendmmsg", "sendmsg"})
    public String send;

    @Param({"direct", "heap"})
    public String memory;

    private DatagramSocket sink;
    private Transport transport;
    private Frame frame;

    @Setup
    public void setup() throws IOException {
        System.setProperty("mjpeg.udp.sendmmsg", Boolean.toString(send.equals("sendmmsg")));
        byte[] jpeg = Pictures.cjpeg(1920, 1080, "-quality", "85", "-sample", "2x2");
        ByteBuffer data = memory.equals("direct") ? ByteBuffer.allocateDirect(jpeg.length).put(jpeg).flip()
                : ByteBuffer.wrap(jpeg);
        frame = new Frame(data, 0, 0, null);
        sink = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        transport = new UdpTransportFactory().open(new TransportRequest("bench", "127.0.0.1", sink.getLocalPort(), 1400,
                0, "off", 240, 1920, 1080, null), new CameraCounters("bench"));
        System.out.println("\n" + send + ", " + memory + ": " + jpeg.length + " bytes per frame");
    }

    @TearDown
    public void tearDown() {
        transport.close();
        sink.close();
    }

    @Benchmark
    public Transport sendFrame() throws FrameRejectedException {
        transport.send(frame);
        return transport;
    }
}
