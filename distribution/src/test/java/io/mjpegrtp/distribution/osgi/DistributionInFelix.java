package io.mjpegrtp.distribution.osgi;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemPackages;

import io.mjpegrtp.api.Camera;
import io.mjpegrtp.api.CameraState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * What the Pax Exam tests share: the distribution's {@code system/} bundles provisioned into Felix as the launcher
 * runs them, and finding a camera's service by name.
 */
final class DistributionInFelix {
    private static final String SLF4J_VERSION = "2.0.17";

    private DistributionInFelix() {
    }

    /** The distribution folder the tests run against. */
    static Path home() {
        return Paths.get(System.getProperty("mjpeg.dist", "target/mjpeg-rtp")).toAbsolutePath();
    }

    /** The jar in {@code system/} whose file name starts with {@code prefix} (e.g. io.mjpegrtp.capture.testpattern-). */
    static Path systemJar(String prefix) throws IOException {
        try (Stream<Path> files = Files.list(home().resolve("system"))) {
            return files.filter(p -> p.getFileName().toString().startsWith(prefix)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no " + prefix + "*.jar in " + home().resolve("system")));
        }
    }

    /** Runs in the test JVM: provisions every jar of the distribution's system/ folder by file URL. */
    static Option[] options() throws IOException {
        Path dist = home();
        Path system = dist.resolve("system");
        List<Path> jars;
        try (Stream<Path> files = Files.list(system)) {
            jars = files.filter(p -> p.toString().endsWith(".jar")).sorted().collect(Collectors.toList());
        }
        if (jars.stream().noneMatch(p -> p.getFileName().toString().startsWith("io.mjpegrtp."))) {
            throw new IllegalStateException(system + " holds no io.mjpegrtp bundles: is the distribution assembled?");
        }
        // fileinstall is part of the distribution: give it an empty folder of the build's, not ./load.
        Path watched = dist.resolveSibling("paxexam-config");
        Files.createDirectories(watched);

        List<Option> options = new ArrayList<>();
        options.add(junitBundles());
        // As the launcher does: slf4j-api and slf4j-simple are on the class path, exported by the system bundle.
        options.add(systemPackages("org.slf4j;version=" + SLF4J_VERSION, "org.slf4j.spi;version=" + SLF4J_VERSION,
                "org.slf4j.event;version=" + SLF4J_VERSION, "org.slf4j.helpers;version=" + SLF4J_VERSION));
        options.add(frameworkProperty("gosh.args").value("--nointeractive"));
        options.add(frameworkProperty("ds.loglevel").value("warn"));
        options.add(frameworkProperty("felix.log.level").value("1"));
        options.add(frameworkProperty("felix.fileinstall.dir").value(watched.toString()));
        options.add(frameworkProperty("felix.fileinstall.filter").value(".*\\.(cfg|config)"));
        options.add(frameworkProperty("felix.fileinstall.poll").value("500"));
        options.add(frameworkProperty("felix.fileinstall.noInitialDelay").value("true"));
        for (Path jar : jars) {
            options.add(bundle("file:" + jar).start(!isFragment(jar)));
        }
        return options.toArray(new Option[0]);
    }

    private static boolean isFragment(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.getManifest() != null && file.getManifest().getMainAttributes().getValue("Fragment-Host") != null;
        }
    }

    /** The reference of the Camera service whose {@link Camera#name()} is {@code name}, or {@code null}. */
    static ServiceReference<Camera> findCamera(BundleContext context, String name) throws Exception {
        for (ServiceReference<Camera> ref : context.getServiceReferences(Camera.class, null)) {
            Camera camera = context.getService(ref);
            if (camera == null) {
                continue;
            }
            try {
                if (name.equals(camera.name())) {
                    return ref;
                }
            } finally {
                context.ungetService(ref);
            }
        }
        return null;
    }

    static ServiceReference<Camera> awaitCamera(BundleContext context, String name, long timeoutMillis)
            throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        ServiceReference<Camera> ref = findCamera(context, name);
        while (ref == null && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
            ref = findCamera(context, name);
        }
        return ref;
    }

    /** Deletes a camera's configuration and waits until its service is gone, so it sends nothing more. */
    static void deleteCamera(BundleContext context, org.osgi.service.cm.Configuration configuration, String name)
            throws Exception {
        configuration.delete();
        long deadline = System.currentTimeMillis() + 10_000;
        while (findCamera(context, name) != null && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
    }

    static CameraState awaitState(Camera camera, CameraState wanted, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        CameraState state = camera.status().state();
        while (state != wanted && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
            state = camera.status().state();
        }
        return state;
    }
}
