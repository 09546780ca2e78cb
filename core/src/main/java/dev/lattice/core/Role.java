package dev.lattice.core;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The roles of API.md; {@link #wireName()} is how they appear in JSON and tokens. */
public enum Role {
    ADMIN("admin"),
    DATA_SCIENTIST("data-scientist"),
    PLATFORM_CONFIGURER("platform-configurer"),
    APP_DEVELOPER("app-developer"),
    END_USER("end-user");

    private final String wireName;

    Role(String wireName) { this.wireName = wireName; }

    @JsonValue
    public String wireName() { return wireName; }

    /** Parses a wire name; throws a 400 naming the field {@code role} for anything else. */
    @JsonCreator
    public static Role parse(String value) {
        for (Role r : values()) {
            if (r.wireName.equals(value)) return r;
        }
        throw LatticeException.badRequest("core:role.unknown",
                "role: '" + value + "' is not one of " + Arrays.stream(values()).map(Role::wireName).collect(Collectors.joining(", ")));
    }
}
