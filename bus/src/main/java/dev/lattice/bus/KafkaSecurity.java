package dev.lattice.bus;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * How a client proves who it is to Kafka: settings added to every producer, consumer and admin a
 * {@link Bus} makes. {@link #NONE} adds nothing (PLAINTEXT, no authentication).
 *
 * <p>From the environment ({@link #fromEnv}):
 * <ul>
 *   <li>{@code LATTICE_KAFKA_USERNAME} and {@code LATTICE_KAFKA_PASSWORD}, both or neither: SASL
 *       ({@code SASL_PLAINTEXT} and {@code PLAIN} unless the file below says otherwise; {@code SCRAM-SHA-*}
 *       mechanisms work with the same two variables, named by {@code LATTICE_KAFKA_MECHANISM});</li>
 *   <li>{@code LATTICE_KAFKA_PROPERTIES}: a Java properties file of Kafka client settings (TLS, SCRAM, ...)
 *       added as they are; its entries win over the defaults above. Settings Lattice depends on
 *       (serialisers, ids, acks, isolation, ...) are refused.</li>
 * </ul>
 * {@link #toString()} names the keys only: values may be secrets.
 *
 * @param properties the client settings, by Kafka key
 */
public record KafkaSecurity(Map<String, String> properties) {
    public static final String USERNAME_ENV = "LATTICE_KAFKA_USERNAME";
    public static final String PASSWORD_ENV = "LATTICE_KAFKA_PASSWORD";
    public static final String PROPERTIES_ENV = "LATTICE_KAFKA_PROPERTIES";
    public static final String MECHANISM_ENV = "LATTICE_KAFKA_MECHANISM";
    public static final KafkaSecurity NONE = new KafkaSecurity(Map.of());

    /** Keys the Bus sets itself, for the semantics it promises; a file must not change them. */
    private static final Set<String> RESERVED = Set.of("bootstrap.servers", "client.id", "key.serializer",
            "value.serializer", "key.deserializer", "value.deserializer", "acks", "enable.idempotence",
            "transactional.id", "group.id", "group.instance.id", "enable.auto.commit", "isolation.level");

    public KafkaSecurity {
        properties = Map.copyOf(properties);
        for (String key : properties.keySet()) {
            if (RESERVED.contains(key)) {
                throw new IllegalArgumentException("Kafka client setting '" + key + "' is set by Lattice and cannot be changed");
            }
        }
    }

    /** SASL/PLAIN without TLS: what the embedded broker asks for. */
    public static KafkaSecurity plain(String username, String password) {
        return new KafkaSecurity(Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN",
                "sasl.jaas.config", jaas("PLAIN", username, password)));
    }

    /** SASL/SCRAM-SHA-256 without TLS: how a joined node's agent logs in to the embedded broker. */
    public static KafkaSecurity scram(String username, String password) {
        return new KafkaSecurity(Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "SCRAM-SHA-256",
                "sasl.jaas.config", jaas("SCRAM-SHA-256", username, password)));
    }

    /** Reads {@code LATTICE_KAFKA_USERNAME}, {@code _PASSWORD}, {@code _MECHANISM} and {@code _PROPERTIES}; blank counts as unset. */
    public static KafkaSecurity fromEnv(Map<String, String> env) {
        String username = blankToNull(env.get(USERNAME_ENV));
        String password = blankToNull(env.get(PASSWORD_ENV));
        String file = blankToNull(env.get(PROPERTIES_ENV));
        if ((username == null) != (password == null)) {
            throw new IllegalArgumentException(USERNAME_ENV + " and " + PASSWORD_ENV + " go together: set both or neither");
        }
        Map<String, String> p = file == null ? new TreeMap<>() : load(Path.of(file));
        if (username != null) {
            p.putIfAbsent("security.protocol", "SASL_PLAINTEXT");
            String mechanism = blankToNull(env.get(MECHANISM_ENV));
            p.putIfAbsent("sasl.mechanism", mechanism == null ? "PLAIN" : mechanism.strip());
            if (!p.get("security.protocol").startsWith("SASL_")) {
                throw new IllegalArgumentException(USERNAME_ENV + " needs a SASL security.protocol, not " + p.get("security.protocol"));
            }
            if (!p.containsKey("sasl.jaas.config")) p.put("sasl.jaas.config", jaas(p.get("sasl.mechanism"), username, password));
        }
        return new KafkaSecurity(p);
    }

    /** A JAAS line for a username and password, quoted for Kafka's parser. */
    static String jaas(String mechanism, String username, String password) {
        String module = switch (mechanism) {
            case "PLAIN" -> "org.apache.kafka.common.security.plain.PlainLoginModule";
            case "SCRAM-SHA-256", "SCRAM-SHA-512" -> "org.apache.kafka.common.security.scram.ScramLoginModule";
            default -> throw new IllegalArgumentException("sasl.mechanism " + mechanism
                    + " takes no username and password here; set sasl.jaas.config in " + PROPERTIES_ENV);
        };
        return module + " required username=\"" + quoted(USERNAME_ENV, username) + "\" password=\"" + quoted(PASSWORD_ENV, password) + "\";";
    }

    private static String quoted(String what, String value) {
        if (value.isEmpty() || value.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(what + " must be non-empty, without control characters");
        }
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static Map<String, String> load(Path file) {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            props.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException(PROPERTIES_ENV + ": cannot read " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> p = new TreeMap<>();
        props.stringPropertyNames().forEach(k -> p.put(k, props.getProperty(k)));
        return p;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    @Override
    public String toString() {
        return "KafkaSecurity" + new TreeMap<>(properties).keySet();
    }
}
