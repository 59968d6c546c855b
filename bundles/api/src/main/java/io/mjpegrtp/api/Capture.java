package io.mjpegrtp.api;

/** A running capture; closing it stops the frames and frees what the backend holds. */
public interface Capture extends AutoCloseable {
    @Override
    void close();
}
