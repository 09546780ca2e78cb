package dev.lattice.gateway.ui;

import static dev.lattice.gateway.ui.Browser.tid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.core.Json;
import dev.lattice.gateway.TestHttp;
import dev.lattice.gateway.TestPlatform;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real headless Chromium against the in-process platform: login, each
 * role's landing page and navigation, identity, health, logout, and the admin's user page.
 * The device pages have their own test, {@link SensorsBrowserIT}.
 * Set {@code -Dlattice.ui.screenshots=DIR} to keep screenshots of the main pages; a failing
 * test always leaves one in {@code target/browser-it}.
 */
class BrowserIT {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final List<String> SERVICES = dev.lattice.core.PlatformServices.ALL;
    /** Each role's nav, in order: exactly what that role may open. */
    private static final Map<String, List<String>> NAV = Map.of(
            "admin", List.of("users", "nodes", "deployments", "workloads", "events", "metrics", "models", "applications", "catalog", "instances",
                    "sensors", "controllers", "health"),
            "data-scientist", List.of("models", "live", "health"),
            "platform-configurer", List.of("sensors", "controllers", "nodes", "deployments", "workloads", "events", "health"),
            "app-developer", List.of("applications", "live", "health"),
            "end-user", List.of("catalog", "instances", "live", "health"));
    /** Sections that are still placeholders ("Coming with ..."); the others are real pages. */
    private static final Set<String> PLACEHOLDERS = Set.of();

    private static Browser browser;
    private static WebDriver driver;
    private static WebDriverWait wait;
    private static TestHttp http;
    private static String adminToken;

    @RegisterExtension
    final TestWatcher screenshotOnFailure = Browser.screenshotOnFailure("", () -> browser);

    @BeforeAll
    static void start() throws IOException {
        browser = Browser.start();
        driver = browser.driver;
        wait = new WebDriverWait(driver, WAIT);
        TestPlatform.gateway();
        http = TestPlatform.http();
        adminToken = http.login("admin", TestPlatform.ADMIN_PASSWORD);
        for (String role : NAV.keySet()) {
            if (!role.equals("admin")) http.ensureUser(adminToken, user(role), password(role), role);
        }
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
        assertThat(driver.getCurrentUrl()).endsWith("#/login");
    }

    @ParameterizedTest
    @ValueSource(strings = {"admin", "data-scientist", "platform-configurer", "app-developer", "end-user"})
    void eachRoleLandsOnItsPageSeesOnlyItsSectionsAndTheHealthOfThePlatform(String role) {
        logIn(user(role), password(role));

        WebElement landing = wait.until(visibilityOfElementLocated(tid("landing-" + role)));
        assertThat(driver.findElements(cssPrefix("landing-")).stream()
                .map(e -> e.getDomAttribute("data-testid")).filter(id -> !id.startsWith("landing-link-")))
                .as("only the %s landing page is shown", role).containsExactly("landing-" + role);
        assertThat(landing.findElements(cssPrefix("landing-link-")).stream().map(e -> e.getDomAttribute("data-testid")))
                .containsExactlyElementsOf(NAV.get(role).stream().map(s -> "landing-link-" + s).toList());
        assertThat(navEntries()).as("nav of %s", role).containsExactlyElementsOf(NAV.get(role));

        wait.until(textToBe(tid("whoami-username"), user(role)));
        wait.until(textToBe(tid("whoami-role"), role));
        shot(role + "-landing");

        for (String section : NAV.get(role)) {
            if (section.equals("health") || section.equals("users")) continue;
            click(driver.findElement(tid("nav-" + section)));
            if (PLACEHOLDERS.contains(section)) {
                WebElement empty = wait.until(visibilityOfElementLocated(tid("empty-" + section)));
                assertThat(empty.getText()).as("empty state of %s", section).startsWith("Coming with");
            } else {
                wait.until(visibilityOfElementLocated(tid("page-" + section)));
            }
            assertThat(driver.findElement(tid("nav-" + section)).getDomAttribute("aria-current")).isEqualTo("page");
            shot(role + "-" + section);
        }

        if (!role.equals("admin")) {
            driver.get(http.base() + "/#/users");
            wait.until(visibilityOfElementLocated(tid("forbidden")));
            assertThat(driver.findElements(tid("users-table"))).as("%s must not see the users page", role).isEmpty();
        }

        click(driver.findElement(tid("nav-health")));
        wait.until(visibilityOfElementLocated(tid("health-table")));
        for (String service : SERVICES) {
            wait.until(textToBe(tid("health-status-" + service), "UP"));
        }
        wait.until(textToBe(tid("health-status"), "UP"));
        shot(role + "-health");

        logOut();
    }

    @Test
    void wrongPasswordShowsTheProblemDetailAndStaysOnTheLoginPage() {
        String detail = http.post("/api/v1/auth/login", null,
                Json.string(Map.of("username", "admin", "password", "not-the-password"))).json().get("detail").asText();
        assertThat(detail).isNotBlank();

        logIn("admin", "not-the-password");

        WebElement error = wait.until(visibilityOfElementLocated(tid("login-error")));
        assertThat(error.getText()).isEqualTo(detail);
        assertThat(driver.getCurrentUrl()).endsWith("#/login");
        assertThat(driver.findElement(tid("login-form")).isDisplayed()).isTrue();
        assertThat(driver.findElements(tid("nav"))).isEmpty();
        assertThat(session()).as("no session is stored after a failed login").isEmpty();
        shot("login-error");
    }

    @Test
    void adminCreatesAUserThroughTheFormAndSeesItListed() {
        String name = "made-in-browser-" + System.nanoTime() % 1_000_000;
        logIn("admin", TestPlatform.ADMIN_PASSWORD);
        wait.until(visibilityOfElementLocated(tid("landing-admin")));
        click(driver.findElement(tid("nav-users")));
        wait.until(visibilityOfElementLocated(tid("user-row-admin")));

        fillUserForm(name, "password-of-" + name, "app-developer");
        wait.until(visibilityOfElementLocated(tid("create-user-ok")));
        WebElement row = wait.until(visibilityOfElementLocated(tid("user-row-" + name)));
        assertThat(row.getText()).contains(name).contains("app-developer");
        assertThat(driver.findElement(tid("create-user-error")).isDisplayed()).isFalse();
        JsonNode listed = http.get("/api/v1/users?limit=1000", adminToken).json();
        assertThat(listed.findValuesAsText("username")).contains(name);
        shot("users");

        String conflict = http.post("/api/v1/users", adminToken,
                Json.string(Map.of("username", name, "password", "another-password", "role", "end-user"))).json().get("detail").asText();
        fillUserForm(name, "another-password", "end-user");
        WebElement error = wait.until(visibilityOfElementLocated(tid("create-user-error")));
        assertThat(error.getText()).as("the 409's detail, shown by the form").isEqualTo(conflict);
        assertThat(driver.findElement(tid("new-username")).getDomAttribute("aria-invalid")).isEqualTo("true");
        shot("users-error");

        fillUserForm("bad name!", "long-enough-password", "end-user");
        wait.until(textToBe(tid("create-user-error"), http.post("/api/v1/users", adminToken,
                Json.string(Map.of("username", "bad name!", "password", "long-enough-password", "role", "end-user")))
                .json().get("detail").asText()));

        logOut();
        logIn(name, "password-of-" + name);
        wait.until(visibilityOfElementLocated(tid("landing-app-developer")));
        wait.until(textToBe(tid("whoami-username"), name));
    }

    @Test
    void aRejectedTokenSendsTheBrowserBackToLogin() {
        logIn("admin", TestPlatform.ADMIN_PASSWORD);
        wait.until(visibilityOfElementLocated(tid("landing-admin")));
        js("const s = JSON.parse(sessionStorage.getItem('lattice.session'));"
                + "s.token = 'not-a-token'; sessionStorage.setItem('lattice.session', JSON.stringify(s));");

        click(driver.findElement(tid("nav-users")));

        WebElement notice = wait.until(visibilityOfElementLocated(tid("login-notice")));
        assertThat(notice.getText()).contains("log in again");
        assertThat(driver.getCurrentUrl()).endsWith("#/login");
        assertThat(session()).isEmpty();
    }

    @Test
    void anExpiredSessionEndsOnItsOwn() {
        logIn(user("end-user"), password("end-user"));
        wait.until(visibilityOfElementLocated(tid("landing-end-user")));
        js("const s = JSON.parse(sessionStorage.getItem('lattice.session'));"
                + "s.expiresAt = new Date(Date.now() + 1500).toISOString(); sessionStorage.setItem('lattice.session', JSON.stringify(s));");
        driver.navigate().refresh();
        wait.until(visibilityOfElementLocated(tid("landing-end-user")));

        WebElement notice = wait.until(visibilityOfElementLocated(tid("login-notice")));
        assertThat(notice.getText()).contains("expired");
        assertThat(session()).isEmpty();
    }

    @Test
    void healthRefreshesWithoutReloading() {
        logIn(user("data-scientist"), password("data-scientist"));
        wait.until(visibilityOfElementLocated(tid("landing-data-scientist")));
        click(driver.findElement(tid("nav-health")));
        wait.until(textToBe(tid("health-status-gateway"), "UP"));
        js("window.firstRow = document.querySelector(\"[data-testid='health-services'] tr\")");

        // every refresh rebuilds the rows: a new first row means the page asked the API again
        new WebDriverWait(driver, Duration.ofSeconds(6)).withMessage("the health table did not refresh within 6 s")
                .until(d -> js("return document.querySelector(\"[data-testid='health-services'] tr\") !== window.firstRow"));
        assertThat(driver.findElements(cssPrefix("health-service-"))).hasSize(SERVICES.size());
    }

    @Test
    void theMetricsPageShowsWhatEveryProcessCounts() {
        String sensor = "metrics-probe-" + System.nanoTime() % 1_000_000;
        assertThat(http.post("/api/v1/sensor-types", adminToken, Json.string(Map.of("name", sensor,
                "fields", List.of(Map.of("name", "celsius", "type", "number"))))).status()).isEqualTo(201);
        assertThat(http.post("/api/v1/sensor-instances", adminToken, Json.string(Map.of("type", sensor, "name", sensor,
                "location", Map.of("label", "lab")))).status()).isEqualTo(201);
        logIn("admin", TestPlatform.ADMIN_PASSWORD);
        wait.until(visibilityOfElementLocated(tid("landing-admin")));
        click(driver.findElement(tid("nav-metrics")));
        wait.until(visibilityOfElementLocated(tid("page-metrics")));
        // Every process answered its scrape ("k / k"), the gateway among them.
        wait.until(d -> d.findElement(tid("metric-targets")).getText().matches("([1-9][0-9]*) / \\1"));
        assertThat(driver.findElement(tid("metric-targets-note")).getText()).isEqualTo("all answered");

        for (int i = 0; i < 5; i++) {
            assertThat(http.post("/api/v1/sensor-instances/" + sensor + "/readings", adminToken, "{\"celsius\":" + (20 + i) + "}").status())
                    .isEqualTo(202);
        }
        assertThat(http.post("/api/v1/sensor-instances/" + sensor + "/readings", adminToken, "{\"kelvin\":1}").status()).isEqualTo(400);
        new WebDriverWait(driver, WAIT).withMessage("the readings counted on the page").until(d -> {
            String note = d.findElement(tid("metric-ingest-note")).getText();
            return note.matches("[0-9,]+ since start") && Long.parseLong(note.split(" ")[0].replace(",", "")) >= 5;
        });
        wait.until(d -> d.findElement(tid("metric-refused-note")).getText().contains("sensors:reading."));
        new WebDriverWait(driver, WAIT).withMessage("the chart draws rates").until(d -> Integer.parseInt(d.findElement(tid("metrics-chart")).getDomAttribute("data-points")) >= 2);
        assertThat(driver.findElements(cssPrefix("lag-"))).isNotEmpty();
        shot("metrics");
    }

    // ------------------------------------------------------------------ helpers

    private static String user(String role) {
        return role.equals("admin") ? "admin" : role + "-browser";
    }

    private static String password(String role) {
        return role.equals("admin") ? TestPlatform.ADMIN_PASSWORD : "password-for-" + role;
    }

    private static void logIn(String username, String password) {
        WebElement u = wait.until(visibilityOfElementLocated(tid("login-username")));
        u.clear();
        u.sendKeys(username);
        WebElement p = driver.findElement(tid("login-password"));
        p.clear();
        p.sendKeys(password);
        click(driver.findElement(tid("login-submit")));
    }

    private static void logOut() {
        click(driver.findElement(tid("logout")));
        wait.until(visibilityOfElementLocated(tid("login-form")));
        assertThat(driver.getCurrentUrl()).endsWith("#/login");
        assertThat(session()).as("logout forgets the token").isEmpty();
        driver.get(http.base() + "/#/home");
        wait.until(visibilityOfElementLocated(tid("login-form")));
        assertThat(driver.findElements(tid("nav"))).as("no way back in without logging in").isEmpty();
    }

    private static void fillUserForm(String username, String password, String role) {
        WebElement u = driver.findElement(tid("new-username"));
        u.clear();
        u.sendKeys(username);
        WebElement p = driver.findElement(tid("new-password"));
        p.clear();
        p.sendKeys(password);
        new Select(driver.findElement(tid("new-role"))).selectByValue(role);
        click(driver.findElement(tid("create-user-submit")));
    }

    private static List<String> navEntries() {
        return driver.findElement(tid("nav")).findElements(cssPrefix("nav-")).stream()
                .map(e -> e.getDomAttribute("data-testid").substring("nav-".length())).toList();
    }

    private static By cssPrefix(String prefix) {
        return By.cssSelector("[data-testid^='" + prefix + "']");
    }

    private static Optional<String> session() {
        return Optional.ofNullable((String) js("return sessionStorage.getItem('lattice.session')"));
    }

    private static Object js(String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }

    private static void shot(String name) {
        String dir = System.getProperty("lattice.ui.screenshots");
        if (dir != null && !dir.isBlank()) browser.screenshot(Path.of(dir, name + ".png"));
    }

    /** Clicks after scrolling the element to the middle of the window: the sticky header must not be in the way. */
    private static void click(WebElement element) {
        ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'center'})", element);
        element.click();
    }
}
