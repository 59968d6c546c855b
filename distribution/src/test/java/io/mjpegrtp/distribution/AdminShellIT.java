package io.mjpegrtp.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mjpeg shell commands, run as a script runs them: {@code bin/mjpeg-rtp cmd --data DIR COMMAND} against the
 * running distribution, through its owner-only control socket.
 */
class AdminShellIT {
    static final String CAMERA_FILE = String.join("\n",
            "# The live camera: edited by mjpeg:set in the test; these comments must survive.",
            "backend = testpattern",
            "width = 320",
            "height = 240",
            "framerate = 10",
            "",
            "# network",
            "destination = 127.0.0.1:15700",
            "dscp = 0",
            "") ;

    @TempDir
    Path work;

    private Cli.Result cmd(String... command) throws Exception {
        String[] args = new String[command.length + 3];
        args[0] = "cmd";
        args[1] = "--data";
        args[2] = work.resolve("data").toString();
        System.arraycopy(command, 0, args, 3, command.length);
        Cli.Result r = Cli.run(RunningDistribution.HOME, args);
        System.out.println("$ mjpeg-rtp cmd " + String.join(" ", command) + "\n" + r);
        return r;
    }

    @Test
    void commandsRunInTheRunningRuntimeAndChangesArePersistedToTheCameraFile() throws Exception {
        Path config = work.resolve("config");
        Files.createDirectories(config);
        Path file = config.resolve("mjpeg.camera-live.cfg");
        Files.writeString(file, CAMERA_FILE);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-r--"));
        try (RunningDistribution d = new RunningDistribution(work, config, "--http", "off")) {
            d.awaitLine(l -> l.contains("live: streaming"), Duration.ofSeconds(30), "saying the camera streams");
            Path socket = work.resolve("data/control/mjpeg-rtp.sock");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)),
                    "only the runtime's user may connect");
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));

            Cli.Result cameras = cmd("mjpeg:cameras");
            assertEquals(0, cameras.exit(), cameras.toString());
            assertTrue(cameras.out().lines().anyMatch(l -> l.matches("live\\s+testpattern\\s+streaming\\s+320x240\\s+10"
                    + "\\s+udp://127\\.0\\.0\\.1:15700.*")), cameras.toString());

            Cli.Result stats = cmd("stats", "live"); // unscoped: the control session looks in scope mjpeg first
            assertEquals(0, stats.exit(), stats.toString());
            Matcher sent = Pattern.compile("frames sent\\s+(\\d+)").matcher(stats.out());
            assertTrue(sent.find() && Long.parseLong(sent.group(1)) > 0, stats.toString());
            assertTrue(cmd("mjpeg:stats").out().lines().anyMatch(l -> l.startsWith("live ")));
            assertTrue(cmd("mjpeg:sdp", "live").out().contains("m=video 15700 RTP/AVP 26"));
            assertTrue(cmd("mjpeg:backends").out().contains("testpattern"));
            assertTrue(cmd("mjpeg:transports").out().contains("udp"));

            Cli.Result help = cmd("help");
            for (String c : List.of("cameras", "stats", "start", "stop", "backend", "set", "sdp", "backends",
                    "transports")) {
                assertTrue(help.out().contains("mjpeg:" + c), "help lists mjpeg:" + c);
                Cli.Result h = cmd("help", "mjpeg:" + c);
                assertTrue(h.out().startsWith(c + " - ") && h.out().lines().findFirst().get().length() > c.length() + 10,
                        "mjpeg:" + c + " has a description: " + h);
            }

            // Refused: the camera's own rules, the file untouched, a failure for the script.
            byte[] before = Files.readAllBytes(file);
            Cli.Result bad = cmd("mjpeg:set", "live", "dscp", "99");
            assertEquals(1, bad.exit(), bad.toString());
            assertTrue(bad.err().contains("live: not changed: key 'dscp'") && bad.err().contains("0..63"), bad.toString());
            Cli.Result unknown = cmd("mjpeg:set", "live", "colour", "red");
            assertEquals(1, unknown.exit(), unknown.toString());
            assertTrue(unknown.err().contains("unknown key 'colour'"), unknown.toString());
            Cli.Result nobody = cmd("mjpeg:set", "nope", "dscp", "1");
            assertEquals(1, nobody.exit(), nobody.toString());
            assertTrue(nobody.err().contains("no camera named 'nope'"), nobody.toString());
            assertEquals(new String(before), Files.readString(file), "a refused change leaves the file as it was");

            // Accepted: one line changes in place, the camera follows, receivers get it at the new port.
            Cli.Result moved = cmd("mjpeg:set", "live", "destination", "127.0.0.1:15702");
            assertEquals(0, moved.exit(), moved.toString());
            assertEquals(CAMERA_FILE.replace("127.0.0.1:15700", "127.0.0.1:15702"), Files.readString(file));
            assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)),
                    "the runtime's file is not world-accessible and no longer group-writable");
            d.awaitLine(l -> l.contains("live: sending to udp://127.0.0.1:15702"), Duration.ofSeconds(5),
                    "following the new destination within 2 s of the command");
            // A long window and a low bar: this machine may be busy; a handful of decoded frames proves the move.
            assertTrue(Receivers.gstreamer(work, "moved", 15702, 3000).size() >= 3, "frames at the new port");
            d.awaitLine(l -> l.contains("INFO mjpeg.shell - live: destination set to '127.0.0.1:15702'"),
                    Duration.ofSeconds(1), "logging the change in the runtime's log");
            assertFalse(moved.out().contains("INFO"), "log lines stay in the log: " + moved);

            // A plugin's backend that is not installed (yet): accepted, saved, and the camera waits for it.
            Cli.Result rtsp = cmd("mjpeg:backend", "live", "rtsp");
            assertEquals(0, rtsp.exit(), rtsp.toString());
            assertTrue(rtsp.out().contains("backend rtsp is not installed"), rtsp.toString());
            assertTrue(Files.readString(file).contains("\nbackend = rtsp\n"));
            d.awaitLine(l -> l.contains("live: waiting for backend rtsp (not installed"), Duration.ofSeconds(5),
                    "waiting for the backend it was switched to");
            assertTrue(cmd("mjpeg:cameras").out().contains("waiting"));
            assertEquals(0, cmd("mjpeg:backend", "live", "testpattern").exit());
            d.awaitLine(l -> l.contains("live: streaming") && d.count(x -> x.contains("live: streaming")) >= 2,
                    Duration.ofSeconds(5), "streaming again after switching back");

            assertTrue(cmd("mjpeg:stop", "live").out().contains("live: stopped"));
            assertTrue(cmd("mjpeg:cameras").out().lines().anyMatch(l -> l.matches("live\\s+testpattern\\s+stopped.*")));
            assertEquals(0, cmd("mjpeg:start", "live").exit());
            d.awaitLine(l -> l.contains("live: streaming") && d.count(x -> x.contains("live: streaming")) >= 3,
                    Duration.ofSeconds(5), "streaming after mjpeg:start");

            watchStopsAtEnter();

            d.terminate();
            assertFalse(Files.exists(socket), "the socket goes away with the runtime");
        }
        Cli.Result gone = cmd("mjpeg:cameras");
        assertEquals(3, gone.exit(), gone.toString());
        assertTrue(gone.err().contains("no runtime answers"), gone.toString());
    }

    /** {@code mjpeg:stats --watch} refreshes every second until Enter, also through {@code cmd}. */
    private void watchStopsAtEnter() throws Exception {
        Process p = Cli.start(RunningDistribution.HOME, true, "cmd", "--data", work.resolve("data").toString(),
                "mjpeg:stats", "--watch", "live");
        StringBuffer seen = new StringBuffer();
        Thread reader = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                byte[] b = new byte[4096];
                int n;
                while ((n = in.read(b)) >= 0) {
                    seen.append(new String(b, 0, n, StandardCharsets.UTF_8));
                }
            } catch (java.io.IOException e) {
                // ended
            }
        });
        reader.start();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (count(seen.toString(), "press Enter to stop") < 3 && System.nanoTime() < end) {
            Thread.sleep(100);
        }
        assertTrue(count(seen.toString(), "press Enter to stop") >= 3, "three refreshes: " + seen);
        assertTrue(p.isAlive(), "still watching until Enter");
        p.getOutputStream().write('\n');
        p.getOutputStream().flush();
        assertTrue(p.waitFor(5, TimeUnit.SECONDS), "Enter ends the watch");
        assertEquals(0, p.exitValue());
        reader.join(2000);
        List<Long> frames = Pattern.compile("frames sent\\s+(\\d+)").matcher(seen).results()
                .map(m -> Long.parseLong(m.group(1))).toList();
        assertTrue(frames.get(frames.size() - 1) > frames.get(0), "the numbers move: " + frames);
        assertTrue(seen.toString().contains("\033[H\033[2J"), "each refresh clears the screen");
    }

    private static int count(String s, String what) {
        return s.split(Pattern.quote(what), -1).length - 1;
    }

    static boolean worldAccessible(Path p) throws java.io.IOException {
        var perms = Files.getPosixFilePermissions(p);
        return perms.contains(PosixFilePermission.OTHERS_READ) || perms.contains(PosixFilePermission.OTHERS_WRITE);
    }
}
