package io.parley.infra.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Messages sent over real HTTP by a few concurrent clients into a few conversations, each with a
 * {@code clientMessageId}, recording what every request got: a 201 (with its messageId), a 503
 * refusal, no answer at all (the connection failed: refused, reset, closed), or anything else. A
 * client stops at its first unanswered request (the server is gone or going). For tests that stop
 * or kill Parley under load and then check that nothing acknowledged was lost or doubled.
 */
public final class MessageLoad implements AutoCloseable {

  /** One message: its key, where it goes and its (unique) text. */
  public record Sent(String clientMessageId, String conversationId, String text) {}

  /** A message answered 2xx, with the messageId the answer named. */
  public record Acknowledged(Sent sent, String messageId) {}

  /** A message answered with another status than 201 (or 503 when refusals are allowed). */
  public record Unexpected(Sent sent, int status, String body) {}

  /** A timeline entry. */
  public record Item(String messageId, String text) {}

  private final ApiClient api;
  private final String token;
  private final List<String> conversations;
  private final String prefix;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final List<Thread> clients = new ArrayList<>();

  private final Collection<Acknowledged> acknowledged = new ConcurrentLinkedQueue<>();
  private final Collection<Sent> refused = new ConcurrentLinkedQueue<>();
  private final Collection<Sent> unanswered = new ConcurrentLinkedQueue<>();
  private final Collection<Unexpected> unexpected = new ConcurrentLinkedQueue<>();

  private MessageLoad(ApiClient api, String token, List<String> conversations, String prefix) {
    this.api = api;
    this.token = token;
    this.conversations = conversations;
    this.prefix = prefix;
  }

  /**
   * Starts {@code clients} threads sending as the holder of {@code token}; client {@code c} sends
   * its n-th message to conversation {@code (c + n) % conversations.size()}. {@code prefix} makes
   * the keys and texts unique across loads.
   */
  public static MessageLoad start(
      ApiClient api, String token, List<String> conversations, int clients, String prefix) {
    MessageLoad load = new MessageLoad(api, token, conversations, prefix);
    for (int c = 0; c < clients; c++) {
      int client = c;
      Thread thread = new Thread(() -> load.send(client), "load-" + prefix + "-" + c);
      thread.setDaemon(true);
      load.clients.add(thread);
      thread.start();
    }
    return load;
  }

  private void send(int client) {
    for (int n = 0; !stopping.get(); n++) {
      String key = prefix + "-" + client + "-" + n;
      Sent sent =
          new Sent(
              key,
              conversations.get((client + n) % conversations.size()),
              "Load message " + key + " about lunch");
      ApiClient.Response response;
      try {
        response = post(api, token, sent);
      } catch (UncheckedIOException noAnswer) {
        unanswered.add(sent);
        return;
      }
      if (response.status() == 201) {
        acknowledged.add(new Acknowledged(sent, response.json().get("messageId").asText()));
      } else if (response.status() == 503
          && "application/problem+json".equals(response.header("Content-Type"))) {
        refused.add(sent);
      } else {
        unexpected.add(new Unexpected(sent, response.status(), response.body()));
      }
    }
  }

  /** Sends (or retries) one message. */
  public static ApiClient.Response post(ApiClient api, String token, Sent sent) {
    return api.postJson(
        "/api/v1/conversations/" + sent.conversationId() + "/messages",
        token,
        Map.of("text", sent.text(), "clientMessageId", sent.clientMessageId()));
  }

  /** Waits (bounded) until at least {@code count} messages were acknowledged. */
  public void awaitAcknowledged(int count, Duration bound) {
    Awaitility.await("at least " + count + " acknowledged messages")
        .atMost(bound)
        .pollInterval(Duration.ofMillis(20))
        .until(() -> acknowledged.size() >= count || !unexpected.isEmpty());
  }

  /** Waits (bounded) until every client has stopped on its own (its first unanswered request). */
  public void awaitClientsStopped(Duration bound) {
    long deadline = System.nanoTime() + bound.toNanos();
    for (Thread client : clients) {
      try {
        client.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      if (client.isAlive()) {
        throw new IllegalStateException(client.getName() + " still sends after " + bound);
      }
    }
  }

  /** Stops the clients after their current request. */
  @Override
  public void close() {
    stopping.set(true);
    awaitClientsStopped(Duration.ofSeconds(60));
  }

  public List<Acknowledged> acknowledged() {
    return List.copyOf(acknowledged);
  }

  public List<Sent> refused() {
    return List.copyOf(refused);
  }

  public List<Sent> unanswered() {
    return List.copyOf(unanswered);
  }

  public List<Unexpected> unexpected() {
    return List.copyOf(unexpected);
  }

  /** Every message sent, whatever its answer. */
  public List<Sent> sent() {
    return Stream.of(
            acknowledged.stream().map(Acknowledged::sent),
            refused.stream(),
            unanswered.stream(),
            unexpected.stream().map(Unexpected::sent))
        .flatMap(s -> s)
        .toList();
  }

  /** What {@link #verifyAfterRestart} found. */
  public record Verified(int acknowledged, int foundAfterRestart, int retriedUnanswered) {}

  /**
   * After a restart (on {@code restarted}, the same data directory): every acknowledged message is
   * in its timeline, once; a retry of each acknowledged message with its {@code clientMessageId}
   * answers 201 with the same messageId; a retry of each unanswered or refused one answers 201; and
   * then every message sent is in the timelines exactly once (no retry made a second message).
   */
  public Verified verifyAfterRestart(ApiClient restarted) {
    List<Acknowledged> acks = acknowledged();
    Map<String, Acknowledged> byMessageId =
        acks.stream().collect(Collectors.toMap(Acknowledged::messageId, ack -> ack));
    List<Item> afterRestart =
        awaitTimelinesOrLast(
            restarted,
            items ->
                items.stream()
                    .map(Item::messageId)
                    .collect(Collectors.toSet())
                    .containsAll(byMessageId.keySet()));
    Set<String> found = afterRestart.stream().map(Item::messageId).collect(Collectors.toSet());
    List<String> lost =
        acks.stream()
            .filter(ack -> !found.contains(ack.messageId()))
            .map(ack -> ack.sent().clientMessageId())
            .sorted()
            .toList();
    assertThat(lost)
        .as(
            "acknowledged (201) messages missing after the restart: %d of %d",
            lost.size(), acks.size())
        .isEmpty();
    assertThat(duplicates(afterRestart.stream().map(Item::messageId).toList()))
        .as("messages in the timelines twice after the restart")
        .isEmpty();

    inParallel(
        acks,
        ack -> {
          ApiClient.Response retry = post(restarted, token, ack.sent());
          assertThat(retry.status())
              .as("retry of acknowledged %s", ack.sent().clientMessageId())
              .isEqualTo(201);
          assertThat(retry.json().get("messageId").asText())
              .as(
                  "retry of acknowledged %s answers the first messageId",
                  ack.sent().clientMessageId())
              .isEqualTo(ack.messageId());
        });
    List<Sent> unansweredOrRefused = new ArrayList<>(unanswered());
    unansweredOrRefused.addAll(refused());
    Set<String> retriedIds = ConcurrentHashMap.newKeySet();
    inParallel(
        unansweredOrRefused,
        sent -> {
          ApiClient.Response retry = post(restarted, token, sent);
          assertThat(retry.status())
              .as("retry of unanswered %s", sent.clientMessageId())
              .isEqualTo(201);
          retriedIds.add(retry.json().get("messageId").asText());
        });

    // Once the retries' own messages are in the timeline, so is every earlier message of the same
    // sender (the timeline projects a sender's messages in store order): a duplicate would show.
    List<String> texts = sent().stream().map(Sent::text).toList();
    List<Item> all =
        awaitTimelinesOrLast(
            restarted,
            items ->
                items.stream().map(Item::text).collect(Collectors.toSet()).containsAll(texts)
                    && items.stream()
                        .map(Item::messageId)
                        .collect(Collectors.toSet())
                        .containsAll(retriedIds));
    assertThat(all.stream().map(Item::text).toList())
        .as("every message sent is in the timelines exactly once after the retries")
        .containsExactlyInAnyOrderElementsOf(texts);
    return new Verified(acks.size(), acks.size() - lost.size(), unansweredOrRefused.size());
  }

  /** Runs {@code check} on every item, on as many threads as the load had clients. */
  private <T> void inParallel(List<T> items, Consumer<T> check) {
    ExecutorService pool = Executors.newFixedThreadPool(clients.size());
    try {
      List<Future<?>> results = new ArrayList<>();
      items.forEach(item -> results.add(pool.submit(() -> check.accept(item))));
      for (Future<?> result : results) {
        try {
          result.get();
        } catch (ExecutionException e) {
          if (e.getCause() instanceof Error error) {
            throw error;
          }
          throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** The timelines once {@code until} holds, or as they are after a bounded wait. */
  private List<Item> awaitTimelinesOrLast(ApiClient restarted, Predicate<List<Item>> until) {
    try {
      return awaitTimelines(restarted, token, conversations, until);
    } catch (ConditionTimeoutException notAll) {
      return conversations.stream()
          .flatMap(id -> timeline(restarted, token, id).stream())
          .collect(Collectors.toList());
    }
  }

  /** A conversation's whole timeline, page by page (newest first). */
  public static List<Item> timeline(ApiClient api, String token, String conversationId) {
    List<Item> items = new ArrayList<>();
    String cursor = null;
    do {
      String path =
          "/api/v1/conversations/"
              + conversationId
              + "/messages?limit=200"
              + (cursor == null
                  ? ""
                  : "&before=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
      ApiClient.Response page = api.get(path, token);
      if (page.status() != 200) {
        throw new IllegalStateException("timeline answered " + page.status());
      }
      JsonNode json = page.json();
      json.get("items")
          .forEach(
              item ->
                  items.add(new Item(item.get("messageId").asText(), item.get("text").asText())));
      cursor = json.get("nextCursor").isNull() ? null : json.get("nextCursor").asText();
    } while (cursor != null);
    return items;
  }

  /**
   * Waits (bounded, the projection's pace) until the timelines of {@code conversations} satisfy
   * {@code until}, and returns them all.
   */
  public static List<Item> awaitTimelines(
      ApiClient api, String token, List<String> conversations, Predicate<List<Item>> until) {
    return Awaitility.await("the timelines")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                conversations.stream()
                    .flatMap(id -> timeline(api, token, id).stream())
                    .collect(Collectors.toList()),
            until);
  }

  /** How often each value occurs, for the ones that occur more than once. */
  public static <T> Map<T, Long> duplicates(Collection<T> values) {
    Map<T, Long> counts = new HashMap<>();
    values.forEach(value -> counts.merge(value, 1L, Long::sum));
    counts.values().removeIf(count -> count == 1);
    return counts;
  }
}
