package dev.lattice.core;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which environment variables hold secrets, and an environment as anyone may see it. A workload's
 * spec carries its credentials (an app instance's {@code LATTICE_TOKEN}, a model server's
 * {@code LATTICE_SERVE_KEY}, whatever a user passes as {@code DB_PASSWORD}); every API answer,
 * event and log line that shows an env shows their values as {@value #MASK}, even to admins,
 * because a value once shown cannot be taken back.
 */
public final class SecretEnv {
    public static final String MASK = "***";
    private static final String[] SECRET_WORDS = {"TOKEN", "SECRET", "PASSWORD", "PASSWD", "KEY", "CREDENTIAL"};

    private SecretEnv() {}

    /** True for a name that says it holds a secret: it contains TOKEN, SECRET, PASSWORD, KEY or CREDENTIAL, in any case. */
    public static boolean isSecret(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        for (String word : SECRET_WORDS) if (upper.contains(word)) return true;
        return false;
    }

    /** {@code env} with every secret's value replaced by {@value #MASK}; the same map when it holds none. */
    public static Map<String, String> redacted(Map<String, String> env) {
        if (env == null || env.keySet().stream().noneMatch(SecretEnv::isSecret)) return env;
        Map<String, String> out = new TreeMap<>(env);
        out.replaceAll((name, value) -> isSecret(name) ? MASK : value);
        return out;
    }
}
