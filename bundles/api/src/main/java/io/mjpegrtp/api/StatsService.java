package io.mjpegrtp.api;

import java.util.List;
import java.util.Optional;

/** Keeps every camera's counters and computes their rates once per second. */
public interface StatsService {
    /** The counters of a camera, created on first use; the same object for the same name until removed. */
    CameraCounters counters(String camera);

    /** Forgets a camera that no longer exists. */
    void remove(String camera);

    /** The latest statistics of a camera. */
    Optional<CameraStatistics> statistics(String camera);

    /** The latest statistics of every camera, by name. */
    List<CameraStatistics> all();
}
