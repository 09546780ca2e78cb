package dev.lattice.cli;

import static dev.lattice.gateway.ui.Browser.tid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.core.Json;
import dev.lattice.gateway.ui.Browser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The Models page in headless Chromium against a real {@code lattice up --nodes 2}: an admin
 * uploads the example iris model (model.onnx, contract.yaml, config.yaml from
 * {@code examples/models/iris}), first with a config that has no name (the API's problem shows
 * under the form), then as it is; sees it in the list, deploys it, waits for READY, tries it
 * with one flower and gets {@code setosa} and a latency. An end user, who has no Models entry in
 * the nav, opens the page by its address, sees no upload or deploy control, and may try it too.
 * A failure leaves a screenshot in target/browser-it.
 */
class ModelsConsole {
    private static final Duration READY = Duration.ofSeconds(90);
    private static final String END_USER = "end-user-models-ui";
    private static final String PASSWORD = "password-for-models-ui";
    private static final String SETOSA = "{\"sepal_length\":5.1,\"sepal_width\":3.5,\"petal_length\":1.4,\"petal_width\":0.2}";

    @TempDir
    static Path tmp;
    private static PlatformConsole ui;
    /** Shorthands for ui's. */
    private static WebDriver driver;
    private static WebDriverWait wait;

    @RegisterExtension
    final TestWatcher screenshotOnFailure = Browser.screenshotOnFailure("models-", () -> ui == null ? null : ui.browser);

    @BeforeAll
    static void start() throws Exception {
        ui = PlatformConsole.open(tmp.resolve("data"), Map.of(END_USER, "end-user"), PASSWORD);
        driver = ui.driver;
        wait = ui.wait;
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (ui == null) return;
        // undeploy what the test deployed, so that stopping leaves no model server behind
        ui.stop(() -> ui.platform.send("DELETE", "/api/v1/models/iris/deploy", ui.adminToken, null));
    }

    @AfterEach
    void noScriptErrors() {
        assertThat(ui.browser.scriptErrors()).as("errors in the browser's console").isEmpty();
    }

    @Test
    void adminUploadsDeploysAndTriesAModelAndAnEndUserTriesItWithoutControls() throws Exception {
        Path iris = examples().resolve("iris");
        Path noName = tmp.resolve("config-without-name.yaml");
        Files.writeString(noName, Files.readAllLines(iris.resolve("config.yaml")).stream()
                .filter(line -> !line.startsWith("name:")).collect(Collectors.joining("\n", "", "\n")));

        freshLogin("admin", ui.adminPassword);
        ui.open("models");
        wait.until(visibilityOfElementLocated(tid("models-none")));

        // A config without a name: the API's problem under the form, the config marked, nothing listed.
        upload(iris.resolve("model.onnx"), iris.resolve("contract.yaml"), noName);
        WebElement error = wait.until(visibilityOfElementLocated(tid("model-upload-error")));
        assertThat(error.getText()).contains("name");
        assertThat(driver.findElement(tid("model-upload-config")).getDomAttribute("aria-invalid")).isEqualTo("true");
        assertThat(driver.findElements(tid("model-row-iris"))).isEmpty();

        // The example as it is: uploaded (the progress bar full), listed with its version.
        upload(iris.resolve("model.onnx"), iris.resolve("contract.yaml"), iris.resolve("config.yaml"));
        wait.until(visibilityOfElementLocated(tid("model-upload-ok")));
        assertThat(ui.text("model-upload-ok")).startsWith("Uploaded iris version ");
        assertThat(driver.findElement(tid("model-upload-progress")).getDomAttribute("data-value")).isEqualTo("100");
        assertThat(driver.findElement(tid("model-upload-error")).isDisplayed()).isFalse();
        wait.until(visibilityOfElementLocated(tid("model-row-iris")));
        assertThat(ui.text("model-versions-iris")).startsWith("v");
        assertThat(ui.text("model-deployed-iris")).isEqualTo("not deployed");

        // Deploy one replica; the badge turns READY and the replica shows its node and workload status.
        ui.setText("model-deploy-replicas-iris", "1");
        ui.click("model-deploy-iris");
        wait.until(visibilityOfElementLocated(tid("model-action-ok")));
        PlatformConsole.waiting(driver, READY).withMessage(() -> "iris READY; shown: " + ui.text("model-status-iris") + "; " + replicaLogs())
                .until(d -> ui.text("model-status-iris").equals("READY"));
        assertThat(ui.text("model-replicas-iris")).startsWith("1/1 ready").containsPattern("n[12] RUNNING");

        // Try it: the answer and the round trip's latency.
        ui.click("model-try-iris");
        tryIt(SETOSA);
        ui.assertFitsTheWindow();

        // An end user: no Models in the nav, but the page by its address, read-only, and Try it.
        freshLogin(END_USER, PASSWORD);
        assertThat(ui.navEntries()).doesNotContain("models");
        driver.get(ui.base() + "/#/models");
        wait.until(visibilityOfElementLocated(tid("model-row-iris")));
        assertThat(ui.text("model-status-iris")).isEqualTo("READY");
        for (String control : List.of("model-upload-form", "model-deploy-iris", "model-undeploy-iris")) {
            assertThat(driver.findElements(tid(control))).as(control).isEmpty();
        }
        ui.click("model-try-iris");
        tryIt(SETOSA);

        // Undeploy (admin): the model stays listed, no longer READY.
        freshLogin("admin", ui.adminPassword);
        ui.open("models");
        ui.click("model-undeploy-iris");
        wait.until(visibilityOfElementLocated(tid("model-action-ok")));
        ui.until("iris undeployed", () -> !ui.text("model-status-iris").equals("READY"));
    }

    // ------------------------------------------------------------------ platform

    /** The repository's examples/models (the build names it; else found from the module's directory). */
    private static Path examples() {
        Path dir = Path.of(System.getProperty("lattice.examples", "../examples")).resolve("models");
        assertThat(dir.resolve("iris/model.onnx")).as("the example iris model").exists();
        return dir;
    }

    /** The model as the API tells it and the log of each of its replicas: what a failed deploy needs explained. */
    private static String replicaLogs() {
        String model = ui.platform.send("GET", "/api/v1/models/iris", ui.adminToken, null).body();
        StringBuilder out = new StringBuilder(model);
        for (JsonNode r : Json.read(model.getBytes(), JsonNode.class).path("deployed").path("replicas")) {
            String id = r.get("id").asText();
            out.append("\n--- log of ").append(id).append(":\n")
                    .append(ui.platform.send("GET", "/api/v1/workloads/" + id + "/logs", ui.adminToken, null).body());
        }
        return out.toString();
    }

    // ------------------------------------------------------------------ page

    private static void freshLogin(String user, String password) {
        ui.freshLoginPage();
        ui.logIn(user, password);
    }

    /** Chooses the three files (a file input takes the path as typed keys) and submits. */
    private static void upload(Path model, Path contract, Path config) {
        for (var file : Map.of("model", model, "contract", contract, "config", config).entrySet()) {
            WebElement input = driver.findElement(tid("model-upload-" + file.getKey()));
            input.clear();
            input.sendKeys(file.getValue().toAbsolutePath().normalize().toString()); // chromedriver wants a canonical path
        }
        ui.click("model-upload-submit");
    }

    /** Sends `request` from the open Try it panel: the answer names setosa, with a latency in ms. */
    private static void tryIt(String request) {
        WebElement box = wait.until(visibilityOfElementLocated(tid("model-try-request")));
        box.clear();
        box.sendKeys(request);
        ui.click("model-try-send");
        PlatformConsole.waiting(driver, PlatformConsole.WAIT).withMessage(() -> "an answer naming setosa; error: " + ui.text("model-try-error"))
                .until(d -> d.findElement(tid("model-try-answer")).isDisplayed()
                        && ui.text("model-try-answer").contains("setosa"));
        assertThat(ui.text("model-try-latency")).matches("answered in \\d+\\.\\d ms");
        assertThat(driver.findElement(tid("model-try-error")).isDisplayed()).isFalse();
    }
}
