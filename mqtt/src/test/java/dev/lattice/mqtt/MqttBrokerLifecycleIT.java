package dev.lattice.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import dev.lattice.core.LatticeException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting, stopping and restarting the broker; what it leaves on disk. */
class MqttBrokerLifecycleIT {
    @TempDir
    Path dir;

    @Test
    void closeFreesThePortAndABrokerStartsAgainOnIt() throws Exception {
        TestDevices devices = new TestDevices();
        String token = devices.add("s-1");
        int port;
        try (MqttBroker first = MqttBroker.start(new MqttSettings("127.0.0.1", 0, dir), devices, devices)) {
            port = first.port();
            TestDevices.connect5(port, "s-1", token).disconnect();
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress("127.0.0.1", port));
        }
        MqttBroker second = MqttBroker.start(new MqttSettings("127.0.0.1", port, dir), devices, devices);
        assertThat(second.port()).isEqualTo(port);
        Mqtt5BlockingClient sensor = TestDevices.connect5(port, "s-1", token);
        sensor.publishWith().topic("sensors/s-1").qos(MqttQos.AT_LEAST_ONCE).payload(TestDevices.bytes("{}")).send();
        assertThat(devices.received.poll(5, TimeUnit.SECONDS)).isNotNull();

        second.close();
        second.close();
        assertThat(sensor.getState().isConnected()).as("close drops the devices").isFalse();
        assertThatThrownBy(() -> second.publish("controllers/x/commands", new byte[0], Duration.ofSeconds(1)))
                .isInstanceOfSatisfying(LatticeException.class, e -> assertThat(e.code()).isEqualTo("mqtt:closed"));
    }

    @Test
    void takenPortFailsAtOnceNamingThePort() throws Exception {
        TestDevices devices = new TestDevices();
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            long start = System.nanoTime();
            assertThatThrownBy(() -> MqttBroker.start(new MqttSettings("127.0.0.1", taken.getLocalPort(), dir), devices, devices))
                    .isInstanceOfSatisfying(LatticeException.class, e -> {
                        assertThat(e.code()).isEqualTo("mqtt:port.in-use");
                        assertThat(e.getMessage()).contains(Integer.toString(taken.getLocalPort()));
                    });
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        }
        // The failed start gave the slot back.
        MqttBroker.start(new MqttSettings("127.0.0.1", 0, dir), devices, devices).close();
    }

    @Test
    void aSecondBrokerInTheSameProcessIsRefusedAndFilesStayInDataDir() throws Exception {
        TestDevices devices = new TestDevices();
        try (MqttBroker broker = MqttBroker.start(new MqttSettings("127.0.0.1", 0, dir), devices, devices)) {
            assertThatThrownBy(() -> MqttBroker.start(new MqttSettings("127.0.0.1", 0, dir.resolve("other")), devices, devices))
                    .isInstanceOfSatisfying(LatticeException.class, e -> assertThat(e.code()).isEqualTo("mqtt:already-running"));
            String config = Files.readString(dir.resolve("conf/config.xml"));
            assertThat(config).contains("<anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>")
                    .contains("<port>" + broker.port() + "</port>");
            assertThat(System.getProperty("jna.tmpdir")).as("JNA unpacks under a broker's data dir, not ~/.cache").endsWith("native");
        }
    }
}
