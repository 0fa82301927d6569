package io.parley.infra.moderation;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.parley.api.moderation.ToxicityScores;
import io.parley.command.moderation.ToxicityAssessment;
import io.parley.command.moderation.ToxicityScorer;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/** Against a local WireMock speaking Perspective's {@code comments:analyze} format. */
class PerspectiveToxicityScorerTest {

  static final String PATH = "/v1alpha1/comments:analyze";
  static final String KEY = "test-key-3f9a";
  static final String TEXT = "Meet me at the \"old\" mill, Jörg";
  static final Duration TIMEOUT = Duration.ofMillis(300);
  static final int MAX_ATTEMPTS = 3;
  static final Duration BACKOFF = Duration.ofMillis(10);
  static final int CIRCUIT_WINDOW = 2;

  static final ToxicityScores FALLBACK_SCORES = ToxicityScores.of(0.1, 0.2, 0.3, 0.4);
  static final ToxicityScorer FALLBACK = text -> ToxicityAssessment.by("lexicon", FALLBACK_SCORES);

  static final String SCORED =
      """
      {
        "attributeScores": {
          "TOXICITY": {
            "spanScores": [{"begin": 0, "end": 31, "score": {"value": 0.93, "type": "PROBABILITY"}}],
            "summaryScore": {"value": 0.93, "type": "PROBABILITY"}
          },
          "SEVERE_TOXICITY": {
            "spanScores": [{"begin": 0, "end": 31, "score": {"value": 0.41, "type": "PROBABILITY"}}],
            "summaryScore": {"value": 0.41, "type": "PROBABILITY"}
          },
          "INSULT": {
            "spanScores": [{"begin": 0, "end": 31, "score": {"value": 0.8765, "type": "PROBABILITY"}}],
            "summaryScore": {"value": 0.8765, "type": "PROBABILITY"}
          },
          "THREAT": {
            "spanScores": [{"begin": 0, "end": 31, "score": {"value": 0.0123, "type": "PROBABILITY"}}],
            "summaryScore": {"value": 0.0123, "type": "PROBABILITY"}
          }
        },
        "languages": ["en"],
        "detectedLanguages": ["en"]
      }
      """;

  static final String LANGUAGE_NOT_SUPPORTED =
      """
      {
        "error": {
          "code": 400,
          "message": "Attribute SEVERE_TOXICITY does not support request languages: xx",
          "status": "INVALID_ARGUMENT",
          "details": [{
            "@type": "type.googleapis.com/google.commentanalyzer.v1alpha1.Error",
            "errorType": "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE",
            "languageNotSupportedByAttributeError": {
              "detectedLanguages": ["xx"],
              "attribute": "SEVERE_TOXICITY"
            }
          }]
        }
      }
      """;

  @RegisterExtension
  static WireMockExtension perspective =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  MeterRegistry meters = new SimpleMeterRegistry();

  /**
   * The JVM's first HTTP exchange loads and compiles the JDK client, which on a slow machine can
   * outlast a test's short timeout: one exchange before the tests keeps that out of their counts.
   */
  @BeforeAll
  static void warmUpTheHttpClient() {
    respond(200, SCORED);
    new PerspectiveToxicityScorerTest().scorer().score(TEXT);
  }

  PerspectiveToxicityScorer scorer() {
    return scorer(URI.create(perspective.baseUrl() + PATH), Duration.ofSeconds(30));
  }

  PerspectiveToxicityScorer scorer(URI url, Duration waitInOpenState) {
    PerspectiveProperties properties =
        new PerspectiveProperties(
            KEY,
            url,
            TIMEOUT,
            new PerspectiveProperties.RetrySettings(MAX_ATTEMPTS, BACKOFF, 2),
            new PerspectiveProperties.CircuitBreakerSettings(
                50, CIRCUIT_WINDOW, CIRCUIT_WINDOW, waitInOpenState));
    return new PerspectiveToxicityScorer(properties, FALLBACK, meters);
  }

  static void respond(int status, String body) {
    perspective.stubFor(
        post(PATH)
            .willReturn(
                aResponse()
                    .withStatus(status)
                    .withHeader("Content-Type", "application/json")
                    .withBody(body)));
  }

  static int requests() {
    return perspective.countRequestsMatching(postRequestedFor(urlEqualTo(PATH)).build()).getCount();
  }

  static void assertFallback(ToxicityAssessment assessment, String reason) {
    assertThat(assessment.fallbackReason()).isEqualTo(reason);
    assertThat(assessment.scorer()).isEqualTo("lexicon");
    assertThat(assessment.scores()).isEqualTo(FALLBACK_SCORES);
  }

  @Test
  void score_mapsTheFourSummaryScores_ofARequestWithTheKeyInAHeaderAndDoNotStore() {
    respond(200, SCORED);

    ToxicityAssessment assessment = scorer().score(TEXT);

    assertThat(assessment.scorer()).isEqualTo(PerspectiveToxicityScorer.NAME);
    assertThat(assessment.fellBack()).isFalse();
    assertThat(assessment.scores()).isEqualTo(ToxicityScores.of(0.93, 0.41, 0.877, 0.012));
    perspective.verify(
        1,
        postRequestedFor(urlEqualTo(PATH)) // the whole URL: no key in a query string
            .withHeader("X-goog-api-key", equalTo(KEY))
            .withHeader("Content-Type", equalTo("application/json"))
            .withRequestBody(
                equalToJson(
                    """
                    {
                      "comment": {"text": "Meet me at the \\"old\\" mill, Jörg"},
                      "requestedAttributes": {
                        "TOXICITY": {}, "SEVERE_TOXICITY": {}, "INSULT": {}, "THREAT": {}
                      },
                      "doNotStore": true
                    }
                    """)));
  }

  @Test
  void score_retriesAThrottledCall_andAnswersWithPerspective() {
    perspective.stubFor(
        post(PATH)
            .inScenario("throttled")
            .whenScenarioStateIs(STARTED)
            .willReturn(aResponse().withStatus(429))
            .willSetStateTo("quota refilled"));
    perspective.stubFor(
        post(PATH)
            .inScenario("throttled")
            .whenScenarioStateIs("quota refilled")
            .willReturn(okJson(SCORED)));

    ToxicityAssessment assessment = scorer().score(TEXT);

    assertThat(assessment.fellBack()).isFalse();
    assertThat(assessment.scores().toxicity()).isEqualByComparingTo("0.930");
    assertThat(requests()).isEqualTo(2);
  }

  @Test
  void score_fallsBackWithHttp5xx_afterMaxAttempts_whenPerspectiveKeepsFailing() {
    respond(500, "{\"error\":{\"code\":500,\"status\":\"INTERNAL\"}}");

    assertFallback(scorer().score(TEXT), "perspective:http-5xx");
    assertThat(requests()).isEqualTo(MAX_ATTEMPTS);
  }

  @Test
  void score_fallsBackWithTimeout_withinTheAttemptsTimeoutsAndBackoffs() {
    perspective.stubFor(post(PATH).willReturn(okJson(SCORED).withFixedDelay(1_500)));
    PerspectiveToxicityScorer scorer = scorer();

    long start = System.nanoTime();
    ToxicityAssessment assessment = scorer.score(TEXT);
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

    assertFallback(assessment, "perspective:timeout");
    assertThat(requests()).isEqualTo(MAX_ATTEMPTS);
    // 3 × 300 ms + 10 ms + 20 ms of backoff; the rest is slack for a slow machine.
    Duration bound = TIMEOUT.multipliedBy(MAX_ATTEMPTS).plus(BACKOFF.multipliedBy(3));
    assertThat(elapsed).isLessThan(bound.plusSeconds(1));
  }

  @Test
  void score_fallsBackWithIoError_whenPerspectiveIsUnreachable() {
    URI closedPort = URI.create("http://127.0.0.1:1" + PATH);

    assertFallback(scorer(closedPort, Duration.ofSeconds(30)).score(TEXT), "perspective:io-error");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "<html><body>Bad gateway</body></html>",
        "",
        "{\"attributeScores\": {}}",
        "{\"languages\": [\"en\"]}",
        """
        {"attributeScores": {
          "TOXICITY": {"summaryScore": {"value": 0.9}},
          "SEVERE_TOXICITY": {"summaryScore": {"value": 0.9}},
          "INSULT": {"summaryScore": {"value": 0.9}}}}
        """,
        """
        {"attributeScores": {
          "TOXICITY": {"summaryScore": {"value": "0.9"}},
          "SEVERE_TOXICITY": {"summaryScore": {"value": 0.9}},
          "INSULT": {"summaryScore": {"value": 0.9}},
          "THREAT": {"summaryScore": {"value": 0.9}}}}
        """,
        """
        {"attributeScores": {
          "TOXICITY": {"summaryScore": {"value": null}},
          "SEVERE_TOXICITY": {"summaryScore": {}},
          "INSULT": {"summaryScore": {"value": 0.9}},
          "THREAT": {"summaryScore": {"value": 0.9}}}}
        """
      })
  void score_fallsBackWithMalformedResponse_withoutRetrying(String body) {
    respond(200, body);

    assertFallback(scorer().score(TEXT), "perspective:malformed-response");
    assertThat(requests()).isEqualTo(1);
  }

  @Test
  void score_fallsBackWithHttp4xx_withoutRetrying_andWithoutOpeningTheCircuit() {
    respond(400, LANGUAGE_NOT_SUPPORTED);
    PerspectiveToxicityScorer scorer = scorer();

    for (int i = 1; i <= 3 * CIRCUIT_WINDOW; i++) {
      assertFallback(scorer.score(TEXT), "perspective:http-4xx");
      assertThat(requests()).isEqualTo(i);
    }
  }

  @Test
  void score_opensTheCircuit_whenTheKeyIsRefused() {
    respond(403, "{\"error\":{\"code\":403,\"status\":\"PERMISSION_DENIED\"}}");
    PerspectiveToxicityScorer scorer = scorer();

    for (int i = 0; i < CIRCUIT_WINDOW; i++) {
      assertFallback(scorer.score(TEXT), "perspective:http-4xx");
    }
    assertFallback(scorer.score(TEXT), "perspective:circuit-open");
    assertThat(requests()).isEqualTo(CIRCUIT_WINDOW);
  }

  @Test
  void score_opensTheCircuit_afterEnoughFailures_andStopsCallingPerspective() {
    respond(503, "{\"error\":{\"code\":503,\"status\":\"UNAVAILABLE\"}}");
    Logger logger = (Logger) LoggerFactory.getLogger(PerspectiveToxicityScorer.class);
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    logger.addAppender(log);
    try {
      PerspectiveToxicityScorer scorer = scorer();
      for (int i = 0; i < CIRCUIT_WINDOW; i++) {
        assertFallback(scorer.score(TEXT), "perspective:http-5xx");
      }
      int requestsBeforeOpening = requests();
      assertThat(requestsBeforeOpening).isEqualTo(CIRCUIT_WINDOW * MAX_ATTEMPTS);

      for (int i = 0; i < 5; i++) {
        assertFallback(scorer.score(TEXT), "perspective:circuit-open");
      }

      assertThat(requests()).isEqualTo(requestsBeforeOpening);
      assertThat(
              meters
                  .get("resilience4j.circuitbreaker.state")
                  .tags("name", "perspective", "state", "open")
                  .gauge()
                  .value())
          .isEqualTo(1);
      assertThat(
              meters
                  .get("resilience4j.circuitbreaker.not.permitted.calls")
                  .tag("name", "perspective")
                  .counter()
                  .count())
          .isEqualTo(5);
      assertThat(
              meters
                  .get("resilience4j.retry.calls")
                  .tags("name", "perspective", "kind", "failed_with_retry")
                  .functionCounter()
                  .count())
          .isEqualTo(CIRCUIT_WINDOW);
      assertThat(log.list)
          .singleElement()
          .satisfies(
              line -> {
                assertThat(line.getLevel()).isEqualTo(Level.WARN);
                assertThat(line.getFormattedMessage()).contains("OPEN", "http-5xx");
              });
      assertThat(log.list)
          .extracting(ILoggingEvent::getFormattedMessage)
          .noneMatch(line -> line.contains(KEY) || line.contains("old\" mill"));
    } finally {
      logger.detachAppender(log);
    }
  }

  @Test
  void score_asksPerspectiveAgain_onceTheOpenCircuitHasWaited() throws InterruptedException {
    respond(500, "{}");
    Duration wait = Duration.ofMillis(100);
    PerspectiveToxicityScorer scorer = scorer(URI.create(perspective.baseUrl() + PATH), wait);
    for (int i = 0; i < CIRCUIT_WINDOW; i++) {
      scorer.score(TEXT);
    }
    assertFallback(scorer.score(TEXT), "perspective:circuit-open");

    respond(200, SCORED);
    Thread.sleep(wait.multipliedBy(2).toMillis());

    assertThat(scorer.score(TEXT).fellBack()).isFalse();
  }
}
