package dev.lattice.auth.users;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;

/**
 * Argon2id hashing with the OWASP-recommended minimum (19 MiB, 2 passes, 1 lane), encoded as a
 * PHC string that carries its own parameters, so they can be raised later without breaking old
 * hashes. Thread-safe.
 */
public final class Passwords {
    private static final Argon2Function ARGON2ID = Argon2Function.getInstance(19_456, 2, 1, 32, Argon2.ID, 19);
    // Checked against when the user does not exist, so that timing does not tell which names exist.
    private static final String DUMMY = hash("not-a-real-password");

    private Passwords() {}

    public static String hash(String password) {
        return Password.hash(password).addRandomSalt(16).with(ARGON2ID).getResult();
    }

    public static boolean matches(String password, String hash) {
        if (hash == null) {
            Password.check(password, DUMMY).with(ARGON2ID);
            return false;
        }
        return Password.check(password, hash).with(Argon2Function.getInstanceFromHash(hash));
    }
}
