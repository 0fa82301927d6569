package io.parley.infra.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.infra.support.ApiClient;
import io.parley.infra.support.BulkStore;
import io.parley.infra.support.ParleyNode;
import io.parley.testsupport.TestDatabase;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The /ops page in a real browser: Debian's chromium, driven through its chromedriver (both
 * installed by {@code src/test/scripts/install-test-tools.sh} before the tests). The page is served
 * without a token and shows nothing until given one; a USER token is refused; an OPS token, typed
 * and submitted with Enter, shows the processors; a replay started from the page, confirmed in its
 * dialog, runs and finishes. Screenshots land in {@code target/ops-page/}.
 */
class OpsPageBrowserIT {

  static final Path SCREENSHOTS = Path.of("target", "ops-page");

  @TempDir Path dataDir;
  @TempDir Path browserProfile;

  ConfigurableApplicationContext node;
  WebDriver browser;
  String base;

  @BeforeEach
  void startParleyAndChromium() throws IOException {
    node =
        ParleyNode.start(
            dataDir,
            TestDatabase.newDatabase(),
            "--parley.node-id=node-a",
            "--parley.rate-limit.messages=100000",
            // The timeline commits each event on its own: its replay lasts long enough to watch.
            "--axon.eventhandling.processors.timeline.batch-size=1");
    base = "http://localhost:" + ((WebServerApplicationContext) node).getWebServer().getPort();
    BulkStore.conversations(ParleyNode.client(node), 30);

    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1440,1000",
        "--user-data-dir=" + browserProfile);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File("/usr/bin/chromedriver"))
            .usingAnyFreePort()
            .build();
    browser = new ChromeDriver(service, options);
    Files.createDirectories(SCREENSHOTS);
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (node != null) {
      node.close();
    }
  }

  @Test
  void anOpsEngineerSignsInSeesTheProcessorsAndReplaysTheTimeline() throws IOException {
    ApiClient api = ParleyNode.client(node);
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    wait.ignoring(StaleElementReferenceException.class);

    browser.get(base + "/ops");
    assertThat(browser.getTitle()).isEqualTo("Parley operations");
    WebElement field = browser.findElement(By.id("token"));
    assertThat(browser.findElement(By.cssSelector("label[for=token]")).getText())
        .isEqualTo("OPS bearer token");
    assertThat(browser.switchTo().activeElement()).isEqualTo(field);
    assertThat(browser.findElement(By.id("console")).isDisplayed()).isFalse();
    screenshot("1-sign-in");

    // A USER token: refused, nothing shown, nothing kept.
    field.sendKeys(api.token("ulla", "USER"), Keys.ENTER);
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "no OPS role"));
    assertThat(browser.findElement(By.id("console")).isDisplayed()).isFalse();
    assertThat(browser.findElements(By.cssSelector("#processors tbody tr"))).isEmpty();
    assertThat(sessionToken()).isNull();

    // An OPS token, submitted with Enter: the processors, with their segments.
    browser.findElement(By.id("token")).sendKeys(api.token("olga", "OPS"), Keys.ENTER);
    wait.until(
        ExpectedConditions.visibilityOfElementLocated(
            By.cssSelector("#processors tr[data-processor=timeline]")));
    assertThat(text(By.cssSelector("#processors tr[data-processor=timeline]")))
        .contains("timeline", "#0", "#1", "lag");
    assertThat((String) sessionToken()).isNotBlank();
    assertThat(((JavascriptExecutor) browser).executeScript("return window.localStorage.length"))
        .isEqualTo(0L);
    assertThat(text(By.cssSelector("#processors tr[data-processor=CardGenerationSagaProcessor]")))
        .contains("saga: not replayed");
    // The saga types with their counts, and (here) no dead letter.
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.cssSelector("#saga-types tbody"), "CardGenerationSaga"));
    assertThat(text(By.cssSelector("#saga-types tbody"))).contains("ErasureSaga");
    assertThat(text(By.cssSelector("#dead-letters tbody"))).isEqualTo("No dead letters.");
    assertThat(text(By.id("refresh-problems"))).isEmpty();
    screenshot("2-processors");
    ((JavascriptExecutor) browser)
        .executeScript("document.getElementById('sagas-title').scrollIntoView()");
    screenshot("2b-sagas-and-dead-letters");

    // Replay, confirmed in the dialog, then watched until it has finished.
    wait.until(
        d -> {
          d.findElement(By.cssSelector("button[aria-label='Replay timeline']")).click();
          return true;
        });
    WebElement dialog = browser.findElement(By.id("confirm"));
    wait.until(d -> dialog.isDisplayed());
    assertThat(dialog.getText()).contains("Replay timeline?");
    screenshot("3-confirm");
    browser.findElement(By.id("confirm-ok")).click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("status"), "Replay of timeline started."));

    JdbcTemplate sql = node.getBean(JdbcTemplate.class);
    boolean[] sawProgress = {false};
    new WebDriverWait(browser, Duration.ofSeconds(90))
        .pollingEvery(Duration.ofMillis(200))
        // The page redraws its tables every 3 s: an element found just before is then stale.
        .ignoring(StaleElementReferenceException.class)
        .until(
            d -> {
              List<WebElement> bars =
                  d.findElements(
                      By.cssSelector("#processors tr[data-processor=timeline] progress"));
              if (!bars.isEmpty() && !sawProgress[0]) {
                sawProgress[0] = true;
                screenshot("4-replaying");
              }
              Boolean finished =
                  sql.queryForObject(
                      "select coalesce(bool_and(finished_at is not null), false)"
                          + " from processor_replay where processor_name = 'timeline'",
                      Boolean.class);
              WebElement row =
                  d.findElement(By.cssSelector("#processors tr[data-processor=timeline]"));
              return Boolean.TRUE.equals(finished)
                  && row.findElements(By.tagName("progress")).isEmpty()
                  && row.findElement(By.cssSelector("button[aria-label='Replay timeline']"))
                      .isEnabled();
            });
    assertThat(sawProgress[0]).as("the page showed the replay's progress bar").isTrue();
    screenshot("5-replayed");

    // Signing out forgets the token and hides the data.
    browser.findElement(By.id("sign-out")).click();
    assertThat(browser.findElement(By.id("console")).isDisplayed()).isFalse();
    assertThat(sessionToken()).isNull();
  }

  /**
   * The element's text; the page redraws its tables every 3 s, so an element found a moment before
   * may be stale: find it again.
   */
  String text(By locator) {
    return new WebDriverWait(browser, Duration.ofSeconds(10))
        .ignoring(StaleElementReferenceException.class)
        .until(d -> d.findElement(locator).getText());
  }

  Object sessionToken() {
    return ((JavascriptExecutor) browser)
        .executeScript("return window.sessionStorage.getItem('parley.ops.token')");
  }

  void screenshot(String name) {
    File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    try {
      Files.copy(
          shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
