package dev.lattice.cli;

import static dev.lattice.gateway.ui.Browser.tid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.core.Json;
import dev.lattice.gateway.ui.Browser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
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
class NodesBrowserIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String CONFIGURER = "configurer-nodes-ui";
    private static final String END_USER = "end-user-nodes-ui";
    private static final String PASSWORD = "password-for-nodes-ui";

    @TempDir
    static Path tmp;
    private static RunningPlatform platform;
    private static String adminPassword;
    private static String adminToken;
    private static Browser browser;
    private static WebDriver driver;
    private static WebDriverWait wait;

    @RegisterExtension
    final TestWatcher screenshotOnFailure = Browser.screenshotOnFailure("nodes-", () -> browser);

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
        for (var user : Map.of(CONFIGURER, "platform-configurer", END_USER, "end-user").entrySet()) {
            var r = platform.send("POST", "/api/v1/users", adminToken,
                    Json.string(Map.of("username", user.getKey(), "password", PASSWORD, "role", user.getValue())));
            assertThat(r.status()).as(r.body()).isEqualTo(201);
        }
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
                // delete what the tests deployed, so that stopping leaves no workload behind
                for (JsonNode d : api("GET", "/api/v1/deployments", null)) {
                    platform.send("DELETE", "/api/v1/deployments/" + d.get("name").asText(), adminToken, null);
                }
                try {
                    platform.terminate(Duration.ofSeconds(60));
                } finally {
                    platform.close();
                }
            }
        }
    }

    @BeforeEach
    void freshLoginPage() {
        driver.get(base() + "/");
        js("sessionStorage.clear()");
        driver.navigate().refresh();
        wait.until(visibilityOfElementLocated(tid("login-form")));
    }

    @AfterEach
    void noScriptErrors() {
        assertThat(browser.scriptErrors()).as("errors in the browser's console").isEmpty();
    }

    @Test
    void adminWatchesNodesDeploysReadsLogsAndEventsDrainsAndSeesInlineErrors() {
        logIn("admin", adminPassword);

        // Nodes: both READY, with load bars and figures, refreshed live; a Drain button each.
        open("nodes");
        for (String node : List.of("n1", "n2")) {
            wait.until(textToBe(tid("node-status-" + node), "READY"));
            assertThat(meter("node-cpu-" + node)).isBetween(0, 100);
            assertThat(meter("node-memory-" + node)).isBetween(0, 100);
            assertThat(text("node-cpu-" + node)).matches("\\d+ % of \\d+ cores?");
            assertThat(text("node-memory-" + node)).matches("\\d+(\\.\\d)? (MiB|GiB) / \\d+(\\.\\d)? (MiB|GiB)");
            assertThat(text("node-drain-" + node)).isEqualTo("Drain");
        }
        assertThat(text("node-runtime-n1")).isEqualTo("process");
        assertThat(rowTexts("nodes-rows")).hasSize(2);
        String updated = text("nodes-updated");
        until("the nodes table to refresh by itself", () -> !text("nodes-updated").equals(updated));

        // The deployer keeps new work off a node busier than half its cores when a calmer one can
        // take it: wait until n1 (which also runs the platform's services) is calm, so that
        // spreading decides and the two replicas land on different nodes.
        until("n1 calm (CPU under 40 %)", () -> meter("node-cpu-n1") < 40);

        // A deployment of 2 replicas through the form; its workloads show under the list.
        open("deployments");
        setText("deployment-name", "sleepers");
        setText("deployment-command", "sleep 300");
        setText("deployment-replicas", "2");
        click("deployment-submit");
        wait.until(visibilityOfElementLocated(tid("deployment-ok")));
        wait.until(visibilityOfElementLocated(tid("deployment-row-sleepers")));
        assertThat(text("deployment-runs-sleepers")).isEqualTo("sleep 300");
        assertThat(text("deployment-replicas-sleepers")).isEqualTo("2");
        assertThat(text("deployment-workloads-name")).isEqualTo("sleepers");
        until("2/2 running", () -> text("deployment-running-sleepers").equals("2/2"));
        JsonNode made = api("GET", "/api/v1/deployments/sleepers", null);
        assertThat(made.get("command").toString()).isEqualTo("[\"sleep\",\"300\"]");

        // Workloads: both RUNNING, on different nodes.
        open("workloads");
        choose("workloads-filter-deployment", "sleepers");
        Map<String, Map<String, String>> sleepers = waitForWorkloads("2 RUNNING replicas on n1 and n2",
                w -> w.size() == 2 && statuses(w).equals(Set.of("RUNNING")) && nodes(w).equals(Set.of("n1", "n2")));
        assertThat(driver.getCurrentUrl()).endsWith("#/workloads?deployment=sleepers");
        String first = sleepers.keySet().iterator().next();

        // Logs: the dialog, for a sleeper (no output) and for a platform service (some).
        click("workload-logs-" + first);
        wait.until(visibilityOfElementLocated(tid("logs-dialog")));
        assertThat(text("logs-title")).isEqualTo("Logs of " + first + " on " + sleepers.get(first).get("node"));
        wait.until(textToBe(tid("logs-text"), "(no output yet)"));
        assertThat(text("logs-info")).startsWith("0 lines");
        click("logs-close");
        choose("workloads-filter-deployment", "auth");
        click("workload-logs-auth");
        until("the auth service's log", () -> text("logs-text").contains("auth ready"));
        assertThat(text("logs-info")).matches("\\d+ lines? \\(the last 200 at most\\).*");
        click("logs-refresh");
        until("the log read again", () -> text("logs-text").contains("auth ready") && driver.findElement(tid("logs-refresh")).isEnabled());
        click("logs-close");

        // Events: "placed" and "started" for both replicas, newest first; a new one arrives live.
        open("events");
        wait.until(textToBe(tid("events-stream"), "live"));
        for (String id : sleepers.keySet()) {
            waitForEvent("placed", "workload/" + id);
            waitForEvent("started", "workload/" + id);
        }
        List<String> events = eventKeys();
        assertThat(events.indexOf("deployed deployment/sleepers"))
                .as("newest first: sleepers was deployed before its replicas were placed")
                .isGreaterThan(events.indexOf("placed workload/" + first));
        var probe = platform.send("POST", "/api/v1/deployments", adminToken, "{\"name\":\"live-probe\",\"command\":[\"sleep\",\"300\"],\"replicas\":0}");
        assertThat(probe.status()).as(probe.body()).isEqualTo(201);
        waitForEvent("deployed", "deployment/live-probe");
        assertThat(eventKeys().indexOf("deployed deployment/live-probe")).as("the newest events are on top")
                .isLessThan(eventKeys().indexOf("started workload/" + first));

        // Drain n2: it shows DRAINING and its replica moves to n1.
        open("nodes");
        click("node-drain-n2");
        wait.until(visibilityOfElementLocated(tid("node-action-ok")));
        wait.until(textToBe(tid("node-status-n2"), "DRAINING"));
        wait.until(textToBe(tid("node-drain-n2"), "Undrain"));
        driver.get(base() + "/#/workloads?deployment=sleepers");
        wait.until(visibilityOfElementLocated(tid("page-workloads")));
        assertThat(new Select(driver.findElement(tid("workloads-filter-deployment"))).getFirstSelectedOption().getDomAttribute("value"))
                .isEqualTo("sleepers");
        waitForWorkloads("both replicas RUNNING on n1", w -> w.size() == 2 && statuses(w).equals(Set.of("RUNNING"))
                && nodes(w).equals(Set.of("n1")));
        open("nodes");
        click("node-drain-n2");
        wait.until(textToBe(tid("node-status-n2"), "READY"));

        // An invalid deployment: the API's detail next to the replicas field, nothing created.
        open("deployments");
        String detail = problem("{\"name\":\"too-many\",\"command\":[\"sleep\",\"300\"],\"replicas\":500}");
        assertThat(detail).startsWith("replicas:");
        setText("deployment-name", "too-many");
        setText("deployment-command", "sleep 300");
        setText("deployment-replicas", "500");
        click("deployment-submit");
        wait.until(textToBe(tid("deployment-replicas-error"), detail));
        assertThat(driver.findElement(tid("deployment-replicas")).getDomAttribute("aria-invalid")).isEqualTo("true");
        assertThat(driver.findElement(tid("deployment-error")).isDisplayed()).as("the problem is by its field only").isFalse();
        assertThat(driver.findElements(tid("deployment-row-too-many"))).isEmpty();
        assertFitsTheWindow();

        // Delete with confirmation.
        click("delete-deployment-live-probe");
        click("confirm-delete-deployment-live-probe");
        wait.until(d -> d.findElements(tid("deployment-row-live-probe")).isEmpty());
        assertThat(platform.send("GET", "/api/v1/deployments/live-probe", adminToken, null).status()).isEqualTo(404);
    }

    @Test
    void platformConfigurerSeesThePagesWithoutControls() {
        var r = platform.send("POST", "/api/v1/deployments", adminToken, "{\"name\":\"configurer-view\",\"command\":[\"sleep\",\"300\"],\"replicas\":0}");
        assertThat(r.status()).as(r.body()).isIn(201, 409);
        logIn(CONFIGURER, PASSWORD);
        assertThat(navEntries()).containsSubsequence("nodes", "deployments", "workloads", "events");

        open("nodes");
        wait.until(textToBe(tid("node-status-n1"), "READY"));
        until("2 nodes", () -> rowTexts("nodes-rows").size() == 2);
        assertThat(meter("node-cpu-n2")).isBetween(0, 100);
        assertThat(driver.findElements(cssPrefix("node-drain-"))).as("drain buttons").isEmpty();

        open("deployments");
        wait.until(visibilityOfElementLocated(tid("deployment-row-configurer-view")));
        assertThat(text("deployment-running-configurer-view")).isEqualTo("0/0");
        assertThat(driver.findElements(tid("deployment-form"))).as("the create form").isEmpty();
        assertThat(driver.findElements(cssPrefix("delete-deployment-"))).as("delete buttons").isEmpty();
        click("deployment-open-configurer-view");
        wait.until(textToBe(tid("deployment-workloads-name"), "configurer-view"));

        open("workloads");
        wait.until(textToBe(tid("workload-status-gateway"), "RUNNING"));
        click("workload-logs-gateway");
        until("the gateway's log", () -> !text("logs-info").isEmpty());
        click("logs-close");

        open("events");
        wait.until(textToBe(tid("events-stream"), "live"));
        waitForEvent("node-joined", "node/n2");
    }

    @Test
    void endUserHasNoNodesPages() {
        logIn(END_USER, PASSWORD);
        assertThat(navEntries()).doesNotContain("nodes", "deployments", "workloads", "events");
        driver.get(base() + "/#/nodes");
        wait.until(visibilityOfElementLocated(tid("forbidden")));
        assertThat(driver.findElements(tid("nodes-table"))).isEmpty();
    }

    // ------------------------------------------------------------------ platform

    private static String base() {
        return "http://127.0.0.1:" + platform.port;
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

    private static JsonNode api(String method, String path, String body) {
        var r = platform.send(method, path, adminToken, body);
        assertThat(r.status()).as(method + " " + path + ": " + r.body()).isBetween(200, 299);
        return Json.read(r.body().getBytes(), JsonNode.class);
    }

    /** The detail of the problem the API answers to a deployment that must be refused. */
    private static String problem(String body) {
        var r = platform.send("POST", "/api/v1/deployments", adminToken, body);
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        return Json.read(r.body().getBytes(), JsonNode.class).get("detail").asText();
    }

    // ------------------------------------------------------------------ page

    private static void logIn(String user, String password) {
        setText("login-username", user);
        setText("login-password", password);
        click("login-submit");
        wait.until(visibilityOfElementLocated(tid("nav")));
    }

    private static void open(String section) {
        click("nav-" + section);
        wait.until(visibilityOfElementLocated(tid("page-" + section)));
    }

    private static List<String> navEntries() {
        return driver.findElement(tid("nav")).findElements(cssPrefix("nav-")).stream()
                .map(e -> e.getDomAttribute("data-testid").substring("nav-".length())).toList();
    }

    private static org.openqa.selenium.By cssPrefix(String prefix) {
        return org.openqa.selenium.By.cssSelector("[data-testid^='" + prefix + "']");
    }

    private static String text(String testid) {
        return driver.findElement(tid(testid)).getText();
    }

    /** A meter's share in percent, from its data-value. */
    private static int meter(String testid) {
        return Integer.parseInt(driver.findElement(tid(testid)).getDomAttribute("data-value"));
    }

    @SuppressWarnings("unchecked")
    private static List<String> rowTexts(String tbody) {
        return (List<String>) js("return [...document.querySelector(\"[data-testid='\" + arguments[0] + \"']\").rows].map(r => r.innerText)", tbody);
    }

    /** The listed workloads by id, each {node, status}, read in one script call (the table refreshes while we look). */
    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, String>> workloads() {
        var rows = (List<Map<String, String>>) js("return [...document.querySelectorAll(\"[data-testid^='workload-row-']\")].map(r => ({"
                + "id: r.dataset.testid.substring('workload-row-'.length),"
                + "node: r.querySelector(\"[data-testid^='workload-node-']\").textContent,"
                + "status: r.querySelector(\"[data-testid^='workload-status-']\").textContent}))");
        return rows.stream().collect(Collectors.toMap(r -> r.get("id"), r -> Map.of("node", r.get("node"), "status", r.get("status")),
                (a, b) -> a, java.util.LinkedHashMap::new));
    }

    private static Map<String, Map<String, String>> waitForWorkloads(String what,
                                                                     java.util.function.Predicate<Map<String, Map<String, String>>> ok) {
        return new WebDriverWait(driver, Duration.ofSeconds(60)).withMessage(() -> what + "; shown: " + workloads())
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
        return (List<String>) js("return [...document.querySelectorAll(\"[data-testid='event-row']\")]"
                + ".map(r => r.dataset.kind + ' ' + r.dataset.subject)");
    }

    private static void waitForEvent(String kind, String subject) {
        new WebDriverWait(driver, WAIT).withMessage(() -> "event " + kind + " " + subject + " in " + eventKeys())
                .until(d -> eventKeys().contains(kind + " " + subject));
    }

    private static void until(String what, Supplier<Boolean> done) {
        new WebDriverWait(driver, WAIT).withMessage("waiting for " + what).until(d -> done.get());
    }

    /** Picks `value` in a select once the page has offered it. */
    private static void choose(String testid, String value) {
        until("option " + value + " in " + testid, () -> new Select(driver.findElement(tid(testid))).getOptions().stream()
                .anyMatch(o -> value.equals(o.getDomAttribute("value"))));
        new Select(driver.findElement(tid(testid))).selectByValue(value);
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
