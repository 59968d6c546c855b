package io.mjpegrtp.camera.internal;

import java.util.Map;
import java.util.function.Function;
import org.osgi.service.component.annotations.Component;

/**
 * Lets the shell's {@code mjpeg:set} and {@code mjpeg:backend} check a camera file's values with the very rules
 * the camera applies ({@link CameraSettings#parse}) before the file is written. Published as a plain
 * {@link Function} (no API type needed): it takes a camera file's keys and values and returns {@code null} when
 * the camera would accept them, else the message the camera would log. The service property
 * {@value #KEYS_PROPERTY} lists the keys a camera file may hold.
 */
@Component(service = Function.class, property = {
        SettingsValidator.ROLE_PROPERTY + "=" + SettingsValidator.ROLE,
        SettingsValidator.KEYS_PROPERTY + "=backend", SettingsValidator.KEYS_PROPERTY + "=device",
        SettingsValidator.KEYS_PROPERTY + "=width", SettingsValidator.KEYS_PROPERTY + "=height",
        SettingsValidator.KEYS_PROPERTY + "=framerate", SettingsValidator.KEYS_PROPERTY + "=quality",
        SettingsValidator.KEYS_PROPERTY + "=flip", SettingsValidator.KEYS_PROPERTY + "=destination",
        SettingsValidator.KEYS_PROPERTY + "=mtu", SettingsValidator.KEYS_PROPERTY + "=dscp",
        SettingsValidator.KEYS_PROPERTY + "=pacing", SettingsValidator.KEYS_PROPERTY + "=transports",
        SettingsValidator.KEYS_PROPERTY + "=enabled", SettingsValidator.KEYS_PROPERTY + "=multicast_ttl",
        SettingsValidator.KEYS_PROPERTY + "=multicast_interface", SettingsValidator.KEYS_PROPERTY + "=multicast_loop" })
public final class SettingsValidator implements Function<Map<String, ?>, String> {
    static final String ROLE_PROPERTY = "mjpeg.validator";
    static final String ROLE = "camera-settings";
    static final String KEYS_PROPERTY = "mjpeg.camera.keys";

    @Override
    public String apply(Map<String, ?> properties) {
        try {
            CameraSettings.parse(properties);
            return null;
        } catch (InvalidSettingException e) {
            return "key '" + e.key() + "': " + e.getMessage();
        }
    }
}
