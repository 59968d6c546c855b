package io.mjpegrtp.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SessionDescriptionTest {
    /** The SDP with the o= session id and version (time-based) replaced by "ID". */
    private static String sdp(String name, String host, int port, int w, int h, int fps, int ttl) {
        String s = SessionDescription.forJpegStream(name, host, port, w, h, fps, ttl);
        assertTrue(s.endsWith("\r\n"));
        assertEquals(-1, s.replace("\r\n", "").indexOf('\n'), "every line ends in CRLF");
        assertEquals(-1, s.replace("\r\n", "").indexOf('\r'), "every line ends in CRLF");
        String[] o = s.split("\r\n")[1].split(" ");
        assertEquals(o[1], o[2], "version starts at the id");
        assertTrue(Long.parseLong(o[1]) > 3_900_000_000L, "NTP seconds");
        return s.replace(" " + o[1] + " " + o[2] + " ", " ID ID ");
    }

    @Test
    void unicast() {
        assertEquals("v=0\r\no=- ID ID IN IP4 192.168.1.20\r\ns=front\r\nc=IN IP4 192.168.1.20\r\nt=0 0\r\n"
                + "m=video 5000 RTP/AVP 26\r\na=rtpmap:26 JPEG/90000\r\na=framerate:30\r\n",
                sdp("front", "192.168.1.20", 5000, 1280, 720, 30, 16));
    }

    @Test
    void ipv4MulticastGetsTtlAndLoopbackOrigin() {
        assertEquals("v=0\r\no=- ID ID IN IP4 127.0.0.1\r\ns=stereo left\r\nc=IN IP4 239.1.2.3/16\r\nt=0 0\r\n"
                + "m=video 5004 RTP/AVP 26\r\na=rtpmap:26 JPEG/90000\r\na=framerate:60\r\n",
                sdp("stereo left", "239.1.2.3", 5004, 640, 480, 60, 16));
        assertTrue(sdp("x", "224.0.0.251", 5000, 8, 8, 1, 1).contains("c=IN IP4 224.0.0.251/1\r\n"));
        assertTrue(sdp("x", "223.255.255.255", 5000, 8, 8, 1, 1).contains("c=IN IP4 223.255.255.255\r\n"));
        assertTrue(sdp("x", "240.0.0.1", 5000, 8, 8, 1, 1).contains("c=IN IP4 240.0.0.1\r\n"));
        assertTrue(sdp("x", "239.example.org", 5000, 8, 8, 1, 1).contains("c=IN IP4 239.example.org\r\n"));
    }

    @Test
    void ipv6() {
        String s = sdp("cam", "[::1]", 5000, 640, 480, 30, 0);
        assertTrue(s.contains("o=- ID ID IN IP6 ::1\r\n"), s);
        assertTrue(s.contains("c=IN IP6 ::1\r\n"), s);
        s = sdp("cam", "ff15::1234", 5000, 640, 480, 30, 8);
        assertTrue(s.contains("o=- ID ID IN IP6 ::1\r\n"), s);
        assertTrue(s.contains("c=IN IP6 ff15::1234\r\n"), "no TTL for IPv6 multicast: " + s);
    }

    @Test
    void dimensionsAbove2040() {
        assertTrue(!sdp("c", "10.0.0.1", 5000, 2040, 2040, 30, 0).contains("x-dimensions"));
        assertTrue(sdp("c", "10.0.0.1", 5000, 2048, 1536, 15, 0).endsWith("a=framerate:15\r\na=x-dimensions:2048,1536\r\n"));
        assertTrue(sdp("c", "10.0.0.1", 5000, 640, 2041, 15, 0).endsWith("a=x-dimensions:640,2041\r\n"));
    }

    @Test
    void nameCannotBreakTheFormat() {
        assertTrue(sdp("a\r\nb=evil", "10.0.0.1", 5000, 8, 8, 1, 0).contains("\r\ns=a  b=evil\r\n"));
        assertTrue(sdp("", "10.0.0.1", 5000, 8, 8, 1, 0).contains("\r\ns= \r\n"));
    }

    @Test
    void rejectsBadValues() {
        assertThrows(IllegalArgumentException.class, () -> SessionDescription.forJpegStream("c", "10.0.0.1", 0, 8, 8, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> SessionDescription.forJpegStream("c", "10.0.0.1", 65536, 8, 8, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> SessionDescription.forJpegStream("c", "10.0.0.1", 5000, 0, 8, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> SessionDescription.forJpegStream("c", "10.0.0.1", 5000, 8, 8, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> SessionDescription.forJpegStream("c", "10.0.0.1", 5000, 8, 8, 1, 256));
        assertThrows(IllegalArgumentException.class, () -> SessionDescription.forJpegStream("c", "", 5000, 8, 8, 1, 0));
        assertThrows(IllegalArgumentException.class,
                () -> SessionDescription.forJpegStream("c", "10.0.0.1\r\na=x", 5000, 8, 8, 1, 0));
    }
}
