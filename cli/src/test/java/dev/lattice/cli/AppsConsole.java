package dev.lattice.cli;

import static dev.lattice.gateway.ui.Browser.tid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.core.Json;
import dev.lattice.gateway.ui.Browser;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The Apps, Catalog, Run and My instances pages in headless Chromium against a real
 * {@code lattice up --nodes 2}. Set up over the API: a sensor type {@code probe}, a controller
 * type {@code switch}, two probes in different places with different attributes and one switch.
 * An app developer uploads an app whose config names an unknown sensor type (the API's problem
 * shows under the form), then a {@code command} app — a zip built here holding a Python script
 * that posts one output naming its probe and sleeps — and sees it listed. An end user finds it
 * in the catalog, is told inline that the probe binding is missing, narrows the probes by
 * location and by attribute, is told inline that a cron is not one, starts it, and watches the instance: RUNNING, the output (and one
 * more, arriving over SSE), the script's line in the logs; the developer sees the instance under
 * their app; the end user stops it and it leaves the list. A failure leaves a screenshot in
 * target/browser-it.
 */
class AppsConsole {
    private static final Duration RUNNING = Duration.ofSeconds(90);
    private static final String DEV = "dev";
    private static final String END_USER = "eu";
    private static final String PASSWORD = "password-for-apps-ui";
    private static final String APP = "hello";
    private static final String LOG_LINE = "hello app started";

    /** The app: one output naming the probe it is bound to, then sleep (Python 3, standard library only). */
    private static final String APP_PY = """
            import json, os, sys, time, urllib.request

            probe = json.loads(os.environ["LATTICE_BINDINGS"])["probe"][0]
            print("%s with probe " + probe, flush=True)
            url = os.environ["LATTICE_URL"] + "/api/v1/app-instances/" + os.environ["LATTICE_INSTANCE"] + "/outputs"
            request = urllib.request.Request(url, data=json.dumps({"hello": probe}).encode(), method="POST", headers={
                "Authorization": "Bearer " + os.environ["LATTICE_TOKEN"], "Content-Type": "application/json"})
            for attempt in range(10):
                try:
                    with urllib.request.urlopen(request, timeout=20) as answer:
                        print("output posted:", answer.status, flush=True)
                        break
                except Exception as e:
                    print("cannot post the output yet:", e, file=sys.stderr, flush=True)
                    time.sleep(1)
            while True:
                time.sleep(3600)
            """.formatted(LOG_LINE);

    private static final String CONFIG = """
            name: hello
            version: "1"
            description: Says hello with the probe it is given.
            runtime: command
            command: ["/usr/bin/python3", "app.py"]
            sensors:
              - name: probe
                type: %s
            controllers:
              - name: out
                type: switch
            params:
              - name: greeting
                type: string
                default: hi
            resources:
              cpu: 0.1
              memoryMb: 64
            """;

    @TempDir
    static Path tmp;
    private static PlatformConsole ui;
    /** Shorthands for ui's. */
    private static WebDriver driver;
    private static WebDriverWait wait;

    @RegisterExtension
    final TestWatcher screenshotOnFailure = Browser.screenshotOnFailure("apps-", () -> ui == null ? null : ui.browser);

    @BeforeAll
    static void start() throws Exception {
        ui = PlatformConsole.open(tmp.resolve("data"), Map.of(DEV, "app-developer", END_USER, "end-user"), PASSWORD);
        driver = ui.driver;
        wait = ui.wait;
        api("POST", "/api/v1/sensor-types", "{\"name\":\"probe\",\"fields\":[{\"name\":\"celsius\",\"type\":\"number\"}]}");
        api("POST", "/api/v1/controller-types",
                "{\"name\":\"switch\",\"commands\":[{\"name\":\"set\",\"params\":[{\"name\":\"on\",\"type\":\"boolean\"}]}]}");
        api("POST", "/api/v1/sensor-instances", "{\"type\":\"probe\",\"name\":\"probe-kitchen\","
                + "\"location\":{\"label\":\"kitchen\",\"lat\":45.07,\"lon\":7.68},\"attributes\":{\"floor\":\"1\"}}");
        api("POST", "/api/v1/sensor-instances", "{\"type\":\"probe\",\"name\":\"probe-garden\","
                + "\"location\":{\"label\":\"garden\",\"lat\":45.08,\"lon\":7.69},\"attributes\":{\"floor\":\"0\"}}");
        api("POST", "/api/v1/controller-instances", "{\"type\":\"switch\",\"name\":\"switch-hall\",\"location\":{\"label\":\"hall\"}}");
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (ui == null) return;
        // stop every app instance left, so that stopping the platform leaves no workload behind
        ui.stop(() -> {
            for (JsonNode i : api("GET", "/api/v1/app-instances", null)) {
                ui.platform.send("DELETE", "/api/v1/app-instances/" + i.get("id").asText(), ui.adminToken, null);
            }
        });
    }

    @AfterEach
    void noScriptErrors() {
        assertThat(ui.browser.scriptErrors()).as("errors in the browser's console").isEmpty();
    }

    @Test
    void developerUploadsAnAppAndAnEndUserRunsItWatchesItAndStopsIt() throws IOException {
        Path bundle = zip(tmp.resolve("hello.zip"), Map.of("app.py", APP_PY));
        Path unknownType = Files.writeString(tmp.resolve("unknown-type.yaml"), CONFIG.formatted("thermostat"));
        Path config = Files.writeString(tmp.resolve("hello.yaml"), CONFIG.formatted("probe"));

        // The developer: a config naming an unknown sensor type is refused, the detail under the form.
        freshLogin(DEV);
        assertThat(ui.navEntries()).contains("applications");
        ui.open("applications");
        wait.until(visibilityOfElementLocated(tid("apps-none")));
        upload(bundle, unknownType);
        WebElement error = wait.until(visibilityOfElementLocated(tid("app-upload-error")));
        assertThat(error.getText()).isEqualTo("config.sensors[0].type: there is no sensor type 'thermostat'");
        assertThat(driver.findElement(tid("app-upload-config")).getDomAttribute("aria-invalid")).isEqualTo("true");
        assertThat(driver.findElements(tid("app-row-" + APP))).isEmpty();

        // The good one: uploaded (the progress bar full) and listed with what it needs.
        upload(bundle, config);
        wait.until(textToBe(tid("app-upload-ok"), "Uploaded hello version 1."));
        assertThat(driver.findElement(tid("app-upload-progress")).getDomAttribute("data-value")).isEqualTo("100");
        assertThat(driver.findElement(tid("app-upload-error")).isDisplayed()).isFalse();
        wait.until(visibilityOfElementLocated(tid("app-row-" + APP)));
        assertThat(ui.text("app-version-" + APP)).isEqualTo("v1");
        assertThat(ui.text("app-runtime-" + APP)).isEqualTo("command");
        assertThat(ui.text("app-bindings-" + APP)).contains("probe: sensor probe ×1", "out: controller switch ×1");
        assertThat(ui.text("app-models-" + APP)).isEqualTo("none");
        assertThat(ui.text("app-versions-" + APP)).isEqualTo("v1");
        wait.until(visibilityOfElementLocated(tid("app-instances-none")));
        ui.assertFitsTheWindow();
        shot("apps");

        // The end user: the catalog lists it; Run opens its wizard with both bindings' candidates.
        freshLogin(END_USER);
        ui.open("catalog");
        wait.until(visibilityOfElementLocated(tid("catalog-row-" + APP)));
        assertThat(ui.text("catalog-description-" + APP)).isEqualTo("Says hello with the probe it is given.");
        assertThat(ui.text("catalog-bindings-" + APP)).contains("probe: sensor probe", "out: controller switch");
        assertThat(ui.text("catalog-params-" + APP)).isEqualTo("greeting: string = \"hi\"");
        shot("catalog");
        ui.click("catalog-run-" + APP);
        wait.until(visibilityOfElementLocated(tid("page-run")));
        wait.until(textToBe(tid("binding-probe-count"), "2 candidates"));
        assertThat(ui.text("binding-probe-hint")).isEqualTo("Choose exactly 1.");
        assertThat(candidates("probe")).containsExactly("probe-garden", "probe-kitchen");
        wait.until(textToBe(tid("binding-out-count"), "1 candidate"));
        assertThat(driver.findElement(tid("param-greeting")).getDomProperty("value")).isEqualTo("hi");

        // Submitting without a probe: the API's problem next to the probe binding.
        ui.click("binding-out-choose-switch-hall");
        ui.click("run-submit");
        WebElement missing = wait.until(visibilityOfElementLocated(tid("binding-probe-error")));
        assertThat(missing.getText()).startsWith("bindings.probe: 0 sensor instances given");
        assertThat(driver.findElement(tid("binding-probe")).getDomAttribute("aria-invalid")).isEqualTo("true");
        assertThat(driver.getCurrentUrl()).endsWith("#/catalog/" + APP);
        shot("run-missing-probe");

        // The filters narrow the candidates: by location, then (cleared) by attribute.
        ui.setText("binding-probe-filter-location", "garden");
        ui.click("binding-probe-filter-apply");
        wait.until(textToBe(tid("binding-probe-count"), "1 candidate"));
        assertThat(candidates("probe")).containsExactly("probe-garden");
        ui.click("binding-probe-filter-clear");
        wait.until(textToBe(tid("binding-probe-count"), "2 candidates"));
        ui.setText("binding-probe-filter-attr-key", "floor");
        ui.setText("binding-probe-filter-attr-value", "1");
        ui.click("binding-probe-filter-apply");
        wait.until(textToBe(tid("binding-probe-count"), "1 candidate"));
        assertThat(candidates("probe")).containsExactly("probe-kitchen");

        // A cron that is not one: the API's problem next to the cron field.
        ui.click("binding-probe-choose-probe-kitchen");
        assertThat(ui.text("binding-probe-chosen")).isEqualTo("chosen: probe-kitchen");
        new Select(driver.findElement(tid("schedule-kind"))).selectByValue("cron");
        ui.setText("schedule-cron", "every minute");
        ui.click("run-submit");
        WebElement cron = wait.until(visibilityOfElementLocated(tid("schedule-cron-error")));
        assertThat(cron.getText()).startsWith("schedule.cron: ");
        assertThat(driver.findElement(tid("binding-probe-error")).isDisplayed()).as("the earlier problem is gone").isFalse();

        // Start it now: the instance's view, RUNNING, with its output and its log line.
        new Select(driver.findElement(tid("schedule-kind"))).selectByValue("default");
        ui.click("run-submit");
        wait.until(visibilityOfElementLocated(tid("page-instance")));
        String id = ui.text("instance-id");
        assertThat(driver.getCurrentUrl()).endsWith("#/instances/" + id);
        PlatformConsole.waiting(driver, RUNNING).withMessage(() -> "instance RUNNING; shown: " + ui.text("instance-status") + "; "
                        + api("GET", "/api/v1/app-instances/" + id, null))
                .until(d -> ui.text("instance-status").equals("RUNNING"));
        assertThat(ui.text("instance-node")).matches("n[12]");
        assertThat(ui.text("instance-bindings")).contains("probe: probe-kitchen", "out: switch-hall");
        assertThat(ui.text("instance-params")).isEqualTo("greeting=\"hi\"");
        wait.until(textToBe(tid("outputs-stream"), "live"));
        ui.until("the app's output", () -> outputs().contains("{\"hello\":\"probe-kitchen\"}"));

        // An output posted now (an admin may) arrives over the stream, on top.
        api("POST", "/api/v1/app-instances/" + id + "/outputs", "{\"live\":1}");
        ui.until("the live output on top", () -> !outputs().isEmpty() && outputs().get(0).equals("{\"live\":1}"));
        assertThat(Integer.parseInt(ui.text("outputs-count"))).isPositive();

        ui.until("the app's line in its logs", () -> {
            if (ui.text("logs-text").contains(LOG_LINE + " with probe probe-kitchen")) return true;
            if (driver.findElement(tid("logs-refresh")).isEnabled()) ui.click("logs-refresh");
            return false;
        });
        ui.assertFitsTheWindow();
        shot("instance");

        // The developer sees the instance under their app, without a Stop button.
        freshLogin(DEV);
        ui.open("applications");
        wait.until(textToBe(tid("app-instance-status-" + id), "RUNNING"));
        assertThat(ui.text("app-instance-owner-" + id)).isEqualTo(END_USER);
        assertThat(driver.findElements(tid("app-instance-stop-" + id))).isEmpty();

        // The end user's instances: there, RUNNING; Stop (confirmed) and it leaves the list.
        freshLogin(END_USER);
        ui.open("instances");
        wait.until(textToBe(tid("app-instance-status-" + id), "RUNNING"));
        assertThat(ui.text("app-instance-app-" + id)).isEqualTo("hello v1");
        assertThat(ui.text("app-instance-node-" + id)).matches("n[12]");
        assertThat(ui.text("app-instance-restarts-" + id)).isEqualTo("0");
        shot("instances");
        ui.click("app-instance-stop-" + id);
        ui.click("app-instance-confirm-stop-" + id);
        wait.until(visibilityOfElementLocated(tid("app-instances-action-ok")));
        wait.until(d -> d.findElements(tid("app-instance-row-" + id)).isEmpty());
        wait.until(visibilityOfElementLocated(tid("app-instances-none")));
        assertThat(ui.platform.send("GET", "/api/v1/app-instances/" + id, ui.adminToken, null).status()).isEqualTo(404);
    }

    // ------------------------------------------------------------------ platform

    private static JsonNode api(String method, String path, String body) {
        var r = ui.platform.send(method, path, ui.adminToken, body);
        assertThat(r.status()).as(method + " " + path + ": " + r.body()).isBetween(200, 299);
        return Json.read(r.body().getBytes(), JsonNode.class);
    }

    /** A zip of the files (name → text), as a developer would make a command app's bundle. */
    private static Path zip(Path file, Map<String, String> files) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (var f : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(f.getKey()));
                zip.write(f.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return file;
    }

    // ------------------------------------------------------------------ page

    private static void freshLogin(String user) {
        ui.freshLoginPage();
        ui.logIn(user, PASSWORD);
    }

    /** With {@code -Dlattice.ui.screenshots=DIR}, a screenshot of the whole page as {@code DIR/apps-<name>.png}. */
    private static void shot(String name) {
        String dir = System.getProperty("lattice.ui.screenshots");
        if (dir == null) return;
        Dimension window = driver.manage().window().getSize();
        long height = ((Number) ui.js("return document.documentElement.scrollHeight")).longValue();
        driver.manage().window().setSize(new Dimension(window.getWidth(), (int) Math.min(4000, height + 150)));
        try {
            ui.browser.screenshot(Path.of(dir, "apps-" + name + ".png"));
        } finally {
            driver.manage().window().setSize(window);
        }
    }

    /** Chooses the app and config files (a file input takes the path as typed keys) and submits. */
    private static void upload(Path app, Path config) {
        for (var file : Map.of("app", app, "config", config).entrySet()) {
            WebElement input = driver.findElement(tid("app-upload-" + file.getKey()));
            input.clear();
            input.sendKeys(file.getValue().toAbsolutePath().normalize().toString()); // chromedriver wants a canonical path
        }
        ui.click("app-upload-submit");
    }

    /** The ids of the candidates a binding shows. */
    private static List<String> candidates(String binding) {
        String prefix = "binding-" + binding + "-candidate-";
        return driver.findElements(By.cssSelector("[data-testid^='" + prefix + "']")).stream()
                .map(e -> e.getDomAttribute("data-testid").substring(prefix.length())).toList();
    }

    /** The values in the outputs panel, newest first. */
    private static List<String> outputs() {
        return driver.findElements(tid("output-value")).stream().map(WebElement::getText).toList();
    }
}
