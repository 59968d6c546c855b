package io.mjpegrtp.launcher;

import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The command line of {@code bin/mjpeg-rtp}.
 *
 * @param http where the metrics/health server listens, {@code ADDRESS:PORT} or {@code off}
 * @param summarySeconds seconds between a camera's summary log lines, 0 for none
 */
record Options(Path home, Path config, Path data, Path sdp, boolean verbose, boolean noShell, boolean help,
        String http, long summarySeconds) {
    static final String DEFAULT_HTTP_ADDRESS = "127.0.0.1";
    static final int DEFAULT_HTTP_PORT = 9180;
    static final String USAGE = String.join(System.lineSeparator(),
            "usage: mjpeg-rtp [--config DIR] [--data DIR] [--sdp-dir DIR] [--http PORT|ADDRESS:PORT|off]",
            "                 [--http-address ADDRESS] [--summary SECONDS] [--verbose] [--no-shell]",
            "       mjpeg-rtp cmd [--data DIR] COMMAND...     run one shell command in the running mjpeg-rtp",
            "       mjpeg-rtp import-toml FILE [--to DIR] [--force]   camera files from an old config.toml",
            "  --config DIR      camera files (mjpeg.camera-<name>.cfg), watched; default: <home>/config",
            "  --data DIR        runtime state (OSGi cache, control socket); default: <home>/data",
            "  --sdp-dir DIR     where <camera>.sdp files are written; default: <home>/sdp",
            "  --http ...        metrics (/metrics) and health (/health) over HTTP; default: 127.0.0.1:9180",
            "  --http-address A  the address the HTTP server binds; default: 127.0.0.1 (loopback only)",
            "  --summary S       a summary line per camera every S seconds (0: none); default: 60",
            "  --verbose         debug logging",
            "  --no-shell        no interactive Gogo shell (also when stdin is not a terminal)",
            "  --help            this text");

    static Options parse(Path home, String[] args) {
        Path config = home.resolve("config");
        Path data = home.resolve("data");
        Path sdp = home.resolve("sdp");
        boolean verbose = false;
        boolean noShell = false;
        boolean help = false;
        String http = null;
        String httpAddress = null;
        long summary = 60;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--config" -> config = Paths.get(value(args, ++i, a, "a directory"));
                case "--data" -> data = Paths.get(value(args, ++i, a, "a directory"));
                case "--sdp-dir" -> sdp = Paths.get(value(args, ++i, a, "a directory"));
                case "--http" -> http = value(args, ++i, a, "PORT, ADDRESS:PORT or off");
                case "--http-address" -> httpAddress = value(args, ++i, a, "an address");
                case "--summary" -> summary = seconds(value(args, ++i, a, "a number of seconds"));
                case "--verbose", "-v" -> verbose = true;
                case "--no-shell" -> noShell = true;
                case "--help", "-h" -> help = true;
                default -> throw new IllegalArgumentException("unknown option '" + a + "'");
            }
        }
        return new Options(home, config.toAbsolutePath().normalize(), data.toAbsolutePath().normalize(),
                sdp.toAbsolutePath().normalize(), verbose, noShell, help, http(http, httpAddress), summary);
    }

    /** The control socket of a runtime using {@code data}: {@code bin/mjpeg-rtp cmd} connects to it. */
    static Path controlSocket(Path data) {
        return data.resolve("control").resolve("mjpeg-rtp.sock");
    }

    /** {@code off} or {@code ADDRESS:PORT} (IPv6 in brackets), from {@code --http} and {@code --http-address}. */
    static String http(String http, String address) {
        if ("off".equals(http)) {
            return "off";
        }
        String host = null;
        int port = DEFAULT_HTTP_PORT;
        if (http != null) {
            String p = http;
            if (http.startsWith("[") && http.contains("]:")) {
                host = http.substring(1, http.indexOf("]:"));
                p = http.substring(http.indexOf("]:") + 2);
            } else if (http.indexOf(':') > 0 && http.indexOf(':') == http.lastIndexOf(':')) {
                host = http.substring(0, http.indexOf(':'));
                p = http.substring(http.indexOf(':') + 1);
            }
            try {
                port = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("--http '" + http
                        + "' is not valid; accepted: PORT, ADDRESS:PORT, [IPv6]:PORT (port 1..65535) or off");
            }
        }
        if (address != null) {
            if (host != null && !host.equals(address)) {
                throw new IllegalArgumentException("--http " + http + " and --http-address " + address
                        + " name two addresses");
            }
            host = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1)
                    : address;
        }
        if (host == null || host.isBlank()) {
            host = DEFAULT_HTTP_ADDRESS;
        }
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    private static long seconds(String s) {
        try {
            long v = Long.parseLong(s);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("--summary '" + s + "' is not valid; accepted: whole seconds, 0 for none");
    }

    private static String value(String[] args, int i, String option, String what) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(option + " needs " + what);
        }
        return args[i];
    }
}
