package io.mjpegrtp.api;

/**
 * Whether a backend or transport can run on this machine, and if not, why not.
 *
 * @param available true when it can run here
 * @param reason why it cannot, or a short note on what it uses when it can
 */
public record Availability(boolean available, String reason) {
    public static Availability yes(String note) {
        return new Availability(true, note);
    }

    public static Availability no(String reason) {
        return new Availability(false, reason);
    }
}
