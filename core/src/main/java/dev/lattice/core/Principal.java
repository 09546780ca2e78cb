package dev.lattice.core;

import java.util.Objects;

/**
 * Who is asking: a user (with a role), a platform service, a device (by its instance id, with
 * no role), a running app instance (by its id, with no role: what it may do is its {@link AppScope}),
 * or nobody yet (login).
 * The gateway puts one into every message it sends; services never act on a message without one.
 *
 * @param key the id of the API key the user authenticated with, null for a login token: a key acts
 *            as its owner ({@code name}) with the key's role, and is named {@code key:ID} in the audit log
 */
public record Principal(String name, Role role, Kind kind, String key) {

    public enum Kind { USER, SERVICE, DEVICE, APP, ANONYMOUS }

    public static final Principal ANONYMOUS = new Principal("anonymous", null, Kind.ANONYMOUS);

    public Principal {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
    }

    public Principal(String name, Role role, Kind kind) {
        this(name, role, kind, null);
    }

    public static Principal user(String name, Role role) {
        return new Principal(name, Objects.requireNonNull(role, "role"), Kind.USER);
    }

    /** A user acting through one of their API keys, with the key's role. */
    public static Principal apiKey(String owner, Role role, String keyId) {
        return new Principal(owner, Objects.requireNonNull(role, "role"), Kind.USER, Objects.requireNonNull(keyId, "keyId"));
    }

    /** A sensor or controller instance, authenticated by its device token. */
    public static Principal device(String instanceId) {
        return new Principal(instanceId, null, Kind.DEVICE);
    }

    /** An app instance, authenticated by its instance token; it holds no role, only its {@link AppScope}. */
    public static Principal app(String instanceId) {
        return new Principal(instanceId, null, Kind.APP);
    }

    /** A platform service acting on its own behalf; it has every right. */
    public static Principal service(String name) {
        return new Principal(name, Role.ADMIN, Kind.SERVICE);
    }

    /** How the audit log names this principal: a username, {@code key:ID}, {@code device:ID} or {@code app:ID}. */
    public String auditName() {
        if (key != null) return "key:" + key;
        return switch (kind) {
            case DEVICE -> "device:" + name;
            case APP -> "app:" + name;
            case ANONYMOUS -> "-";
            default -> name;
        };
    }

    /** Throws 401 for nobody and 403 for a principal holding none of the roles. */
    public void require(Role... allowed) {
        if (kind == Kind.ANONYMOUS) throw LatticeException.unauthorized("a token is required");
        for (Role r : allowed) {
            if (role != null && role == r) return;
        }
        throw LatticeException.forbidden((role == null ? kind.name().toLowerCase() + " '" + name + "'" : "role '" + role.wireName() + "'")
                + " may not do this");
    }
}
