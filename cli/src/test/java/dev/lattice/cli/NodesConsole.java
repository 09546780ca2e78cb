package dev.lattice.cli;

import static dev.lattice.gateway.ui.Browser.tid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.core.Json;
import dev.lattice.gateway.ui.Browser;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The Nodes, Deployments, Workloads and Events pages in headless Chromium against a real
 * {@code lattice up --nodes 2} (separate processes, real agents running real workloads): an admin
 * sees both nodes READY with load bars that refresh, deploys {@code sleep 300} twice through the
 * form, sees the replicas RUNNING on different nodes, reads logs, sees "placed" and "started" in
 * the events (and a new event arrive live), drains n2 and sees its replica move to n1, gets the
 * API's problem next to the replicas field, deletes with confirmation; a platform configurer
 * sees the same pages without any create, delete or drain control; an end user has none of them.
 * A failure leaves a screenshot in target/browser-it.
 */
class NodesConsole {
    private static final String CONFIGURER = "configurer-nodes-ui";
    private static final String END_USER = "end-user-nodes-ui";
    private static final String PASSWORD = "password-for-nodes-ui";

    @TempDir
    static Path tmp;
    private static PlatformConsole ui;
    /** Shorthands for ui's. */
    private static WebDriver driver;
    private static WebDriverWait wait;

    @RegisterExtension
    final TestWatcher screenshotOnFailure = Browser.screenshotOnFailure("nodes-", () -> ui == null ? null : ui.browser);

    @BeforeAll
    static void start() throws Exception {
        ui = PlatformConsole.open(tmp.resolve("data"), Map.of(CONFIGURER, "platform-configurer", END_USER, "end-user"), PASSWORD);
        driver = ui.driver;
        wait = ui.wait;
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (ui == null) return;
        // delete what the tests deployed, so that stopping leaves no workload behind
        ui.stop(() -> {
            for (JsonNode d : api("GET", "/api/v1/deployments", null)) {
                ui.platform.send("DELETE", "/api/v1/deployments/" + d.get("name").asText(), ui.adminToken, null);
            }
        });
    }

    @BeforeEach
    void freshLoginPage() {
        ui.freshLoginPage();
    }

    @AfterEach
    void noScriptErrors() {
        assertThat(ui.browser.scriptErrors()).as("errors in the browser's console").isEmpty();
    }

    @Test
    void adminWatchesNodesDeploysReadsLogsAndEventsDrainsAndSeesInlineErrors() {
        ui.logIn("admin", ui.adminPassword);

        // Nodes: both READY, with load bars and figures, refreshed live; a Drain button each.
        ui.open("nodes");
        for (String node : List.of("n1", "n2")) {
            wait.until(textToBe(tid("node-status-" + node), "READY"));
            assertThat(meter("node-cpu-" + node)).isBetween(0, 100);
            assertThat(meter("node-memory-" + node)).isBetween(0, 100);
            assertThat(ui.text("node-cpu-" + node)).matches("\\d+ % of \\d+ cores?");
            assertThat(ui.text("node-memory-" + node)).matches("\\d+(\\.\\d)? (MiB|GiB) / \\d+(\\.\\d)? (MiB|GiB)");
            assertThat(ui.text("node-drain-" + node)).isEqualTo("Drain");
        }
        assertThat(ui.text("node-runtime-n1")).isEqualTo("process");
        assertThat(rowTexts("nodes-rows")).hasSize(2);
        String updated = ui.text("nodes-updated");
        ui.until("the nodes table to refresh by itself", () -> !ui.text("nodes-updated").equals(updated));

        // The deployer keeps new work off a node busier than half its cores when a calmer one can
        // take it: wait until n1 (which also runs the platform's services) is calm, so that
        // spreading decides and the two replicas land on different nodes.
        ui.until("n1 calm (CPU under 40 %)", () -> meter("node-cpu-n1") < 40);

        // A deployment of 2 replicas through the form; its workloads show under the list.
        ui.open("deployments");
        ui.setText("deployment-name", "sleepers");
        ui.setText("deployment-command", "sleep 300");
        ui.setText("deployment-replicas", "2");
        ui.click("deployment-submit");
        wait.until(visibilityOfElementLocated(tid("deployment-ok")));
        wait.until(visibilityOfElementLocated(tid("deployment-row-sleepers")));
        assertThat(ui.text("deployment-runs-sleepers")).isEqualTo("sleep 300");
        assertThat(ui.text("deployment-replicas-sleepers")).isEqualTo("2");
        assertThat(ui.text("deployment-workloads-name")).isEqualTo("sleepers");
        ui.until("2/2 running", () -> ui.text("deployment-running-sleepers").equals("2/2"));
        JsonNode made = api("GET", "/api/v1/deployments/sleepers", null);
        assertThat(made.get("command").toString()).isEqualTo("[\"sleep\",\"300\"]");

        // Workloads: both RUNNING, on different nodes.
        ui.open("workloads");
        choose("workloads-filter-deployment", "sleepers");
        Map<String, Map<String, String>> sleepers = waitForWorkloads("2 RUNNING replicas on n1 and n2",
                w -> w.size() == 2 && statuses(w).equals(Set.of("RUNNING")) && nodes(w).equals(Set.of("n1", "n2")));
        assertThat(driver.getCurrentUrl()).endsWith("#/workloads?deployment=sleepers");
        String first = sleepers.keySet().iterator().next();

        // Logs: the dialog, for a sleeper (no output) and for a platform service (some).
        ui.click("workload-logs-" + first);
        wait.until(visibilityOfElementLocated(tid("logs-dialog")));
        assertThat(ui.text("logs-title")).isEqualTo("Logs of " + first + " on " + sleepers.get(first).get("node"));
        wait.until(textToBe(tid("logs-text"), "(no output yet)"));
        assertThat(ui.text("logs-info")).startsWith("0 lines");
        ui.click("logs-close");
        choose("workloads-filter-deployment", "auth");
        ui.click("workload-logs-auth");
        ui.until("the auth service's log", () -> ui.text("logs-text").contains("auth ready"));
        assertThat(ui.text("logs-info")).matches("\\d+ lines? \\(the last 200 at most\\).*");
        ui.click("logs-refresh");
        ui.until("the log read again", () -> ui.text("logs-text").contains("auth ready") && driver.findElement(tid("logs-refresh")).isEnabled());
        ui.click("logs-close");

        // Events: "placed" and "started" for both replicas, newest first; a new one arrives live.
        ui.open("events");
        wait.until(textToBe(tid("events-stream"), "live"));
        for (String id : sleepers.keySet()) {
            waitForEvent("placed", "workload/" + id);
            waitForEvent("started", "workload/" + id);
        }
        List<String> events = eventKeys();
        assertThat(events.indexOf("deployed deployment/sleepers"))
                .as("newest first: sleepers was deployed before its replicas were placed")
                .isGreaterThan(events.indexOf("placed workload/" + first));
        var probe = ui.platform.send("POST", "/api/v1/deployments", ui.adminToken, "{\"name\":\"live-probe\",\"command\":[\"sleep\",\"300\"],\"replicas\":0}");
        assertThat(probe.status()).as(probe.body()).isEqualTo(201);
        waitForEvent("deployed", "deployment/live-probe");
        assertThat(eventKeys().indexOf("deployed deployment/live-probe")).as("the newest events are on top")
                .isLessThan(eventKeys().indexOf("started workload/" + first));

        // Drain n2: it shows DRAINING and its replica moves to n1.
        ui.open("nodes");
        ui.click("node-drain-n2");
        wait.until(visibilityOfElementLocated(tid("node-action-ok")));
        wait.until(textToBe(tid("node-status-n2"), "DRAINING"));
        wait.until(textToBe(tid("node-drain-n2"), "Undrain"));
        driver.get(ui.base() + "/#/workloads?deployment=sleepers");
        wait.until(visibilityOfElementLocated(tid("page-workloads")));
        assertThat(new Select(driver.findElement(tid("workloads-filter-deployment"))).getFirstSelectedOption().getDomAttribute("value"))
                .isEqualTo("sleepers");
        waitForWorkloads("both replicas RUNNING on n1", w -> w.size() == 2 && statuses(w).equals(Set.of("RUNNING"))
                && nodes(w).equals(Set.of("n1")));
        ui.open("nodes");
        ui.click("node-drain-n2");
        wait.until(textToBe(tid("node-status-n2"), "READY"));

        // An invalid deployment: the API's detail next to the replicas field, nothing created.
        ui.open("deployments");
        String detail = problem("{\"name\":\"too-many\",\"command\":[\"sleep\",\"300\"],\"replicas\":500}");
        assertThat(detail).startsWith("replicas:");
        ui.setText("deployment-name", "too-many");
        ui.setText("deployment-command", "sleep 300");
        ui.setText("deployment-replicas", "500");
        ui.click("deployment-submit");
        wait.until(textToBe(tid("deployment-replicas-error"), detail));
        assertThat(driver.findElement(tid("deployment-replicas")).getDomAttribute("aria-invalid")).isEqualTo("true");
        assertThat(driver.findElement(tid("deployment-error")).isDisplayed()).as("the problem is by its field only").isFalse();
        assertThat(driver.findElements(tid("deployment-row-too-many"))).isEmpty();
        ui.assertFitsTheWindow();

        // Delete with confirmation.
        ui.click("delete-deployment-live-probe");
        ui.click("confirm-delete-deployment-live-probe");
        wait.until(d -> d.findElements(tid("deployment-row-live-probe")).isEmpty());
        assertThat(ui.platform.send("GET", "/api/v1/deployments/live-probe", ui.adminToken, null).status()).isEqualTo(404);
    }

    @Test
    void platformConfigurerSeesThePagesWithoutControls() {
        var r = ui.platform.send("POST", "/api/v1/deployments", ui.adminToken, "{\"name\":\"configurer-view\",\"command\":[\"sleep\",\"300\"],\"replicas\":0}");
        assertThat(r.status()).as(r.body()).isIn(201, 409);
        ui.logIn(CONFIGURER, PASSWORD);
        assertThat(ui.navEntries()).containsSubsequence("nodes", "deployments", "workloads", "events");

        ui.open("nodes");
        wait.until(textToBe(tid("node-status-n1"), "READY"));
        ui.until("2 nodes", () -> rowTexts("nodes-rows").size() == 2);
        assertThat(meter("node-cpu-n2")).isBetween(0, 100);
        assertThat(driver.findElements(cssPrefix("node-drain-"))).as("drain buttons").isEmpty();

        ui.open("deployments");
        wait.until(visibilityOfElementLocated(tid("deployment-row-configurer-view")));
        assertThat(ui.text("deployment-running-configurer-view")).isEqualTo("0/0");
        assertThat(driver.findElements(tid("deployment-form"))).as("the create form").isEmpty();
        assertThat(driver.findElements(cssPrefix("delete-deployment-"))).as("delete buttons").isEmpty();
        ui.click("deployment-open-configurer-view");
        wait.until(textToBe(tid("deployment-workloads-name"), "configurer-view"));

        ui.open("workloads");
        wait.until(textToBe(tid("workload-status-gateway"), "RUNNING"));
        ui.click("workload-logs-gateway");
        ui.until("the gateway's log", () -> !ui.text("logs-info").isEmpty());
        ui.click("logs-close");

        ui.open("events");
        wait.until(textToBe(tid("events-stream"), "live"));
        waitForEvent("node-joined", "node/n2");
    }

    @Test
    void endUserHasNoNodesPages() {
        ui.logIn(END_USER, PASSWORD);
        assertThat(ui.navEntries()).doesNotContain("nodes", "deployments", "workloads", "events");
        driver.get(ui.base() + "/#/nodes");
        wait.until(visibilityOfElementLocated(tid("forbidden")));
        assertThat(driver.findElements(tid("nodes-table"))).isEmpty();
    }

    // ------------------------------------------------------------------ platform

    private static JsonNode api(String method, String path, String body) {
        var r = ui.platform.send(method, path, ui.adminToken, body);
        assertThat(r.status()).as(method + " " + path + ": " + r.body()).isBetween(200, 299);
        return Json.read(r.body().getBytes(), JsonNode.class);
    }

    /** The detail of the problem the API answers to a deployment that must be refused. */
    private static String problem(String body) {
        var r = ui.platform.send("POST", "/api/v1/deployments", ui.adminToken, body);
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        return Json.read(r.body().getBytes(), JsonNode.class).get("detail").asText();
    }

    // ------------------------------------------------------------------ page

    private static org.openqa.selenium.By cssPrefix(String prefix) {
        return org.openqa.selenium.By.cssSelector("[data-testid^='" + prefix + "']");
    }

    /** A meter's share in percent, from its data-value. */
    private static int meter(String testid) {
        return Integer.parseInt(driver.findElement(tid(testid)).getDomAttribute("data-value"));
    }

    @SuppressWarnings("unchecked")
    private static List<String> rowTexts(String tbody) {
        return (List<String>) ui.js("return [...document.querySelector(\"[data-testid='\" + arguments[0] + \"']\").rows].map(r => r.innerText)", tbody);
    }

    /** The listed workloads by id, each {node, status}, read in one script call (the table refreshes while we look). */
    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, String>> workloads() {
        var rows = (List<Map<String, String>>) ui.js("return [...document.querySelectorAll(\"[data-testid^='workload-row-']\")].map(r => ({"
                + "id: r.dataset.testid.substring('workload-row-'.length),"
                + "node: r.querySelector(\"[data-testid^='workload-node-']\").textContent,"
                + "status: r.querySelector(\"[data-testid^='workload-status-']\").textContent}))");
        return rows.stream().collect(Collectors.toMap(r -> r.get("id"), r -> Map.of("node", r.get("node"), "status", r.get("status")),
                (a, b) -> a, java.util.LinkedHashMap::new));
    }

    private static Map<String, Map<String, String>> waitForWorkloads(String what,
                                                                     java.util.function.Predicate<Map<String, Map<String, String>>> ok) {
        return PlatformConsole.waiting(driver, Duration.ofSeconds(60)).withMessage(() -> what + "; shown: " + workloads())
                .until(d -> {
                    var w = workloads();
                    return ok.test(w) ? w : null;
                });
    }

    private static Set<String> nodes(Map<String, Map<String, String>> workloads) {
        return workloads.values().stream().map(w -> w.get("node")).collect(Collectors.toSet());
    }

    private static Set<String> statuses(Map<String, Map<String, String>> workloads) {
        return workloads.values().stream().map(w -> w.get("status")).collect(Collectors.toSet());
    }

    /** "kind subject" of each event row, top to bottom. */
    @SuppressWarnings("unchecked")
    private static List<String> eventKeys() {
        return (List<String>) ui.js("return [...document.querySelectorAll(\"[data-testid='event-row']\")]"
                + ".map(r => r.dataset.kind + ' ' + r.dataset.subject)");
    }

    private static void waitForEvent(String kind, String subject) {
        PlatformConsole.waiting(driver, PlatformConsole.WAIT).withMessage(() -> "event " + kind + " " + subject + " in " + eventKeys())
                .until(d -> eventKeys().contains(kind + " " + subject));
    }

    /** Picks `value` in a select once the page has offered it. */
    private static void choose(String testid, String value) {
        ui.until("option " + value + " in " + testid, () -> new Select(driver.findElement(tid(testid))).getOptions().stream()
                .anyMatch(o -> value.equals(o.getDomAttribute("value"))));
        new Select(driver.findElement(tid(testid))).selectByValue(value);
    }
}
