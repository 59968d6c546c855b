package io.mjpegrtp.distribution.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import io.mjpegrtp.api.Camera;
import io.mjpegrtp.api.CameraState;
import io.mjpegrtp.distribution.RtpReceiver;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The test pattern's bundle is updated, then uninstalled and installed again from its jar, 20 times while a camera
 * streams 640x480 at 30 fps from it to a loopback receiver: the camera streams again after each change, in the
 * same RTP session, and neither threads nor heap grow with the cycles (a capture thread, timer or class loader
 * kept by anyone would).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BackendChurnInFelixIT {
    private static final String NAME = "churn";
    private static final String BUNDLE = "io.mjpegrtp.capture.testpattern";
    private static final int CYCLES = 20;
    private static final int THREAD_MARGIN = 3;
    private static final long HEAP_MARGIN_BYTES = 8L << 20;
    private static final int FRAMES_AFTER_CHANGE = 10;

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Configuration
    public Option[] configuration() throws IOException {
        return DistributionInFelix.options();
    }

    @Test
    public void updatingAndReinstallingTheBackendUnderLoadLeaksNeitherThreadsNorMemory() throws Exception {
        try (RtpReceiver rx = RtpReceiver.open()) {
            org.osgi.service.cm.Configuration configuration = configurationAdmin.getFactoryConfiguration(
                    "mjpeg.camera", NAME, "?");
            try {
                Dictionary<String, Object> p = new Hashtable<>();
                p.put("name", NAME);
                p.put("backend", "testpattern");
                p.put("width", 640);
                p.put("height", 480);
                p.put("framerate", 30);
                p.put("destination", "127.0.0.1:" + rx.port());
                configuration.update(p);
                ServiceReference<Camera> ref = DistributionInFelix.awaitCamera(context, NAME, 20_000);
                assertNotNull("no camera " + NAME, ref);
                Camera camera = context.getService(ref);
                awaitStreaming(camera, rx, "before the first cycle");

                // One cycle first: what the first change loads once (classes, JIT, SCR's bookkeeping) is no leak.
                cycle(camera, rx, 0);
                int threadsBefore = threads();
                long heapBefore = usedHeapAfterGc();
                int classesBefore = ManagementFactory.getClassLoadingMXBean().getLoadedClassCount();
                System.out.printf("[BackendChurnInFelixIT] before: %d threads, %.1f MB heap used after GC, "
                        + "%d classes loaded%n", threadsBefore, heapBefore / 1048576.0, classesBefore);

                for (int i = 1; i <= CYCLES; i++) {
                    cycle(camera, rx, i);
                }

                int threadsAfter = threads();
                long heapAfter = usedHeapAfterGc();
                int classesAfter = ManagementFactory.getClassLoadingMXBean().getLoadedClassCount();
                System.out.printf("[BackendChurnInFelixIT] after %d cycles: %d threads (before %d), %.1f MB heap "
                        + "used after GC (before %.1f, %+.1f MB), %d classes loaded (before %d, %d unloaded in all)%n",
                        CYCLES, threadsAfter, threadsBefore, heapAfter / 1048576.0, heapBefore / 1048576.0,
                        (heapAfter - heapBefore) / 1048576.0, classesAfter, classesBefore,
                        ManagementFactory.getClassLoadingMXBean().getUnloadedClassCount());
                System.out.println("[BackendChurnInFelixIT] receiver: " + rx.summary());

                assertEquals("camera state after the cycles (" + camera.status() + ")", CameraState.STREAMING,
                        camera.status().state());
                assertTrue("threads grew from " + threadsBefore + " to " + threadsAfter + " over " + CYCLES
                        + " cycles: " + threadNames(), threadsAfter <= threadsBefore + THREAD_MARGIN);
                assertTrue(String.format("used heap grew from %.1f to %.1f MB over %d cycles", heapBefore / 1048576.0,
                        heapAfter / 1048576.0, CYCLES), heapAfter <= heapBefore + HEAP_MARGIN_BYTES);
                assertEquals("one RTP session (SSRC) through all changes of the backend bundle: " + rx.summary(), 1,
                        rx.ssrcs().size());
                context.ungetService(ref);
            } finally {
                DistributionInFelix.deleteCamera(context, configuration, NAME);
            }
        }
    }

    /** Updates the backend's bundle, then uninstalls and installs it again; the camera streams after each. */
    private void cycle(Camera camera, RtpReceiver rx, int i) throws Exception {
        Bundle backend = bundle();
        String location = backend.getLocation();
        backend.update();
        refresh(backend);
        awaitStreaming(camera, rx, "after update " + i);

        backend = bundle();
        backend.uninstall();
        refresh(backend);
        assertEquals("camera state without its backend (" + camera.status() + ")", CameraState.WAITING,
                DistributionInFelix.awaitState(camera, CameraState.WAITING, 10_000));
        assertTrue(camera.status().detail(), camera.status().detail().contains("waiting for backend testpattern"));
        context.installBundle(location).start();
        awaitStreaming(camera, rx, "after reinstall " + i);
    }

    private Bundle bundle() {
        for (Bundle b : context.getBundles()) {
            if (BUNDLE.equals(b.getSymbolicName()) && b.getState() != Bundle.UNINSTALLED) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + BUNDLE + " installed");
    }

    /** As fileinstall does after a change: let go of old revisions now, not at the next restart. */
    private void refresh(Bundle bundle) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(List.of(bundle), event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED || event.getType() == FrameworkEvent.ERROR) {
                done.countDown();
            }
        });
        assertTrue("the framework did not finish refreshing " + BUNDLE, done.await(30, TimeUnit.SECONDS));
    }

    /** Streaming, and frames that left after this moment arrive complete. */
    private static void awaitStreaming(Camera camera, RtpReceiver rx, String when) throws InterruptedException {
        assertEquals("camera state " + when + " (" + camera.status() + ")", CameraState.STREAMING,
                DistributionInFelix.awaitState(camera, CameraState.STREAMING, 20_000));
        int wanted = rx.frameCount() + FRAMES_AFTER_CHANGE;
        assertTrue("no " + FRAMES_AFTER_CHANGE + " frames " + when + ": " + rx.summary(),
                rx.awaitFrames(wanted, Duration.ofSeconds(20)) >= wanted);
    }

    private static int threads() throws InterruptedException {
        Thread.sleep(500); // threads of the last change that are ending now
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    private static String threadNames() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).sorted().toList().toString();
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(200);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
