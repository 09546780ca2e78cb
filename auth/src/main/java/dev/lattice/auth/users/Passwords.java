package dev.lattice.auth.users;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import java.util.concurrent.Semaphore;

/**
 * Argon2id hashing with the OWASP-recommended minimum (19 MiB, 2 passes, 1 lane), encoded as a
 * PHC string that carries its own parameters, so they can be raised later without breaking old
 * hashes. Thread-safe.
 */
public final class Passwords {
    private static final Argon2Function ARGON2ID = Argon2Function.getInstance(19_456, 2, 1, 32, Argon2.ID, 19);
    /**
     * Each hash takes 19 MiB of heap and a core for ~50 ms: at most two at a time, so a burst of
     * logins queues instead of exhausting the service's heap (and a flood costs CPU, not memory).
     */
    private static final Semaphore SLOTS = new Semaphore(2, true);
    // Checked against when the user does not exist, so that timing does not tell which names exist.
    private static final String DUMMY = hash("not-a-real-password");

    private Passwords() {}

    public static String hash(String password) {
        return bounded(() -> Password.hash(password).addRandomSalt(16).with(ARGON2ID).getResult());
    }

    public static boolean matches(String password, String hash) {
        if (hash == null) {
            bounded(() -> Password.check(password, DUMMY).with(ARGON2ID));
            return false;
        }
        return bounded(() -> Password.check(password, hash).with(Argon2Function.getInstanceFromHash(hash)));
    }

    private static <T> T bounded(java.util.function.Supplier<T> work) {
        try {
            SLOTS.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting to hash a password", e);
        }
        try {
            return work.get();
        } finally {
            SLOTS.release();
        }
    }
}
