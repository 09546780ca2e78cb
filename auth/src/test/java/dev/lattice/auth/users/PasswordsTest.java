package dev.lattice.auth.users;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordsTest {
    @Test
    void hashesWithArgon2idAndASaltOfItsOwn() {
        String a = Passwords.hash("correct horse");
        String b = Passwords.hash("correct horse");
        assertThat(a).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").doesNotContain("correct horse");
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void acceptsTheRightPasswordOnly() {
        String hash = Passwords.hash("correct horse");
        assertThat(Passwords.matches("correct horse", hash)).isTrue();
        assertThat(Passwords.matches("correct horsf", hash)).isFalse();
        assertThat(Passwords.matches("", hash)).isFalse();
    }

    @Test
    void anUnknownUserNeverMatches() {
        assertThat(Passwords.matches("anything", null)).isFalse();
    }
}
