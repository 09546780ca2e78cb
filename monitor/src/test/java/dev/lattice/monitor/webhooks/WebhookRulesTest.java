package dev.lattice.monitor.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lattice.core.LatticeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a webhook may be, how deliveries back off, and the signature's form. */
class WebhookRulesTest {
    @Test
    void backOffDoublesFromOneSecondUpToHalfAnHour() {
        assertThat(WebhookDispatcher.backoff(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(WebhookDispatcher.backoff(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(WebhookDispatcher.backoff(5)).isEqualTo(Duration.ofSeconds(16));
        assertThat(WebhookDispatcher.backoff(12)).isEqualTo(Duration.ofMinutes(30));
        assertThat(WebhookDispatcher.backoff(500)).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void theSignatureIsTheHexHmacSha256OfTheBody() {
        // RFC 4231 test case 2.
        assertThat(WebhookDispatcher.sign("Jefe", "what do ya want for nothing?".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void onlyHttpUrlsWithAHostAndNoCredentials() {
        assertThat(WebhookCommands.checkUrl("http://127.0.0.1:9000/hook")).isEqualTo("http://127.0.0.1:9000/hook");
        assertThat(WebhookCommands.checkUrl("https://hooks.example.org/x?y=1")).startsWith("https://");
        for (String bad : List.of("ftp://host/x", "file:///etc/passwd", "http:///nohost", "http://user:pw@host/x", "not a url", "")) {
            assertThatThrownBy(() -> WebhookCommands.checkUrl(bad)).as(bad).isInstanceOf(LatticeException.class).hasMessageContaining("url");
        }
    }

    @Test
    void eventsAreStarOrKinds() {
        assertThat(WebhookCommands.checkEvents(List.of("*"))).containsExactly("*");
        assertThat(WebhookCommands.checkEvents(List.of("hung", "oom-killed"))).containsExactly("hung", "oom-killed");
        assertThatThrownBy(() -> WebhookCommands.checkEvents(List.of())).hasMessageContaining("events");
        assertThatThrownBy(() -> WebhookCommands.checkEvents(List.of("hung", "Not A Kind"))).hasMessageContaining("events[1]");
    }
}
