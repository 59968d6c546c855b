package io.mjpegrtp.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class OptionsTest {
    private static Options parse(String... args) {
        return Options.parse(Path.of("/opt/mjpeg-rtp"), args);
    }

    @Test
    void httpIsLoopbackUnlessConfigured() {
        assertEquals("127.0.0.1:9180", parse().http());
        assertEquals("127.0.0.1:9300", parse("--http", "9300").http());
        assertEquals("0.0.0.0:9300", parse("--http", "0.0.0.0:9300").http());
        assertEquals("192.168.1.2:9180", parse("--http-address", "192.168.1.2").http());
        assertEquals("[::1]:9181", parse("--http", "9181", "--http-address", "::1").http());
        assertEquals("[::]:9181", parse("--http", "[::]:9181").http());
        assertEquals("off", parse("--http", "off").http());
        assertThrows(IllegalArgumentException.class, () -> parse("--http", "70000"));
        assertThrows(IllegalArgumentException.class, () -> parse("--http", "x"));
        assertThrows(IllegalArgumentException.class, () -> parse("--http", "1.2.3.4:80", "--http-address", "5.6.7.8"));
    }

    @Test
    void summaryAndControlSocket() {
        assertEquals(60, parse().summarySeconds());
        assertEquals(0, parse("--summary", "0").summarySeconds());
        assertThrows(IllegalArgumentException.class, () -> parse("--summary", "-1"));
        assertEquals(Path.of("/var/lib/mjpeg-rtp/control/mjpeg-rtp.sock"),
                Options.controlSocket(parse("--data", "/var/lib/mjpeg-rtp").data()));
    }
}
