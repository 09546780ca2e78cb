package dev.lattice.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lattice.core.LatticeException;
import dev.lattice.workloads.NodeCommands.DockerAccess;
import java.util.List;
import org.junit.jupiter.api.Test;

class DockerAccessCheckTest {
    /** A self-signed EC certificate (CN=test), only parsed here. */
    private static final String CERT = "-----BEGIN CERTIFICATE-----\nMIIBczCCARmgAwIBAgIUD7HOVbl4+VUbMv7555fZTrU0p8YwCgYIKoZIzj0EAwIw\nDzENMAsGA1UEAwwEdGVzdDAeFw0yNjEyMDcwMTUxMTNaFw0zNjEyMDQwMTUxMTNa\nMA8xDTALBgNVBAMMBHRlc3QwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAATpxvSB\nOk1tkCrn3EKhEul+51HvONrR0wEFjmf3kynqvMGc1DVleqYoC+v7kdr5qPEc7NqX\n3Z228ZYc/HD1kA/ro1MwUTAdBgNVHQ4EFgQUrkNS2WIj8BX8mt/xIWm9RZKdZOww\nHwYDVR0jBBgwFoAUrkNS2WIj8BX8mt/xIWm9RZKdZOwwDwYDVR0TAQH/BAUwAwEB\n/zAKBggqhkjOPQQDAgNIADBFAiBRXVkRYzPnPNpSYaNfWGqtcgEonu3HwjUupK7d\nikTMAQIhAM8e7GO/eutu2emlIo09l/6sw1m+BV0C4ywdN6iuxzVy\n-----END CERTIFICATE-----\n";
    private static final String KEY = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n";

    private static void refused(DockerAccess in, String field) {
        assertThatThrownBy(() -> DockerAccessCheck.check(in)).isInstanceOf(LatticeException.class)
                .hasMessageContaining(field).satisfies(e -> assertThat(((LatticeException) e).status()).isEqualTo(400));
    }

    @Test
    void aTcpEngineNeedsMutualTls() {
        assertThat(DockerAccessCheck.check(new DockerAccess(" tcp://10.0.0.5:2376 ", CERT, CERT, KEY)).host()).isEqualTo("tcp://10.0.0.5:2376");
        refused(new DockerAccess("tcp://10.0.0.5:2376", null, null, null), "docker.ca");
        refused(new DockerAccess("tcp://10.0.0.5:2376", CERT, null, KEY), "docker.cert");
        refused(new DockerAccess("tcp://10.0.0.5:2376", CERT, CERT, "secret"), "docker.key");
        refused(new DockerAccess("tcp://10.0.0.5:2376", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", CERT, KEY), "docker.ca");
    }

    @Test
    void theHostIsTcpWithAPortOrAUnixSocket() {
        refused(new DockerAccess("http://10.0.0.5:2376", CERT, CERT, KEY), "docker.host");
        refused(new DockerAccess("tcp://10.0.0.5", CERT, CERT, KEY), "docker.host");
        refused(new DockerAccess("tcp://10.0.0.5:2376/x", CERT, CERT, KEY), "docker.host");
        refused(new DockerAccess("unix://relative", null, null, null), "docker.host");
        refused(null, "docker");
        assertThat(DockerAccessCheck.check(new DockerAccess("unix:///var/run/docker.sock", null, null, null)).cert()).isNull();
    }

    @Test
    void labelsAreNamesAndNeverTheControlPlane() {
        assertThat(DockerAccessCheck.labels(null)).isEmpty();
        assertThat(DockerAccessCheck.labels(List.of("edge", "gpu"))).containsExactly("edge", "gpu");
        assertThatThrownBy(() -> DockerAccessCheck.labels(List.of("control-plane"))).hasMessageContaining("control-plane");
        assertThatThrownBy(() -> DockerAccessCheck.labels(List.of("Not A Name"))).hasMessageContaining("labels");
    }
}
