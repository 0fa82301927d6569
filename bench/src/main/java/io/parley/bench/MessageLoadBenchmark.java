package io.parley.bench;

import io.parley.bench.ParleyClient.ApiException;
import io.parley.bench.ParleyClient.Outcome;
import io.parley.bench.ParleyClient.Page;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Load generator for Parley's message path: {@code POST /api/v1/conversations/{id}/messages} from N
 * concurrent clients over M conversations, then the time until the read models show every accepted
 * message. Loopback only; every phase is bounded in count and time.
 *
 * <p>With {@code --rate R > 0} the load is open-loop: message k is scheduled at {@code start + k/R}
 * and its latency is measured from that scheduled time, so a stall shows up in the latency of every
 * message that should have been sent during it (no coordinated omission, up to the N clients'
 * concurrency). With {@code --rate 0} each client sends its next message as soon as the previous
 * one is answered (closed loop, maximum throughput).
 *
 * <p>{@code --long-conversation K} fills one conversation with K messages, then compares the
 * latency of sequential sends into it with sends into a fresh conversation.
 *
 * <p>Exit status: 0 clean, 1 anomalies (a non-201 answer, projections not caught up, a timeline
 * that does not match what was accepted), 2 bad options, 3 Parley unreachable or set-up failed.
 */
public final class MessageLoadBenchmark {

  private static final String FILLER =
      "The quick brown fox jumps over the lazy dog while the benchmark counts every message. ";

  private final BenchOptions options;
  private final ParleyClient api;
  private final Map<String, Object> results = new LinkedHashMap<>();
  private final List<String> anomalies = Collections.synchronizedList(new ArrayList<>());
  private final String runId = Long.toString(System.currentTimeMillis() % 100_000_000L, 36);
  private String[] tokens;
  private List<String> userIds;

  private MessageLoadBenchmark(BenchOptions options) {
    this.options = options;
    this.api =
        new ParleyClient(
            options.url, Duration.ofMillis((long) (options.requestTimeoutSeconds * 1000)));
  }

  public static void main(String[] args) {
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      if (!e.getMessage().isEmpty()) {
        System.err.println("error: " + e.getMessage());
      }
      System.err.print(BenchOptions.USAGE);
      System.exit(e.getMessage().isEmpty() ? 0 : 2);
      return;
    }
    int status;
    try {
      status = new MessageLoadBenchmark(options).run();
    } catch (ApiException e) {
      System.err.println("error: " + e.getMessage());
      status = 3;
    }
    System.exit(status);
  }

  private int run() {
    if (!api.ready()) {
      System.err.println("error: " + options.url + "/actuator/health/readiness is not UP");
      return 3;
    }
    results.put("label", options.label);
    results.put("startedAt", Instant.now().toString());
    results.put("url", options.url.toString());
    results.put("runId", runId);
    setUpUsers();
    if (options.longConversation > 0) {
      runLongConversation();
    } else {
      runLoad();
    }
    results.put("anomalies", List.copyOf(anomalies));
    System.out.println();
    if (anomalies.isEmpty()) {
      System.out.println("anomalies: none");
    } else {
      System.out.println("anomalies:");
      anomalies.forEach(a -> System.out.println("  - " + a));
    }
    writeJson();
    return anomalies.isEmpty() ? 0 : 1;
  }

  private void setUpUsers() {
    int users = options.users;
    tokens = new String[users];
    userIds = new ArrayList<>();
    for (int i = 0; i < users; i++) {
      String sub = "bench" + runId + "u" + i;
      userIds.add(sub);
      tokens[i] = api.token(sub);
      for (String purpose : options.consents) {
        api.grant(tokens[i], purpose);
      }
    }
  }

  // ------------------------------------------------------------------------------------------
  // Sustained load over M conversations
  // ------------------------------------------------------------------------------------------

  /** What the clients learnt about one conversation: the ids it accepted, in arrival order. */
  private static final class ConversationLog {
    final UUID id;
    private final List<String> accepted = new ArrayList<>();
    private final Set<String> hidden = new HashSet<>();

    ConversationLog(UUID id) {
      this.id = id;
    }

    synchronized void accept(String messageId, boolean blocked) {
      accepted.add(messageId);
      if (blocked) {
        hidden.add(messageId);
      }
    }

    synchronized long acceptedCount() {
      return accepted.size();
    }

    /** Accepted and meant to be shown (BLOCKED messages are recorded but never shown). */
    synchronized Set<String> visibleIds() {
      Set<String> ids = new HashSet<>(accepted);
      ids.removeAll(hidden);
      return ids;
    }

    /**
     * The last {@code n} shown ids to arrive. With at most n requests in flight, the message that
     * took the highest position is among them, and the timeline projection applies a conversation's
     * events in order: once these are all visible, every earlier one is too.
     */
    synchronized List<String> lastVisible(int n) {
      List<String> out = new ArrayList<>();
      for (int i = accepted.size() - 1; i >= 0 && out.size() < n; i--) {
        String id = accepted.get(i);
        if (!hidden.contains(id)) {
          out.add(id);
        }
      }
      return out;
    }
  }

  /** The newest accepted message, for the lag sampler. */
  private record Sent(int conversation, String messageId, long acceptedAtNanos) {}

  /** One client thread's private records, merged when the load ends. */
  private static final class ClientRecord {
    final Latencies latency = new Latencies(); // from scheduled send time (open loop) to answer
    final Latencies service = new Latencies(); // from actual send to answer
    final Latencies failedLatency = new Latencies();
    final Map<String, Long> statusMeasured = new TreeMap<>();
    final Map<String, Long> statusWarmup = new TreeMap<>();
    final Map<String, Long> verdicts = new TreeMap<>();
    long acceptedMeasured;
    long acceptedInWindow;
    long acceptedTotal;
    long lastMeasuredAnswer;
    long lastAccepted;
    long maxBehindSchedule;
    long cpuNanosAtEnd; // the thread's own CPU time when its loop ended
  }

  private void runLoad() {
    int m = options.conversations;
    int n = options.clients;
    System.out.printf(
        "Parley message load%s: %s, %d clients, %d users, %d conversations, rate=%s, warmup %.0fs,"
            + " duration %.0fs, max %d messages%n",
        options.label.isEmpty() ? "" : " [" + options.label + "]",
        options.url,
        n,
        options.users,
        m,
        options.rate > 0 ? String.format("%.0f/s (open loop)", options.rate) : "max (closed loop)",
        options.warmupSeconds,
        options.durationSeconds,
        options.maxMessages);

    ConversationLog[] logs = new ConversationLog[m];
    long setupStart = System.nanoTime();
    for (int c = 0; c < m; c++) {
      UUID id =
          api.createConversation(tokens[c % tokens.length], "bench " + runId + " #" + c, userIds);
      logs[c] = new ConversationLog(id);
    }
    System.out.printf(
        "created %d conversations in %.1f s%n", m, (System.nanoTime() - setupStart) / 1e9);

    // Each client sends as one user; every user takes part in every conversation.
    long start = System.nanoTime() + 200_000_000L;
    long warmupEnd = start + seconds(options.warmupSeconds);
    long end = warmupEnd + seconds(options.durationSeconds);
    AtomicLong sequence = new AtomicLong();
    AtomicReference<Sent> newest = new AtomicReference<>();
    AtomicBoolean loadRunning = new AtomicBoolean(true);
    AtomicLongArray perSecond =
        new AtomicLongArray(
            (int) Math.ceil((end - start) / 1e9 + options.requestTimeoutSeconds) + 2);
    List<String> errorSamples = Collections.synchronizedList(new ArrayList<>());
    ClientRecord[] records = new ClientRecord[n];
    Sender[] senders = new Sender[n];
    Thread[] threads = new Thread[n];
    for (int i = 0; i < n; i++) {
      ClientRecord record = new ClientRecord();
      records[i] = record;
      String sender = userIds.get(i % tokens.length);
      Sender http = new Sender(tokens[i % tokens.length]);
      senders[i] = http;
      threads[i] =
          new Thread(
              () -> {
                clientLoop(
                    record,
                    http,
                    sender,
                    logs,
                    sequence,
                    start,
                    warmupEnd,
                    end,
                    newest,
                    perSecond,
                    errorSamples);
                record.cpuNanosAtEnd =
                    ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
              },
              "client-" + i);
    }

    LagSampler sampler = new LagSampler(logs, newest, loadRunning, warmupEnd);
    Thread samplerThread = new Thread(sampler, "lag-sampler");
    CpuSampler cpu = new CpuSampler(warmupEnd, end);
    Thread cpuThread = new Thread(cpu, "cpu-sampler");
    cpuThread.setDaemon(true);
    long clientCpuStart = processCpuNanos();
    // This JVM's CPU at the end of the warm-up: its CPU in the measured window, per message.
    AtomicLong clientCpuAtWarmupEnd = new AtomicLong(-1);
    long[] sendersCpuAtWarmupEnd = new long[1];
    long[] samplerCpuAtWarmupEnd = new long[1];
    Thread windowCpuThread =
        new Thread(
            () -> {
              long wait;
              while ((wait = warmupEnd - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
              }
              sendersCpuAtWarmupEnd[0] = threadCpuNanos(threads);
              samplerCpuAtWarmupEnd[0] = threadCpuNanos(samplerThread);
              clientCpuAtWarmupEnd.set(processCpuNanos());
            },
            "window-cpu");
    windowCpuThread.setDaemon(true);
    windowCpuThread.start();
    for (Thread t : threads) {
      t.start();
    }
    if (options.sampleLag) {
      samplerThread.start();
    }
    cpuThread.start();
    for (Thread t : threads) {
      joinQuietly(t);
    }
    long clientCpuAtLoadEnd = processCpuNanos();
    long sendersCpuAtLoadEnd = 0;
    for (ClientRecord r : records) {
      sendersCpuAtLoadEnd += r.cpuNanosAtEnd;
    }
    long samplerCpuAtLoadEnd = threadCpuNanos(samplerThread);
    loadRunning.set(false);
    if (options.sampleLag) {
      joinQuietly(samplerThread);
    }
    long loadFinished = System.nanoTime();
    long connects = sampler.http.connects();
    long retries = sampler.http.retries();
    sampler.http.close();
    for (Sender s : senders) {
      connects += s.connects();
      retries += s.retries();
      s.close();
    }

    // Merge the clients' records.
    Latencies latency = new Latencies();
    Latencies service = new Latencies();
    Latencies failed = new Latencies();
    Map<String, Long> statusMeasured = new TreeMap<>();
    Map<String, Long> statusWarmup = new TreeMap<>();
    Map<String, Long> verdicts = new TreeMap<>();
    long acceptedMeasured = 0;
    long acceptedInWindow = 0;
    long acceptedTotal = 0;
    long lastMeasuredAnswer = warmupEnd;
    long lastAccepted = 0;
    long maxBehind = 0;
    for (ClientRecord r : records) {
      latency.addAll(r.latency);
      service.addAll(r.service);
      failed.addAll(r.failedLatency);
      r.statusMeasured.forEach((k, v) -> statusMeasured.merge(k, v, Long::sum));
      r.statusWarmup.forEach((k, v) -> statusWarmup.merge(k, v, Long::sum));
      r.verdicts.forEach((k, v) -> verdicts.merge(k, v, Long::sum));
      acceptedMeasured += r.acceptedMeasured;
      acceptedInWindow += r.acceptedInWindow;
      acceptedTotal += r.acceptedTotal;
      lastMeasuredAnswer = Math.max(lastMeasuredAnswer, r.lastMeasuredAnswer);
      lastAccepted = Math.max(lastAccepted, r.lastAccepted);
      maxBehind = Math.max(maxBehind, r.maxBehindSchedule);
    }
    double window = (lastMeasuredAnswer - warmupEnd) / 1e9;
    // Throughput counts every 201 answered after the warm-up, whenever it was scheduled: under an
    // open-loop backlog the warm-up's messages are answered inside the window.
    double throughput = window > 0 ? acceptedInWindow / window : 0;
    long sentMeasured = statusMeasured.values().stream().mapToLong(Long::longValue).sum();
    long rejectedMeasured = sentMeasured - statusMeasured.getOrDefault("201", 0L);
    long clientCpu = processCpuNanos() - clientCpuStart;
    double loadWall = (loadFinished - start) / 1e9;
    long sentTotal = sentMeasured + statusWarmup.values().stream().mapToLong(Long::longValue).sum();
    long unsent = 0;
    if (options.rate > 0) {
      long scheduledTotal =
          Math.min(options.maxMessages, (long) Math.ceil((end - start) / 1e9 * options.rate));
      unsent = Math.max(0, scheduledTotal - sentTotal);
    }

    Latencies.Summary lat = latency.summary();
    Latencies.Summary svc = service.summary();
    System.out.println();
    System.out.printf(
        "measured window: %.2f s; answered 201 in it: %d; scheduled after the warm-up: sent %d,"
            + " accepted (201) %d, not accepted %d%n",
        window, acceptedInWindow, sentMeasured, acceptedMeasured, rejectedMeasured);
    System.out.printf("throughput: %.1f accepted messages/s%n", throughput);
    System.out.println(
        "latency " + (options.rate > 0 ? "(from scheduled send): " : ": ") + lat.line());
    if (options.rate > 0) {
      System.out.println("service time (from actual send): " + svc.line());
      System.out.printf(
          "schedule: worst start %.1f ms behind schedule; %d scheduled messages never sent"
              + " (backlog when the time was up)%n",
          maxBehind / 1e6, unsent);
      if (unsent > 0) {
        anomalies.add(
            "target rate not sustained: "
                + unsent
                + " scheduled messages were still unsent"
                + " when the time was up");
      }
    }
    List<Long> series = new ArrayList<>();
    StringBuilder seriesLine = new StringBuilder();
    int lastSecond = (int) Math.min(perSecond.length(), Math.ceil((loadFinished - start) / 1e9));
    for (int from = 0; from < lastSecond; from += 5) {
      long sum = 0;
      int seconds = 0;
      for (int t = from; t < Math.min(from + 5, lastSecond); t++) {
        sum += perSecond.get(t);
        seconds++;
      }
      series.add(sum / seconds);
      seriesLine.append(seriesLine.length() == 0 ? "" : " ").append(sum / seconds);
    }
    System.out.println("accepted msgs/s per 5 s from the start (warm-up included): " + seriesLine);
    System.out.println("status counts (measured): " + statusMeasured);
    System.out.println("status counts (warm-up):  " + statusWarmup);
    System.out.println("verdicts: " + verdicts);
    if (failed.size() > 0) {
      System.out.println("latency of non-201 answers: " + failed.summary().line());
    }
    if (!errorSamples.isEmpty()) {
      System.out.println("first non-201 answers:");
      errorSamples.forEach(s -> System.out.println("  " + s));
    }
    System.out.printf(
        "system CPU busy during the measured window: mean %.0f%%, max %.0f%% (%d samples);"
            + " this client used %.1f CPU-s (%.0f%% of one core)%n",
        cpu.mean() * 100,
        cpu.max() * 100,
        cpu.count(),
        clientCpu / 1e9,
        100.0 * clientCpu / 1e9 / loadWall);
    long windowCpuStart = clientCpuAtWarmupEnd.get();
    double windowClientCpu =
        windowCpuStart < 0 ? Double.NaN : (clientCpuAtLoadEnd - windowCpuStart) / 1e9;
    double windowClientCpuPerMessage =
        acceptedInWindow > 0 ? 1000 * windowClientCpu / acceptedInWindow : Double.NaN;
    double loadClientCpuPerMessage =
        acceptedTotal > 0
            ? (clientCpuAtLoadEnd - clientCpuStart) / 1e6 / acceptedTotal
            : Double.NaN;
    double windowSenders = (sendersCpuAtLoadEnd - sendersCpuAtWarmupEnd[0]) / 1e9;
    double windowSampler = (samplerCpuAtLoadEnd - samplerCpuAtWarmupEnd[0]) / 1e9;
    double perMessage = acceptedInWindow > 0 ? 1000.0 / acceptedInWindow : Double.NaN;
    System.out.printf(
        "load generator CPU (its own JVM, sender %s): %.3f ms per message accepted in the measured"
            + " window (%.1f CPU-s, %d messages): sending threads %.3f ms, lag sampler %.3f ms,"
            + " the rest (JIT, GC, CPU sampler; with --sender jdk also the JDK HttpClient's own"
            + " threads) %.3f ms; %.3f ms per accepted message over the whole load, warm-up"
            + " included; %d connections opened, %d requests re-sent on a fresh one%n",
        options.sender,
        windowClientCpuPerMessage,
        windowClientCpu,
        acceptedInWindow,
        windowSenders * perMessage,
        windowSampler * perMessage,
        (windowClientCpu - windowSenders - windowSampler) * perMessage,
        loadClientCpuPerMessage,
        connects,
        retries);
    if (options.sampleLag) {
      System.out.println(
          "timeline visibility lag sampled during the run: "
              + sampler.lag.summary().line()
              + (sampler.timeouts > 0 ? "  (" + sampler.timeouts + " samples timed out)" : ""));
    }
    statusMeasured.forEach(
        (k, v) -> {
          if (!k.equals("201")) {
            anomalies.add(v + " measured sends answered " + k);
          }
        });
    statusWarmup.forEach(
        (k, v) -> {
          if (!k.equals("201")) {
            anomalies.add(v + " warm-up sends answered " + k);
          }
        });

    Map<String, Object> load = new LinkedHashMap<>();
    load.put("clients", n);
    load.put("users", options.users);
    load.put("conversations", m);
    load.put("targetRate", options.rate);
    load.put("warmupSeconds", options.warmupSeconds);
    load.put("durationSeconds", options.durationSeconds);
    load.put("measuredWindowSeconds", Latencies.round(window));
    load.put("sentMeasured", sentMeasured);
    load.put("acceptedMeasured", acceptedMeasured);
    load.put("acceptedInWindow", acceptedInWindow);
    load.put("acceptedTotal", acceptedTotal);
    load.put("acceptedPerSecond", Latencies.round(throughput));
    load.put("acceptedPerSecondEvery5s", series);
    load.put("latency", lat.asMap());
    load.put("serviceTime", svc.asMap());
    load.put("maxBehindScheduleMs", Latencies.round(maxBehind / 1e6));
    load.put("unsentBacklog", unsent);
    load.put("statusMeasured", statusMeasured);
    load.put("statusWarmup", statusWarmup);
    load.put("verdicts", verdicts);
    load.put("errorSamples", List.copyOf(errorSamples));
    load.put("systemCpuBusyMean", Latencies.round(cpu.mean()));
    load.put("systemCpuBusyMax", Latencies.round(cpu.max()));
    load.put("clientCpuSeconds", Latencies.round(clientCpu / 1e9));
    load.put("sender", options.sender);
    load.put("clientCpuSecondsInWindow", Latencies.round(windowClientCpu));
    load.put("clientCpuMsPerMessageInWindow", Latencies.round(windowClientCpuPerMessage));
    load.put("clientCpuMsPerMessageWholeLoad", Latencies.round(loadClientCpuPerMessage));
    load.put(
        "clientSendingThreadsCpuMsPerMessageInWindow", Latencies.round(windowSenders * perMessage));
    load.put(
        "clientLagSamplerCpuMsPerMessageInWindow", Latencies.round(windowSampler * perMessage));
    load.put("connectionsOpened", connects);
    load.put("requestsResent", retries);
    if (options.sampleLag) {
      Map<String, Object> lag = new LinkedHashMap<>(sampler.lag.summary().asMap());
      lag.put("timeouts", sampler.timeouts);
      load.put("sampledTimelineLag", lag);
    }
    results.put("load", load);

    if (lastAccepted > 0) {
      waitForProjections(logs, lastAccepted);
      if (options.verify) {
        verifyTimelines(logs);
      }
    }
  }

  private void clientLoop(
      ClientRecord record,
      Sender http,
      String sender,
      ConversationLog[] logs,
      AtomicLong sequence,
      long start,
      long warmupEnd,
      long end,
      AtomicReference<Sent> newest,
      AtomicLongArray perSecond,
      List<String> errorSamples) {
    double nanosPerMessage = options.rate > 0 ? 1e9 / options.rate : 0;
    while (true) {
      long k = sequence.getAndIncrement();
      if (k >= options.maxMessages) {
        return;
      }
      long scheduled;
      if (options.rate > 0) {
        scheduled = start + (long) (k * nanosPerMessage);
        if (scheduled >= end) {
          return;
        }
        long wait;
        while ((wait = scheduled - System.nanoTime()) > 0) {
          LockSupport.parkNanos(wait);
        }
        if (System.nanoTime() >= end) {
          // Behind schedule when the time is up: the backlog stays unsent (counted as such), so
          // the run stays bounded in time.
          return;
        }
      } else {
        scheduled = Math.max(System.nanoTime(), start);
        while (System.nanoTime() < start) {
          LockSupport.parkNanos(start - System.nanoTime());
        }
        if (scheduled >= end) {
          return;
        }
      }
      int c = (int) (k % logs.length);
      String text = text(k, sender);
      long sentAt = System.nanoTime();
      Outcome outcome = http.send(logs[c].id, text);
      long answeredAt = System.nanoTime();
      boolean measured = scheduled >= warmupEnd;
      String status = outcome.status() < 0 ? "no-response" : Integer.toString(outcome.status());
      (measured ? record.statusMeasured : record.statusWarmup).merge(status, 1L, Long::sum);
      record.maxBehindSchedule = Math.max(record.maxBehindSchedule, sentAt - scheduled);
      if (outcome.is(201)) {
        String messageId = ParleyClient.messageId(outcome);
        String verdict = verdict(outcome);
        record.verdicts.merge(verdict, 1L, Long::sum);
        logs[c].accept(messageId, "BLOCKED".equals(verdict));
        record.acceptedTotal++;
        record.lastAccepted = answeredAt;
        int second = (int) ((answeredAt - start) / 1_000_000_000L);
        if (second >= 0 && second < perSecond.length()) {
          perSecond.incrementAndGet(second);
        }
        if (answeredAt >= warmupEnd) {
          record.acceptedInWindow++;
        }
        newest.set(new Sent(c, messageId, answeredAt));
        if (measured) {
          record.acceptedMeasured++;
          record.latency.add(answeredAt - scheduled);
          record.service.add(answeredAt - sentAt);
        }
      } else {
        if (measured) {
          record.failedLatency.add(answeredAt - scheduled);
        }
        if (errorSamples.size() < 10) {
          errorSamples.add(
              "POST /api/v1/conversations/"
                  + logs[c].id
                  + "/messages -> "
                  + ParleyClient.describe(outcome));
        }
      }
      if (answeredAt >= warmupEnd) {
        record.lastMeasuredAnswer = Math.max(record.lastMeasuredAnswer, answeredAt);
      }
    }
  }

  private String text(long k, String sender) {
    StringBuilder b = new StringBuilder(options.textLength + FILLER.length());
    b.append("Message ").append(k).append(" from ").append(sender).append(". ");
    while (b.length() < options.textLength) {
      b.append(FILLER);
    }
    b.setLength(options.textLength);
    return b.toString().strip();
  }

  private static String verdict(Outcome outcome) {
    return ParleyClient.stringField(outcome.body(), "verdict", "?");
  }

  /**
   * One sending thread's way to Parley: its own {@link KeepAliveConnection} ({@code --sender
   * socket}, the default), or the shared JDK HttpClient ({@code --sender jdk}, the generator of
   * earlier runs, kept for comparison). Not thread-safe: one per thread.
   */
  private final class Sender implements AutoCloseable {
    private final String token;
    private final byte[] tokenBytes;
    private final KeepAliveConnection connection;
    private final Map<UUID, byte[]> sendPaths = new HashMap<>();
    private final Map<UUID, byte[]> pagePaths = new HashMap<>();
    private byte[] body = new byte[512];
    private final int[] bodyLength = new int[1];

    Sender(String token) {
      this.token = token;
      this.tokenBytes = KeepAliveConnection.ascii(token);
      this.connection =
          options.sender.equals("socket")
              ? new KeepAliveConnection(
                  options.url.getHost(),
                  options.url.getPort() > 0 ? options.url.getPort() : 80,
                  (int) Math.max(1, options.requestTimeoutSeconds * 1000))
              : null;
    }

    Outcome send(UUID conversationId, String text) {
      if (connection == null) {
        return api.send(token, conversationId, ParleyClient.messageBody(text));
      }
      byte[] path =
          sendPaths.computeIfAbsent(
              conversationId,
              id -> KeepAliveConnection.ascii("/api/v1/conversations/" + id + "/messages"));
      body = ParleyClient.writeMessageBody(text, body, bodyLength);
      KeepAliveConnection.Response r =
          connection.exchange("POST", path, tokenBytes, body, bodyLength[0]);
      return new Outcome(r.status(), r.body(), r.error());
    }

    /**
     * Whether the newest {@code limit} items of a timeline hold the message (the lag sampler's
     * read). Over the socket the answer is searched for {@code "messageId":"<id>"} rather than
     * parsed: ids need no escapes, and Jackson writes Parley's answers compactly.
     */
    boolean newestPageHolds(UUID conversationId, int limit, String messageId) {
      if (connection == null) {
        return api.timeline(token, conversationId, limit, null).messageIds().contains(messageId);
      }
      byte[] path =
          pagePaths.computeIfAbsent(
              conversationId,
              id ->
                  KeepAliveConnection.ascii(
                      "/api/v1/conversations/" + id + "/messages?limit=" + limit));
      KeepAliveConnection.Response r = connection.exchange("GET", path, tokenBytes, null, 0);
      Outcome o = new Outcome(r.status(), r.body(), r.error());
      if (!o.is(200)) {
        throw new ApiException(
            "GET timeline of " + conversationId + " -> " + ParleyClient.describe(o));
      }
      return o.body().contains("\"messageId\":\"" + messageId + "\"");
    }

    long connects() {
      return connection == null ? 0 : connection.connects();
    }

    long retries() {
      return connection == null ? 0 : connection.retries();
    }

    @Override
    public void close() {
      if (connection != null) {
        connection.close();
      }
    }
  }

  /**
   * Samples, one at a time, how long the newest accepted message takes to appear at the top of its
   * conversation's timeline. Resolution: the poll interval plus one read.
   */
  /**
   * The lag sampler reads the newest page (newest first) of the sampled message's conversation
   * every 25 ms until the message shows. It polled every 5 ms for 100 items at first: at
   * saturation, with a lag of a second or two, that was hundreds of reads a second competing with
   * the sends it measures, and the window's throughput fell below the warm-up's. 50 items cover
   * more than 5 s of traffic into one conversation at 600 msgs/s over 64 conversations.
   */
  static final int SAMPLER_PAGE = 50;

  static final int SAMPLER_POLL_MILLIS = 25;

  private final class LagSampler implements Runnable {
    final Latencies lag = new Latencies();
    final Sender http = new Sender(tokens[0]);
    long timeouts;
    private final ConversationLog[] logs;
    private final AtomicReference<Sent> newest;
    private final AtomicBoolean running;
    private final long measureFrom;

    LagSampler(
        ConversationLog[] logs, AtomicReference<Sent> newest, AtomicBoolean running, long from) {
      this.logs = logs;
      this.newest = newest;
      this.running = running;
      this.measureFrom = from;
    }

    @Override
    public void run() {
      Sent previous = null;
      while (running.get()) {
        Sent s = newest.get();
        if (s == null || s == previous || s.acceptedAtNanos() < measureFrom) {
          sleepMillis(20);
          continue;
        }
        previous = s;
        while (true) {
          boolean shown;
          try {
            shown = http.newestPageHolds(logs[s.conversation()].id, SAMPLER_PAGE, s.messageId());
          } catch (ApiException e) {
            timeouts++;
            break;
          }
          long now = System.nanoTime();
          if (shown) {
            lag.add(now - s.acceptedAtNanos());
            break;
          }
          if (now - s.acceptedAtNanos() > 30_000_000_000L) {
            timeouts++;
            break;
          }
          sleepMillis(SAMPLER_POLL_MILLIS);
        }
        sleepMillis(100);
      }
    }
  }

  /** Waits (bounded) until both read models show every accepted message; reports the lag. */
  private void waitForProjections(ConversationLog[] logs, long lastAccepted) {
    int m = logs.length;
    long[] countVisibleAt = new long[m];
    long[] timelineVisibleAt = new long[m];
    long[] lastCount = new long[m];
    int need = Math.min(options.clients, 200);
    long waitStart = System.nanoTime();
    long deadline = waitStart + seconds(options.catchupTimeoutSeconds);
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(8, m));
    int rounds = 0;
    long firstRoundDone = 0;
    try {
      while (System.nanoTime() < deadline) {
        List<Callable<Void>> checks = new ArrayList<>();
        for (int c = 0; c < m; c++) {
          final int conv = c;
          if (countVisibleAt[c] == 0 || timelineVisibleAt[c] == 0) {
            checks.add(
                () -> {
                  String token = tokens[conv % tokens.length];
                  ConversationLog log = logs[conv];
                  if (countVisibleAt[conv] == 0) {
                    long count = api.messageCount(token, log.id);
                    lastCount[conv] = count;
                    if (count >= log.visibleIds().size()) {
                      countVisibleAt[conv] = System.nanoTime();
                    }
                  }
                  if (timelineVisibleAt[conv] == 0) {
                    List<String> last = log.lastVisible(need);
                    if (last.isEmpty()) {
                      timelineVisibleAt[conv] = System.nanoTime();
                    } else {
                      Page page = api.timeline(token, log.id, 200, null);
                      if (new HashSet<>(page.messageIds()).containsAll(last)) {
                        timelineVisibleAt[conv] = System.nanoTime();
                      }
                    }
                  }
                  return null;
                });
          }
        }
        if (checks.isEmpty()) {
          break;
        }
        for (Future<Void> f : pool.invokeAll(checks)) {
          try {
            f.get();
          } catch (ExecutionException e) {
            // a failed read counts as "not yet"; the deadline bounds the wait
          }
        }
        rounds++;
        if (firstRoundDone == 0) {
          firstRoundDone = System.nanoTime();
        }
        sleepMillis(10);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      pool.shutdownNow();
    }
    long countLag = 0;
    long timelineLag = 0;
    int countMissing = 0;
    int timelineMissing = 0;
    for (int c = 0; c < m; c++) {
      if (countVisibleAt[c] == 0) {
        countMissing++;
      } else {
        countLag = Math.max(countLag, countVisibleAt[c] - lastAccepted);
      }
      if (timelineVisibleAt[c] == 0) {
        timelineMissing++;
      } else {
        timelineLag = Math.max(timelineLag, timelineVisibleAt[c] - lastAccepted);
      }
    }
    double resolution = (firstRoundDone - lastAccepted) / 1e6;
    System.out.println();
    System.out.printf(
        "projection catch-up after the last accepted send (%d check rounds; first round done"
            + " %.0f ms after it):%n",
        rounds, resolution);
    if (rounds == 1 && countMissing == 0 && timelineMissing == 0) {
      System.out.println(
          "  (already complete at the first check: the lags below are upper bounds)");
    }
    if (countMissing == 0) {
      System.out.printf("  conversation messageCount complete after %.0f ms%n", countLag / 1e6);
    } else {
      System.out.printf(
          "  conversation messageCount: %d of %d conversations still short after %.0f s%n",
          countMissing, m, options.catchupTimeoutSeconds);
      anomalies.add(countMissing + " conversations' messageCount short after catch-up timeout");
    }
    if (timelineMissing == 0) {
      System.out.printf("  timeline complete after %.0f ms%n", timelineLag / 1e6);
    } else {
      System.out.printf(
          "  timeline: %d of %d conversations still incomplete after %.0f s%n",
          timelineMissing, m, options.catchupTimeoutSeconds);
      anomalies.add(
          timelineMissing + " conversations' timelines incomplete after catch-up timeout");
    }
    Map<String, Object> lag = new LinkedHashMap<>();
    lag.put("messageCountLagMs", countMissing == 0 ? Latencies.round(countLag / 1e6) : null);
    lag.put("timelineLagMs", timelineMissing == 0 ? Latencies.round(timelineLag / 1e6) : null);
    lag.put("firstCheckDoneAfterMs", Latencies.round(resolution));
    lag.put("checkRounds", rounds);
    lag.put("completeAtFirstCheck", rounds == 1 && countMissing == 0 && timelineMissing == 0);
    lag.put("conversationsShortOnCount", countMissing);
    lag.put("conversationsShortOnTimeline", timelineMissing);
    results.put("catchUp", lag);
  }

  /** Pages through every timeline and compares it with what was accepted. */
  private void verifyTimelines(ConversationLog[] logs) {
    long missing = 0;
    long unexpected = 0;
    long duplicates = 0;
    long countMismatch = 0;
    long start = System.nanoTime();
    for (int c = 0; c < logs.length; c++) {
      ConversationLog log = logs[c];
      String token = tokens[c % tokens.length];
      Set<String> expected = log.visibleIds();
      List<String> found = api.allMessageIds(token, log.id, (int) (log.acceptedCount() / 200) + 20);
      Set<String> foundSet = new HashSet<>(found);
      duplicates += found.size() - foundSet.size();
      Set<String> lost = new HashSet<>(expected);
      lost.removeAll(foundSet);
      missing += lost.size();
      foundSet.removeAll(expected);
      unexpected += foundSet.size();
      long count = api.messageCount(token, log.id);
      if (count != log.acceptedCount()) {
        countMismatch++;
      }
    }
    System.out.printf(
        "verification (%.1f s): timelines missing %d accepted messages, %d unknown, %d duplicated;"
            + " %d conversations' messageCount differs from the accepted count%n",
        (System.nanoTime() - start) / 1e9, missing, unexpected, duplicates, countMismatch);
    if (missing + unexpected + duplicates + countMismatch > 0) {
      anomalies.add(
          "verification: missing="
              + missing
              + " unknown="
              + unexpected
              + " duplicated="
              + duplicates
              + " messageCountMismatches="
              + countMismatch);
    }
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("missing", missing);
    v.put("unknown", unexpected);
    v.put("duplicated", duplicates);
    v.put("messageCountMismatches", countMismatch);
    results.put("verification", v);
  }

  // ------------------------------------------------------------------------------------------
  // One long conversation vs a fresh one
  // ------------------------------------------------------------------------------------------

  private void runLongConversation() {
    long k = options.longConversation;
    int n = options.clients;
    System.out.printf(
        "Parley long conversation%s: %s, fill one conversation with %d messages from %d clients,"
            + " then %d sequential sends each into it and into a fresh conversation%n",
        options.label.isEmpty() ? "" : " [" + options.label + "]",
        options.url,
        k,
        n,
        options.samples);
    ConversationLog longLog =
        new ConversationLog(api.createConversation(tokens[0], "bench " + runId + " long", userIds));

    AtomicLong sequence = new AtomicLong();
    long fillStart = System.nanoTime();
    long fillDeadline = fillStart + seconds(options.fillTimeoutSeconds);
    Map<String, Long> fillStatus = Collections.synchronizedMap(new TreeMap<>());
    List<String> errorSamples = Collections.synchronizedList(new ArrayList<>());
    AtomicLong lastAccepted = new AtomicLong();
    AtomicLong progress = new AtomicLong();
    Latencies[] fillLatencies = new Latencies[n];
    Thread[] threads = new Thread[n];
    for (int i = 0; i < n; i++) {
      Sender http = new Sender(tokens[i % tokens.length]);
      String sender = userIds.get(i % tokens.length);
      Latencies lat = new Latencies();
      fillLatencies[i] = lat;
      threads[i] =
          new Thread(
              () -> {
                long j;
                while ((j = sequence.getAndIncrement()) < k && System.nanoTime() < fillDeadline) {
                  String text = text(j, sender);
                  long t0 = System.nanoTime();
                  Outcome o = http.send(longLog.id, text);
                  long t1 = System.nanoTime();
                  String status = o.status() < 0 ? "no-response" : Integer.toString(o.status());
                  fillStatus.merge(status, 1L, Long::sum);
                  if (o.is(201)) {
                    lat.add(t1 - t0);
                    longLog.accept(ParleyClient.messageId(o), "BLOCKED".equals(verdict(o)));
                    lastAccepted.accumulateAndGet(t1, Math::max);
                    long done = progress.incrementAndGet();
                    if (done % 10_000 == 0) {
                      System.out.printf(
                          "  filled %d messages in %.0f s%n", done, (t1 - fillStart) / 1e9);
                    }
                  } else if (errorSamples.size() < 10) {
                    errorSamples.add("fill send -> " + ParleyClient.describe(o));
                  }
                }
                http.close();
              },
              "filler-" + i);
      threads[i].start();
    }
    for (Thread t : threads) {
      joinQuietly(t);
    }
    double fillSeconds = (System.nanoTime() - fillStart) / 1e9;
    long filled = longLog.acceptedCount();
    Latencies fillLatency = new Latencies();
    for (Latencies l : fillLatencies) {
      fillLatency.addAll(l);
    }
    System.out.printf(
        "fill: %d of %d accepted in %.1f s (%.0f msgs/s into one conversation); statuses %s%n",
        filled, k, fillSeconds, filled / fillSeconds, fillStatus);
    System.out.println("fill send latency (" + n + " concurrent): " + fillLatency.summary().line());
    errorSamples.forEach(s -> System.out.println("  " + s));
    fillStatus.forEach(
        (s, v) -> {
          if (!s.equals("201")) {
            anomalies.add(v + " fill sends answered " + s);
          }
        });
    if (filled < k) {
      anomalies.add("fill stopped at " + filled + " of " + k + " messages (fill timeout)");
    }
    Map<String, Object> fill = new LinkedHashMap<>();
    fill.put("target", k);
    fill.put("accepted", filled);
    fill.put("seconds", Latencies.round(fillSeconds));
    fill.put("acceptedPerSecond", Latencies.round(filled / fillSeconds));
    fill.put("status", new TreeMap<>(fillStatus));
    fill.put("latency", fillLatency.summary().asMap());
    fill.put("errorSamples", List.copyOf(errorSamples));
    results.put("fill", fill);

    // Let the read models catch up, so their work does not weigh on the comparison.
    long waitStart = System.nanoTime();
    long deadline = waitStart + seconds(options.catchupTimeoutSeconds);
    long expected = longLog.visibleIds().size();
    long count = -1;
    boolean timelineDone = false;
    List<String> last = longLog.lastVisible(Math.min(n, 200));
    while (System.nanoTime() < deadline) {
      count = api.messageCount(tokens[0], longLog.id);
      if (!timelineDone) {
        timelineDone =
            new HashSet<>(api.timeline(tokens[0], longLog.id, 200, null).messageIds())
                .containsAll(last);
      }
      if (count >= expected && timelineDone) {
        break;
      }
      sleepMillis(100);
    }
    double catchUp = (System.nanoTime() - lastAccepted.get()) / 1e9;
    if (count >= expected && timelineDone) {
      System.out.printf(
          "read models caught up %.1f s after the last fill send (messageCount %d)%n",
          catchUp, count);
    } else {
      System.out.printf(
          "read models NOT caught up after %.0f s (messageCount %d of %d, timeline %s)%n",
          options.catchupTimeoutSeconds, count, expected, timelineDone ? "done" : "behind");
      anomalies.add("long conversation read models not caught up within the catch-up timeout");
    }
    results.put(
        "fillCatchUp",
        Map.of("seconds", Latencies.round(catchUp), "caughtUp", count >= expected && timelineDone));

    ConversationLog freshLog =
        new ConversationLog(
            api.createConversation(tokens[0], "bench " + runId + " fresh", userIds));
    String token = tokens[0];
    String sender = userIds.get(0);
    Sender http = new Sender(token);
    Map<String, Long> status = new TreeMap<>();
    // Warm-up: a few sends into each, not measured.
    for (int i = 0; i < 20; i++) {
      timedSend(http, sender, longLog, i, status);
      timedSend(http, sender, freshLog, i, status);
    }
    Latencies longLatency = new Latencies();
    Latencies freshLatency = new Latencies();
    for (int i = 0; i < options.samples; i++) {
      // Alternate which goes first, so neither always follows the other.
      if (i % 2 == 0) {
        longLatency.add(timedSend(http, sender, longLog, i, status));
        freshLatency.add(timedSend(http, sender, freshLog, i, status));
      } else {
        freshLatency.add(timedSend(http, sender, freshLog, i, status));
        longLatency.add(timedSend(http, sender, longLog, i, status));
      }
    }
    http.close();
    Latencies longRead = new Latencies();
    Latencies freshRead = new Latencies();
    for (int i = 0; i < Math.min(options.samples, 200); i++) {
      longRead.add(timedRead(token, longLog));
      freshRead.add(timedRead(token, freshLog));
    }
    Latencies.Summary ls = longLatency.summary();
    Latencies.Summary fs = freshLatency.summary();
    double ratio = ls.p50() / fs.p50();
    System.out.println();
    System.out.printf("send into the %d-message conversation: %s%n", filled, ls.line());
    System.out.println("send into a fresh conversation:        " + fs.line());
    System.out.printf("median ratio long/fresh: %.2f%n", ratio);
    System.out.println("newest page (limit=50) read, long:  " + longRead.summary().line());
    System.out.println("newest page (limit=50) read, fresh: " + freshRead.summary().line());
    System.out.println("statuses of the measured sends: " + status);
    status.forEach(
        (s, v) -> {
          if (!s.equals("201")) {
            anomalies.add(v + " measured sends answered " + s);
          }
        });
    Map<String, Object> cmp = new LinkedHashMap<>();
    cmp.put("longConversationMessages", filled);
    cmp.put("samples", options.samples);
    cmp.put("sendLong", ls.asMap());
    cmp.put("sendFresh", fs.asMap());
    cmp.put("medianRatioLongOverFresh", Latencies.round(ratio));
    cmp.put("readNewestPageLong", longRead.summary().asMap());
    cmp.put("readNewestPageFresh", freshRead.summary().asMap());
    cmp.put("status", status);
    results.put("longVsFresh", cmp);

    if (options.verify) {
      long v0 = System.nanoTime();
      long verifyDeadline = v0 + 60_000_000_000L;
      while (api.messageCount(token, longLog.id) < longLog.visibleIds().size()
          && System.nanoTime() < verifyDeadline) {
        sleepMillis(100);
      }
      List<String> found =
          api.allMessageIds(token, longLog.id, (int) (longLog.acceptedCount() / 200) + 20);
      Set<String> foundSet = new HashSet<>(found);
      Set<String> expectedIds = longLog.visibleIds();
      Set<String> lost = new HashSet<>(expectedIds);
      lost.removeAll(foundSet);
      long finalCount = api.messageCount(token, longLog.id);
      System.out.printf(
          "verification (%.1f s): long timeline has %d messages (%d distinct), accepted %d,"
              + " missing %d; messageCount %d%n",
          (System.nanoTime() - v0) / 1e9,
          found.size(),
          foundSet.size(),
          expectedIds.size(),
          lost.size(),
          finalCount);
      if (!lost.isEmpty()
          || found.size() != foundSet.size()
          || finalCount != longLog.acceptedCount()) {
        anomalies.add(
            "long conversation verification: missing="
                + lost.size()
                + " duplicated="
                + (found.size() - foundSet.size())
                + " messageCount="
                + finalCount
                + " accepted="
                + longLog.acceptedCount());
      }
      results.put(
          "verification",
          Map.of(
              "timelineMessages", found.size(),
              "distinct", foundSet.size(),
              "accepted", longLog.acceptedCount(),
              "missing", lost.size(),
              "messageCount", finalCount));
    }
  }

  private long timedSend(
      Sender http, String sender, ConversationLog log, long k, Map<String, Long> status) {
    String text = text(k, sender);
    long t0 = System.nanoTime();
    Outcome o = http.send(log.id, text);
    long t1 = System.nanoTime();
    status.merge(o.status() < 0 ? "no-response" : Integer.toString(o.status()), 1L, Long::sum);
    if (o.is(201)) {
      log.accept(ParleyClient.messageId(o), "BLOCKED".equals(verdict(o)));
    }
    return t1 - t0;
  }

  private long timedRead(String token, ConversationLog log) {
    long t0 = System.nanoTime();
    api.timeline(token, log.id, 50, null);
    return System.nanoTime() - t0;
  }

  // ------------------------------------------------------------------------------------------

  /** Whole-machine CPU busy fraction, sampled once a second during the measured window. */
  private static final class CpuSampler implements Runnable {
    private final long from;
    private final long to;
    private double sum;
    private double max;
    private int count;

    CpuSampler(long from, long to) {
      this.from = from;
      this.to = to;
    }

    @Override
    public void run() {
      var os = ManagementFactory.getOperatingSystemMXBean();
      if (!(os instanceof com.sun.management.OperatingSystemMXBean bean)) {
        return;
      }
      bean.getCpuLoad(); // the first reading only starts the interval
      while (System.nanoTime() < to) {
        sleepMillis(1000);
        long now = System.nanoTime();
        double load = bean.getCpuLoad();
        if (now >= from + 1_000_000_000L && now <= to + 500_000_000L && load >= 0) {
          synchronized (this) {
            sum += load;
            max = Math.max(max, load);
            count++;
          }
        }
      }
    }

    synchronized double mean() {
      return count == 0 ? Double.NaN : sum / count;
    }

    synchronized double max() {
      return count == 0 ? Double.NaN : max;
    }

    synchronized int count() {
      return count;
    }
  }

  /** CPU time of these threads so far (0 for a thread not started or ended). */
  private static long threadCpuNanos(Thread... threads) {
    var bean = ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (Thread t : threads) {
      long cpu = bean.getThreadCpuTime(t.getId());
      if (cpu > 0) {
        sum += cpu;
      }
    }
    return sum;
  }

  private static long processCpuNanos() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean bean) {
      return bean.getProcessCpuTime();
    }
    return 0;
  }

  private void writeJson() {
    if (options.jsonOut == null) {
      return;
    }
    try {
      Files.writeString(
          options.jsonOut,
          ParleyClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(results));
    } catch (IOException e) {
      System.err.println("error: could not write " + options.jsonOut + ": " + e.getMessage());
    }
  }

  private static long seconds(double s) {
    return (long) (s * 1e9);
  }

  private static void sleepMillis(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void joinQuietly(Thread t) {
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
