package io.mjpegrtp.camera.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mjpegrtp.api.Flip;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CameraSettingsTest {
    @Test
    void anEmptyFileGivesTheDocumentedDefaults() throws Exception {
        CameraSettings s = CameraSettings.parse(Map.of());
        assertEquals("testpattern", s.backend());
        assertEquals(1280, s.width());
        assertEquals(720, s.height());
        assertEquals(30, s.framerate());
        assertEquals(85, s.quality());
        assertEquals(Flip.NONE, s.flip());
        assertEquals("127.0.0.1", s.host());
        assertEquals(5000, s.port());
        assertEquals(1400, s.mtu());
        assertEquals(0, s.dscp());
        assertEquals("auto", s.pacing());
        assertEquals(List.of("udp"), s.transports());
        assertTrue(s.enabled());
    }

    @Test
    void stringsFromFilesAndTypedValuesFromConfigAdminAreBothAccepted() throws Exception {
        CameraSettings fromFile = CameraSettings.parse(Map.of("width", " 640 ", "framerate", "15", "flip", "Rotate-90",
                "destination", "[::1]:6000", "transports", "udp, http-mjpeg,udp"));
        CameraSettings typed = CameraSettings.parse(Map.of("width", 640, "framerate", 15L, "flip", "rotate-90",
                "destination", "[::1]:6000", "transports", "udp,http-mjpeg"));
        assertEquals(fromFile, typed);
        assertEquals("::1", typed.host());
        assertEquals(List.of("udp", "http-mjpeg"), typed.transports());
        assertEquals(720, typed.sentWidth(), "rotate-90 swaps width and height as sent");
        assertEquals(640, typed.sentHeight());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "destination | 127.0.0.1:70000 | destination port 70000 is out of range; accepted: 1..65534",
            "destination | 127.0.0.1       | accepted: host:port",
            "destination | 127.0.0.1:http  | has no valid port",
            "backend     | web/cam         | backend 'web/cam' is not a backend name; accepted: testpattern | file | gst-test | libcamera | v4l2 | avfoundation | auto, or the name of a plugin's backend",
            "mtu         | 100             | mtu 100 is out of range; accepted: 256..65507",
            "mtu         | big             | mtu 'big' is not a whole number; accepted: 256..65507",
            "dscp        | 64              | dscp 64 is out of range; accepted: 0..63",
            "width       | 0               | width 0 is out of range; accepted: 16..8192",
            "quality     | 101             | quality 101 is out of range; accepted: 1..100",
            "framerate   | 0               | framerate 0 is out of range; accepted: 1..240",
            "flip        | sideways        | flip 'sideways' is unknown; accepted: none | horizontal | vertical | rotate-90 | rotate-180 | rotate-270",
            "pacing      | fast            | pacing 'fast' is not valid; accepted: auto | off | a maximum rate in kbit/s",
            "transports  | udp;tcp         | transport name 'udp;tcp' is not valid",
            "enabled     | yes             | enabled 'yes' is not valid; accepted: true | false",
    })
    void eachInvalidValueIsNamedWithWhatIsAccepted(String key, String value, String message) {
        Map<String, Object> props = new HashMap<>();
        props.put(key, value);
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> CameraSettings.parse(props));
        assertEquals(key, e.key());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void mistypedKeysAreFoundButFrameworkPropertiesAreNot() {
        Map<String, Object> props = Map.of("widht", "640", "service.pid", "x", "felix.fileinstall.filename", "f",
                "width", "640");
        assertEquals(java.util.Set.of("widht"), CameraSettings.unknownKeys(props));
    }

    @Test
    void theCameraIsNamedAfterItsFile() {
        assertEquals("cam1", CameraStream.nameOf(Map.of("felix.fileinstall.filename",
                "file:/opt/mjpeg-rtp/config/mjpeg.camera-cam1.cfg", "service.pid", "mjpeg.camera~cam1")));
        assertEquals("left-eye", CameraStream.nameOf(Map.of("felix.fileinstall.filename",
                "file:/etc/mjpeg-rtp/mjpeg.camera-left-eye.cfg")));
        assertEquals("explicit", CameraStream.nameOf(Map.of("name", "explicit", "felix.fileinstall.filename",
                "file:/x/mjpeg.camera-other.cfg")));
        assertEquals("paxcam", CameraStream.nameOf(Map.of("service.pid", "mjpeg.camera~paxcam")));
        assertFalse(CameraStream.nameOf(Map.of()).isEmpty());
    }
}
