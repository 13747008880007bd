package io.jsorc.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The Web Console in a real browser: headless Chromium (Debian's {@code chromium} and {@code chromium-driver}, no
 * driver download) against the distribution started as an operator starts it, with the Stripe example deployed (its
 * glob declares a schema). Logs in, edits {@code STRIPE_CONFIG} in the JsOrc page's typed form (save = config_set +
 * service_refresh), is refused a wrong type inline, presses a service's refresh button and sees its state change,
 * and saves the same glob through Felix's own Configuration Manager form (an outside edit, validated the same way:
 * a refused one shows on the JsOrc page). Screenshots go to {@code target/webconsole-it/}.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class WebConsoleIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Path SHOTS = Paths.get("target", "webconsole-it").toAbsolutePath();
    private static KarafDistribution karaf;
    private static String password;
    private static WebDriver browser;

    @BeforeClass
    public static void startDistributionAndBrowser() throws Exception {
        Path assembly = Paths.get(System.getProperty("jsorc.assembly", "target/jsorc-assembly.tar.gz"));
        Path work = Paths.get("target", "webconsole-it-karaf", Long.toString(System.currentTimeMillis()))
                .toAbsolutePath();
        karaf = KarafDistribution.unpack(assembly, work);
        Files.copy(Paths.get(System.getProperty("jsorc.stripe.jar")), karaf.home().resolve("deploy/stripe.jar"));
        karaf.start(false);
        password = Files.readString(karaf.home().resolve("etc/admin.password")).trim();
        await("stripe listed").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            KarafDistribution.Result list = karaf.client("admin", password, "jsorc:service-list");
            return list.ok() && list.out().contains("stripe");
        });
        Files.createDirectories(SHOTS);
        browser = chromium();
    }

    /** Debian's chromium through Debian's chromedriver: both paths given, so Selenium Manager never runs. */
    static WebDriver chromium() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(Files.isExecutable(Paths.get("/usr/lib/chromium/chromium")) ? "/usr/lib/chromium/chromium"
                : "/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1800",
                "--lang=en");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Paths.get("/usr/bin/chromedriver").toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    @AfterClass
    public static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (karaf != null) {
            karaf.close();
            if (!Boolean.getBoolean("jsorc.itest.keep")) {
                karaf.delete();
            }
        }
    }

    private static String console(String path) {
        return "http://admin:" + URLEncoder.encode(password, StandardCharsets.UTF_8) + "@127.0.0.1:"
                + karaf.httpPort() + "/system/console/" + path;
    }

    private static void shot(String name) throws Exception {
        Path file = SHOTS.resolve(name + ".png");
        Files.write(file, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        Files.writeString(SHOTS.resolve(name + ".html"), browser.getPageSource());
    }

    private static String client(String command) throws Exception {
        KarafDistribution.Result result = karaf.client("admin", password, command);
        assertTrue(command + ": " + result, result.ok());
        return result.out();
    }

    private static WebElement waitFor(By by) {
        try {
            return await("element " + by).atMost(WAIT).ignoreExceptions()
                    .until(() -> browser.findElement(by), e -> e.isDisplayed());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            try {
                shot("failed-" + by.toString().replaceAll("[^A-Za-z0-9_-]", "_"));
            } catch (Exception ignored) {
                e.addSuppressed(ignored);
            }
            throw e;
        }
    }

    private static void openPage() {
        browser.get(console("jsorc"));
        waitFor(By.id("svc-stripe"));
    }

    private static WebElement field(String id) {
        return waitFor(By.cssSelector("[data-field='" + id + "']"));
    }

    private static void openForm(String glob) {
        waitFor(By.id("edit-" + glob)).click();
        waitFor(By.id("jsorc-form-block"));
    }

    @Test
    public void a_thePageShowsServicesGlobsAndAutomationInTheConsoleChrome() throws Exception {
        openPage();
        assertTrue("the console's navigation wraps the page", browser.findElements(By.id("navmenu")).size()
                + browser.findElements(By.cssSelector(".navMenuItem-0")).size() > 0);
        assertEquals("NOT_STARTED", browser.findElement(By.id("state-stripe")).getText());
        assertTrue(browser.findElement(By.id("svc-stripe")).getText().contains("io.jsorc.example.stripe"));
        waitFor(By.id("glob-STRIPE_CONFIG"));
        waitFor(By.id("glob-META_CONFIG"));
        assertTrue(browser.findElement(By.id("jsorc-automation")).getText().contains("off"));
        shot("01-page");
    }

    @Test
    public void b_aTypedFormSaveStoresTheGlobAndRefreshesTheService() throws Exception {
        openPage();
        openForm("STRIPE_CONFIG");
        assertEquals("checkbox", field("enabled").getAttribute("type"));
        assertEquals("password", field("key").getAttribute("type"));
        field("enabled").click();
        field("key").sendKeys("sk_test_from_the_form");
        field("max_network_retries").clear();
        field("max_network_retries").sendKeys("3");
        shot("02-form");
        browser.findElement(By.id("jsorc-save")).click();
        WebElement saved = waitFor(By.cssSelector(".jsorc-saved"));
        assertTrue(saved.getText(), saved.getText().contains("refreshed: stripe"));
        assertTrue("the save is in the glob's recent changes", browser.findElement(By.id("jsorc-history-table"))
                .getText().contains("@webconsole"));
        String stored = client("jsorc:config-get STRIPE_CONFIG");
        assertTrue(stored, stored.contains("\"max_network_retries\":3") && stored.contains("\"enabled\":true"));
        assertTrue("the key is stored, shown masked: " + stored, stored.contains("\"key\":\"********\""));
        await("stripe RUNNING after the save's refresh").atMost(WAIT)
                .until(() -> client("jsorc:service-info stripe").contains("RUNNING"));
        openPage();
        assertEquals("RUNNING", waitFor(By.id("state-stripe")).getText());
        shot("03-saved");
    }

    @Test
    public void c_aWrongTypeIsRefusedInTheFormNamingTheFieldAndNothingChanges() throws Exception {
        String before = client("jsorc:config-get STRIPE_CONFIG");
        openPage();
        openForm("STRIPE_CONFIG");
        field("max_network_retries").clear();
        field("max_network_retries").sendKeys("abc");
        browser.findElement(By.id("jsorc-save")).click();
        WebElement error = waitFor(By.cssSelector("[data-error-for='max_network_retries']"));
        await("the inline error").atMost(WAIT).until(() -> !error.getText().isEmpty());
        assertEquals("max_network_retries must be an integer, not a string", error.getText());
        assertTrue(browser.findElement(By.id("jsorc-form-message")).getText().contains("does not match its schema"));
        shot("04-refused");
        assertEquals("nothing stored", before, client("jsorc:config-get STRIPE_CONFIG"));
    }

    @Test
    public void d_theRefreshButtonRefreshesTheServiceAndTheStateChanges() throws Exception {
        // stored only (as in the original a stored change restarts nothing): the service runs on until a refresh
        client("jsorc:config-update STRIPE_CONFIG key null");
        openPage();
        assertEquals("RUNNING", waitFor(By.id("state-stripe")).getText());
        waitFor(By.id("refresh-stripe")).click();
        await("stripe FAILED on the page after refresh").atMost(WAIT).ignoreExceptions()
                .until(() -> browser.findElement(By.id("state-stripe")).getText().equals("FAILED"));
        assertTrue(browser.findElement(By.id("svc-stripe")).getText().contains("key is required!"));
        shot("05-refreshed");
    }

    @Test
    public void e_theConfigurationManagerShowsTheTypedFormAndASaveIsValidated() throws Exception {
        browser.get(console("configMgr/jsorc.glob.STRIPE_CONFIG"));
        WebElement timeout = waitFor(By.name("read_timeout_ms"));
        assertEquals("the form shows the stored value", "80000", timeout.getAttribute("value"));
        assertEquals("password", browser.findElement(By.name("key")).getAttribute("type"));
        shot("06-configmgr");
        timeout.clear();
        timeout.sendKeys("90000");
        saveConfigManagerForm();
        await("read_timeout_ms 90000 stored").atMost(WAIT)
                .until(() -> client("jsorc:config-get STRIPE_CONFIG").contains("\"read_timeout_ms\":90000"));

        browser.get(console("configMgr/jsorc.glob.STRIPE_CONFIG"));
        WebElement retries = waitFor(By.name("max_network_retries"));
        retries.clear();
        retries.sendKeys("many");
        saveConfigManagerForm();
        openPage();
        await("the refusal on the JsOrc page").atMost(WAIT).ignoreExceptions().until(() -> {
            browser.navigate().refresh();
            return browser.findElement(By.id("jsorc-refused")).getText()
                    .contains("max_network_retries must be an integer, not a string");
        });
        shot("07-refused-outside-edit");
        String stored = client("jsorc:config-get STRIPE_CONFIG");
        assertTrue("restored: " + stored, stored.contains("\"max_network_retries\":3")
                && stored.contains("\"read_timeout_ms\":90000"));
    }

    @Test
    public void f_theSchemaRefusesAWrongTypeOnTheConsoleAndOverHttpToo() throws Exception {
        KarafDistribution.Result console = karaf.client("admin", password,
                "jsorc:config-set STRIPE_CONFIG '{\"enabled\":\"yes\"}'");
        assertFalse("refused: " + console, console.ok());
        assertTrue(console.toString(), (console.out() + console.err())
                .contains("enabled must be a boolean, not a string"));
        java.net.http.HttpResponse<String> http = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + karaf.httpPort()
                        + "/js_admin/config_set"))
                        .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                                ("admin:" + password).getBytes(StandardCharsets.UTF_8)))
                        .header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                "{\"name\":\"STRIPE_CONFIG\",\"value\":{\"read_timeout_ms\":1.5}}"))
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(http.body(), 400, http.statusCode());
        assertTrue(http.body(), http.body().contains("read_timeout_ms must be an integer, not 1.5"));
    }

    @Test
    public void g_nestedValuesAndListsAreEditableWithoutJson() throws Exception {
        openPage();
        openForm("META_CONFIG");
        WebElement keepAlive = field("keep_alive");
        assertEquals("textarea", keepAlive.getTagName());
        keepAlive.clear();
        keepAlive.sendKeys("stripe\npromon");
        WebElement inCluster = field("kubernetes.in_cluster");
        assertTrue("in_cluster shows its stored true", inCluster.isSelected());
        inCluster.click();
        assertEquals("kubernetes.config is a password field", "password",
                field("kubernetes.config").getAttribute("type"));
        shot("08-meta-form");
        browser.findElement(By.id("jsorc-save")).click();
        WebElement saved = waitFor(By.cssSelector(".jsorc-saved"));
        assertTrue(saved.getText(), saved.getText().contains("refreshed: meta"));
        String stored = client("jsorc:config-get META_CONFIG");
        assertTrue(stored, stored.contains("\"keep_alive\":[\"stripe\",\"promon\"]")
                && stored.contains("\"kubernetes\":{\"in_cluster\":false,\"config\":null}")
                && stored.contains("\"backoff_interval\":10"));
    }

    private static void saveConfigManagerForm() {
        List<WebElement> buttons = browser.findElements(By.xpath("//button[normalize-space(.)='Save']"));
        assertFalse("a Save button in the Configuration Manager dialog", buttons.isEmpty());
        buttons.stream().filter(WebElement::isDisplayed).findFirst().orElseThrow().click();
    }
}
