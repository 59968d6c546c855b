package io.mjpegrtp.launcher;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts Felix with every bundle in {@code system/}, watches {@code config/} (camera files) and {@code plugins/}
 * (bundles) with fileinstall, and stops cleanly on SIGTERM or Ctrl-C. Two sub-commands run without Felix:
 * {@code cmd} sends one shell command to a running runtime ({@link ControlClient}), {@code import-toml} converts
 * the configuration of the earlier Go/Rust streamers ({@link TomlImport}).
 */
public final class Main {
    static final String VERSION = Main.class.getPackage().getImplementationVersion() == null
            ? "dev" : Main.class.getPackage().getImplementationVersion();
    private static final String SLF4J_VERSION = "2.0.17";

    private Main() {
    }

    public static void main(String[] args) {
        Path home = Paths.get(System.getProperty("mjpeg.home", ".")).toAbsolutePath().normalize();
        if (args.length > 0 && args[0].equals("cmd")) {
            System.exit(ControlClient.run(home, java.util.Arrays.copyOfRange(args, 1, args.length)));
            return;
        }
        if (args.length > 0 && args[0].equals("import-toml")) {
            System.exit(TomlImport.run(home, java.util.Arrays.copyOfRange(args, 1, args.length)));
            return;
        }
        Options options;
        try {
            options = Options.parse(home, args);
        } catch (IllegalArgumentException e) {
            System.err.println("mjpeg-rtp: " + e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(Options.USAGE);
            return;
        }
        configureLogging(options.verbose());
        Logger log = LoggerFactory.getLogger("mjpeg.runtime");
        try {
            Framework framework = start(options, log);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(framework, log), "mjpeg-shutdown"));
            FrameworkEvent end = framework.waitForStop(0);
            if (end.getType() == FrameworkEvent.ERROR) {
                log.error("framework stopped with an error", end.getThrowable());
                System.exit(1);
            }
            System.exit(0);
        } catch (Exception e) {
            log.error("mjpeg-rtp could not start: {}", e.toString(), e);
            System.exit(1);
        }
    }

    /** slf4j-simple reads its settings from system properties once, so they are set before the first logger. */
    private static void configureLogging(boolean verbose) {
        setDefault("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "debug" : "info");
        setDefault("org.slf4j.simpleLogger.showDateTime", "true");
        setDefault("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd HH:mm:ss.SSS");
        setDefault("org.slf4j.simpleLogger.showThreadName", "false");
        setDefault("org.slf4j.simpleLogger.logFile", "System.out");
        // The stdout of now, not System.out at each line: Gogo swaps System.out for the output of a command's
        // thread, and a log line made while a command runs belongs in the log, not in the command's output.
        setDefault("org.slf4j.simpleLogger.cacheOutputStream", "true");
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    static Framework start(Options o, Logger log) throws BundleException, IOException, InterruptedException {
        Path system = o.home().resolve("system");
        Path plugins = o.home().resolve("plugins");
        if (!Files.isDirectory(system)) {
            throw new IOException(system + " is missing: is mjpeg.home (" + o.home() + ") a distribution?");
        }
        Files.createDirectories(o.config());
        Files.createDirectories(o.data());
        Files.createDirectories(o.sdp());
        Files.createDirectories(plugins);
        boolean shell = !o.noShell() && System.console() != null;

        Map<String, String> p = new HashMap<>();
        p.put(Constants.FRAMEWORK_STORAGE, o.data().resolve("felix-cache").toString());
        // The files are the truth: a clean cache at every start means configurations come only from config/.
        p.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        p.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, String.join(",",
                "org.slf4j;version=" + SLF4J_VERSION, "org.slf4j.spi;version=" + SLF4J_VERSION,
                "org.slf4j.event;version=" + SLF4J_VERSION, "org.slf4j.helpers;version=" + SLF4J_VERSION,
                // the JDK's HTTP server (metrics bundle) and SO_PEERCRED (the shell's control socket)
                "com.sun.net.httpserver", "jdk.net"));
        p.put("felix.log.level", o.verbose() ? "3" : "1");
        p.put("ds.loglevel", o.verbose() ? "info" : "warn");
        p.put("felix.fileinstall.dir", o.config().toString());
        p.put("felix.fileinstall.filter", ".*\\.(cfg|config)");
        p.put("felix.fileinstall.poll", "500");
        p.put("felix.fileinstall.noInitialDelay", "true");
        // The user's files are never rewritten by fileinstall: its write-back raced with its own reading and
        // left a camera file empty (seen here), and would drop the user's comments.
        p.put("felix.fileinstall.enableConfigSave", "false");
        p.put("felix.fileinstall.log.level", o.verbose() ? "4" : "2");
        p.put("gosh.args", shell ? "" : "--nointeractive");
        p.put("mjpeg.home", o.home().toString());
        p.put("mjpeg.config.dir", o.config().toString());
        p.put("mjpeg.sdp.dir", o.sdp().toString());
        p.put("mjpeg.verbose", Boolean.toString(o.verbose()));
        p.put("mjpeg.http", o.http());
        p.put("mjpeg.summary.seconds", Long.toString(o.summarySeconds()));
        p.put("mjpeg.control.socket", Options.controlSocket(o.data()).toString());

        Framework framework = new FrameworkFactory().newFramework(p);
        framework.init();
        BundleContext ctx = framework.getBundleContext();
        List<Bundle> installed = new ArrayList<>();
        try (Stream<Path> jars = Files.list(system)) {
            for (Path jar : jars.filter(j -> j.toString().endsWith(".jar")).sorted().toList()) {
                installed.add(ctx.installBundle(jar.toUri().toString()));
            }
        }
        framework.start();
        for (Bundle b : installed) {
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                try {
                    b.start();
                } catch (BundleException e) {
                    log.error("bundle {} did not start: {}", b.getSymbolicName(), e.getMessage());
                }
            }
        }
        watchPlugins(ctx, plugins, log);
        log.info("mjpeg-rtp {} started: cameras from {}, plugins from {}, SDP files in {}{}", VERSION, o.config(),
                plugins, o.sdp(), shell ? " (type 'help' for commands, Ctrl-C to quit)" : "");
        return framework;
    }

    /**
     * A second fileinstall watcher, for plugins/: fileinstall takes one directory from framework properties and
     * more through its factory configuration, which is made here through Configuration Admin.
     */
    private static void watchPlugins(BundleContext ctx, Path plugins, Logger log) throws InterruptedException {
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(ctx, "org.osgi.service.cm.ConfigurationAdmin", null);
        tracker.open();
        try {
            Object configAdmin = tracker.waitForService(10_000);
            ServiceReference<Object> ref = tracker.getServiceReference();
            if (configAdmin == null || ref == null) {
                log.error("Configuration Admin is not running: plugins/ is not watched");
                return;
            }
            Class<?> api = ref.getBundle().loadClass("org.osgi.service.cm.ConfigurationAdmin");
            Object configuration = api.getMethod("createFactoryConfiguration", String.class, String.class)
                    .invoke(configAdmin, "org.apache.felix.fileinstall", "?");
            Dictionary<String, Object> props = new Hashtable<>();
            props.put("felix.fileinstall.dir", plugins.toString());
            props.put("felix.fileinstall.filter", ".*\\.jar");
            props.put("felix.fileinstall.poll", "500");
            props.put("felix.fileinstall.noInitialDelay", "true");
            props.put("felix.fileinstall.bundles.new.start", "true");
            Method update = configuration.getClass().getMethod("update", Dictionary.class);
            update.setAccessible(true);
            update.invoke(configuration, props);
        } catch (ReflectiveOperationException e) {
            log.error("plugins/ is not watched: {}", e.toString());
        } finally {
            tracker.close();
        }
    }

    private static void stop(Framework framework, Logger log) {
        if (framework.getState() != Bundle.ACTIVE && framework.getState() != Bundle.STARTING) {
            return;
        }
        log.info("stopping");
        try {
            framework.stop();
            framework.waitForStop(1800);
        } catch (BundleException | InterruptedException e) {
            log.warn("stopping the framework: {}", e.toString());
        }
    }
}
