package io.mjpegrtp.capture.file.internal;

import java.nio.ByteBuffer;

/**
 * One picture to replay, or one that cannot be: a slice of a file read into memory, with its name for messages.
 * A bad picture carries the reason it is rejected and whether that was reported already.
 */
final class Picture {
    private final String name;
    private final ByteBuffer data;
    private final String problem;
    private final int width;
    private final int height;
    private boolean reported;

    private Picture(String name, ByteBuffer data, String problem, int width, int height) {
        this.name = name;
        this.data = data;
        this.problem = problem;
        this.width = width;
        this.height = height;
    }

    static Picture good(String name, byte[] bytes, int offset, int length, int width, int height) {
        ByteBuffer view = ByteBuffer.wrap(bytes, offset, length).slice().asReadOnlyBuffer();
        return new Picture(name, view, null, width, height);
    }

    static Picture bad(String name, String problem) {
        return new Picture(name, null, problem, 0, 0);
    }

    String name() {
        return name;
    }

    boolean isGood() {
        return problem == null;
    }

    /** The rejection message: file name, what was wrong, and what is expected. */
    String rejection() {
        return name + ": " + problem + "; expected a baseline JPEG (SOI ... EOI)";
    }

    /** A fresh read-only view per frame, so a reader moving its position never disturbs the next frame. */
    ByteBuffer view() {
        return data.duplicate();
    }

    int size() {
        return data == null ? 0 : data.remaining();
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    /** Marks the rejection as reported; true only the first time. */
    boolean markReported() {
        if (reported) {
            return false;
        }
        reported = true;
        return true;
    }
}
