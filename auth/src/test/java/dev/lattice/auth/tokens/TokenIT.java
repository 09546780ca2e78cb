package dev.lattice.auth.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lattice.api.auth.ApiKey;
import dev.lattice.api.auth.ApiKeyVerifier;
import dev.lattice.api.auth.AuthCommands;
import dev.lattice.api.auth.VerifiedCaller;
import dev.lattice.api.auth.SigningKey;
import dev.lattice.api.auth.TokenVerifier;
import dev.lattice.bus.Bus;
import dev.lattice.bus.TestKafka;
import dev.lattice.bus.state.StateOwner;
import dev.lattice.core.LatticeException;
import dev.lattice.core.Principal;
import dev.lattice.core.Role;
import dev.lattice.core.SecretTokens;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Tokens signed by one auth instance, checked by a verifier that only sees the published public keys. */
class TokenIT {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final Clock AT_NOW = Clock.fixed(NOW, ZoneOffset.UTC);
    private static Bus bus;
    private static StateOwner<SigningKey> keys;

    @BeforeAll
    static void start() {
        bus = TestKafka.bus("auth-test");
        keys = bus.own(SigningKey.KIND, SigningKey.class, Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        bus.close();
    }

    private static TokenVerifier verifierAt(Instant at) {
        return new TokenVerifier(keys.view(), Clock.fixed(at, ZoneOffset.UTC));
    }

    @Test
    void aFreshTokenNamesItsUserAndRoleAndExpiresOnTime() {
        TokenIssuer issuer = TokenIssuer.start(keys, Duration.ofHours(1), AT_NOW);
        var login = issuer.issue("carol", Role.DATA_SCIENTIST);

        assertThat(login.expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(1)));
        assertThat(verifierAt(NOW.plusSeconds(3599)).verify(login.token()))
                .isEqualTo(Principal.user("carol", Role.DATA_SCIENTIST));
        assertThatThrownBy(() -> verifierAt(NOW.plusSeconds(3600)).verify(login.token()))
                .isInstanceOf(LatticeException.class)
                .hasMessageContaining("expired")
                .extracting("status").isEqualTo(401);
    }

    /** Auth's check of requests: the principal a request claims must be the one its credential proves. */
    @Test
    void authActsOnlyForTheOwnerOfTheCredentialARequestCarries() {
        TokenIssuer issuer = TokenIssuer.start(keys, Duration.ofHours(1), AT_NOW);
        StateOwner<ApiKey> apiKeys = bus.own(ApiKey.KIND, ApiKey.class, Duration.ofSeconds(30));
        String id = SecretTokens.newId();
        String key = SecretTokens.newToken(ApiKey.PREFIX, id);
        apiKeys.create(id, new ApiKey(id, "ci", "erin", Role.APP_DEVELOPER, SecretTokens.hash(key), NOW, NOW.plusSeconds(3600)), "test");
        CallerCheck check = new CallerCheck(verifierAt(NOW), new ApiKeyVerifier(apiKeys.view(), AT_NOW));
        Principal admin = Principal.user("root", Role.ADMIN);
        String adminToken = issuer.issue("root", Role.ADMIN).token();
        String userToken = issuer.issue("frank", Role.END_USER).token();

        assertThat(check.verified(admin, adminToken, null)).isEqualTo(admin);
        assertThat(check.verified(Principal.apiKey("erin", Role.APP_DEVELOPER, id), key, null)).isEqualTo(Principal.apiKey("erin", Role.APP_DEVELOPER, id));
        assertThat(check.verified(new Principal("anonymous", Role.ADMIN, Principal.Kind.ANONYMOUS), null, null))
                .as("an anonymous claim gets no role").isEqualTo(Principal.ANONYMOUS);
        for (String credential : new String[] {null, "", userToken, key, "junk", ApiKey.PREFIX + id + "_wrong"}) {
            assertThatThrownBy(() -> check.verified(admin, credential, null)).as("claiming the admin with " + credential)
                    .isInstanceOf(LatticeException.class).extracting("status").isEqualTo(401);
        }
        assertThatThrownBy(() -> check.verified(Principal.service("scheduler"), adminToken, null)).as("claiming a service")
                .isInstanceOf(LatticeException.class).extracting("status").isEqualTo(401);
        assertThatThrownBy(() -> check.verified(Principal.user("erin", Role.ADMIN), key, null)).as("a key's owner with more than the key's role")
                .isInstanceOf(LatticeException.class).extracting("status").isEqualTo(401);
    }

    /**
     * Every other service's check: a user only on the login token, an API key only on auth's assertion
     * of it (which the gateway's own check refuses as a credential), a service only on its own lane.
     */
    @Test
    void aServiceActsOnlyForAProvenUserOrForTheServiceWhoseLaneARequestCameOn() {
        TokenIssuer issuer = TokenIssuer.start(keys, Duration.ofHours(1), AT_NOW);
        VerifiedCaller check = VerifiedCaller.of(verifierAt(NOW))
                .with("ltd_", token -> {
                    if (!token.equals("ltd_s1_good")) throw LatticeException.unauthorized("invalid device token");
                    return Principal.device("s1");
                });
        Principal admin = Principal.user("root", Role.ADMIN);
        String adminToken = issuer.issue("root", Role.ADMIN).token();
        Principal erinsKey = Principal.apiKey("erin", Role.APP_DEVELOPER, "k1");
        var assertion = issuer.assertion(erinsKey, NOW.plus(Duration.ofDays(1)));

        assertThat(check.verified(admin, adminToken, null)).isEqualTo(admin);
        assertThat(check.verified(erinsKey, assertion.token(), null)).as("a key's assertion").isEqualTo(erinsKey);
        assertThat(assertion.expiresAt()).as("an assertion is short-lived").isEqualTo(NOW.plus(AuthCommands.ASSERTION_TTL));
        assertThat(issuer.assertion(erinsKey, NOW.plusSeconds(30)).expiresAt()).as("never beyond its key's expiry")
                .isEqualTo(NOW.plusSeconds(30));
        assertThatThrownBy(() -> verifierAt(NOW).verify(assertion.token())).as("an assertion shown to the gateway as a credential")
                .isInstanceOf(LatticeException.class).extracting("status").isEqualTo(401);
        assertThat(check.verified(Principal.device("s1"), "ltd_s1_good", null)).isEqualTo(Principal.device("s1"));
        assertThat(check.verified(Principal.service("apps"), null, "apps")).as("apps on its own lane").isEqualTo(Principal.service("apps"));
        assertThat(check.verified(new Principal("anonymous", Role.ADMIN, Principal.Kind.ANONYMOUS), null, null))
                .as("an anonymous claim gets no role").isEqualTo(Principal.ANONYMOUS);

        Principal erinAsAdmin = Principal.apiKey("erin", Role.ADMIN, "k1");
        Object[][] refused = {
                {admin, null, null, "the admin, no credential"},
                {admin, issuer.issue("frank", Role.END_USER).token(), null, "the admin with an end user's token"},
                {admin, assertion.token(), null, "the admin with a key's assertion"},
                {erinAsAdmin, assertion.token(), null, "a key with more than the key's role"},
                {erinsKey, "ltk_k1_raw", null, "a raw API key (the gateway forwards assertions)"},
                {admin, "junk", null, "the admin with junk"},
                {Principal.device("s2"), "ltd_s1_good", null, "another device's token"},
                {Principal.app("i1"), "lta_i1_x", null, "an app here, where no app token is checked"},
                {Principal.service("apps"), null, null, "a service on the main request topic"},
                {Principal.service("apps"), adminToken, null, "a service with an admin's token on the main topic"},
                {Principal.service("models"), null, "apps", "another service on apps' lane"},
        };
        for (Object[] r : refused) {
            assertThatThrownBy(() -> check.verified((Principal) r[0], (String) r[1], (String) r[2])).as((String) r[3])
                    .isInstanceOf(LatticeException.class).extracting("status").isEqualTo(401);
        }
    }

    @Test
    void aTamperedTokenIsRejected() {
        TokenIssuer issuer = TokenIssuer.start(keys, Duration.ofHours(1), AT_NOW);
        String token = issuer.issue("dave", Role.END_USER).token();
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]));
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.replace("end-user", "admin").getBytes()) + "." + parts[2];

        assertThatThrownBy(() -> verifierAt(NOW).verify(forged)).isInstanceOf(LatticeException.class)
                .extracting("status").isEqualTo(401);
        assertThatThrownBy(() -> verifierAt(NOW).verify(parts[0] + "." + parts[1] + ".")).isInstanceOf(LatticeException.class)
                .extracting("status").isEqualTo(401);
        assertThatThrownBy(() -> verifierAt(NOW).verify("definitely-not-a-jwt")).isInstanceOf(LatticeException.class)
                .extracting("status").isEqualTo(401);
    }

    @Test
    void aTokenSignedByAnUnpublishedKeyIsRejected() throws Exception {
        var rogue = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256).keyID("rogue").generate();
        var claims = new com.nimbusds.jwt.JWTClaimsSet.Builder().issuer("lattice").subject("eve").claim("role", "admin")
                .expirationTime(java.util.Date.from(NOW.plusSeconds(600))).build();
        var jwt = new com.nimbusds.jwt.SignedJWT(new com.nimbusds.jose.JWSHeader.Builder(com.nimbusds.jose.JWSAlgorithm.ES256)
                .keyID("rogue").build(), claims);
        jwt.sign(new com.nimbusds.jose.crypto.ECDSASigner(rogue));
        assertThatThrownBy(() -> verifierAt(NOW).verify(jwt.serialize())).isInstanceOf(LatticeException.class)
                .extracting("status").isEqualTo(401);
    }

    @Test
    void tokensOfAnEarlierInstanceStayValidAfterARestart() {
        String before = TokenIssuer.start(keys, Duration.ofHours(1), AT_NOW).issue("erin", Role.APP_DEVELOPER).token();
        TokenIssuer.start(keys, Duration.ofHours(1), AT_NOW); // the restarted instance: a new key
        assertThat(verifierAt(NOW.plusSeconds(60)).verify(before).name()).isEqualTo("erin");
    }
}
