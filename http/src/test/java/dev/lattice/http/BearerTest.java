package dev.lattice.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lattice.core.LatticeException;
import org.junit.jupiter.api.Test;

class BearerTest {
    @Test
    void readsTheTokenWhateverTheSchemesCase() {
        assertThat(Bearer.token("Bearer abc.def")).contains("abc.def");
        assertThat(Bearer.token("bearer  abc ")).contains("abc");
        assertThat(Bearer.token(Bearer.header("xyz"))).contains("xyz");
    }

    @Test
    void noHeaderIsNoToken() {
        assertThat(Bearer.token(null)).isEmpty();
        assertThat(Bearer.token("  ")).isEmpty();
    }

    @Test
    void anotherSchemeOrAnEmptyTokenIsA401() {
        for (String header : new String[] {"Basic dXNlcjpwYXNz", "abc.def", "Bearer", "Bearer   ", "Bearerabc"}) {
            assertThatThrownBy(() -> Bearer.token(header)).as(header).isInstanceOfSatisfying(LatticeException.class,
                    e -> assertThat(e.status()).isEqualTo(401));
        }
    }
}
