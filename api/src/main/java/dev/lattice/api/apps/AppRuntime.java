package dev.lattice.api.apps;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How an app runs: {@code java}, a jar started with its main class, or {@code command}, a bundle
 * (zip or tar.gz) unpacked into its own folder and started with the config's command there.
 */
public enum AppRuntime {
    JAVA, COMMAND;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code runtime: ...} (400) for anything but the two names. */
    @JsonCreator
    public static AppRuntime of(String text) {
        for (AppRuntime r : values()) if (r.json().equals(text)) return r;
        throw Located.bad("runtime", "runtime: 'java' or 'command', not '" + text + "'");
    }
}
