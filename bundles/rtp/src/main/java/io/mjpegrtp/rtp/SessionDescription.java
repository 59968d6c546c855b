package io.mjpegrtp.rtp;

import java.util.Locale;

/** Writes the SDP (RFC 4566) a receiver such as ffplay or VLC opens to play an RTP/JPEG stream. */
public final class SessionDescription {
    private SessionDescription() {
    }

    /**
     * Describes one RTP/JPEG stream (payload type 26, 90 kHz).
     *
     * @param sessionName free text for {@code s=}; line breaks are replaced by spaces
     * @param host destination address literal (IPv4, or IPv6 with or without brackets) or host name; an
     *            IPv4 multicast address (224.0.0.0/4) gets {@code /ttl} appended in {@code c=}
     * @param port RTP port, 1..65535 (RTCP is on port + 1)
     * @param width picture width in pixels, 1..65535
     * @param height picture height in pixels, 1..65535
     * @param framerate frames per second, at least 1
     * @param multicastTtl TTL for IPv4 multicast, 0..255 (ignored otherwise)
     * @return the SDP text, lines ended by CRLF; {@code a=x-dimensions:W,H} is added when width or height
     *         exceeds 2040, the largest size the RTP/JPEG header can carry
     * @throws IllegalArgumentException when a value is out of range
     */
    public static String forJpegStream(String sessionName, String host, int port, int width, int height,
            int framerate, int multicastTtl) {
        check("port", port, 1, 65535);
        check("width", width, 1, 65535);
        check("height", height, 1, 65535);
        check("framerate", framerate, 1, 1000);
        check("multicastTtl", multicastTtl, 0, 255);
        String address = host.trim();
        if (address.startsWith("[") && address.endsWith("]")) {
            address = address.substring(1, address.length() - 1);
        }
        if (!address.matches("[A-Za-z0-9.:%_-]+")) { // also keeps CR/LF from breaking the SDP
            throw new IllegalArgumentException("host '" + host + "' is not valid; accepted: an IPv4 or IPv6 address"
                    + " or a host name");
        }
        final boolean ip6 = address.indexOf(':') >= 0;
        final boolean multicast = ip6 ? address.toLowerCase(Locale.ROOT).startsWith("ff") : isIp4Multicast(address);
        final String family = ip6 ? "IP6" : "IP4";
        // o= names the originating host: a multicast group cannot be one, so use the loopback address then.
        final String origin = multicast ? (ip6 ? "::1" : "127.0.0.1") : address;
        // NTP-format seconds as RFC 4566 suggests: unique enough, and a rewritten file gets a higher version.
        final long id = System.currentTimeMillis() / 1000 + 2_208_988_800L;
        final String name = sessionName == null || sessionName.isBlank() ? " "
                : sessionName.replace('\r', ' ').replace('\n', ' ');
        final StringBuilder s = new StringBuilder(256);
        line(s, "v=0");
        line(s, "o=- " + id + " " + id + " IN " + family + " " + origin);
        line(s, "s=" + name);
        line(s, "c=IN " + family + " " + address + (multicast && !ip6 ? "/" + multicastTtl : ""));
        line(s, "t=0 0");
        line(s, "m=video " + port + " RTP/AVP 26");
        line(s, "a=rtpmap:26 JPEG/90000");
        line(s, "a=framerate:" + framerate);
        if (width > 2040 || height > 2040) {
            line(s, "a=x-dimensions:" + width + "," + height);
        }
        return s.toString();
    }

    private static boolean isIp4Multicast(String address) {
        final int dot = address.indexOf('.');
        if (dot <= 0 || dot > 3) {
            return false;
        }
        for (int i = 0; i < dot; i++) {
            if (!Character.isDigit(address.charAt(i))) {
                return false;
            }
        }
        final int first = Integer.parseInt(address, 0, dot, 10);
        return first >= 224 && first <= 239 && address.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    private static void check(String what, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(what + " " + value + " is out of range; accepted: " + min + ".." + max);
        }
    }

    private static void line(StringBuilder s, String line) {
        s.append(line).append("\r\n");
    }
}
