package io.mjpegrtp.camera.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void delaysDoubleFromHalfASecondUpToThirtySeconds() {
        Backoff backoff = new Backoff();
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            delays.add(backoff.next());
        }
        assertEquals(List.of(500L, 1000L, 2000L, 4000L, 8000L, 16000L, 30000L, 30000L, 30000L, 30000L), delays);
    }

    @Test
    void aMinuteOfGoodFramesStartsOverAndLessDoesNot() {
        Backoff backoff = new Backoff();
        backoff.next();
        backoff.next();
        backoff.streamedFor(TimeUnit.SECONDS.toNanos(59));
        assertEquals(2000, backoff.next(), "59 s of frames is not yet a minute");
        backoff.streamedFor(TimeUnit.SECONDS.toNanos(60));
        assertEquals(500, backoff.next());
        backoff.next();
        backoff.reset();
        assertEquals(500, backoff.next(), "a changed configuration starts over");
    }
}
