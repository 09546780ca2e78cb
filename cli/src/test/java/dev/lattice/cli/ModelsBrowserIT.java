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
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
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
class ModelsBrowserIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration READY = Duration.ofSeconds(90);
    private static final String END_USER = "end-user-models-ui";
    private static final String PASSWORD = "password-for-models-ui";
    private static final String SETOSA = "{\"sepal_length\":5.1,\"sepal_width\":3.5,\"petal_length\":1.4,\"petal_width\":0.2}";

    @TempDir
    static Path tmp;
    private static RunningPlatform platform;
    private static String adminPassword;
    private static String adminToken;
    private static Browser browser;
    private static WebDriver driver;
    private static WebDriverWait wait;

    @RegisterExtension
    final TestWatcher screenshotOnFailure = Browser.screenshotOnFailure("models-", () -> browser);

    @BeforeAll
    static void start() throws Exception {
        Path data = tmp.resolve("data");
        platform = RunningPlatform.start(data, RunningPlatform.freePort(),
                "--nodes", "2", "--mqtt-port", Integer.toString(RunningPlatform.freePort()));
        waitUntil("health UP", Duration.ofSeconds(120), platform::isUp);
        Path passwordFile = data.resolve("admin-password");
        waitUntil("the admin password file", Duration.ofSeconds(30), () -> Files.exists(passwordFile));
        adminPassword = Files.readString(passwordFile).trim();
        adminToken = login("admin", adminPassword);
        var r = platform.send("POST", "/api/v1/users", adminToken,
                Json.string(Map.of("username", END_USER, "password", PASSWORD, "role", "end-user")));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        browser = Browser.start();
        driver = browser.driver;
        wait = new WebDriverWait(driver, WAIT);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        try {
            if (browser != null) browser.close();
        } finally {
            if (platform != null) {
                // undeploy what the test deployed, so that stopping leaves no model server behind
                platform.send("DELETE", "/api/v1/models/iris/deploy", adminToken, null);
                try {
                    platform.terminate(Duration.ofSeconds(60));
                } finally {
                    platform.close();
                }
            }
        }
    }

    @AfterEach
    void noScriptErrors() {
        assertThat(browser.scriptErrors()).as("errors in the browser's console").isEmpty();
    }

    @Test
    void adminUploadsDeploysAndTriesAModelAndAnEndUserTriesItWithoutControls() throws Exception {
        Path iris = examples().resolve("iris");
        Path noName = tmp.resolve("config-without-name.yaml");
        Files.writeString(noName, Files.readAllLines(iris.resolve("config.yaml")).stream()
                .filter(line -> !line.startsWith("name:")).collect(Collectors.joining("\n", "", "\n")));

        freshLogin("admin", adminPassword);
        open("models");
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
        assertThat(text("model-upload-ok")).startsWith("Uploaded iris version ");
        assertThat(driver.findElement(tid("model-upload-progress")).getDomAttribute("data-value")).isEqualTo("100");
        assertThat(driver.findElement(tid("model-upload-error")).isDisplayed()).isFalse();
        wait.until(visibilityOfElementLocated(tid("model-row-iris")));
        assertThat(text("model-versions-iris")).startsWith("v");
        assertThat(text("model-deployed-iris")).isEqualTo("not deployed");

        // Deploy one replica; the badge turns READY and the replica shows its node and workload status.
        setText("model-deploy-replicas-iris", "1");
        click("model-deploy-iris");
        wait.until(visibilityOfElementLocated(tid("model-action-ok")));
        new WebDriverWait(driver, READY).withMessage(() -> "iris READY; shown: " + text("model-status-iris") + "; " + replicaLogs())
                .until(d -> text("model-status-iris").equals("READY"));
        assertThat(text("model-replicas-iris")).startsWith("1/1 ready").containsPattern("n[12] RUNNING");

        // Try it: the answer and the round trip's latency.
        click("model-try-iris");
        tryIt(SETOSA);
        assertFitsTheWindow();

        // An end user: no Models in the nav, but the page by its address, read-only, and Try it.
        freshLogin(END_USER, PASSWORD);
        assertThat(navEntries()).doesNotContain("models");
        driver.get(base() + "/#/models");
        wait.until(visibilityOfElementLocated(tid("model-row-iris")));
        assertThat(text("model-status-iris")).isEqualTo("READY");
        for (String control : List.of("model-upload-form", "model-deploy-iris", "model-undeploy-iris")) {
            assertThat(driver.findElements(tid(control))).as(control).isEmpty();
        }
        click("model-try-iris");
        tryIt(SETOSA);

        // Undeploy (admin): the model stays listed, no longer READY.
        freshLogin("admin", adminPassword);
        open("models");
        click("model-undeploy-iris");
        wait.until(visibilityOfElementLocated(tid("model-action-ok")));
        until("iris undeployed", () -> !text("model-status-iris").equals("READY"));
    }

    // ------------------------------------------------------------------ platform

    private static String base() {
        return "http://127.0.0.1:" + platform.port;
    }

    /** The repository's examples/models (the build names it; else found from the module's directory). */
    private static Path examples() {
        Path dir = Path.of(System.getProperty("lattice.examples", "../examples")).resolve("models");
        assertThat(dir.resolve("iris/model.onnx")).as("the example iris model").exists();
        return dir;
    }

    private static void waitUntil(String what, Duration timeout, Supplier<Boolean> done) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.get()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what + "\n" + platform.log());
            Thread.sleep(200);
        }
    }

    private static String login(String user, String password) {
        var r = platform.send("POST", "/api/v1/auth/login", null, Json.string(Map.of("username", user, "password", password)));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return Json.read(r.body().getBytes(), JsonNode.class).get("token").asText();
    }

    /** The model as the API tells it and the log of each of its replicas: what a failed deploy needs explained. */
    private static String replicaLogs() {
        String model = platform.send("GET", "/api/v1/models/iris", adminToken, null).body();
        StringBuilder out = new StringBuilder(model);
        for (JsonNode r : Json.read(model.getBytes(), JsonNode.class).path("deployed").path("replicas")) {
            String id = r.get("id").asText();
            out.append("\n--- log of ").append(id).append(":\n")
                    .append(platform.send("GET", "/api/v1/workloads/" + id + "/logs", adminToken, null).body());
        }
        return out.toString();
    }

    // ------------------------------------------------------------------ page

    private static void freshLogin(String user, String password) {
        driver.get(base() + "/");
        js("sessionStorage.clear()");
        driver.navigate().refresh();
        wait.until(visibilityOfElementLocated(tid("login-form")));
        setText("login-username", user);
        setText("login-password", password);
        click("login-submit");
        wait.until(visibilityOfElementLocated(tid("nav")));
    }

    private static void open(String section) {
        click("nav-" + section);
        wait.until(visibilityOfElementLocated(tid("page-" + section)));
    }

    /** Chooses the three files (a file input takes the path as typed keys) and submits. */
    private static void upload(Path model, Path contract, Path config) {
        for (var file : Map.of("model", model, "contract", contract, "config", config).entrySet()) {
            WebElement input = driver.findElement(tid("model-upload-" + file.getKey()));
            input.clear();
            input.sendKeys(file.getValue().toAbsolutePath().normalize().toString()); // chromedriver wants a canonical path
        }
        click("model-upload-submit");
    }

    /** Sends `request` from the open Try it panel: the answer names setosa, with a latency in ms. */
    private static void tryIt(String request) {
        WebElement box = wait.until(visibilityOfElementLocated(tid("model-try-request")));
        box.clear();
        box.sendKeys(request);
        click("model-try-send");
        new WebDriverWait(driver, WAIT).withMessage(() -> "an answer naming setosa; error: " + text("model-try-error"))
                .until(d -> d.findElement(tid("model-try-answer")).isDisplayed()
                        && text("model-try-answer").contains("setosa"));
        assertThat(text("model-try-latency")).matches("answered in \\d+\\.\\d ms");
        assertThat(driver.findElement(tid("model-try-error")).isDisplayed()).isFalse();
    }

    private static List<String> navEntries() {
        return driver.findElement(tid("nav")).findElements(org.openqa.selenium.By.cssSelector("[data-testid^='nav-']")).stream()
                .map(e -> e.getDomAttribute("data-testid").substring("nav-".length())).toList();
    }

    private static String text(String testid) {
        return driver.findElement(tid(testid)).getText();
    }

    private static void until(String what, Supplier<Boolean> done) {
        new WebDriverWait(driver, WAIT).withMessage("waiting for " + what).until(d -> done.get());
    }

    private static void setText(String testid, String value) {
        WebElement input = driver.findElement(tid(testid));
        input.clear();
        if (!value.isEmpty()) input.sendKeys(value);
    }

    /** Clicks after scrolling the element to the middle of the window: the sticky header must not be in the way. */
    private static void click(String testid) {
        WebElement element = wait.until(visibilityOfElementLocated(tid(testid)));
        js("arguments[0].scrollIntoView({block: 'center'})", element);
        wait.until(d -> element.isEnabled());
        element.click();
    }

    /** The page fits the window's width: no sideways scrolling. */
    private static void assertFitsTheWindow() {
        Number overflow = (Number) js("return document.documentElement.scrollWidth - window.innerWidth");
        assertThat(overflow.intValue()).as("page is wider than the window by %s px", overflow).isLessThanOrEqualTo(0);
    }

    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }
}
