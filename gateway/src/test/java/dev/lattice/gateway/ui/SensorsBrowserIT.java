package dev.lattice.gateway.ui;

import static dev.lattice.gateway.ui.Browser.tid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.invisibilityOfElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.core.Json;
import dev.lattice.gateway.TestHttp;
import dev.lattice.gateway.TestHttp.Response;
import dev.lattice.gateway.TestPlatform;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The device pages of the console in headless Chromium against the in-process platform: the
 * platform configurer's Sensors and Controllers pages (types, inline API errors, instances with a
 * token shown once, filters, delete refused while in use), and for an end user the live chart of
 * a simulated sensor over SSE and a controller's command form with the command's status moving
 * from {@code sent} to {@code failed} (TestPlatform has no device channel and a 3 s timeout).
 * {@code -Dlattice.ui.screenshots=DIR} keeps screenshots; a failure leaves one in target/browser-it.
 */
class SensorsBrowserIT {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String CONFIGURER = "configurer-sensors-ui";
    private static final String END_USER = "end-user-sensors-ui";
    private static final String PASSWORD = "password-for-sensors-ui";

    private static Browser browser;
    private static WebDriver driver;
    private static WebDriverWait wait;
    private static TestHttp http;
    private static String configurerToken;

    @RegisterExtension
    final TestWatcher screenshotOnFailure = Browser.screenshotOnFailure("sensors-", () -> browser);

    @BeforeAll
    static void start() throws IOException {
        browser = Browser.start();
        driver = browser.driver;
        wait = new WebDriverWait(driver, WAIT);
        TestPlatform.gateway();
        http = TestPlatform.http();
        String admin = http.login("admin", TestPlatform.ADMIN_PASSWORD);
        http.ensureUser(admin, CONFIGURER, PASSWORD, "platform-configurer");
        http.ensureUser(admin, END_USER, PASSWORD, "end-user");
        configurerToken = http.login(CONFIGURER, PASSWORD);
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
    }

    @BeforeEach
    void freshLoginPage() {
        driver.get(http.base() + "/");
        js("sessionStorage.clear()");
        driver.navigate().refresh();
        wait.until(visibilityOfElementLocated(tid("login-form")));
    }

    @AfterEach
    void noScriptErrors() {
        assertThat(browser.scriptErrors()).as("errors in the browser's console").isEmpty();
    }

    @Test
    void configurerCreatesASensorTypeAndInstancesAndFiltersThem() {
        String type = unique("thermo");
        String a = unique("th-a");
        String b = unique("th-b");
        String room = unique("room");
        logIn(CONFIGURER);
        open("sensors");

        // An invalid name: the API's detail next to the form, the name input marked.
        fillSensorType("Bad Name", List.of("celsius", "humidity"));
        expectError("sensor-type", "sensor-type-name", apiDetail("/api/v1/sensor-types",
                Map.of("name", "Bad Name", "description", "", "fields", fields("celsius", "humidity"))));
        // A duplicate field: the second field's name input is the one marked.
        fillSensorType(type, List.of("celsius", "celsius"));
        WebElement error = wait.until(visibilityOfElementLocated(tid("sensor-type-error")));
        assertThat(error.getText()).startsWith("fields[1].name:");
        assertThat(within("sensor-type-fields", "field-name").get(1).getDomAttribute("aria-invalid")).isEqualTo("true");
        assertThat(within("sensor-type-fields", "field-name").get(0).getDomAttribute("aria-invalid")).isNull();
        assertThat(driver.findElement(tid("sensor-type-name")).getDomAttribute("aria-invalid")).isNull();

        fillSensorType(type, List.of("celsius", "humidity"));
        wait.until(visibilityOfElementLocated(tid("sensor-type-ok")));
        WebElement typeRow = wait.until(visibilityOfElementLocated(tid("sensor-type-row-" + type)));
        assertThat(typeRow.getText()).contains("celsius: number").contains("humidity: number");
        assertThat(http.get("/api/v1/sensor-types/" + type, configurerToken).json().get("fields").findValuesAsText("name"))
                .containsExactly("celsius", "humidity");
        // The same name again: the 409's detail.
        fillSensorType(type, List.of("celsius"));
        expectError("sensor-type", "sensor-type-name", "name: sensor-type '" + type + "' already exists");

        // An instance: a latitude out of range first, then a simulated sensor whose token is shown once.
        fillInstance("sensor", type, a, "95", "7.68", room, "north");
        new Select(driver.findElement(tid("sensor-instance-simulator"))).selectByValue("random");
        setText(tid("sensor-instance-interval"), "200");
        click(driver.findElement(tid("sensor-instance-submit")));
        expectError("sensor-instance", "sensor-instance-lat", "location.lat: must be between -90 and 90");
        setText(tid("sensor-instance-lat"), "45.07");
        click(driver.findElement(tid("sensor-instance-submit")));
        String tokenA = shownToken("sensor");
        shot("sensors-token");
        JsonNode created = http.get("/api/v1/sensor-instances/" + a, configurerToken).json();
        assertThat(created.path("simulator").path("kind").asText()).isEqualTo("random");
        assertThat(created.path("simulator").path("intervalMs").asLong()).isEqualTo(200);
        assertThat(created.path("attributes").path(room).asText()).isEqualTo("north");
        assertThat(created.path("location").path("lat").asDouble()).isEqualTo(45.07);
        assertThat(created.path("token").isTextual()).as("the API does not show the token again").isFalse();

        fillInstance("sensor", type, b, "", "", room, "south");
        click(driver.findElement(tid("sensor-instance-submit")));
        String tokenB = shownToken("sensor");
        assertThat(tokenB).isNotEqualTo(tokenA);
        assertThat(driver.getPageSource()).as("the first token is gone once another is shown").doesNotContain(tokenA);
        click(driver.findElement(tid("hide-token")));
        wait.until(invisibilityOfElementLocated(tid("sensor-token-box")));

        // The list: both rows, the simulated one says so; then the filters of the API.
        wait.until(visibilityOfElementLocated(tid("sensor-row-" + b)));
        assertThat(driver.findElement(tid("sensor-row-" + a)).findElement(tid("simulated")).getText()).isEqualTo("random every 200 ms");
        assertThat(driver.findElement(tid("sensor-row-" + b)).findElement(tid("simulated")).getText()).isEqualTo("no");
        filter("sensor", type, "", "");
        waitForRows("sensor", a, b);
        filter("sensor", type, room, "north");
        waitForRows("sensor", a);
        filter("sensor", "", room, "south");
        waitForRows("sensor", b);
        assertThat(driver.findElement(tid("sensor-instances-count")).getText()).isEqualTo("1 instance");
        setText(tid("sensor-filter-location"), "greenhouse");
        setText(tid("sensor-filter-attr-key"), "");
        setText(tid("sensor-filter-near-lat"), "45.0");
        setText(tid("sensor-filter-near-lon"), "7.7");
        setText(tid("sensor-filter-within"), "50");
        click(driver.findElement(tid("sensor-filter-apply")));
        wait.until(d -> rowIds("sensor").contains(a) && !rowIds("sensor").contains(b));
        setText(tid("sensor-filter-near-lon"), "");
        click(driver.findElement(tid("sensor-filter-apply")));
        expectError("sensor-filter", "sensor-filter-near-lat", "near: '45.0,' is not LAT,LON");
        click(driver.findElement(tid("sensor-filter-clear")));
        wait.until(d -> rowIds("sensor").containsAll(List.of(a, b)));
        shot("sensors-page");

        // Deleting a type in use: refused, with the API's 409 detail.
        typeRow = driver.findElement(tid("sensor-type-row-" + type));
        click(typeRow.findElement(tid("delete-type")));
        click(typeRow.findElement(tid("confirm-delete-type")));
        WebElement refused = wait.until(visibilityOfElementLocated(tid("sensor-types-error")));
        assertThat(refused.getText()).isEqualTo("sensor type '" + type + "' still has 2 instance(s): delete them first");

        // Leaving and coming back: the token is not shown again.
        open("controllers");
        open("sensors");
        wait.until(visibilityOfElementLocated(tid("sensor-row-" + a)));
        assertThat(driver.findElements(tid("sensor-token-box"))).isEmpty();
        assertThat(driver.getPageSource()).doesNotContain(tokenB);
    }

    @Test
    void configurerCreatesAControllerTypeWithCommandsAndAnInstance() {
        String type = unique("dimmer");
        String id = unique("dim");
        logIn(CONFIGURER);
        open("controllers");

        setText(tid("controller-type-name"), type);
        setText(tid("controller-type-description"), "a dimmable lamp");
        WebElement first = within("controller-type-commands", "command-block").get(0);
        setText(first.findElement(tid("command-name")), "set-level");
        addParam(first, "level", "number");
        addParam(first, "on", "boolean");
        click(driver.findElement(tid("controller-type-commands-add")));
        WebElement second = within("controller-type-commands", "command-block").get(1);
        setText(second.findElement(tid("command-name")), "set-level");
        click(driver.findElement(tid("controller-type-submit")));
        WebElement error = wait.until(visibilityOfElementLocated(tid("controller-type-error")));
        assertThat(error.getText()).isEqualTo("commands[1].name: 'set-level' appears twice");
        assertThat(second.findElement(tid("command-name")).getDomAttribute("aria-invalid")).isEqualTo("true");
        shot("controller-type-error");

        setText(second.findElement(tid("command-name")), "reset");
        click(driver.findElement(tid("controller-type-submit")));
        wait.until(visibilityOfElementLocated(tid("controller-type-ok")));
        WebElement row = wait.until(visibilityOfElementLocated(tid("controller-type-row-" + type)));
        assertThat(row.getText()).contains("set-level(level: number, on: boolean)").contains("reset()");
        JsonNode commands = http.get("/api/v1/controller-types/" + type, configurerToken).json().get("commands");
        assertThat(commands.findValuesAsText("name")).contains("set-level", "reset", "level", "on");

        fillInstance("controller", type, id, "", "", "floor", "2");
        click(driver.findElement(tid("controller-instance-submit")));
        assertThat(shownToken("controller")).startsWith("ltd_");
        wait.until(visibilityOfElementLocated(tid("controller-row-" + id)));
        shot("controllers-page");
        assertThat(http.get("/api/v1/controller-instances/" + id, configurerToken).json().path("type").asText()).isEqualTo(type);
    }

    @Test
    void endUserWatchesASimulatedSensorLive() {
        String type = sensorTypeViaApi();
        String id = unique("live");
        created(http.post("/api/v1/sensor-instances", configurerToken, Json.string(Map.of("type", type, "name", id,
                "location", Map.of("label", "lab"), "simulator", Map.of("kind", "random", "intervalMs", 200)))));
        logIn(END_USER);
        open("live");
        WebElement link = wait.until(visibilityOfElementLocated(tid("open-sensor-" + id)));
        shot("live-data");
        link.click();

        wait.until(visibilityOfElementLocated(tid("page-sensor")));
        assertThat(driver.getCurrentUrl()).endsWith("#/sensors/" + id);
        assertThat(driver.findElement(tid("nav-live")).getDomAttribute("aria-current")).isEqualTo("page");
        wait.until(textToBe(tid("stream-status"), "live"));
        wait.until(d -> !readingRows().isEmpty() && chartPoints() > 0);
        assertThat(driver.findElements(By.cssSelector("[data-testid='readings-table'] th")).stream().map(WebElement::getText))
                .containsExactly("Time", "a", "b");
        int rows = readingRows().size();
        int points = chartPoints();

        // Readings keep arriving over SSE: the table and the chart's own data grow.
        new WebDriverWait(driver, Duration.ofSeconds(10)).withMessage("no live readings within 10 s")
                .until(d -> liveCount() >= 3 && readingRows().size() > rows && chartPoints() > points);
        Number inChart = (Number) js("const c = Chart.getChart(document.querySelector(\"[data-testid='chart-canvas']\"));"
                + "return c.data.datasets.length === 2 && c.data.datasets[1].data.length === c.data.datasets[0].data.length"
                + " ? c.data.datasets[0].data.length : -1");
        assertThat(inChart.intValue()).as("both numeric fields are charted").isGreaterThan(points);
        shot("sensor-live");

        // The end user has no Sensors page, only this view of one sensor.
        driver.get(http.base() + "/#/sensors");
        wait.until(visibilityOfElementLocated(tid("forbidden")));
    }

    @Test
    void endUserSendsACommandAndSeesItsStatusGoFromSentToFailed() {
        String type = unique("valve");
        created(http.post("/api/v1/controller-types", configurerToken, Json.string(Map.of("name", type, "description", "",
                "commands", List.of(Map.of("name", "open", "params", List.of(Map.of("name", "percent", "type", "number"),
                        Map.of("name", "reason", "type", "string"))), Map.of("name", "close", "params", List.of()))))));
        String id = unique("valve");
        created(http.post("/api/v1/controller-instances", configurerToken, Json.string(Map.of("type", type, "name", id,
                "location", Map.of("label", "pump house")))));
        logIn(END_USER);
        open("live");
        wait.until(visibilityOfElementLocated(tid("open-controller-" + id))).click();

        wait.until(visibilityOfElementLocated(tid("command-form")));
        new Select(driver.findElement(tid("command-select"))).selectByValue("open");
        setText(tid("param-percent"), "lots");
        setText(tid("param-reason"), "testing");
        click(driver.findElement(tid("send-command")));
        expectError("command", "param-percent", "params.percent: expected a number");

        setText(tid("param-percent"), "42.5");
        click(driver.findElement(tid("send-command")));
        wait.until(visibilityOfElementLocated(tid("command-ok")));
        JsonNode listed = http.get("/api/v1/controller-instances/" + id + "/commands", configurerToken).json();
        assertThat(listed).hasSize(1);
        String commandId = listed.get(0).get("commandId").asText();
        assertThat(listed.get(0).get("params").get("percent").asDouble()).isEqualTo(42.5);
        assertThat(driver.findElement(tid("command-ok")).getText()).contains(commandId);

        wait.until(textToBe(tid("command-status-" + commandId), "sent"));
        shot("controller-sent");
        new WebDriverWait(driver, Duration.ofSeconds(15)).withMessage("the command never showed as failed")
                .until(textToBe(tid("command-status-" + commandId), "failed"));
        assertThat(driver.findElement(tid("command-row-" + commandId)).getText())
                .contains("open").contains("42.5").contains("no device received it");
        shot("controller-failed");
    }

    // ------------------------------------------------------------------ helpers

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    private static List<Map<String, String>> fields(String... names) {
        return java.util.Arrays.stream(names).map(n -> Map.of("name", n, "type", "number")).toList();
    }

    private static String sensorTypeViaApi() {
        String type = unique("pair");
        created(http.post("/api/v1/sensor-types", configurerToken, Json.string(Map.of("name", type, "description", "two numbers",
                "fields", fields("a", "b")))));
        return type;
    }

    private static void created(Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    /** What the API answers to a body the UI is about to send; the body must be refused. */
    private static String apiDetail(String path, Object body) {
        Response r = http.post(path, configurerToken, Json.string(body));
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        return r.json().get("detail").asText();
    }

    private static void logIn(String username) {
        setText(tid("login-username"), username);
        setText(tid("login-password"), PASSWORD);
        click(driver.findElement(tid("login-submit")));
        wait.until(visibilityOfElementLocated(tid("nav")));
    }

    private static void open(String section) {
        click(driver.findElement(tid("nav-" + section)));
        wait.until(visibilityOfElementLocated(tid("page-" + section)));
    }

    private static void fillSensorType(String name, List<String> fieldNames) {
        setText(tid("sensor-type-name"), name);
        while (within("sensor-type-fields", "field-row").size() < fieldNames.size()) {
            click(driver.findElement(tid("sensor-type-fields-add")));
        }
        while (within("sensor-type-fields", "field-row").size() > fieldNames.size()) {
            within("sensor-type-fields", "remove-field").getLast().click();
        }
        List<WebElement> names = within("sensor-type-fields", "field-name");
        List<WebElement> types = within("sensor-type-fields", "field-type");
        for (int i = 0; i < fieldNames.size(); i++) {
            setText(names.get(i), fieldNames.get(i));
            new Select(types.get(i)).selectByValue("number");
        }
        click(driver.findElement(tid("sensor-type-submit")));
    }

    private static void addParam(WebElement command, String name, String type) {
        click(command.findElement(tid("command-params-add")));
        List<WebElement> rows = command.findElements(tid("param-row"));
        WebElement row = rows.getLast();
        setText(row.findElement(tid("param-name")), name);
        new Select(row.findElement(tid("param-type"))).selectByValue(type);
    }

    private static void fillInstance(String kind, String type, String name, String lat, String lon, String attrKey, String attrValue) {
        String p = kind + "-instance-";
        wait.until(d -> new Select(d.findElement(tid(p + "type"))).getOptions().stream().anyMatch(o -> o.getDomAttribute("value").equals(type)));
        new Select(driver.findElement(tid(p + "type"))).selectByValue(type);
        setText(tid(p + "name"), name);
        setText(tid(p + "label"), "greenhouse");
        setText(tid(p + "lat"), lat);
        setText(tid(p + "lon"), lon);
        if (within(p + "attributes", "attr-row").isEmpty()) click(driver.findElement(tid(p + "attributes-add")));
        setText(within(p + "attributes", "attr-key").get(0), attrKey);
        setText(within(p + "attributes", "attr-value").get(0), attrValue);
    }

    /** The token box after a creation: a device token, and the warning that it is shown once. */
    private static String shownToken(String kind) {
        WebElement box = wait.until(visibilityOfElementLocated(tid(kind + "-token-box")));
        assertThat(box.findElement(tid(kind + "-token-warning")).getText()).contains("will not be shown again");
        String token = box.findElement(tid(kind + "-token")).getDomProperty("value");
        assertThat(token).startsWith("ltd_");
        return token;
    }

    private static void filter(String kind, String type, String attrKey, String attrValue) {
        new Select(driver.findElement(tid(kind + "-filter-type"))).selectByValue(type);
        setText(tid(kind + "-filter-attr-key"), attrKey);
        setText(tid(kind + "-filter-attr-value"), attrValue);
        click(driver.findElement(tid(kind + "-filter-apply")));
    }

    private static void waitForRows(String kind, String... ids) {
        new WebDriverWait(driver, WAIT).withMessage(() -> "rows " + rowIds(kind) + ", expected " + List.of(ids))
                .until(d -> rowIds(kind).equals(List.of(ids)));
    }

    /** The ids of the listed rows, read in one script call: the table re-renders while we poll it. */
    @SuppressWarnings("unchecked")
    private static List<String> rowIds(String kind) {
        String prefix = kind + "-row-";
        Object ids = ((org.openqa.selenium.JavascriptExecutor) driver).executeScript(
                "const t = document.querySelector(\"[data-testid='\" + arguments[0] + \"-instances']\");"
                        + "return t ? [...t.querySelectorAll(\"[data-testid^='\" + arguments[1] + \"']\")]"
                        + ".map(e => e.dataset.testid.substring(arguments[1].length)) : [];", kind, prefix);
        return List.copyOf((List<String>) ids);
    }

    /** The problem detail shown under a form, and the input it names marked invalid. */
    private static void expectError(String form, String input, String detail) {
        wait.until(textToBe(tid(form + "-error"), detail));
        wait.until(d -> "true".equals(d.findElement(tid(input)).getDomAttribute("aria-invalid")));
    }

    private static List<WebElement> within(String container, String testid) {
        return driver.findElement(tid(container)).findElements(tid(testid));
    }

    private static List<WebElement> readingRows() {
        return driver.findElements(tid("reading-row"));
    }

    private static int chartPoints() {
        String points = driver.findElement(tid("sensor-chart")).getDomAttribute("data-points");
        return points == null ? 0 : Integer.parseInt(points);
    }

    private static int liveCount() {
        return Integer.parseInt(driver.findElement(tid("live-count")).getText());
    }

    private static void setText(By by, String text) {
        setText(driver.findElement(by), text);
    }

    private static void setText(WebElement input, String text) {
        input.clear();
        if (!text.isEmpty()) input.sendKeys(text);
    }

    private static Object js(String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }

    /** Checks the page fits the window's width (no sideways scrolling), then takes a screenshot. */
    private static void shot(String name) {
        Number overflow = (Number) js("return document.documentElement.scrollWidth - window.innerWidth");
        assertThat(overflow.intValue()).as("page %s is wider than the window by %s px", name, overflow).isLessThanOrEqualTo(0);
        String dir = System.getProperty("lattice.ui.screenshots");
        if (dir == null || dir.isBlank()) return;
        // the whole page: the window as tall as the document for the shot, then back
        Dimension window = driver.manage().window().getSize();
        long height = ((Number) js("return document.documentElement.scrollHeight")).longValue();
        driver.manage().window().setSize(new Dimension(window.getWidth(), (int) Math.min(height + 140, 6000)));
        try {
            browser.screenshot(Path.of(dir, name + ".png"));
        } finally {
            driver.manage().window().setSize(window);
        }
    }

    /** Clicks after scrolling the element to the middle of the window: the sticky header must not be in the way. */
    private static void click(WebElement element) {
        ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'center'})", element);
        element.click();
    }
}
