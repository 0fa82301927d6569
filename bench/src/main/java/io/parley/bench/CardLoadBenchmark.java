package io.parley.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Load generator for conversation cards (issue 12's measurements): {@code --cards} cards requested
 * within {@code --within} seconds across {@code --conversations} conversations, in rounds; before
 * each round every conversation gets {@code --messages-per-round} new messages, so each card has
 * something to draw on. Then it waits until every card has ended and reports how many are READY or
 * FAILED (by reason), the time from request to READY as Parley stamped it ({@code generatedAt -
 * requestedAt}, the card's own timestamps; polling for it would load the machine it measures), and,
 * from {@code /actuator/prometheus}, provider calls per card and fallbacks.
 *
 * <pre>java -cp parley-bench.jar io.parley.bench.CardLoadBenchmark --url http://127.0.0.1:8080 \
 *     --conversations 200 --cards 1000 --within 60 --consents CARD_GENERATION,AI_PROCESSING</pre>
 */
public final class CardLoadBenchmark {

  private final URI url;
  private final int conversations;
  private final int cards;
  private final double within;
  private final int messagesPerRound;
  private final List<String> consents;
  private final double timeoutSeconds;
  private final String label;
  private final Path json;
  private final ParleyClient api;
  private final String runId = UUID.randomUUID().toString().substring(0, 6);

  private CardLoadBenchmark(Map<String, String> options) {
    url = BenchOptions.loopbackOnly(options.getOrDefault("url", "http://127.0.0.1:8080"));
    conversations = Integer.parseInt(options.getOrDefault("conversations", "200"));
    cards = Integer.parseInt(options.getOrDefault("cards", "1000"));
    within = Double.parseDouble(options.getOrDefault("within", "60"));
    messagesPerRound = Integer.parseInt(options.getOrDefault("messages-per-round", "2"));
    String granted = options.getOrDefault("consents", "CARD_GENERATION");
    consents = granted.isBlank() ? List.of() : List.of(granted.split(","));
    timeoutSeconds = Double.parseDouble(options.getOrDefault("timeout", "300"));
    label = options.getOrDefault("label", "cards");
    json = options.containsKey("json") ? Path.of(options.get("json")) : null;
    api = new ParleyClient(url, Duration.ofSeconds(30));
    if (cards % conversations != 0) {
      throw new IllegalArgumentException("--cards must be a multiple of --conversations");
    }
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument " + args[i]);
      }
      options.put(args[i].substring(2), args[i + 1]);
    }
    System.exit(new CardLoadBenchmark(options).run());
  }

  record Conversation(UUID id, String ownerToken, String otherToken) {}

  record Requested(UUID cardId, int conversation) {}

  int run() throws Exception {
    System.out.printf(
        "Card load [%s]: %d cards across %d conversations within %.0f s, %d messages per"
            + " conversation before each round, consents %s%n",
        label, cards, conversations, within, messagesPerRound, consents);
    String ops = api.token("bench" + runId + "ops", "OPS");
    Map<String, Double> metricsBefore = metrics(ops);
    List<Conversation> rooms = setUp();
    int rounds = cards / conversations;
    List<Requested> requested = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    long start = System.nanoTime();
    int errors = 0;
    for (int round = 0; round < rounds; round++) {
      long roundStart = start + (long) (round * within / rounds * 1e9);
      long wait = roundStart - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000);
      }
      List<Future<Requested>> futures = new ArrayList<>();
      int roundNo = round;
      for (int c = 0; c < rooms.size(); c++) {
        int index = c;
        Conversation room = rooms.get(c);
        futures.add(
            pool.submit(
                () -> {
                  for (int m = 0; m < messagesPerRound; m++) {
                    String text =
                        (m % 2 == 0 ? "What a lovely plan, count me in! " : "Great idea, ")
                            + "see you there "
                            + index
                            + " at "
                            + roundNo;
                    var sent =
                        api.send(
                            m % 2 == 0 ? room.ownerToken() : room.otherToken(),
                            room.id(),
                            ParleyClient.messageBody(text));
                    if (!sent.is(201)) {
                      return null;
                    }
                  }
                  var card =
                      api.exchange(
                          "POST",
                          "/api/v1/conversations/" + room.id() + "/cards",
                          room.ownerToken(),
                          null);
                  if (!card.is(202)) {
                    return null;
                  }
                  return new Requested(
                      UUID.fromString(ParleyClient.json(card).path("cardId").asText()), index);
                }));
      }
      for (Future<Requested> future : futures) {
        Requested r = future.get();
        if (r == null) {
          errors++;
        } else {
          requested.add(r);
        }
      }
    }
    double requestSeconds = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    System.out.printf(
        "requested %d cards in %.1f s (%d request errors)%n",
        requested.size(), requestSeconds, errors);

    // Wait until every card has ended, polling each conversation's list.
    Map<UUID, JsonNode> ended = new ConcurrentHashMap<>();
    long deadline = System.nanoTime() + (long) (timeoutSeconds * 1e9);
    while (ended.size() < requested.size() && System.nanoTime() < deadline) {
      for (Conversation room : rooms) {
        var list =
            api.exchange(
                "GET",
                "/api/v1/conversations/" + room.id() + "/cards?limit=100",
                room.ownerToken(),
                null);
        if (!list.is(200)) {
          continue;
        }
        for (JsonNode card : ParleyClient.json(list).path("items")) {
          if (!card.path("status").asText().equals("PENDING")) {
            ended.putIfAbsent(UUID.fromString(card.path("cardId").asText()), card);
          }
        }
      }
      Thread.sleep(250);
    }
    Latencies stamped = new Latencies();
    Map<String, Integer> outcomes = new TreeMap<>();
    Map<String, Integer> providers = new TreeMap<>();
    for (Requested r : requested) {
      JsonNode card = ended.get(r.cardId());
      if (card == null) {
        outcomes.merge("PENDING (timed out waiting)", 1, Integer::sum);
        continue;
      }
      String status = card.path("status").asText();
      outcomes.merge(
          status.equals("FAILED") ? "FAILED " + card.path("failureReason").asText() : status,
          1,
          Integer::sum);
      if (status.equals("READY")) {
        providers.merge(card.path("provider").asText(), 1, Integer::sum);
        Duration made =
            Duration.between(
                Instant.parse(card.path("requestedAt").asText()),
                Instant.parse(card.path("generatedAt").asText()));
        stamped.add(made.toNanos());
      }
    }
    Map<String, Double> metricsAfter = metrics(ops);
    double calls =
        delta(metricsBefore, metricsAfter, "parley_cards_provider_calls_total", "outcome=\"");
    double callsMade =
        calls
            - delta(
                metricsBefore, metricsAfter, "parley_cards_provider_calls_total", "CIRCUIT_OPEN")
            - delta(metricsBefore, metricsAfter, "parley_cards_provider_calls_total", "THROTTLED");
    double fallbacks = delta(metricsBefore, metricsAfter, "parley_cards_fallbacks_total", "");
    System.out.println("outcomes: " + outcomes);
    System.out.println("READY by provider: " + providers);
    System.out.println("request to READY (Parley's timestamps): " + stamped.summary().line());
    System.out.printf(
        "provider call records %.0f (calls made %.0f) for %d cards: %.3f made per card;"
            + " fallbacks %.0f%n",
        calls, callsMade, requested.size(), callsMade / Math.max(1, requested.size()), fallbacks);
    if (json != null) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("label", label);
      out.put("cards", requested.size());
      out.put("requestSeconds", requestSeconds);
      out.put("requestErrors", errors);
      out.put("outcomes", outcomes);
      out.put("readyByProvider", providers);
      out.put("stamped", stamped.summary().asMap());
      out.put("providerCallRecords", calls);
      out.put("providerCallsMade", callsMade);
      out.put("fallbacks", fallbacks);
      Files.writeString(
          json,
          ParleyClient.JSON
              .copy()
              .enable(SerializationFeature.INDENT_OUTPUT)
              .writeValueAsString(out));
    }
    return ended.size() == requested.size() && errors == 0 ? 0 : 1;
  }

  private List<Conversation> setUp() {
    int users = Math.max(2, conversations / 5);
    List<String> tokens = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int u = 0; u < users; u++) {
      String sub = "bench" + runId + "c" + u;
      String token = api.token(sub);
      for (String purpose : consents) {
        api.grant(token, purpose);
      }
      ids.add(sub);
      tokens.add(token);
    }
    List<Conversation> rooms = new ArrayList<>();
    for (int c = 0; c < conversations; c++) {
      int owner = c % users;
      int other = (c + 1) % users;
      UUID id = api.createConversation(tokens.get(owner), "cards " + c, List.of(ids.get(other)));
      rooms.add(new Conversation(id, tokens.get(owner), tokens.get(other)));
    }
    return rooms;
  }

  /** Every sample of Parley's card metrics, keyed by its series line. */
  private Map<String, Double> metrics(String opsToken) {
    Map<String, Double> samples = new LinkedHashMap<>();
    var scrape = api.exchange("GET", "/actuator/prometheus", opsToken, null, "text/plain");
    if (!scrape.is(200)) {
      return samples;
    }
    for (String line : scrape.body().split("\n")) {
      if (line.startsWith("parley_cards_")) {
        int space = line.lastIndexOf(' ');
        samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
      }
    }
    return samples;
  }

  private static double delta(
      Map<String, Double> before, Map<String, Double> after, String name, String contains) {
    double sum = 0;
    for (var e : after.entrySet()) {
      if (e.getKey().startsWith(name) && e.getKey().contains(contains)) {
        sum += e.getValue() - before.getOrDefault(e.getKey(), 0.0);
      }
    }
    return sum;
  }
}
