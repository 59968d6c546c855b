package io.mjpegrtp.gstreamer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mjpegrtp.api.Flip;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class PipelinesTest {
    @Test
    void flipsAsVideoDirections() {
        assertEquals(Optional.empty(), Pipelines.videoflip(Flip.NONE));
        assertEquals(Optional.of("videoflip video-direction=horiz"), Pipelines.videoflip(Flip.HORIZONTAL));
        assertEquals(Optional.of("videoflip video-direction=vert"), Pipelines.videoflip(Flip.VERTICAL));
        assertEquals(Optional.of("videoflip video-direction=90r"), Pipelines.videoflip(Flip.ROTATE_90));
        assertEquals(Optional.of("videoflip video-direction=180"), Pipelines.videoflip(Flip.ROTATE_180));
        assertEquals(Optional.of("videoflip video-direction=90l"), Pipelines.videoflip(Flip.ROTATE_270));
    }

    @Test
    void encodesTo420() {
        assertEquals("videoconvert ! video/x-raw,format=I420 ! jpegenc quality=85", Pipelines.jpegEncoder(85));
        assertEquals("appsink name=sink max-buffers=2 drop=true sync=false", Pipelines.APPSINK);
    }
}
