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
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real {@code lattice up --nodes 2} and a headless Chromium on its web console: what the cli's
 * browser tests share. {@link #start} waits for the platform, logs the admin in over the API and
 * adds the test's users; the page helpers find elements by {@code data-testid} and wait up to
 * {@link #WAIT}. Not thread-safe.
 */
final class PlatformConsole {
    static final Duration WAIT = Duration.ofSeconds(30);

    final RunningPlatform platform;
    final String adminPassword;
    final String adminToken;
    final Browser browser;
    final WebDriver driver;
    final WebDriverWait wait;

    private PlatformConsole(RunningPlatform platform, String adminPassword, String adminToken, Browser browser) {
        this.platform = platform;
        this.adminPassword = adminPassword;
        this.adminToken = adminToken;
        this.browser = browser;
        this.driver = browser.driver;
        this.wait = waiting(driver, WAIT);
    }

    /**
     * Starts {@code lattice up --nodes 2} in {@code data}, waits until it is UP, logs the admin in,
     * adds each user (username → role) with {@code password}, then starts the browser. When any of
     * that fails, the platform is stopped again before the failure is thrown.
     */
    static PlatformConsole start(Path data, Map<String, String> users, String password) throws Exception {
        RunningPlatform platform = RunningPlatform.start(data, RunningPlatform.freePort(),
                "--nodes", "2", "--mqtt-port", Integer.toString(RunningPlatform.freePort()));
        try {
            waitUntil(platform, "health UP", Duration.ofSeconds(120), platform::isUp);
            Path passwordFile = data.resolve("admin-password");
            waitUntil(platform, "the admin password file", Duration.ofSeconds(30), () -> Files.exists(passwordFile));
            String adminPassword = Files.readString(passwordFile).trim();
            String adminToken = login(platform, "admin", adminPassword);
            for (var user : users.entrySet()) {
                var r = platform.send("POST", "/api/v1/users", adminToken,
                        Json.string(Map.of("username", user.getKey(), "password", password, "role", user.getValue())));
                assertThat(r.status()).as(r.body()).isEqualTo(201);
            }
            return new PlatformConsole(platform, adminPassword, adminToken, Browser.start());
        } catch (Throwable e) {
            try {
                platform.terminate(Duration.ofSeconds(60));
            } catch (Throwable stopping) {
                e.addSuppressed(stopping);
            } finally {
                platform.close();
            }
            throw e;
        }
    }

    /**
     * Closes the browser, runs {@code cleanUp} (deleting what the test made, so that stopping
     * leaves no workload behind), then stops the platform with SIGTERM and kills what is left.
     */
    void stop(Runnable cleanUp) throws InterruptedException {
        try {
            browser.close();
        } finally {
            cleanUp.run();
            try {
                platform.terminate(Duration.ofSeconds(60));
            } finally {
                platform.close();
            }
        }
    }

    String base() {
        return "http://127.0.0.1:" + platform.port;
    }

    // ------------------------------------------------------------------ page

    /** The login page with no session left from an earlier test. */
    void freshLoginPage() {
        driver.get(base() + "/");
        js("sessionStorage.clear()");
        driver.navigate().refresh();
        wait.until(visibilityOfElementLocated(tid("login-form")));
    }

    /** Logs in through the login form, which must be showing. */
    void logIn(String user, String password) {
        setText("login-username", user);
        setText("login-password", password);
        click("login-submit");
        wait.until(visibilityOfElementLocated(tid("nav")));
    }

    void open(String section) {
        click("nav-" + section);
        wait.until(visibilityOfElementLocated(tid("page-" + section)));
    }

    /** The nav's sections, in order. */
    List<String> navEntries() {
        return driver.findElement(tid("nav")).findElements(By.cssSelector("[data-testid^='nav-']")).stream()
                .map(e -> e.getDomAttribute("data-testid").substring("nav-".length())).toList();
    }

    /**
     * The element's text. The console re-renders a list when its data changes, so an element found a
     * moment ago may be gone by the time its text is read: it is looked up again, a few times.
     */
    String text(String testid) {
        for (int attempt = 1; ; attempt++) {
            try {
                return driver.findElement(tid(testid)).getText();
            } catch (StaleElementReferenceException e) {
                if (attempt == 5) throw e;
            }
        }
    }

    void until(String what, Supplier<Boolean> done) {
        waiting(driver, WAIT).withMessage("waiting for " + what).until(d -> done.get());
    }

    /** A wait that, like a user, looks again when the page re-rendered what it was reading. */
    static WebDriverWait waiting(WebDriver driver, Duration timeout) {
        WebDriverWait wait = new WebDriverWait(driver, timeout);
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    void setText(String testid, String value) {
        WebElement input = driver.findElement(tid(testid));
        input.clear();
        if (!value.isEmpty()) input.sendKeys(value);
    }

    /** Clicks after scrolling the element to the middle of the window: the sticky header must not be in the way. */
    void click(String testid) {
        WebElement element = wait.until(visibilityOfElementLocated(tid(testid)));
        js("arguments[0].scrollIntoView({block: 'center'})", element);
        wait.until(d -> element.isEnabled());
        element.click();
    }

    /** The page fits the window's width: no sideways scrolling. */
    void assertFitsTheWindow() {
        Number overflow = (Number) js("return document.documentElement.scrollWidth - window.innerWidth");
        assertThat(overflow.intValue()).as("page is wider than the window by %s px", overflow).isLessThanOrEqualTo(0);
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    // ------------------------------------------------------------------ platform

    private static void waitUntil(RunningPlatform platform, String what, Duration timeout, Supplier<Boolean> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.get()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what + "\n" + platform.log());
            Thread.sleep(200);
        }
    }

    private static String login(RunningPlatform platform, String user, String password) {
        var r = platform.send("POST", "/api/v1/auth/login", null, Json.string(Map.of("username", user, "password", password)));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return Json.read(r.body().getBytes(), JsonNode.class).get("token").asText();
    }
}
