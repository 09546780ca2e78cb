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
 * browser tests share. {@link #open} gives a test class its own browser and users on a platform
 * that is either {@link ConsoleIT}'s, shared by its classes (one start instead of three), or, when
 * a class runs alone, its own; the page helpers find elements by {@code data-testid} and wait up
 * to {@link #WAIT}. Not thread-safe.
 */
final class PlatformConsole {
    static final Duration WAIT = Duration.ofSeconds(30);

    /** A started platform with its admin logged in. */
    record Platform(RunningPlatform running, String adminPassword, String adminToken) {}

    /** Set by {@link ConsoleIT} while its classes run; null when a class runs alone. */
    private static volatile Platform shared;

    final RunningPlatform platform;
    final String adminPassword;
    final String adminToken;
    final Browser browser;
    final WebDriver driver;
    final WebDriverWait wait;
    /** Whether {@link #stop} stops the platform too (a class running alone), or leaves it to the suite. */
    private final boolean ownsPlatform;

    private PlatformConsole(Platform p, boolean ownsPlatform, Browser browser) {
        this.platform = p.running();
        this.adminPassword = p.adminPassword();
        this.adminToken = p.adminToken();
        this.ownsPlatform = ownsPlatform;
        this.browser = browser;
        this.driver = browser.driver;
        this.wait = waiting(driver, WAIT);
    }

    /**
     * Adds each user (username → role) with {@code password} to the shared platform, or to a
     * platform of its own started in {@code data} when there is none, then starts the browser.
     * When any of that fails, a platform of its own is stopped again before the failure is thrown.
     */
    static PlatformConsole open(Path data, Map<String, String> users, String password) throws Exception {
        Platform p = shared;
        boolean own = p == null;
        if (own) p = startPlatform(data);
        try {
            for (var user : users.entrySet()) {
                var r = p.running().send("POST", "/api/v1/users", p.adminToken(),
                        Json.string(Map.of("username", user.getKey(), "password", password, "role", user.getValue())));
                assertThat(r.status()).as(r.body()).isEqualTo(201);
            }
            return new PlatformConsole(p, own, Browser.start());
        } catch (Throwable e) {
            if (own) stopPlatform(p.running(), e);
            throw e;
        }
    }

    /** Starts the platform {@link #open} hands to every class until {@link #stopShared}. */
    static void startShared(Path data) throws Exception {
        shared = startPlatform(data);
    }

    static void stopShared() throws InterruptedException {
        Platform p = shared;
        shared = null;
        if (p != null) {
            try {
                p.running().terminate(Duration.ofSeconds(60));
            } finally {
                p.running().close();
            }
        }
    }

    /**
     * Closes the browser, runs {@code cleanUp} (deleting what the test made, so that the next
     * class finds the platform as it was and stopping leaves no workload behind), then, if the
     * platform is this class's own, stops it with SIGTERM and kills what is left.
     */
    void stop(Runnable cleanUp) throws InterruptedException {
        try {
            browser.close();
        } finally {
            try {
                cleanUp.run();
            } finally {
                if (ownsPlatform) {
                    try {
                        platform.terminate(Duration.ofSeconds(60));
                    } finally {
                        platform.close();
                    }
                }
            }
        }
    }

    /** Starts {@code lattice up --nodes 2} in {@code data}, waits until it is UP and logs the admin in. */
    private static Platform startPlatform(Path data) throws Exception {
        RunningPlatform platform = RunningPlatform.start(data, RunningPlatform.freePort(),
                "--nodes", "2", "--mqtt-port", Integer.toString(RunningPlatform.freePort()));
        try {
            // 180 s as MultiHostIT: this suite often starts beside it, the heaviest start of all
            waitUntil(platform, "health UP", Duration.ofSeconds(180), platform::isUp);
            Path passwordFile = data.resolve("admin-password");
            waitUntil(platform, "the admin password file", Duration.ofSeconds(30), () -> Files.exists(passwordFile));
            String adminPassword = Files.readString(passwordFile).trim();
            return new Platform(platform, adminPassword, login(platform, "admin", adminPassword));
        } catch (Throwable e) {
            stopPlatform(platform, e);
            throw e;
        }
    }

    private static void stopPlatform(RunningPlatform platform, Throwable cause) {
        try {
            platform.terminate(Duration.ofSeconds(60));
        } catch (Throwable stopping) {
            cause.addSuppressed(stopping);
        } finally {
            platform.close();
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
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what + "\n" + platform.diagnosis());
            Thread.sleep(200);
        }
    }

    private static String login(RunningPlatform platform, String user, String password) {
        var r = platform.send("POST", "/api/v1/auth/login", null, Json.string(Map.of("username", user, "password", password)));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return Json.read(r.body().getBytes(), JsonNode.class).get("token").asText();
    }
}
