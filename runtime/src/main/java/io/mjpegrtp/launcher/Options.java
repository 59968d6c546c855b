package io.mjpegrtp.launcher;

import java.nio.file.Path;
import java.nio.file.Paths;

/** The command line of {@code bin/mjpeg-rtp}. */
record Options(Path home, Path config, Path data, Path sdp, boolean verbose, boolean noShell, boolean help) {
    static final String USAGE = String.join(System.lineSeparator(),
            "usage: mjpeg-rtp [--config DIR] [--data DIR] [--sdp-dir DIR] [--verbose] [--no-shell]",
            "  --config DIR   camera files (mjpeg.camera-<name>.cfg), watched; default: <home>/config",
            "  --data DIR     runtime state (OSGi cache); default: <home>/data",
            "  --sdp-dir DIR  where <camera>.sdp files are written; default: <home>/sdp",
            "  --verbose      debug logging",
            "  --no-shell     no interactive Gogo shell (also when stdin is not a terminal)",
            "  --help         this text");

    static Options parse(Path home, String[] args) {
        Path config = home.resolve("config");
        Path data = home.resolve("data");
        Path sdp = home.resolve("sdp");
        boolean verbose = false;
        boolean noShell = false;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--config" -> config = Paths.get(value(args, ++i, a));
                case "--data" -> data = Paths.get(value(args, ++i, a));
                case "--sdp-dir" -> sdp = Paths.get(value(args, ++i, a));
                case "--verbose", "-v" -> verbose = true;
                case "--no-shell" -> noShell = true;
                case "--help", "-h" -> help = true;
                default -> throw new IllegalArgumentException("unknown option '" + a + "'");
            }
        }
        return new Options(home, config.toAbsolutePath().normalize(), data.toAbsolutePath().normalize(),
                sdp.toAbsolutePath().normalize(), verbose, noShell, help);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a directory");
        }
        return args[i];
    }
}
