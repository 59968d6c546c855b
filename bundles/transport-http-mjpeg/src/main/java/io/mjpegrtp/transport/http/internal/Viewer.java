package io.mjpegrtp.transport.http.internal;

import java.io.Closeable;
import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.TimeUnit;

/** One connection waiting for frames: a one-frame slot in which a newer frame replaces an unsent one. */
final class Viewer implements Closeable {
    private final Socket socket;
    private byte[] pending; // guarded by this
    private boolean closed; // guarded by this
    private long skipped; // guarded by this

    Viewer(Socket socket) {
        this.socket = socket;
    }

    /** Called on the camera's sending thread: never blocks beyond a monitor held for a few instructions. */
    synchronized void offer(byte[] jpeg) {
        if (closed) {
            return;
        }
        if (pending != null) {
            skipped++;
        }
        pending = jpeg;
        notifyAll();
    }

    /** The next frame, or null when closed or when none came within the timeout. */
    synchronized byte[] take(long timeout, TimeUnit unit) throws InterruptedException {
        long end = System.nanoTime() + unit.toNanos(timeout);
        while (pending == null && !closed) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        byte[] f = pending;
        pending = null;
        return closed ? null : f;
    }

    synchronized boolean isClosed() {
        return closed;
    }

    synchronized long skipped() {
        return skipped;
    }

    /** Ends the connection; a write blocked on a slow viewer fails at once. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            pending = null;
            notifyAll();
        }
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
