package io.mjpegrtp.camera.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SettingsValidatorTest {
    private final SettingsValidator validator = new SettingsValidator();

    @Test
    void acceptsWhatTheCameraAccepts() {
        assertNull(validator.apply(Map.of("backend", "v4l2", "dscp", "46", "destination", "10.0.0.2:5000")));
    }

    @Test
    void refusesWithTheCamerasMessage() {
        String m = validator.apply(Map.of("dscp", "99"));
        assertTrue(m.startsWith("key 'dscp': ") && m.contains("0..63"), m);
        m = validator.apply(Map.of("backend", "web cam"));
        assertTrue(m.contains("'backend'") && m.contains("testpattern | file"), m);
    }

    @Test
    void publishesEveryKeyTheCameraKnowsButItsName() throws Exception {
        // bnd wrote the component description before the tests run; its property lists what `set` may change.
        String xml;
        try (var in = getClass().getClassLoader()
                .getResourceAsStream("OSGI-INF/" + SettingsValidator.class.getName() + ".xml")) {
            xml = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        var m = java.util.regex.Pattern.compile("name=\"" + SettingsValidator.KEYS_PROPERTY.replace(".", "\\.")
                + "\"[^>]*>([^<]*)</property>").matcher(xml);
        assertTrue(m.find(), xml);
        Set<String> published = Arrays.stream(m.group(1).split("\\s+")).filter(k -> !k.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> expected = new TreeSet<>(CameraSettings.KEYS);
        expected.remove("name");
        assertEquals(expected, published);
    }
}
