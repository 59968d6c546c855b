package io.mjpegrtp.api;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** Orientation applied by a capture backend. The 90/270 rotations swap width and height. */
public enum Flip {
    NONE("none"),
    HORIZONTAL("horizontal"),
    VERTICAL("vertical"),
    ROTATE_90("rotate-90"),
    ROTATE_180("rotate-180"),
    ROTATE_270("rotate-270");

    private final String configName;

    Flip(String configName) {
        this.configName = configName;
    }

    /** The value as written in a camera's configuration file. */
    public String configName() {
        return configName;
    }

    public boolean swapsDimensions() {
        return this == ROTATE_90 || this == ROTATE_270;
    }

    public static Optional<Flip> fromConfigName(String name) {
        return Arrays.stream(values()).filter(f -> f.configName.equals(name)).findFirst();
    }

    /** The accepted configuration values, for error messages: {@code none | horizontal | ...}. */
    public static String accepted() {
        return Arrays.stream(values()).map(Flip::configName).collect(Collectors.joining(" | "));
    }
}
