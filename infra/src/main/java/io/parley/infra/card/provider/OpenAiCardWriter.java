package io.parley.infra.card.provider;

import com.fasterxml.jackson.core.JacksonException;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.output.TokenUsage;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRateLimiterMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.parley.api.card.ProviderCall;
import io.parley.api.card.ProviderCallOutcome;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes cards with any OpenAI-compatible chat-completions API (OpenAI, vLLM, Ollama's OpenAI API)
 * through LangChain4j: one JSON-mode chat call per batch of cards (see {@link CardPrompt} for the
 * prompt and {@link CardAnswer} for how strictly the answer is read).
 *
 * <p><b>Batching.</b> {@link #write} queues the card (at most {@code queue-capacity}; beyond, it
 * answers {@code NotWritten(THROTTLED)} at once, with no call). One dispatcher thread takes the
 * first waiting card, waits up to {@code batch-linger} for more, up to {@code batch-size}, and
 * makes the batch's call; cards that arrive meanwhile wait for the next batch. A card id already in
 * the batch waits for the next one, so an answer's ids are never ambiguous.
 *
 * <p><b>Resilience</b>, from the outside in:
 *
 * <ul>
 *   <li>A <b>circuit breaker</b> ({@value #RESILIENCE_NAME}) judges whole batches (all their
 *       attempts). Every failed batch counts, except one refused by the rate limiter (our own
 *       limit, not the provider's health) or cut short by shutdown. While it is open no call is
 *       made: each card gets {@code NotWritten(CIRCUIT_OPEN)} with one {@link ProviderCall} of
 *       outcome {@code CIRCUIT_OPEN}, latency 0 and no tokens.
 *   <li>A <b>retry</b> with exponential backoff ({@code initial-backoff}, doubling; {@code
 *       max-attempts} in all) repeats an attempt after a 429, a 5xx (and a 408), a timeout or a
 *       connection error; never after a malformed answer or another 4xx. No header (such as {@code
 *       Retry-After}) is honoured. LangChain4j's own retries are off.
 *   <li>A <b>rate limiter</b> spreads {@code requests-per-minute} calls evenly over the minute;
 *       each attempt takes a permit, waiting up to {@code timeout} for it, else the batch ends
 *       {@code THROTTLED} (recorded as a call not made, like {@code CIRCUIT_OPEN}).
 *   <li>Each <b>attempt</b> is bounded by {@code timeout}, from connecting to the answer's last
 *       byte (LangChain4j's HTTP client timeouts, and a bound of our own around the whole call).
 * </ul>
 *
 * <p><b>Provenance.</b> Every attempt, and a call not made, is one {@link ProviderCall} (a new
 * {@code callId} per attempt, the prompt's SHA-256, latency, outcome, the whole call's tokens when
 * the provider reported them, the batch size) put on every card of the batch, in order. Where a
 * successful answer's entry for a card is missing or invalid, that card's copy of the call has
 * outcome {@code MALFORMED_RESPONSE} and the card is {@code NotWritten(MALFORMED_RESPONSE)}; the
 * other cards record {@code SUCCESS}.
 *
 * <p><b>Privacy.</b> The prompt, the answer, message text and the API key are never logged
 * (LangChain4j's request and response logging is off; a failed attempt is one WARN line with the
 * outcome and the exception's class, never its message, which can quote the answer).
 *
 * <p><b>Metrics.</b> {@code parley.cards.provider.calls{provider,outcome}} counts every {@link
 * ProviderCall} once per call (not per card); {@code
 * parley.cards.provider.latency{provider,outcome}} times the calls actually made; {@code
 * resilience4j.circuitbreaker.*}, {@code resilience4j.retry.*} and {@code
 * resilience4j.ratelimiter.*} carry {@code name=}{@value #RESILIENCE_NAME}.
 *
 * <p>The returned futures always complete normally, on the dispatcher thread: chain with the {@code
 * …Async} methods for anything more than a little work. {@link #close()} stops the dispatcher and
 * answers every waiting card {@code NotWritten(ERROR)} with no call. Thread-safe.
 */
public final class OpenAiCardWriter implements ExternalCardWriter, AutoCloseable {

  /** The name of the circuit breaker, retry and rate limiter (a metric tag). */
  public static final String RESILIENCE_NAME = "card-provider";

  static final String CALLS_METER = "parley.cards.provider.calls";
  static final String LATENCY_METER = "parley.cards.provider.latency";

  private static final Logger log = LoggerFactory.getLogger(OpenAiCardWriter.class);
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final String provider;
  private final String model;
  private final ChatModel chat;
  private final int batchSize;
  private final long lingerNanos;
  private final Duration timeout;
  private final Clock clock;
  private final MeterRegistry meters;
  private final BlockingQueue<Pending> queue;
  private final Deque<Pending> deferred = new ArrayDeque<>(); // the dispatcher's alone
  private final RateLimiter rateLimiter;
  private final Retry retry;
  private final CircuitBreaker circuitBreaker;
  private final ExecutorService calls;
  private final Thread dispatcher;
  private volatile boolean closed;

  public OpenAiCardWriter(CardProviderProperties properties, MeterRegistry meters) {
    this(properties, meters, Clock.systemUTC());
  }

  OpenAiCardWriter(CardProviderProperties properties, MeterRegistry meters, Clock clock) {
    if (!properties.enabled()) {
      throw new IllegalArgumentException("parley.cards.provider.base-url is not set");
    }
    this.provider = properties.name();
    this.model = properties.model();
    this.batchSize = properties.batchSize();
    this.lingerNanos = properties.batchLinger().toNanos();
    this.timeout = properties.timeout();
    this.clock = Objects.requireNonNull(clock, "clock");
    this.meters = Objects.requireNonNull(meters, "meters");
    this.queue = new LinkedBlockingQueue<>(properties.queueCapacity());
    this.chat =
        OpenAiChatModel.builder()
            .baseUrl(properties.baseUrl())
            .apiKey(properties.apiKey()) // null: no Authorization header
            .modelName(properties.model())
            .responseFormat(ResponseFormat.JSON) // {"type":"json_object"}; not relied upon
            .timeout(properties.timeout())
            .maxRetries(0) // the retry below is the only one
            .logRequests(false)
            .logResponses(false)
            .build();
    this.rateLimiter = rateLimiter(properties, meters);
    this.retry = retry(properties, meters);
    this.circuitBreaker = circuitBreaker(properties.circuitBreaker(), meters);
    int instance = INSTANCES.incrementAndGet();
    this.calls =
        Executors.newCachedThreadPool(
            task -> {
              Thread thread = new Thread(task, "card-provider-call-" + instance);
              thread.setDaemon(true);
              return thread;
            });
    this.dispatcher = new Thread(this::dispatch, "card-provider-dispatcher-" + instance);
    dispatcher.setDaemon(true);
    dispatcher.start();
  }

  @Override
  public String provider() {
    return provider;
  }

  @Override
  public String model() {
    return model;
  }

  @Override
  public CompletableFuture<CardWriting> write(CardWritingRequest request) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(request.cardId(), "request.cardId");
    Objects.requireNonNull(request.messages(), "request.messages");
    request
        .messages()
        .forEach(
            line -> {
              Objects.requireNonNull(line, "request.messages[]");
              Objects.requireNonNull(line.author(), "request.messages[].author");
              Objects.requireNonNull(line.text(), "request.messages[].text");
            });
    CompletableFuture<CardWriting> result = new CompletableFuture<>();
    if (closed) {
      result.complete(new CardWriting.NotWritten(ProviderCallOutcome.ERROR, List.of()));
      return result;
    }
    if (!queue.offer(new Pending(request, result))) {
      result.complete(new CardWriting.NotWritten(ProviderCallOutcome.THROTTLED, List.of()));
      return result;
    }
    if (closed) {
      failWaiting(); // close() may have drained the queue before this card went in
    }
    return result;
  }

  /**
   * Stops the dispatcher (a call in flight is abandoned: its cards are answered {@code
   * NotWritten(ERROR)} with the calls made so far) and answers every waiting card {@code
   * NotWritten(ERROR)} with no call.
   */
  @Override
  public void close() {
    closed = true;
    dispatcher.interrupt();
    try {
      dispatcher.join(timeout.plusSeconds(1).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    calls.shutdownNow();
    failWaiting();
  }

  private void failWaiting() {
    Pending pending;
    while ((pending = queue.poll()) != null) {
      pending.result.complete(new CardWriting.NotWritten(ProviderCallOutcome.ERROR, List.of()));
    }
    if (!dispatcher.isAlive()) {
      synchronized (deferred) {
        while ((pending = deferred.poll()) != null) {
          pending.result.complete(new CardWriting.NotWritten(ProviderCallOutcome.ERROR, List.of()));
        }
      }
    }
  }

  // --- the dispatcher thread ---

  private void dispatch() {
    while (!closed) {
      List<Pending> batch;
      try {
        batch = nextBatch();
      } catch (InterruptedException e) {
        break;
      }
      try {
        write(batch);
      } catch (RuntimeException | Error unexpected) {
        // A defect rather than the provider's doing; its message could quote anything.
        log.warn(
            "Card provider {}: writing a batch failed unexpectedly ({})",
            provider,
            unexpected.getClass().getName());
      } finally {
        batch.forEach(
            pending ->
                pending.result.complete(
                    new CardWriting.NotWritten(ProviderCallOutcome.ERROR, List.of())));
      }
    }
    synchronized (deferred) {
      deferred.forEach(
          pending ->
              pending.result.complete(
                  new CardWriting.NotWritten(ProviderCallOutcome.ERROR, List.of())));
      deferred.clear();
    }
  }

  /**
   * The cards deferred from the last batch first, then the first waiting card, then whatever comes
   * within the linger, up to the batch size; one card per id.
   */
  private List<Pending> nextBatch() throws InterruptedException {
    List<Pending> batch = new ArrayList<>(batchSize);
    Set<UUID> ids = new HashSet<>();
    List<Pending> stillDeferred = new ArrayList<>();
    synchronized (deferred) {
      Pending pending;
      while ((pending = deferred.poll()) != null) {
        if (batch.size() < batchSize && ids.add(pending.request.cardId())) {
          batch.add(pending);
        } else {
          stillDeferred.add(pending);
        }
      }
      deferred.addAll(stillDeferred);
    }
    if (batch.isEmpty()) {
      Pending first = queue.take();
      batch.add(first);
      ids.add(first.request.cardId());
    }
    long deadline = System.nanoTime() + lingerNanos;
    while (batch.size() < batchSize) {
      long remaining = deadline - System.nanoTime();
      Pending next;
      try {
        next = remaining > 0 ? queue.poll(remaining, TimeUnit.NANOSECONDS) : queue.poll();
      } catch (InterruptedException e) {
        // Closing: the cards taken are answered by write(), which sees the interrupt.
        Thread.currentThread().interrupt();
        break;
      }
      if (next == null) {
        break;
      }
      if (ids.add(next.request.cardId())) {
        batch.add(next);
      } else {
        synchronized (deferred) {
          deferred.add(next);
        }
      }
    }
    return batch;
  }

  private void write(List<Pending> batch) {
    List<CardWritingRequest> requests = batch.stream().map(Pending::request).toList();
    List<UUID> ids = requests.stream().map(CardWritingRequest::cardId).toList();
    CardPrompt prompt = CardPrompt.of(requests);
    ChatRequest request =
        ChatRequest.builder()
            .messages(SystemMessage.from(prompt.system()), UserMessage.from(prompt.user()))
            .build();
    List<ProviderCall> made = new ArrayList<>();
    Answer answer;
    try {
      answer =
          circuitBreaker.executeSupplier(
              Retry.decorateSupplier(
                  retry, () -> attempt(request, prompt.sha256(), ids, batch.size(), made)));
    } catch (CallFailure failure) {
      List<ProviderCall> calls = List.copyOf(made);
      batch.forEach(p -> p.result.complete(new CardWriting.NotWritten(failure.outcome, calls)));
      return;
    } catch (CallNotPermittedException open) {
      record(made, notMade(prompt.sha256(), ProviderCallOutcome.CIRCUIT_OPEN, batch.size()));
      List<ProviderCall> calls = List.copyOf(made);
      batch.forEach(
          p ->
              p.result.complete(
                  new CardWriting.NotWritten(ProviderCallOutcome.CIRCUIT_OPEN, calls)));
      return;
    }
    List<ProviderCall> earlier = made.subList(0, made.size() - 1);
    ProviderCall last = made.get(made.size() - 1);
    List<ProviderCall> all = List.copyOf(made);
    for (Pending pending : batch) {
      CardAnswer.Values values = answer.values.get(pending.request.cardId());
      if (values == null) {
        List<ProviderCall> calls = new ArrayList<>(earlier);
        calls.add(withOutcome(last, ProviderCallOutcome.MALFORMED_RESPONSE));
        pending.result.complete(
            new CardWriting.NotWritten(ProviderCallOutcome.MALFORMED_RESPONSE, List.copyOf(calls)));
      } else {
        pending.result.complete(
            new CardWriting.Written(
                values.polarity(), values.confidence(), values.title(), values.caption(), all));
      }
    }
  }

  /** One attempt: a permit, the call, the answer read; its {@link ProviderCall} goes to made. */
  private Answer attempt(
      ChatRequest request, String promptSha256, List<UUID> ids, int size, List<ProviderCall> made) {
    if (closed || Thread.currentThread().isInterrupted()) {
      throw CallFailure.interrupted();
    }
    if (!rateLimiter.acquirePermission()) {
      if (closed || Thread.currentThread().isInterrupted()) {
        throw CallFailure.interrupted();
      }
      record(made, notMade(promptSha256, ProviderCallOutcome.THROTTLED, size));
      throw CallFailure.throttled();
    }
    UUID callId = UUID.randomUUID();
    Instant calledAt = clock.instant();
    long start = System.nanoTime();
    ChatResponse response;
    try {
      response = call(request);
    } catch (CallFailure failure) {
      record(
          made,
          new ProviderCall(
              callId,
              provider,
              model,
              promptSha256,
              millisSince(start),
              failure.outcome,
              0,
              0,
              size,
              calledAt));
      log.warn(
          "Card provider {}: a call (batch of {}) failed: {} ({})",
          provider,
          size,
          failure.outcome,
          failure.causeClass);
      throw failure;
    }
    long latency = millisSince(start);
    TokenUsage usage = response.tokenUsage();
    int promptTokens = usage == null ? 0 : orZero(usage.inputTokenCount());
    int completionTokens = usage == null ? 0 : orZero(usage.outputTokenCount());
    AiMessage message = response.aiMessage();
    Map<UUID, CardAnswer.Values> values;
    String malformedBecause = "no valid card in the answer";
    try {
      values = CardAnswer.read(message == null ? null : message.text(), ids);
    } catch (CardAnswer.Malformed malformed) {
      values = Map.of();
      malformedBecause = malformed.getMessage(); // a fixed phrase, never the answer's text
    }
    ProviderCallOutcome outcome =
        values.isEmpty() ? ProviderCallOutcome.MALFORMED_RESPONSE : ProviderCallOutcome.SUCCESS;
    record(
        made,
        new ProviderCall(
            callId,
            provider,
            model,
            promptSha256,
            latency,
            outcome,
            promptTokens,
            completionTokens,
            size,
            calledAt));
    if (values.isEmpty()) {
      log.warn(
          "Card provider {}: a call (batch of {}) failed: {} ({})",
          provider,
          size,
          outcome,
          malformedBecause);
      throw CallFailure.malformed();
    }
    if (values.size() < size) {
      log.warn(
          "Card provider {}: {} of {} cards in an answer were missing or invalid",
          provider,
          size - values.size(),
          size);
    }
    return new Answer(values);
  }

  /** The chat call, bounded by the timeout even if the answer's body stalls. */
  private ChatResponse call(ChatRequest request) {
    Future<ChatResponse> pending;
    try {
      pending = calls.submit(() -> chat.chat(request));
    } catch (RejectedExecutionException e) {
      throw CallFailure.interrupted(); // closed
    }
    try {
      return pending.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      pending.cancel(true);
      throw CallFailure.of(ProviderCallOutcome.TIMEOUT, true, e);
    } catch (ExecutionException e) {
      throw classify(e.getCause() == null ? e : e.getCause());
    } catch (InterruptedException e) {
      pending.cancel(true);
      Thread.currentThread().interrupt();
      throw CallFailure.interrupted();
    }
  }

  /**
   * How LangChain4j 1.19 reports a failed call: a non-2xx answer is an {@link HttpException}
   * (status and body) in the cause chain of a {@link RateLimitException} (429), an {@link
   * InternalServerException} (5xx), a {@code dev.langchain4j.exception.TimeoutException} (408) or
   * another {@code LangChain4jException}; an HTTP client timeout is a {@code
   * dev.langchain4j.exception.TimeoutException} caused by {@link HttpTimeoutException}; a
   * connection failure a {@code RuntimeException} caused by an {@link IOException} (or an {@code
   * UnresolvedModelServerException} for an unknown host); an answer that is not the
   * chat-completions JSON a Jackson exception.
   */
  static CallFailure classify(Throwable thrown) {
    Integer status = null;
    boolean timedOut = false;
    boolean io = false;
    boolean json = false;
    boolean interrupted = false;
    boolean rateLimited = false;
    boolean serverError = false;
    Set<Throwable> visited = new HashSet<>();
    for (Throwable t = thrown; t != null && visited.add(t); t = t.getCause()) {
      if (t instanceof HttpException http && status == null) {
        status = http.statusCode();
      } else if (t instanceof dev.langchain4j.exception.TimeoutException
          || t instanceof HttpTimeoutException) {
        timedOut = true;
      } else if (t instanceof RateLimitException) {
        rateLimited = true;
      } else if (t instanceof InternalServerException) {
        serverError = true;
      } else if (t instanceof InterruptedException) {
        interrupted = true;
      } else if (t instanceof JacksonException) {
        json = true;
      } else if (t instanceof IOException || t instanceof UnresolvedAddressException) {
        io = true;
      }
    }
    if (interrupted) {
      return CallFailure.interrupted();
    }
    if (status != null) {
      if (status == 429) {
        return CallFailure.of(ProviderCallOutcome.RATE_LIMITED, true, thrown);
      }
      if (status >= 500 && status <= 599) {
        return CallFailure.of(ProviderCallOutcome.SERVER_ERROR, true, thrown);
      }
      if (status == 408) {
        return CallFailure.of(ProviderCallOutcome.TIMEOUT, true, thrown);
      }
      return CallFailure.of(ProviderCallOutcome.ERROR, false, thrown);
    }
    if (rateLimited) {
      return CallFailure.of(ProviderCallOutcome.RATE_LIMITED, true, thrown);
    }
    if (serverError) {
      return CallFailure.of(ProviderCallOutcome.SERVER_ERROR, true, thrown);
    }
    if (timedOut) {
      return CallFailure.of(ProviderCallOutcome.TIMEOUT, true, thrown);
    }
    if (json) {
      return CallFailure.of(ProviderCallOutcome.MALFORMED_RESPONSE, false, thrown);
    }
    if (io) {
      return CallFailure.of(ProviderCallOutcome.ERROR, true, thrown);
    }
    return CallFailure.of(ProviderCallOutcome.ERROR, false, thrown);
  }

  private ProviderCall notMade(String promptSha256, ProviderCallOutcome outcome, int size) {
    return new ProviderCall(
        UUID.randomUUID(), provider, model, promptSha256, 0, outcome, 0, 0, size, clock.instant());
  }

  private static ProviderCall withOutcome(ProviderCall call, ProviderCallOutcome outcome) {
    return new ProviderCall(
        call.callId(),
        call.provider(),
        call.model(),
        call.promptSha256(),
        call.latencyMillis(),
        outcome,
        call.promptTokens(),
        call.completionTokens(),
        call.batchSize(),
        call.calledAt());
  }

  /** Adds a call to the batch's list, and counts (and, if it was made, times) it. */
  private void record(List<ProviderCall> made, ProviderCall call) {
    made.add(call);
    String outcome = call.outcome().name();
    Counter.builder(CALLS_METER)
        .description("Calls to the external card provider (attempts, and calls not made)")
        .tag("provider", provider)
        .tag("outcome", outcome)
        .register(meters)
        .increment();
    if (call.outcome() != ProviderCallOutcome.CIRCUIT_OPEN
        && call.outcome() != ProviderCallOutcome.THROTTLED) {
      Timer.builder(LATENCY_METER)
          .description("Latency of the calls made to the external card provider")
          .tag("provider", provider)
          .tag("outcome", outcome)
          .register(meters)
          .record(Duration.ofMillis(call.latencyMillis()));
    }
  }

  private static long millisSince(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  private static int orZero(Integer count) {
    return count == null ? 0 : count;
  }

  private static RateLimiter rateLimiter(CardProviderProperties properties, MeterRegistry meters) {
    RateLimiterConfig config =
        RateLimiterConfig.custom()
            .limitForPeriod(1)
            .limitRefreshPeriod(Duration.ofNanos(60_000_000_000L / properties.requestsPerMinute()))
            .timeoutDuration(properties.timeout())
            .build();
    RateLimiterRegistry registry = RateLimiterRegistry.of(config);
    TaggedRateLimiterMetrics.ofRateLimiterRegistry(registry).bindTo(meters);
    return registry.rateLimiter(RESILIENCE_NAME);
  }

  private Retry retry(CardProviderProperties properties, MeterRegistry meters) {
    RetryConfig config =
        RetryConfig.custom()
            .maxAttempts(properties.maxAttempts())
            .intervalFunction(IntervalFunction.ofExponentialBackoff(properties.initialBackoff(), 2))
            .retryOnException(e -> e instanceof CallFailure f && f.retryable && !closed)
            .build();
    RetryRegistry registry = RetryRegistry.of(config);
    TaggedRetryMetrics.ofRetryRegistry(registry).bindTo(meters);
    return registry.retry(RESILIENCE_NAME);
  }

  private CircuitBreaker circuitBreaker(
      CardProviderProperties.CircuitBreakerSettings settings, MeterRegistry meters) {
    CircuitBreakerConfig config =
        CircuitBreakerConfig.custom()
            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
            .slidingWindowSize(settings.slidingWindowSize())
            .minimumNumberOfCalls(settings.minimumCalls())
            .failureRateThreshold(settings.failureRateThreshold())
            .waitDurationInOpenState(settings.waitInOpenState())
            .permittedNumberOfCallsInHalfOpenState(1)
            // Anything unexpected counts too: a repeating defect should stop the calls.
            .recordException(e -> !(e instanceof CallFailure f) || f.opensCircuit)
            .ignoreException(e -> e instanceof CallFailure f && !f.opensCircuit)
            .build();
    CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(config);
    CircuitBreaker breaker = registry.circuitBreaker(RESILIENCE_NAME);
    breaker
        .getEventPublisher()
        .onStateTransition(
            event -> {
              CircuitBreaker.State from = event.getStateTransition().getFromState();
              CircuitBreaker.State to = event.getStateTransition().getToState();
              if (to == CircuitBreaker.State.OPEN || to == CircuitBreaker.State.FORCED_OPEN) {
                log.warn(
                    "Card provider {} circuit {} -> {}: no calls for now, cards are answered"
                        + " CIRCUIT_OPEN",
                    provider,
                    from,
                    to);
              } else {
                log.info("Card provider {} circuit {} -> {}", provider, from, to);
              }
            });
    TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(meters);
    return breaker;
  }

  private record Pending(CardWritingRequest request, CompletableFuture<CardWriting> result) {}

  /** A readable answer: the valid entries (at least one). */
  private record Answer(Map<UUID, CardAnswer.Values> values) {}

  /**
   * Why one attempt (or a batch) failed, and what that means for the retry and the circuit. Its
   * message is the outcome alone; never the cause's message, which can quote the answer.
   */
  static final class CallFailure extends RuntimeException {

    final ProviderCallOutcome outcome;
    final boolean retryable;
    final boolean opensCircuit;
    final String causeClass;

    private CallFailure(
        ProviderCallOutcome outcome, boolean retryable, boolean opensCircuit, String causeClass) {
      super(outcome.name(), null, false, false);
      this.outcome = outcome;
      this.retryable = retryable;
      this.opensCircuit = opensCircuit;
      this.causeClass = causeClass;
    }

    static CallFailure of(ProviderCallOutcome outcome, boolean retryable, Throwable cause) {
      return new CallFailure(outcome, retryable, true, cause.getClass().getName());
    }

    static CallFailure malformed() {
      return new CallFailure(ProviderCallOutcome.MALFORMED_RESPONSE, false, true, "none");
    }

    /** Our own rate limit, not the provider's health: neither retried nor judged. */
    static CallFailure throttled() {
      return new CallFailure(ProviderCallOutcome.THROTTLED, false, false, "none");
    }

    /** Shutdown: neither retried nor the provider's fault. */
    static CallFailure interrupted() {
      return new CallFailure(ProviderCallOutcome.ERROR, false, false, "interrupted");
    }
  }
}
